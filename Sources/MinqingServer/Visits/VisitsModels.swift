import Foundation
import MinqingDomain
import Vapor

/// How a visit was made (走访方式).
package enum VisitMethod: String, CaseIterable, Codable, Sendable {
    /// 入户
    case home
    /// 电话
    case phone
    /// 线上 (video call, WeChat)
    case online
    /// 其他 (met in the street, at the service centre …)
    case other

    var name: T {
        switch self {
        case .home: T("入户", "Home visit")
        case .phone: T("电话", "Phone")
        case .online: T("线上", "Online")
        case .other: T("其他", "Other")
        }
    }
}

/// Why a visit was made (走访类型).
package enum VisitKind: String, CaseIterable, Codable, Sendable {
    /// 日常走访
    case routine
    /// 十必访: with the category's code
    case mustVisit = "must_visit"
    /// 回访: following an earlier visit
    case followUp = "follow_up"
    /// 预约走访: a resident's booking, done (only through the booking)
    case booked

    var name: T {
        switch self {
        case .routine: T("日常走访", "Routine")
        case .mustVisit: T("十必访", "Must-visit")
        case .followUp: T("回访", "Follow-up")
        case .booked: T("预约走访", "Booked")
        }
    }
}

/// The structured needs a visit can find (诉求类别): a small fixed vocabulary, so findings can
/// be counted and routed; anything else is `other` with the note saying what.
package enum VisitNeed: String, CaseIterable, Codable, Sendable {
    case livelihood, medical, employment, housing, care, legal, psychological, safety, other

    var name: T {
        switch self {
        case .livelihood: T("生活困难", "Hardship")
        case .medical: T("就医", "Medical care")
        case .employment: T("就业", "Employment")
        case .housing: T("住房", "Housing")
        case .care: T("照护", "Care")
        case .legal: T("法律", "Legal")
        case .psychological: T("心理", "Psychological")
        case .safety: T("安全隐患", "Safety hazard")
        case .other: T("其他", "Other")
        }
    }

    /// The help-request category a finding of this need becomes (as the register files them).
    package var helpCategory: String {
        switch self {
        case .livelihood: "生活困难"
        case .medical: "就医求助"
        case .employment: "就业求助"
        case .housing: "住房修缮"
        case .care: "照护需求"
        case .legal: "法律咨询"
        case .psychological: "心理疏导"
        case .safety: "安全隐患"
        case .other: "其他"
        }
    }
}

extension VisitOutcome {
    /// How the form and the history name the outcome.
    var name: T {
        switch self {
        case .met: T("见到了", "Met the household")
        case .nobodyHome: T("无人在家", "Nobody home")
        }
    }
}

/// Where a booking stands (预约状态).
package enum BookingStatus: String, CaseIterable, Codable, Sendable {
    /// 待确认: the resident picked a slot
    case requested
    /// 改约待居民确认: the cadre proposed another slot
    case proposed
    /// 已确认
    case confirmed
    /// 已完成: the visit is recorded
    case done
    /// 已取消: the slot is free again
    case cancelled

    var name: T {
        switch self {
        case .requested: T("待确认", "Requested")
        case .proposed: T("改约待确认", "New time proposed")
        case .confirmed: T("已确认", "Confirmed")
        case .done: T("已完成", "Done")
        case .cancelled: T("已取消", "Cancelled")
        }
    }

    /// Statuses that hold their slot.
    static let active: [BookingStatus] = [.requested, .proposed, .confirmed]
}

