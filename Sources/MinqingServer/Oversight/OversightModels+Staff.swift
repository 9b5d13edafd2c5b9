import Foundation
import Vapor

/// One person serving a property company (names only: no ID or phone numbers).
struct CompanyStaffRow: Content, Sendable, Equatable {
    var id: UUID
    var person_id: UUID
    var name: String
    var role: String
    var started_on: String
    var ended_on: String?
}

/// A company's current staff and, for roles that may see sensitive tags only, their party-member share.
struct CompanyStaffList: Content, Sendable {
    var staff: [CompanyStaffRow]
    /// nil (absent from the JSON) for roles that may not see sensitive tags.
    var party_share: PartyShareRow?
}

struct StaffInput: Content, Sendable {
    var person_id: UUID?
    /// manager, steward, cleaner, security or other.
    var role: String?
    var started_on: String?
}

struct StaffEndInput: Content, Sendable {
    var ended_on: String?
}

/// Item 7: one property company's party-member share (roles that see sensitive tags only).
struct CompanyShareRow: Content, Sendable, Equatable {
    var company_id: UUID
    var company_name: String
    var staff: Int
    var party_members: Int
    var percent: Int
    var target_percent: Int
    var meets_target: Bool
}

/// The property companies in scope with their staff's party-member share, and the totals.
struct CompanyPartyShares: Content, Sendable, Equatable {
    var companies: Int
    var meeting_target: Int
    var staff: Int
    var party_members: Int
    var rows: [CompanyShareRow]
}
