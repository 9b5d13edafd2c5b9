import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Property companies' staff (persons of the register) and item 7's party-member share of each
/// company: current staff holding the party-member tag today / current staff, against the same
/// 50 % target as the owners' committees (`CommitteePartyShare`). The tag is looked at in SQL
/// (`isPartyMember`, the committees' condition) and only for roles with `seesSensitiveTags`.
extension OversightQueries {
    static let staffRoles: [String: (String, String)] = [
        "manager": ("项目经理", "Manager"), "steward": ("物业管家", "Steward"), "cleaner": ("保洁员", "Cleaner"),
        "security": ("保安员", "Security"), "other": ("其他", "Other")
    ]
    static let staffRoleOrder = ["manager", "steward", "cleaner", "security", "other"]

    /// The company's current staff (names only) and, for sensitive roles, their share. The caller
    /// has checked that `actor` reaches the company.
    static func companyStaff(_ company: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> CompanyStaffList {
        let staff = try await db.sql.raw(
            """
            SELECT s.id, s.person_id, p.name, s.role, s.started_on, s.ended_on
            FROM property_company_staff s JOIN persons p ON p.id = s.person_id
            WHERE s.company_id = \(bind: company) AND s.ended_on IS NULL ORDER BY s.role, p.name, s.id
            """
        ).all(decoding: CompanyStaffRow.self)
        return CompanyStaffList(staff: staff, party_share: try await companyPartyShare(company, for: actor, now: now, on: db))
    }

    /// One company's share, counted in SQL (`companyShareRows`); nil for roles that may not see
    /// sensitive tags.
    static func companyPartyShare(_ company: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> PartyShareRow? {
        guard actor.role.seesSensitiveTags else { return nil }
        let row = try await companyShareRows(where: "pc.id = \(bind: company)", now: now, limit: 1, on: db).first
        return partyShare(CommitteePartyShare(members: row?.staff ?? 0, partyMembers: row?.party_members ?? 0))
    }

    /// Figure for the organisations page and the dashboard: every property company visible in
    /// `scope` (the caller's, or a node inside it) with its current staff and party members, and
    /// the totals; nil for roles that may not see sensitive tags.
    static func companyPartyShares(
        in scope: GridScope, for actor: Actor, now: Date, limit: Int = 1000,
        on db: any Database
    ) async throws -> CompanyPartyShares? {
        guard actor.role.seesSensitiveTags else { return nil }
        let shares = try await companyShareRows(where: companyVisible(scope), now: now, limit: limit, on: db)
        return CompanyPartyShares(
            companies: shares.count, meeting_target: shares.filter(\.meets_target).count,
            staff: shares.reduce(0) { $0 + $1.staff }, party_members: shares.reduce(0) { $0 + $1.party_members }, rows: shares)
    }

    /// The one statement behind both: the companies matching `condition` (on `pc`), each with its
    /// current staff and those holding the party-member tag today (`isPartyMember`), by name.
    private static func companyShareRows(
        where condition: SQLQueryString, now: Date, limit: Int,
        on db: any Database
    ) async throws -> [CompanyShareRow] {
        struct Row: Decodable { var company_id: UUID; var company_name: String; var staff: Int; var party: Int? }
        return try await db.sql.raw(
            """
            SELECT pc.id AS company_id, pc.name AS company_name, COUNT(s.id) AS staff,
                   CAST(SUM(CASE WHEN s.id IS NOT NULL AND \(isPartyMember(personColumn: "s.person_id", today: today(now))) THEN 1 ELSE 0 END)
                        AS BIGINT) AS party
            FROM property_companies pc LEFT JOIN property_company_staff s ON s.company_id = pc.id AND s.ended_on IS NULL
            WHERE \(condition) GROUP BY pc.id, pc.name ORDER BY pc.name, pc.id LIMIT \(count: limit)
            """
        ).all(decoding: Row.self).map { row in
            let share = partyShare(CommitteePartyShare(members: row.staff, partyMembers: row.party ?? 0))
            return CompanyShareRow(
                company_id: row.company_id, company_name: row.company_name, staff: share.members, party_members: share.party_members,
                percent: share.percent, target_percent: share.target_percent, meets_target: share.meets_target)
        }
    }

    /// Persons of the register in `scope` whose name contains `search` and who do not serve the
    /// company now, for the staff form's select (the same scope rule the service checks).
    static func staffCandidates(company: UUID, in scope: GridScope, search: String, limit: Int = 50, on db: any Database) async throws -> [Choice] {
        try await db.sql.raw(
            """
            SELECT p.id, p.name FROM persons p
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "p"))) AND p.name LIKE \(containing: search)
              AND NOT EXISTS (SELECT 1 FROM property_company_staff s WHERE s.company_id = \(bind: company) AND s.person_id = p.id AND s.ended_on IS NULL)
            ORDER BY p.name, p.id LIMIT \(count: limit)
            """
        ).all(decoding: Choice.self)
    }

    /// Person `person` of the register when they lie in `scope`.
    static func personInScope(_ person: UUID, in scope: GridScope, on db: any Database) async throws -> UUID? {
        struct P: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT p.id FROM persons p WHERE p.id = \(bind: person) AND \(scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: P.self)?.id
    }

    /// Writes a person's service as the company's staff unless they serve it now; whether it was written.
    static func insertStaff(
        id: UUID, company companyID: UUID, person: UUID, role: String, starts: String, writer: WriteContext,
        on db: any Database
    ) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            INSERT INTO property_company_staff (id, company_id, person_id, role, started_on, ended_on, created_at)
            VALUES (\(bind: id), \(bind: companyID), \(bind: person), \(bind: role), \(bind: starts), NULL, \(bind: writer.now))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    struct StaffSpell: Decodable { var started_on: String; var ended_on: String? }

    /// A staff row of the company: when the service started and ended.
    static func staffSpell(_ staffID: UUID, company companyID: UUID, on db: any Database) async throws -> StaffSpell? {
        try await db.sql.raw(
            """
            SELECT started_on, ended_on FROM property_company_staff WHERE id = \(bind: staffID) AND company_id = \(bind: companyID)
            """
        ).first(decoding: StaffSpell.self)
    }

    /// Ends a serving staff member's service on `ends`; whether it changed (false: not serving).
    static func endStaff(_ staffID: UUID, company companyID: UUID, endsOn ends: String, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE property_company_staff SET ended_on = \(bind: ends)
            WHERE id = \(bind: staffID) AND company_id = \(bind: companyID) AND ended_on IS NULL RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }
}
