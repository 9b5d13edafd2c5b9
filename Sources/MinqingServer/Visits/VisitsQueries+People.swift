import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The people the visit log's settings and forms choose from, by name, always inside the
/// caller's scope: staff and their postings, resident accounts and the household each speaks
/// for, the households of a resident's building group, and the staff who may come along on a
/// visit. Residents are named as the case board names them (`CasesQueries.personName`: the
/// first character and `**`), staff by their name and role.
extension VisitsQueries {
    /// A staff account and its posting (none: full time, in post throughout).
    struct PostingRow: Decodable, Sendable, Equatable {
        var username: String; var display_name: String; var role: Role; var grid_name: String
        var workload_percent: Int?; var first_day: String?; var last_day: String?; var total: Int?
    }

    static let postingColumns = """
        a.username, a.display_name, a.role, n.name AS grid_name, p.workload_percent, p.first_day, p.last_day
        """

    /// The active grid-staff accounts inside `scope` other than `excluding` (nobody sets their own
    /// posting), with their postings, by place and name; one page of them, each row with the total.
    static func postings(in scope: GridScope, excluding: UUID, limit: Int, offset: Int, on db: any Database) async throws -> [PostingRow] {
        let staff = Role.allCases.filter(\.isGridStaff).map(\.rawValue)
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: postingColumns), COUNT(*) OVER () AS total
            FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id LEFT JOIN visit_postings p ON p.account_id = a.id
            WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a"))) AND a.role IN (\(binds: staff))
              AND a.disabled = \(flag: false) AND a.id <> \(bind: excluding)
            ORDER BY n.code, a.display_name, a.username LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: PostingRow.self)
    }

    /// The account `username` inside `scope` with its posting, or nil.
    static func posting(username: String, in scope: GridScope, on db: any Database) async throws -> PostingRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: postingColumns), 1 AS total
            FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id LEFT JOIN visit_postings p ON p.account_id = a.id
            WHERE a.username = \(bind: username.lowercased()) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: PostingRow.self)
    }

    /// A resident account, its name masked, its building group, and the household it speaks for
    /// (only when that household is inside the scope too).
    struct ResidentAccountRow: Decodable, Sendable, Equatable {
        var username: String; var name: String; var grid_node_id: UUID; var grid_name: String
        var household_id: UUID?; var address: String?; var total: Int?
    }

    /// The columns of `ResidentAccountRow` (before the total) and the tables they come from.
    static func residentSource(_ scope: GridScope, total: SQLQueryString) -> SQLQueryString {
        """
        a.username, \(CasesQueries.personName(account: "a", fallback: "''")) AS name, a.grid_node_id, n.name AS grid_name,
        h.id AS household_id, h.address, \(total) AS total
        FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id
        LEFT JOIN resident_households r ON r.account_id = a.id
        LEFT JOIN households h ON h.id = r.household_id AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))
        """
    }

    /// Resident accounts inside `scope`, those not yet linked first; `text` narrows to a name or
    /// username containing it (the name is matched whole but shown masked). One page, each row
    /// with the total.
    static func residentAccounts(
        matching text: String, unlinkedOnly: Bool, in scope: GridScope, limit: Int, offset: Int, on db: any Database
    ) async throws -> [ResidentAccountRow] {
        var clause: SQLQueryString = "a.role = \(bind: Role.resident.rawValue) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))"
        if !text.isEmpty {
            clause = "\(clause) AND (a.display_name LIKE \(containing: text) OR a.username LIKE \(containing: text.lowercased()))"
        }
        if unlinkedOnly { clause = "\(clause) AND r.id IS NULL" }
        return try await db.sql.raw(
            """
            SELECT \(residentSource(scope, total: "COUNT(*) OVER ()"))
            WHERE \(clause)
            ORDER BY CASE WHEN r.id IS NULL THEN 0 ELSE 1 END, n.code, a.display_name, a.username
            LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: ResidentAccountRow.self)
    }

    /// The resident account `username` inside `scope`, or nil (another role's account too).
    static func residentAccount(username: String, in scope: GridScope, on db: any Database) async throws -> ResidentAccountRow? {
        try await db.sql.raw(
            """
            SELECT \(residentSource(scope, total: "1"))
            WHERE a.username = \(bind: username.lowercased()) AND a.role = \(bind: Role.resident.rawValue)
              AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: ResidentAccountRow.self)
    }

    /// A household a resident may be linked to: its address and the head's name.
    struct GroupHousehold: Decodable, Sendable, Equatable { var id: UUID; var address: String; var head_name: String? }

    /// The households registered at the building group `node` (inside `scope`) whose address
    /// contains `text`, by address, at most `limit`.
    static func households(at node: UUID, matching text: String, in scope: GridScope, limit: Int, on db: any Database) async throws
        -> [GroupHousehold]
    {
        var clause: SQLQueryString = "h.grid_node_id = \(bind: node) AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))"
        if !text.isEmpty { clause = "\(clause) AND h.address LIKE \(containing: text)" }
        return try await db.sql.raw(
            """
            SELECT h.id, h.address, (SELECT MIN(p.name) FROM persons p WHERE p.household_id = h.id AND p.relation = 'head') AS head_name
            FROM households h WHERE \(clause) ORDER BY h.address, h.id LIMIT \(count: limit)
            """
        ).all(decoding: GroupHousehold.self)
    }

    /// Someone who may come along on a visit: a staff account by its name and role.
    struct StaffChoice: Decodable, Sendable, Equatable { var username: String; var display_name: String; var role: Role }

    /// The active grid-staff accounts whose scope holds the household (whom `coveringStaff`
    /// accepts as co-visitors), other than `excluding`, nearest the household first; nothing when
    /// the household is outside `scope`.
    static func coVisitors(household: UUID, excluding: UUID, in scope: GridScope, limit: Int, on db: any Database) async throws -> [StaffChoice] {
        let staff = Role.allCases.filter(\.isGridStaff).map(\.rawValue)
        return try await db.sql.raw(
            """
            SELECT a.username, a.display_name, a.role
            FROM households h JOIN grid_closure c ON c.descendant_id = h.grid_node_id JOIN accounts a ON a.grid_node_id = c.ancestor_id
            WHERE h.id = \(bind: household) AND \(scope.contains(SQLColumn("grid_node_id", table: "h")))
              AND a.role IN (\(binds: staff)) AND a.disabled = \(flag: false) AND a.id <> \(bind: excluding)
            ORDER BY c.depth, a.display_name, a.username LIMIT \(count: limit)
            """
        ).all(decoding: StaffChoice.self)
    }
}
