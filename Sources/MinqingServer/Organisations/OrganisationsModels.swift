import Foundation
import MinqingDomain
import Vapor

/// Inputs and rows of 组织力工程 (see OrganisationsMigrations for the tables).

struct OrganisationInput: Content, Sendable {
    var name: String?
    var kind: String?
    var basis: String?
    var node: String?
    var parent_id: UUID?
    var compound_id: UUID?
    var service_unit_id: UUID?
    var purpose: String?
    var starts_on: String?
    var ends_on: String?
}

/// A change of an organisation: `rename` (name), `move` (parent_id, empty for none), `close`
/// (closed_on, default today); every change needs a reason.
struct OrganisationChangeInput: Content, Sendable {
    var action: String?
    var name: String?
    var parent_id: String?
    var closed_on: String?
    var reason: String?
}

struct OrgMemberInput: Content, Sendable {
    var person_id: UUID?
    var role: String?
    var starts_on: String?
    var shows_identity: Bool?
}

struct EndOrgMemberInput: Content, Sendable { var ends_on: String?; var reason: String? }
struct IdentityInput: Content, Sendable { var shows: Bool? }

struct OrganisationRow: Content, Sendable, Equatable {
    var id: UUID
    var name: String
    var kind: OrganisationKind
    var basis: OrganisationBasis
    var sensitive: Bool
    var grid_code: String
    var grid_name: String
    var parent_id: UUID?
    var parent_name: String?
    var service_unit_id: UUID?
    var unit_name: String?
    var compound_id: UUID?
    var purpose: String
    var starts_on: String
    var ends_on: String?
    var closed_on: String?
    var term_ends_on: String?
    /// Current members (0 for a sensitive organisation when the caller may not see its members).
    var members: Int
}

struct OrganisationChangeRow: Content, Sendable, Equatable {
    var action: String
    var old_value: String?
    var new_value: String?
    var reason: String
    var actor_name: String
    var created_at: Date
}

struct OrganisationDetail: Content, Sendable {
    var organisation: OrganisationRow
    /// Whether it is open today (not closed, a temporary one before its end date).
    var open: Bool
    var history: [OrganisationChangeRow]
    var children: [OrganisationRow]
    /// The terms (换届) recorded so far, oldest first; empty until the first re-election.
    var terms: [TermRow] = []
}

struct MemberRow: Content, Sendable, Equatable {
    var id: UUID
    var person_id: UUID
    var name: String
    var grid_code: String
    var role: MemberRole
    var starts_on: String
    var ends_on: String?
    var shows_identity: Bool
    var shows_identity_on: String?
}

struct PostInput: Content, Sendable {
    var kind: String?
    var name: String?
    var mission: String?
    var node: String?
    var organisation_id: UUID?
    var starts_on: String?
    var ends_on: String?
}

struct PostRow: Content, Sendable, Equatable {
    var id: UUID
    var kind: OrganisationPostKind
    var name: String
    var mission: String
    var grid_code: String
    var grid_name: String
    var organisation_name: String?
    var starts_on: String
    var ends_on: String?
    var claims: Int
}

struct LeaderInput: Content, Sendable { var person_id: UUID?; var organisation_id: UUID?; var starts_on: String? }

struct LeaderRow: Content, Sendable, Equatable {
    var id: UUID
    var person_id: UUID
    var name: String
    var grid_code: String
    var grid_name: String
    var starts_on: String
    var ends_on: String?
}

/// 双报到: registering an in-service member with a home community. A member registers
/// themselves (their community is the residential area above their account's node); staff may
/// register a person of the register in their scope (`person_id`) or an account (`username`).
struct DualRegistrationInput: Content, Sendable {
    var service_unit_id: UUID?
    var username: String?
    var person_id: UUID?
    var shows_identity: Bool?
}

struct ClaimInput: Content, Sendable { var post_id: UUID? }

struct ServiceRecordInput: Content, Sendable {
    var served_on: String?
    var minutes: Int?
    var description: String?
    var post_id: UUID?
}

struct DualRegistrationRow: Content, Sendable, Equatable {
    var id: UUID
    var member_name: String
    var username: String?
    var community_code: String
    var community_name: String
    var service_unit_id: UUID
    var unit_name: String
    var shows_identity: Bool
    var shows_identity_on: String?
    var registered_on: String
    var minutes: Int
}

