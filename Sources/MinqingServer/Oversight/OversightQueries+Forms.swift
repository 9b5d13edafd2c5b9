import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads that the oversight pages' forms need: the choices a select offers (always inside the
/// caller's reach, in SQL), the committee of a compound, a property-company account's company.
extension OversightQueries {
    struct Choice: Decodable, Sendable { var id: UUID; var name: String }

    /// The compounds visible in `scope`, for a select (at most `limit`).
    static func compoundChoices(in scope: GridScope, limit: Int = 500, on db: any Database) async throws -> [Choice] {
        try await db.sql.raw(
            """
            SELECT c.id, c.name FROM compounds c WHERE \(CompoundQueries.visible(scope)) ORDER BY c.code LIMIT \(count: limit)
            """
        ).all(decoding: Choice.self)
    }

    /// Person `p` (with household `h` and its dwelling `d`, LEFT JOINed) lives in `compound`: the
    /// household's dwelling is in it, or a building of it stands at the household's building group.
    /// The one rule for committee members (`OversightService.addMember`) and the member form's choices.
    static func livesIn(compound: UUID) -> SQLQueryString {
        """
        (d.compound_id = \(bind: compound) OR EXISTS (SELECT 1 FROM buildings lb WHERE lb.compound_id = \(bind: compound) \
        AND lb.grid_node_id = h.grid_node_id))
        """
    }

    /// Persons of the register in `scope` living in the committee's compound and not serving on it now.
    /// `search`: only names containing it.
    static func memberCandidates(
        committee: CommitteeRow, in scope: GridScope, search: String? = nil, limit: Int = 300,
        on db: any Database
    ) async throws -> [Choice] {
        let named: SQLQueryString = search.map { "AND p.name LIKE \(containing: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT p.id, p.name FROM persons p JOIN households h ON h.id = p.household_id LEFT JOIN dwellings d ON d.id = h.dwelling_id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "p"))) AND \(livesIn(compound: committee.compound_id))
              AND NOT EXISTS (SELECT 1 FROM committee_members m WHERE m.committee_id = \(bind: committee.id) AND m.person_id = p.id AND m.ended_on IS NULL)
              \(named)
            ORDER BY p.name LIMIT \(count: limit)
            """
        ).all(decoding: Choice.self)
    }

    /// The owners' committee of compound `compound`, when `actor` reaches the compound.
    static func committee(ofCompound compound: UUID, for actor: Actor, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT oc.id FROM owners_committees oc JOIN compounds c ON c.id = oc.compound_id WHERE oc.compound_id = \(bind: compound) AND \(compoundReach(actor))
            """
        ).first(decoding: Row.self)?.id
    }

    /// The company a property-company account is linked to.
    static func linkedCompany(of account: UUID, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var company_id: UUID }
        return try await db.sql.raw("SELECT company_id FROM company_accounts WHERE account_id = \(bind: account)").first(decoding: Row.self)?
            .company_id
    }

    /// The usernames linked to company `company` that `scope` holds (for managers on the company page).
    static func linkedAccounts(of company: UUID, in scope: GridScope, on db: any Database) async throws -> [String] {
        struct Row: Decodable { var username: String }
        return try await db.sql.raw(
            """
            SELECT a.username FROM company_accounts ca JOIN accounts a ON a.id = ca.account_id
            WHERE ca.company_id = \(bind: company) AND \(scope.contains(SQLColumn("grid_node_id", table: "a"))) ORDER BY a.username
            """
        ).all(decoding: Row.self).map(\.username)
    }

    /// A case the actor may see, by its public number (2026-000123) or its id.
    static func visibleCase(_ reference: String, for actor: Actor, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        let match: SQLQueryString = UUID(uuidString: reference).map { "c.id = \(bind: $0)" } ?? "c.number = \(bind: reference)"
        return try await db.sql.raw("SELECT c.id FROM cases c WHERE \(match) AND \(CasesQueries.visible(actor))").first(decoding: Row.self)?.id
    }

    /// The project a milestone belongs to (the caller checks the project's reach).
    static func milestoneProject(_ milestone: UUID, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var project_id: UUID }
        return try await db.sql.raw("SELECT project_id FROM governance_milestones WHERE id = \(bind: milestone)").first(decoding: Row.self)?
            .project_id
    }
}