/// What the visit API takes. Everything optional so that a missing field is a 422 naming it.
package struct VisitInput: Content, Sendable {
    /// The households visited (at least one), inside the caller's scope.
    package var households: [UUID]?
    /// Usernames of the other staff who came along; the caller is always a visitor.
    package var visitors: [String]?
    /// When (ISO 8601); now if absent.
    package var visited_at: Date?
    package var method: String?
    package var kind: String?
    /// The 十必访 category, for `kind = must_visit`.
    package var category: String?
    /// The earlier visit, for `kind = follow_up`.
    package var follow_up_of: UUID?
    package var summary: String?
    /// `met` (the default) or `nobody_home`: an attempt that is kept but counts for nothing.
    package var outcome: String?
    package var findings: [Finding]?
    package var tags_added: [TagAdded]?
    package var tags_ended: [TagEnded]?
    package var person_updates: [PersonUpdate]?

    package struct Finding: Content, Sendable {
        var need: String?
        var note: String?
        var person_id: UUID?
        /// File it as a help request (求助) now.
        var help_request: Bool?
        /// Hand it to the case loop as a case of this 小类 code (一口汇集, channel `visit`).
        var case_category: String?

        package init(need: String? = nil, note: String? = nil, person_id: UUID? = nil, help_request: Bool? = nil, case_category: String? = nil) {
            self.need = need
            self.note = note
            self.person_id = person_id
            self.help_request = help_request
            self.case_category = case_category
        }
    }

    package struct TagAdded: Content, Sendable {
        var person_id: UUID?; var code: String?
        package init(person_id: UUID? = nil, code: String? = nil) { self.person_id = person_id; self.code = code }
    }
    package struct TagEnded: Content, Sendable { var person_id: UUID?; var assignment_id: UUID? }
    /// Details a visit may correct: the residence status and the mobile number.
    package struct PersonUpdate: Content, Sendable { var person_id: UUID?; var residence_status: String?; var phone: String? }

    package init(
        households: [UUID]? = nil, visitors: [String]? = nil, visited_at: Date? = nil, method: String? = nil, kind: String? = nil,
        category: String? = nil, follow_up_of: UUID? = nil, summary: String? = nil, findings: [Finding]? = nil, tags_added: [TagAdded]? = nil,
        tags_ended: [TagEnded]? = nil, person_updates: [PersonUpdate]? = nil, outcome: String? = nil
    ) {
        self.households = households
        self.visitors = visitors
        self.visited_at = visited_at
        self.method = method
        self.kind = kind
        self.category = category
        self.follow_up_of = follow_up_of
        self.summary = summary
        self.findings = findings
        self.tags_added = tags_added
        self.tags_ended = tags_ended
        self.person_updates = person_updates
        self.outcome = outcome
    }
}

/// A recorded visit as the API and the pages show it.
struct VisitDetail: Content, Sendable {
    struct Household: Content, Sendable { var id: UUID; var address: String; var grid_code: String; var grid_name: String }
    /// Someone credited with the visit: the account, its name and role (pages show the name and role).
    struct Visitor: Content, Sendable { var username: String; var display_name: String; var role: Role }
    struct Finding: Content, Sendable {
        var need: VisitNeed; var note: String; var person_id: UUID?; var follow_up_kind: String?; var follow_up_id: UUID?
    }
    struct Change: Content, Sendable {
        var change: String; var person_id: UUID; var person_name: String; var tag_assignment_id: UUID?; var tag_code: String?
        var field: String?; var value: String?
    }

    var id: UUID
    var visited_at: Date
    var local_date: String
    var method: VisitMethod
    var kind: VisitKind
    var category: String?
    var follow_up_of: UUID?
    var booking_id: UUID?
    var summary: String
    var outcome: VisitOutcome
    var recorded_by: String
    var households: [Household]
    var visitors: [Visitor]
    var findings: [Finding]
    var changes: [Change]
}

/// One line of a visit list.
struct VisitListRow: Content, Sendable, Equatable {
    var id: UUID
    var visited_at: Date
    var local_date: String
    var method: VisitMethod
    var kind: VisitKind
    var category_code: String?
    var household_id: UUID
    var address: String
    var grid_code: String
    /// The account that recorded the visit (for API clients); pages show its name and role.
    var recorded_by: String
    var recorded_by_name: String
    var recorded_by_role: Role
    var summary: String
    var outcome: VisitOutcome
}

struct VisitPage: Content, Sendable { var items: [VisitListRow]; var total: Int; var limit: Int; var offset: Int }

/// A created record's id.
struct VisitCreated: Content, Sendable { var id: UUID }