struct ServiceRecordRow: Content, Sendable, Equatable {
    var id: UUID
    var served_on: String
    var minutes: Int
    var description: String
    var post_name: String?
    var recorded_by: String
}

/// 双报告: what a unit's people did for the communities in a period.
struct UnitReport: Content, Sendable, Equatable {
    struct Line: Content, Sendable, Equatable {
        var registration_id: UUID
        var member_name: String
        var community_name: String
        var records: Int
        var minutes: Int
    }
    var unit_id: UUID
    var unit_name: String
    var from: String
    var to: String
    var lines: [Line]
    var records: Int
    var minutes: Int
}

struct UnitRow: Content, Sendable, Equatable { var id: UUID; var name: String; var unit_kind: String }

struct CoBuildItemInput: Content, Sendable {
    var service_unit_id: UUID?; var list_kind: String?; var title: String?; var detail: String?; var node: String?
}
struct CoBuildContractInput: Content, Sendable {
    struct Commitment: Content, Sendable { var side: String?; var content: String?; var due_on: String? }
    var service_unit_id: UUID?
    var node: String?
    var title: String?
    var starts_on: String?
    var ends_on: String?
    var commitments: [Commitment]?
}
struct CheckInput: Content, Sendable { var delivered: Bool? }
struct PointsInput: Content, Sendable {
    var service_unit_id: UUID?
    var registration_id: UUID?
    var rule: String?
    var quantity: Int?
    var reason: String?
    var earned_on: String?
}

struct PointsEntry: Content, Sendable, Equatable {
    var id: UUID
    var rule_code: String
    var quantity: Int
    var points: Int
    var explanation: String
    var reason: String
    var earned_on: String
    var created_by: String
}

struct CoBuildCommitmentRow: Content, Sendable, Equatable {
    var id: UUID
    var side: String
    var content: String
    var due_on: String
    var delivered: Bool?
    var checked_on: String?
}

struct CoBuildContractRow: Content, Sendable, Equatable {
    var id: UUID
    var title: String
    var community: String
    var starts_on: String
    var ends_on: String
    var commitments: [CoBuildCommitmentRow]
}

struct CoBuildItemRow: Content, Sendable, Equatable { var id: UUID; var list_kind: String; var title: String; var detail: String; var status: String }

/// A unit's co-building file: its lists, contracts with what each side committed and whether
/// it delivered, and its points with every entry explained; `points_total` is their sum.
struct UnitCoBuilding: Content, Sendable, Equatable {
    var unit: UnitRow
    var items: [CoBuildItemRow]
    var contracts: [CoBuildContractRow]
    var points: [PointsEntry]
    var points_total: Int
}

/// Item 7: figures for the dashboard's 党的建设 and 社会参与 domains, inside a scope.
struct OrganisationFigures: Content, Sendable, Equatable {
    struct KindCount: Content, Sendable, Equatable { var kind: OrganisationKind; var basis: OrganisationBasis; var open: Int }
    var by_kind: [KindCount]
    var compounds: Int
    var compounds_covered: Int
    var micro_grids: Int
    var micro_grids_covered: Int
    var party_members: Int
    var members_showing_identity: Int
    var households_showing_identity: Int
    var dual_registered: Int
    var dual_serving: Int
    var model_posts: Int
    var responsibility_areas: Int
    var commando_teams: Int
    var building_group_leaders: Int
    /// Each owners' committee's party-member share in scope; nil for roles that may not see
    /// sensitive tags (the share derives from 中共党员).
    var owners_committees: OwnersCommitteeShares? = nil
    /// Each property company's staff party-member share in scope (`OversightQueries.companyPartyShares`);
    /// nil for roles that may not see sensitive tags.
    var property_companies: CompanyPartyShares? = nil
}

struct ExportInput: Content, Sendable { var node: String?; var sensitive: Bool?; var purpose: String?; var purpose_detail: String? }

/// An in-service member's points: every entry and their sum.
struct MemberPoints: Content, Sendable, Equatable {
    var registration_id: UUID
    var points: [PointsEntry]
    var points_total: Int
}
