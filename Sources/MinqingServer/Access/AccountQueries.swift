import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Account reads, always inside the caller's subtree.
enum AccountQueries {
    struct Row: Decodable, Sendable {
        var id: UUID; var username: String; var display_name: String; var role: Role
        var must_change_password: Bool; var disabled: Bool; var last_login_at: Date?
        var node_code: String; var node_name: String; var node_level: GridLevel
    }

    static let select = """
        SELECT a.id, a.username, a.display_name, a.role, a.must_change_password, a.disabled, a.last_login_at,
               n.code AS node_code, n.name AS node_name, n.level AS node_level
        FROM accounts a JOIN grid_nodes n ON n.id = a.grid_node_id
        """

    /// Accounts bound to nodes inside `scope`, by username, paged.
    static func list(in scope: GridScope, role: Role?, limit: Int, offset: Int, on db: any Database) async throws -> [Row] {
        let roleFilter: SQLQueryString = role.map { "AND a.role = \(bind: $0.rawValue)" } ?? ""
        return try await db.sql.raw(
            """
            \(unsafeRaw: select) WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a"))) \(roleFilter)
            ORDER BY a.username LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: Row.self)
    }

    static func count(in scope: GridScope, role: Role? = nil, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        let roleFilter: SQLQueryString = role.map { "AND a.role = \(bind: $0.rawValue)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM accounts a WHERE \(scope.contains(SQLColumn("grid_node_id", table: "a"))) \(roleFilter)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// The account named `username` if it lies inside `scope`, else nil (404 for the caller).
    static func find(username: String, in scope: GridScope, on db: any Database) async throws -> Row? {
        try await db.sql.raw(
            """
            \(unsafeRaw: select) WHERE a.username = \(bind: username.lowercased())
            AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: Row.self)
    }
}
