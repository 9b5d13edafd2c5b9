import Foundation
import MinqingDomain
import Vapor

/// What the intake (一口汇集) takes from any channel: the JSON API, the pages, the visit log,
/// and the Open311 layer (`POST requests`), which maps its fields one to one (see docs/cases.md).
struct CaseIntakeInput: Content, Sendable {
    /// One of `CaseChannel` (Open311 clients: `app`).
    var channel: String?
    /// The 小类 code (Open311 `service_code`).
    var category_code: String?
    var title: String?
    /// Open311 `description`.
    var description: String?
    /// The grid node where it happened; staff give one in their scope; a resident's defaults to
    /// their building group; an Open311 client's to the jurisdiction (the subdistrict).
    var node: String?
    var compound_id: UUID?
    var household_id: UUID?
    /// Open311 `address_string`.
    var address: String?
    /// Open311 `address_id`.
    var address_id: String?
    /// Open311 `lat` / `long` (WGS-84 degrees); stored as integer micro-degrees.
    var lat: Double?
    var long: Double?
    /// Open311 `media_url`.
    var media_url: String?
    /// Open311 `first_name` + `last_name`, or one name.
    var submitter_name: String?
    /// Open311 `email`.
    var submitter_email: String?
    /// Open311 `phone`: sealed by the PII vault, only the masked form is shown.
    var submitter_phone: String?
    /// 代办: the household member (a person) a resident leaves the message for, under a link in
    /// force (`Proxies`).
    var on_behalf_of: UUID? = nil
    /// Open311 `device_id` and `account_id`.
    var device_id: String?
    var client_account_id: String?
    /// The source's own reference: a 12345 order number, a visit finding's id, a platform's id.
    var source_ref: String?
}

/// Who hands a case in.
enum CaseSubmitter: Sendable {
    /// A signed-in account (staff, resident, shop, unit, volunteer).
    case account(Actor)
    /// An Open311 client with an issued key, for the jurisdiction's subdistrict node.
    case client(name: String, jurisdiction: UUID)
}

/// What the intake answers: the case, its public number and token, and possible duplicates.
struct CaseIntakeResult: Content, Sendable {
    var id: CaseID
    var number: String
    /// A random token that finds the case before it is filed (Open311 `token`).
    var token: String
    var state: CaseState
    var duplicates: [CaseSummary]
}

/// One case in a list: no personal data beyond the submitter's name initial and masked phone.
struct CaseSummary: Content, Sendable {
    var id: CaseID
    var number: String
    var channel: CaseChannel
    var category_code: String
    var category_name_zh: String
    var category_name_en: String
    var title: String
    var description: String
    var state: CaseState
    var address: String
    var address_id: String?
    var lat_e6: Int64?
    var long_e6: Int64?
    var media_url: String?
    var node_code: String
    var node_name: String
    var department_code: String?
    var department_name_zh: String?
    var department_name_en: String?
    var reported_at: Date
    var updated_at: Date
    var due_at: Date?
    var closed_at: Date?
    var supervised: Bool
    var escalation_level: Int
    var verdict: CaseVerdict?
    var merged_into: CaseID?
    var overdue: Bool
}

/// Filters of a case list; every one is applied in SQL (Open311 `GET requests` uses the same).
struct CaseListFilter: Sendable {
    var ids: [CaseID] = []
    var numbers: [String] = []
    var categoryCodes: [String] = []
    /// 大类 codes: every 小类 under them (the board's category select offers both).
    var categoryFamilies: [String] = []
    var states: [CaseState] = []
    var channels: [CaseChannel] = []
    /// Words to find in the case's number, source reference, title, description or address.
    var search: String?
    /// Open311 `status`: open / closed.
    var open: Bool?
    var reportedFrom: Date?
    var reportedBefore: Date?
    var updatedFrom: Date?
    var departmentID: UUID?
    /// Only cases in this grid node's subtree (the dashboard's drill-down); narrows, never widens, what the caller may see.
    var nodeID: UUID?
    var overdueAt: Date?
    var supervisedOnly = false
    var projectID: UUID?
    var limit = 50
    var offset = 0
}

struct CaseTransitionRecord: Content, Sendable {
    var seq: Int
    /// A `CaseAction`, `report` for the intake's first transition, or `recategorise` (改类别).
    var action: String
    var from_state: CaseState?
    var to_state: CaseState
    /// Who acted, as people are shown: staff by their name, a resident's name masked to the
    /// surname (`周**`), an Open311 client by its name; never an account's username.
    var actor_name: String
    /// The actor's role then (a `Role`, or `open311_client`).
    var actor_role: String
    var department_code: String?
    var reason: String
    var at: Date
    /// A recategorisation's categories (nil for other transitions).
    var from_category_zh: String?
    var from_category_en: String?
    var to_category_zh: String?
    var to_category_en: String?
}

