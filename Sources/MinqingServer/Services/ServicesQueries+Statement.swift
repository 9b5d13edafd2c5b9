import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of the time-bank pages (`LedgerService+Statement`) and of the staff's pages that pick
/// people: a person's statement (every movement of their ledger accounts with its transfer),
/// balances of several people at once, the residents and volunteers in scope to choose from, an
/// activity's sign-ups and a team's members. People are named as the case board names them
/// (`CasesQueries.personName`: a resident's or volunteer's first character and `**`).
extension ServicesQueries {
    /// The account `username` as its statement names it, if the actor may read that statement:
    /// their own, or for staff an account inside their scope; nil otherwise.
    static func ledgerPerson(username: String, for actor: Actor, on db: any Database) async throws -> LedgerService.Person? {
        let reach: SQLQueryString =
            actor.role.isGridStaff
            ? "(a.id = \(bind: actor.accountID) OR \(actor.scope.contains(SQLColumn("grid_node_id", table: "a"))))"
            : "a.id = \(bind: actor.accountID)"
        return try await db.sql.raw(
            """
            SELECT a.id, a.username, \(CasesQueries.personName(account: "a", fallback: "''")) AS name, a.role, n.name AS grid_name
            FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE a.username = \(bind: username.lowercased()) AND \(reach)
            """
        ).first(decoding: LedgerService.Person.self)
    }

