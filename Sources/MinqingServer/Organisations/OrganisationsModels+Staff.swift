import Foundation
import MinqingDomain
import Vapor

/// Inputs and rows of staff development (item 6: 干部培训、挂职), re-election (换届) and the
/// owners' committees' party-member share (item 7).

/// A training session: title, date, organiser node (in scope), length in minutes, place.
struct TrainingInput: Content, Sendable {
    var title: String?
    var held_on: String?
    var node: String?
    var minutes: Int?
    var place: String?
}

/// Attendance for a session: one entry per cadre (`account_id` or `username`) with a status.
/// A cadre already recorded gets the new status (the last word counts).
struct AttendanceInput: Content, Sendable {
    struct Entry: Content, Sendable { var account_id: UUID?; var username: String?; var status: String? }
    var records: [Entry]?
}

/// A rotation (挂职): the cadre (`account_id` or `username`, in scope), where from (a unit or a
/// node; default the cadre's own node) and where to (a unit or a node), the post held there,
/// the purpose and the dates.
struct RotationInput: Content, Sendable {
    var account_id: UUID?
    var username: String?
    var from_node: String?
    var from_unit_id: UUID?
    var to_node: String?
    var to_unit_id: UUID?
    var post: String?
    var purpose: String?
    var starts_on: String?
    var ends_on: String?
}

struct TrainingRow: Content, Sendable, Equatable {
    var id: UUID
    var title: String
    var held_on: String
    var place: String
    var minutes: Int
    var grid_code: String
    var grid_name: String
    var present: Int
    var absent: Int
    var excused: Int
    /// Present over everyone recorded, in whole percent; nil when nobody is recorded yet.
    var rate_percent: Int?
}

struct AttendanceRow: Content, Sendable, Equatable {
    var account_id: UUID
    var username: String
    var display_name: String
    var role: Role
    var grid_name: String
    var status: AttendanceStatus
    var recorded_by: String?
}

/// A session with the attendance of the cadres in the caller's scope (the counts cover everyone).
struct TrainingDetail: Content, Sendable {
    var training: TrainingRow
    var attendance: [AttendanceRow]
}

struct AttendanceRecorded: Content, Sendable { var recorded: Int; var training: TrainingRow }

/// A cadre's attendance over the sessions of a period.
struct CadreAttendanceRow: Content, Sendable, Equatable {
    var account_id: UUID
    var username: String
    var display_name: String
    var role: Role
    var grid_code: String
    var grid_name: String
    var present: Int
    var absent: Int
    var excused: Int
    var rate_percent: Int?
}

struct CadreAttendanceReport: Content, Sendable {
    var from: String
    var to: String
    var cadres: [CadreAttendanceRow]
}

struct RotationRow: Content, Sendable, Equatable {
    var id: UUID
    var account_id: UUID
    var username: String
    var display_name: String
    var from_code: String
    var from_name: String
    var from_unit_name: String?
    var to_code: String
    var to_name: String
    var to_unit_name: String?
    var post: String
    var purpose: String?
    var starts_on: String
    var ends_on: String
}

/// A cadre the caller may record or rotate (an account of a cadre role in scope).
struct CadreRow: Content, Sendable, Equatable {
    var id: UUID
    var username: String
    var display_name: String
    var role: Role
    var grid_name: String
}

/// 换届: the new term starts on `elected_on` (default today); `roles` gives members their role in
/// the new term. A current member not named keeps their role, except an office of the old term
/// (书记、副书记、委员), which ends with it (the member stays a member).
struct NewTermInput: Content, Sendable {
    struct Assignment: Content, Sendable { var member_id: UUID?; var role: String? }
    var elected_on: String?
    var reason: String?
    var roles: [Assignment]?
}

struct TermRow: Content, Sendable, Equatable {
    var seq: Int
    var starts_on: String
    var ends_on: String?
    var closed_on: String?
    var reason: String
    var created_by: String
}

/// Item 7: one owners' committee's party-member share (roles that see sensitive tags only).
struct CommitteeShareRow: Content, Sendable, Equatable {
    var committee_id: UUID
    var compound_id: UUID
    var compound_name: String
    var members: Int
    var party_members: Int
    var percent: Int
    var target_percent: Int
    var meets_target: Bool
}

struct OwnersCommitteeShares: Content, Sendable, Equatable {
    var committees: Int
    var meeting_target: Int
    var members: Int
    var party_members: Int
    var rows: [CommitteeShareRow]
}
