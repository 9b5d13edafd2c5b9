import Foundation
import MinqingDomain
import Vapor

// Plain rows and inputs of 6543 oversight (JSON field names as the API spells them). The
// tables are written with SQLKit (see OversightMigrations); no Fluent model reaches a view.

/// A property company with its score and list standing, as the lists show it.
struct CompanyRow: Content, Sendable {
    var id: UUID
    var name: String
    var licence_code: String
    var manager_name: String
    var score: Int
    var standing: ListStanding
    var standing_reason_zh: String
    var standing_reason_en: String
    var open_rectifications: Int
    var overdue_rectifications: Int
    var compounds: Int
}

/// One explained entry of a company's credit ledger.
struct CreditEntryRow: Content, Sendable {
    var id: UUID
    var points: Int
    var rule_code: String
    var reason_zh: String
    var reason_en: String
    var entry_date: String
    var source: CreditSource
    var source_id: UUID?
    var recorded_by: String
}

struct ContractRow: Content, Sendable {
    var id: UUID
    var compound_id: UUID
    var compound_name: String
    var compound_type: String
    var starts_on: String
    var ends_on: String
    var fee_fen_per_m2: Int
}

struct InspectionRow: Content, Sendable {
    var id: UUID
    var inspected_on: String
    var outcome: InspectionOutcome
    var finding: String
    var compound_name: String?
    var shop_name: String?
    var category_code: String?
    var case_id: UUID?
    var case_number: String?
    var credit_entry_id: UUID?
    var rectification_id: UUID?
    var inspector_name: String
}

struct RectificationRow: Content, Sendable {
    var id: UUID
    var reason_zh: String
    var reason_en: String
    var opened_on: String
    var due_on: String
    var status: String
    var closed_on: String?
    var closing_note: String?
}

struct SurveyRow: Content, Sendable {
    var id: UUID
    var compound_name: String
    var surveyed_on: String
    var respondents: Int
    var satisfied: Int
    var credit_entry_id: UUID?
}

struct ComplaintRow: Content, Sendable {
    var id: UUID
    var case_id: UUID
    var case_number: String
    var case_state: CaseState
    /// What the complaint says: the company answers it from its own page, where the case itself
    /// (with the submitter's details) stays out of its reach.
    var case_description: String
    var upheld: Bool
    var credit_entry_id: UUID?
}

/// Everything the company page shows: the ledger entry by entry, the total and the standing.
struct CompanyDetail: Content, Sendable {
    var company: CompanyRow
    var base: Int
    var entries: [CreditEntryRow]
    var contracts: [ContractRow]
    var inspections: [InspectionRow]
    var rectifications: [RectificationRow]
    var surveys: [SurveyRow]
    var complaints: [ComplaintRow]
    /// The company's current staff, names only (`property_company_staff`).
    var staff: [CompanyStaffRow] = []
    /// Current staff holding the party-member tag today / current staff; nil (absent) for roles
    /// that may not see sensitive tags.
    var party_share: PartyShareRow? = nil
    /// The company's answers to its rectifications and complaints, oldest first (`company_answers`).
    var answers: [CompanyAnswerRow] = []
}

struct CompanyInput: Content, Sendable {
    var name: String?
    var licence_code: String?
    var manager_name: String?
    /// The subdistrict's grid code (default: the caller's subdistrict).
    var node: String?
}

struct ContractInput: Content, Sendable {
    var compound_id: UUID?
    var starts_on: String?
    var ends_on: String?
    var fee_fen_per_m2: Int?
}

struct InspectionInput: Content, Sendable {
    /// The compound inspected (company inspections; one the company serves).
    var compound_id: UUID?
    var outcome: String?
    var finding: String?
    /// A case sub-category: the finding becomes a case (channel 网格巡查) in the same transaction.
    var case_category: String?
    var inspected_on: String?
}

struct SurveyInput: Content, Sendable {
    var compound_id: UUID?
    var respondents: Int?
    var satisfied: Int?
    var surveyed_on: String?
}

struct ComplaintInput: Content, Sendable {
    var case_id: UUID?
    var upheld: Bool?
}

struct RectificationCloseInput: Content, Sendable {
    var note: String?
    var closed_on: String?
}

/// What an inspection wrote: the inspection, and the case, entry and rectification if any.
struct InspectionResult: Content, Sendable {
    var id: UUID
    var case_id: UUID?
    var case_number: String?
    var credit_entry_id: UUID?
    var rectification_id: UUID?
    var score: Int?
    var standing: ListStanding?
    var standing_reason_zh: String?
}

// MARK: owners' committees

struct CommitteeMemberRow: Content, Sendable {
    var id: UUID
    var person_id: UUID
    var name: String
    var role: String
    var term_starts_on: String
    var term_ends_on: String
    var ended_on: String?
    /// Only for roles that may see sensitive tags; nil for everybody else.
    var party_member: Bool?
}