    /// How many movements the ledger accounts of `holder` have (one per transfer they took part in).
    static func statementCount(holder: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id
            WHERE a.holder_key = \(bind: holder)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// One page of the movements of `holder`'s ledger accounts, newest first, each with its
    /// transfer, the other side's kind, who posted it, whether it was reversed, and whether the
    /// actor may reverse it (staff, the transfer's node in their scope, not a reversal, not yet reversed).
    static func statementLines(holder: String, for actor: Actor, limit: Int, offset: Int, on db: any Database) async throws
        -> [LedgerService.StatementLine]
    {
        let reversed: SQLQueryString = "EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.reverses_id = t.id)"
        var reversible: SQLQueryString = "\(flag: false)"
        if actor.role.isGridStaff {
            reversible = """
                CASE WHEN t.reverses_id IS NULL AND NOT \(reversed) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "t")))
                     THEN \(flag: true) ELSE \(flag: false) END
                """
        }
        return try await db.sql.raw(
            """
            SELECT t.id AS transfer_id, t.unit, m.amount, t.memo, t.reverses_id, t.created_at, o.kind AS counterpart_kind,
                   CASE WHEN o.kind = 'member' THEN '' ELSE o.name END AS counterpart_name,
                   \(CasesQueries.personName(account: "c", fallback: "''")) AS by_name, c.role AS by_role,
                   CASE WHEN \(reversed) THEN \(flag: true) ELSE \(flag: false) END AS reversed, \(reversible) AS reversible
            FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id JOIN ledger_transfers t ON t.id = m.transfer_id
            JOIN ledger_accounts o ON o.id = CASE WHEN t.from_account_id = a.id THEN t.to_account_id ELSE t.from_account_id END
            LEFT JOIN accounts c ON c.id = t.created_by
            WHERE a.holder_key = \(bind: holder)
            ORDER BY t.created_at DESC, t.id DESC LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: LedgerService.StatementLine.self)
    }

    struct HolderTotal: Decodable, Sendable { var holder_key: String; var unit: TimeBankLedger.Unit; var total: Int64? }

    /// Per holder and unit: the balance of the ledger accounts of `holders`.
    static func ledgerTotals(holders: [String], on db: any Database) async throws -> [HolderTotal] {
        guard !holders.isEmpty else { return [] }
        return try await db.sql.raw(
            """
            SELECT a.holder_key, a.unit, CAST(SUM(m.amount) AS BIGINT) AS total
            FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id
            WHERE a.holder_key IN (\(binds: holders)) GROUP BY a.holder_key, a.unit
            """
        ).all(decoding: HolderTotal.self)
    }

    /// Someone staff may pick on a page: their masked name, role and building group; whether they
    /// are on the roster asked about; and the number of people matching, for the pager.
    struct PersonChoice: Decodable, Sendable, Equatable {
        var id: UUID; var username: String; var name: String; var role: Role; var grid_name: String; var listed: Bool; var total: Int
    }

    /// The enabled accounts of `roles` inside the actor's scope whose name contains `text` (matched
    /// whole, shown masked), by building group and name; `roster` marks those on that campaign's roster.
    static func people(
        matching text: String, roles: [Role], for actor: Actor, limit: Int, offset: Int, roster: UUID? = nil, on db: any Database
    ) async throws -> [PersonChoice] {
        var clause: SQLQueryString = """
            a.role IN (\(binds: roles.map(\.rawValue))) AND a.disabled = \(flag: false)
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        let name = text.trimmingCharacters(in: .whitespaces)
        if !name.isEmpty { clause = "\(clause) AND a.display_name LIKE \(containing: name)" }
        var listed: SQLQueryString = "\(flag: false)"
        if let roster {
            listed = """
                CASE WHEN EXISTS (SELECT 1 FROM campaign_roster r WHERE r.campaign_id = \(bind: roster) AND r.account_id = a.id)
                     THEN \(flag: true) ELSE \(flag: false) END
                """
        }
        return try await db.sql.raw(
            """
            SELECT a.id, a.username, \(CasesQueries.personName(account: "a", fallback: "''")) AS name, a.role, n.name AS grid_name,
                   \(listed) AS listed, COUNT(*) OVER () AS total
            FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE \(clause)
            ORDER BY n.code, a.display_name, a.username LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: PersonChoice.self)
    }

    /// An activity the actor may see, with the actor's own sign-up state; nil when none.
    static func activity(_ activity: UUID, for actor: Actor, on db: any Database) async throws -> VolunteerService.Row? {
        try await db.sql.raw(
            """
            SELECT v.id, v.team, v.title, v.place, v.starts_at, v.ends_at, v.minutes, v.capacity, v.signed_up,
                   (SELECT s.status FROM activity_signups s WHERE s.activity_id = v.id AND s.account_id = \(bind: actor.accountID)) AS my_status
            FROM volunteer_activities v WHERE v.id = \(bind: activity) AND \(activityVisible(to: actor))
            """
        ).first(decoding: VolunteerService.Row.self)
    }

    /// Someone signed up for an activity, named as the pages name people.
    struct Signup: Decodable, Sendable, Equatable {
        var username: String; var name: String; var role: Role; var grid_name: String; var status: String; var checked_in_at: Date?
    }

    /// The people signed up for an activity the actor may see whose name contains `text`, those
    /// still to check in first (at most 1,000).
    static func signups(_ activity: UUID, matching text: String, for actor: Actor, on db: any Database) async throws -> [Signup] {
        var clause: SQLQueryString = "s.activity_id = \(bind: activity) AND \(activityVisible(to: actor))"
        let name = text.trimmingCharacters(in: .whitespaces)
        if !name.isEmpty { clause = "\(clause) AND a.display_name LIKE \(containing: name)" }
        return try await db.sql.raw(
            """
            SELECT a.username, \(CasesQueries.personName(account: "a", fallback: "''")) AS name, a.role, n.name AS grid_name, s.status,
                   s.checked_in_at
            FROM activity_signups s JOIN volunteer_activities v ON v.id = s.activity_id JOIN accounts a ON a.id = s.account_id
            JOIN grid_nodes n ON n.id = a.grid_node_id
            WHERE \(clause)
            ORDER BY CASE WHEN s.status = 'signed_up' THEN 0 ELSE 1 END, a.display_name, a.username LIMIT 1000
            """
        ).all(decoding: Signup.self)
    }

    /// A member of a team, named as the pages name people, with their role in the team.
    struct TeamMemberName: Decodable, Sendable, Equatable {
        var username: String; var name: String; var account_role: Role; var role: String; var joined_on: String; var left_on: String?
    }

    /// The members of a team the actor may see, current ones first (at most 1,000).
    static func teamMemberNames(_ team: UUID, for actor: Actor, on db: any Database) async throws -> [TeamMemberName] {
        try await db.sql.raw(
            """
            SELECT a.username, \(CasesQueries.personName(account: "a", fallback: "''")) AS name, a.role AS account_role, m.role, m.joined_on,
                   m.left_on
            FROM volunteer_team_members m JOIN volunteer_teams t ON t.id = m.team_id JOIN accounts a ON a.id = m.account_id
            WHERE m.team_id = \(bind: team) AND \(teamVisible(to: actor))
            ORDER BY m.left_on IS NOT NULL, m.role, a.display_name, a.username LIMIT 1000
            """
        ).all(decoding: TeamMemberName.self)
    }
}
