import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// A grid node as queries return it: plain values.
public struct GridNodeSummary: Sendable, Codable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var level: GridLevel
    public var depth: Int
    public var path: String
    public var parentID: UUID?
    public var subdistrictID: UUID?

    enum CodingKeys: String, CodingKey {
        case id, code, name, level, depth, path
        case parentID = "parent_id"
        case subdistrictID = "subdistrict_id"
    }
}

/// A child node with the number of building groups and of nodes below it.
public struct GridChild: Sendable, Codable, Equatable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case node
        case descendants
        case buildingGroups = "building_groups"
    }
    public var node: GridNodeSummary
    public var descendants: Int
    public var buildingGroups: Int
}

/// The subtree a caller may see (管辖范围): a node and everything under it. Every query that
/// returns data bound to grid nodes puts `scope.contains(column)` into its WHERE clause, so the
/// database never hands out a row from outside the subtree.
public struct GridScope: Sendable, Equatable {
    public var rootID: UUID
    public var rootCode: String
    public var rootName: String
    public var rootLevel: GridLevel
    public var rootDepth: Int

    /// `column IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = :root)`.
    public func contains(_ column: any SQLExpression) -> SQLQueryString {
        "\(column) IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: rootID))"
    }
}

package enum GridQueries {
    static let columns = "n.id, n.code, n.name, n.level, n.depth, n.path, n.parent_id, n.subdistrict_id"

    static func sql(_ db: any Database) -> any SQLDatabase { db.sql }

    /// The node with `code`, or nil, without scope (for start-up, commands and account binding).
    package static func node(code: String, on db: any Database) async throws -> GridNodeSummary? {
        try await db.sql.raw("SELECT \(unsafeRaw: columns) FROM grid_nodes n WHERE n.code = \(bind: code)")
            .first(decoding: GridNodeSummary.self)
    }

    package static func node(id: UUID, on db: any Database) async throws -> GridNodeSummary? {
        try await db.sql.raw("SELECT \(unsafeRaw: columns) FROM grid_nodes n WHERE n.id = \(bind: id)")
            .first(decoding: GridNodeSummary.self)
    }

    /// The grid node a form names by `code` inside `scope`, or the scope's own root when it names
    /// none; when the code is not in reach, nil and a field error on `field` in `problems`.
    static func nodeNamed(
        _ code: String?, in scope: GridScope, field: String = "node", problems: inout [FieldError],
        on db: any Database
    ) async throws -> GridNodeSummary? {
        guard let code, !code.isEmpty else { return try await node(id: scope.rootID, on: db) }
        let found = try await node(code: code, in: scope, on: db)
        if found == nil {
            problems.append(FieldError(field: field, messageZH: "网格节点不存在或不在您的管辖范围内", messageEN: "No such grid node in your scope"))
        }
        return found
    }

    /// The node with `code` if it lies inside `scope`; nil when it does not exist or lies outside
    /// (the caller answers 404 in both cases, so a probe learns nothing about other subtrees).
    static func node(code: String, in scope: GridScope, on db: any Database) async throws -> GridNodeSummary? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns) FROM grid_nodes n
            WHERE n.code = \(bind: code) AND \(scope.contains(SQLColumn("id", table: "n")))
            """
        ).first(decoding: GridNodeSummary.self)
    }

    /// The chain from the scope's root down to `node`, both included.
    static func breadcrumb(to node: GridNodeSummary, in scope: GridScope, on db: any Database) async throws -> [GridNodeSummary] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns) FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE c.descendant_id = \(bind: node.id) AND \(scope.contains(SQLColumn("id", table: "n")))
            ORDER BY n.depth
            """
        ).all(decoding: GridNodeSummary.self)
    }

    /// The children of `node` with their subtree sizes, in their order.
    static func children(of node: GridNodeSummary, in scope: GridScope, on db: any Database) async throws -> [GridChild] {
        struct Row: Decodable {
            var id: UUID; var code: String; var name: String; var level: GridLevel; var depth: Int; var path: String
            var parent_id: UUID?; var subdistrict_id: UUID?; var descendants: Int; var building_groups: Int
        }
        let rows = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns),
                   (SELECT COUNT(*) FROM grid_closure c WHERE c.ancestor_id = n.id AND c.depth > 0) AS descendants,
                   (SELECT COUNT(*) FROM grid_closure c JOIN grid_nodes d ON d.id = c.descendant_id
                     WHERE c.ancestor_id = n.id AND d.level = \(bind: GridLevel.buildingGroup.rawValue)) AS building_groups
            FROM grid_nodes n WHERE n.parent_id = \(bind: node.id) AND \(scope.contains(SQLColumn("id", table: "n")))
            ORDER BY n.sort_order, n.code
            """
        ).all(decoding: Row.self)
        return rows.map {
            GridChild(
                node: GridNodeSummary(
                    id: $0.id, code: $0.code, name: $0.name, level: $0.level, depth: $0.depth,
                    path: $0.path, parentID: $0.parent_id, subdistrictID: $0.subdistrict_id),
                descendants: $0.descendants, buildingGroups: $0.building_groups)
        }
    }

    /// How many nodes of each level the subtree holds (the node itself included).
    static func levelCounts(in scope: GridScope, on db: any Database) async throws -> [GridLevel: Int] {
        struct Row: Decodable { var level: String; var n: Int }
        let rows = try await db.sql.raw(
            """
            SELECT n.level AS level, COUNT(*) AS n FROM grid_closure c JOIN grid_nodes n ON n.id = c.descendant_id
            WHERE c.ancestor_id = \(bind: scope.rootID) GROUP BY n.level
            """
        ).all(decoding: Row.self)
        var result: [GridLevel: Int] = [:]
        for row in rows { if let level = GridLevel(rawValue: row.level) { result[level] = row.n } }
        return result
    }

    /// Whether `nodeID` lies inside `scope`.
    static func contains(_ scope: GridScope, nodeID: UUID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var n: Int }
        let row = try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM grid_closure WHERE ancestor_id = \(bind: scope.rootID) AND descendant_id = \(bind: nodeID)
            """
        ).first(decoding: Row.self)
        return (row?.n ?? 0) > 0
    }

    package static func scope(rootedAt node: GridNodeSummary) -> GridScope {
        GridScope(rootID: node.id, rootCode: node.code, rootName: node.name, rootLevel: node.level, rootDepth: node.depth)
    }

    static func count(on db: any Database) async throws -> Int {
        try await GridNode.query(on: db).count()
    }
}