struct PartyShareRow: Content, Sendable {
    var members: Int
    var party_members: Int
    var percent: Int
    var target_percent: Int
    var meets_target: Bool
}

struct CommitteeRecordRow: Content, Sendable {
    var id: UUID
    var kind: String
    var member_id: UUID?
    var reason: String
    var recorded_on: String
    var recorded_by: String
}

struct DisclosureRow: Content, Sendable {
    var id: UUID
    var compound_id: UUID
    var compound_name: String
    var kind: String
    var title: String
    var body: String
    var amount_fen: Int64?
    var published_on: String
}

struct CommitteeRow: Content, Sendable {
    var id: UUID
    var compound_id: UUID
    var compound_name: String
    var elected_on: String
    var term_ends_on: String
    var status: String
    var members: Int
}

struct CommitteeDetail: Content, Sendable {
    var committee: CommitteeRow
    var members: [CommitteeMemberRow]
    /// nil for roles that may not see sensitive tags (the share derives from 中共党员).
    var party_share: PartyShareRow?
    var records: [CommitteeRecordRow]
    var disclosures: [DisclosureRow]
}

struct CommitteeInput: Content, Sendable {
    var compound_id: UUID?
    var elected_on: String?
    var term_ends_on: String?
}

struct MemberInput: Content, Sendable {
    var person_id: UUID?
    var role: String?
    var term_starts_on: String?
    var term_ends_on: String?
}

struct CommitteeRecordInput: Content, Sendable {
    /// `correction` (纠错) or `exit` (退出: ends `member_id`'s term).
    var kind: String?
    var member_id: UUID?
    var reason: String?
}

struct DisclosureInput: Content, Sendable {
    var kind: String?
    var title: String?
    var body: String?
    var amount_fen: Int64?
}

/// What a resident sees of their own compound.
struct MyCompound: Content, Sendable {
    var compound_id: UUID
    var compound_name: String
    var compound_type: String
    var goal_zh: String
    var companies: [CompanyRow]
    var disclosures: [DisclosureRow]
}

// MARK: shops

struct ShopRow: Content, Sendable {
    var id: UUID
    var name: String
    var licence_code: String
    var category: String
    var address: String
    var contact_name: String
    var phone_masked: String?
    var grid_code: String
    var grid_name: String
    var pledged_on: String?
    var duties: String?
}

struct ShopInput: Content, Sendable {
    var name: String?
    var licence_code: String?
    var category: String?
    var address: String?
    var contact_name: String?
    var phone: String?
    /// The grid node (building group or micro-grid) the shop stands at.
    var node: String?
}

struct PledgeInput: Content, Sendable {
    var signed_on: String?
    var duties: [String]?
    var signed_by: String?
}

// MARK: checklists and programmes

struct MeasureRow: Content, Sendable {
    var code: String
    var name_zh: String
    var name_en: String
    var status: MeasureStatus
    var note: String
    var updated_on: String?
}

struct ChecklistRow: Content, Sendable {
    var compound_id: UUID
    var compound_name: String
    var compound_type: String
    var goal_zh: String
    var main_line_zh: String
    var lead_department: String?
    var leader_name: String?
    var done: Int
    var total: Int
    var percent: Int
    var measures: [MeasureRow]
}

struct MeasureInput: Content, Sendable {
    var status: String?
    var note: String?
}

struct MilestoneRow: Content, Sendable {
    var id: UUID
    var name: String
    var due_on: String
    var done_on: String?
}

struct ProjectRow: Content, Sendable {
    var id: UUID
    var concern: GovernanceConcern
    var name: String
    var compound_name: String?
    var department: String
    var leader_name: String
    var budget_fen: Int64
    var spent_fen: Int64
    var status: String
    var milestones: [MilestoneRow]
}

struct ProgrammeRow: Content, Sendable {
    var concern: GovernanceConcern
    var name_zh: String
    var name_en: String
    var projects: Int
    var budget_fen: Int64
    var spent_fen: Int64
    var milestones: Int
    var milestones_done: Int
    var items: [ProjectRow]
}

/// A change to a project: only the fields given change.
struct ProjectUpdateInput: Content, Sendable {
    var status: String?
    /// Spending so far, in fen.
    var spent_fen: Int64?
    var leader_name: String?
    var department: String?
}

struct MilestoneInput: Content, Sendable {
    var name: String?
    var due_on: String?
}

struct MilestoneDoneInput: Content, Sendable {
    var done_on: String?
}

/// Links a property-company account (the path's username) to this company.
struct CompanyAccountInput: Content, Sendable {
    var company_id: UUID?
}