struct CaseAssignmentRecord: Content, Sendable {
    var department_id: UUID
    var department_code: String
    var department_name_zh: String
    var department_name_en: String
    var lead: Bool
    var active: Bool
    var report: String?
    var reported_at: Date?
}

struct CaseFollowUpRecord: Content, Sendable {
    var method: String
    var reached: Bool
    var verdict: CaseVerdict?
    var resolved: Bool?
    var note: String
    var at: Date
    /// Who called, by name (nil for the demo's unattributed calls).
    var actor_name: String?
    var actor_role: String?
}

struct CaseSupervisionRecord: Content, Sendable {
    var kind: String
    var level: Int
    var note: String
    var at: Date
    /// Who put it under supervision, by name (nil: the clock's escalation).
    var actor_name: String?
    var actor_role: String?
}

/// A case with its timeline, departments, supervision marks and follow-up calls.
struct CaseDetail: Content, Sendable {
    var summary: CaseSummary
    var token: String?
    var source_ref: String?
    var submitter_name: String?
    var submitter_phone_masked: String?
    var response_due_at: Date?
    var responded_at: Date?
    var filed_at: Date?
    var dispatched_at: Date?
    var handled_at: Date?
    /// The deadline of the dispatcher's current stage (立案, 派遣, 核查: `CaseStage`), from the
    /// category's limit for it; nil while the department holds the case and once it is finished.
    var stage_due_at: Date?
    var rework_count: Int
    var reopen_count: Int
    var extension_days: Int
    var resolved: Bool?
    var transitions: [CaseTransitionRecord]
    var assignments: [CaseAssignmentRecord]
    var supervisions: [CaseSupervisionRecord]
    var followups: [CaseFollowUpRecord]
    /// The actions the caller may take now.
    var actions: [CaseAction]
    /// Years the case's deadlines reach or cross whose holidays are derived (no notice published:
    /// make-up days unknown), for the page's warning; set by `noting(_:)`.
    var derived_calendar_years: [Int] = []
    /// 代办: who the case was left for and by whom, when a family member left it for them.
    var on_behalf_of: ProxyQueries.Act? = nil
}

/// A transition request: the action's reason, and its own fields.
struct CaseActionInput: Content, Sendable {
    var reason: String?
    /// dispatch / transfer: the lead department's code (default: the category's department).
    var department: String?
    /// dispatch (吹哨): co-handling departments' codes.
    var co_departments: [String]?
    /// request_extension / approve_extension: working days.
    var days: Int?
    /// merge: the primary case's id.
    var primary_id: CaseID?
    /// evaluate: the verdict and whether it is solved.
    var verdict: String?
    var resolved: Bool?
}

struct CaseReportInput: Content, Sendable { var report: String? }
struct CaseSuperviseInput: Content, Sendable { var note: String? }
struct CaseFollowUpInput: Content, Sendable {
    var method: String?
    var reached: Bool?
    var verdict: String?
    var resolved: Bool?
    var note: String?
}

struct CaseDepartment: Content, Sendable {
    var id: UUID
    var code: String
    var name_zh: String
    var name_en: String
}

struct CaseCategoryRecord: Content, Sendable {
    var code: String
    var parent_code: String?
    var kind: CaseCategoryKind
    var name_zh: String
    var name_en: String
    var department_code: String?
    var limit_file: String
    var limit_dispatch: String
    var limit_response: String
    var limit_handle: String
    var limit_verify: String
}

/// A change of a case's category (改类别): the new 小类 and why.
struct CaseRecategoriseInput: Content, Sendable {
    var category_code: String?
    var reason: String?
}

/// The board's filters as a query string carries them (the page's and `GET /api/v1/cases`'s),
/// all text, so that a bad value is a sentence beside its field and not a decoding error.
/// `CasesBoard.filter` checks them.
struct CaseBoardParams: Content, Sendable {
    var state: String?
    var status: String?
    var category: String?
    var channel: String?
    /// A grid node's code (a residential area on the board); `area` is the same.
    var node: String?
    var area: String?
    var overdue: String?
    var supervised: String?
    var department: String?
    var q: String?
    var number: String?
    var from: String?
    var to: String?
    var page: String?
    var limit: String?
    var offset: String?

    init() {}

    /// The filters to keep in the board's links (paging), without the page itself.
    var linkPairs: [(String, String)] {
        [
            ("state", state ?? ""), ("status", status ?? ""), ("category", category ?? ""), ("channel", channel ?? ""),
            ("node", node ?? area ?? ""), ("overdue", overdue ?? ""), ("supervised", supervised ?? ""), ("department", department ?? ""),
            ("q", q ?? ""), ("number", number ?? ""), ("from", from ?? ""), ("to", to ?? "")
        ]
    }
}

/// One page of the board: the cases and how many match in all.
struct CaseBoardPage: Sendable {
    var cases: [CaseSummary]
    var total: Int
}

/// A grid node the board's area select offers, by name.
struct CaseArea: Content, Sendable {
    var code: String
    var name: String
}
