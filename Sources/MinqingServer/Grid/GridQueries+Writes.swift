import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The SQL of `GridWriter`: the ancestors of an existing node, and the batched multi-row INSERTs
/// of new nodes and their closure rows.
extension GridQueries {
    /// A new row of `grid_nodes`, placed (path, depth, subdistrict) by the writer.
    struct NodeRow: Sendable {
        var id: UUID; var subdistrictID: UUID?; var parentID: UUID?; var code: String; var name: String; var level: GridLevel
        var path: String; var depth: Int; var sortOrder: Int; var createdAt: Date
    }

    /// A new row of `grid_closure`.
    struct ClosureRow: Sendable { var ancestor: UUID; var descendant: UUID; var depth: Int }

    /// The ids of the node's ancestors (itself included), root first.
    static func ancestorIDs(of id: UUID, on db: any Database) async throws -> [UUID] {
        struct A: Decodable { var ancestor_id: UUID }
        return try await db.sql.raw("SELECT ancestor_id FROM grid_closure WHERE descendant_id = \(bind: id) ORDER BY depth DESC")
            .all(decoding: A.self).map(\.ancestor_id)
    }

    /// Writes the new nodes, 400 to a statement, in the order given (parents first).
    static func insertNodes(_ nodes: [NodeRow], on db: any Database) async throws {
        let nodeRows = nodes.map { (node: NodeRow) -> [any SQLExpression] in
            [
                SQLBind(node.id), bindOrNull(node.subdistrictID), bindOrNull(node.parentID), SQLBind(node.code), SQLBind(node.name),
                SQLBind(node.level.rawValue), SQLBind(node.path), SQLBind(node.depth), SQLBind(node.sortOrder), SQLBind(node.createdAt)
            ]
        }
        for batch in nodeRows.chunked(into: 400) {
            try await db.sql.insert(into: GridNode.schema)
                .columns("id", "subdistrict_id", "parent_id", "code", "name", "level", "path", "depth", "sort_order", "created_at")
                .rows(batch)
                .run()
        }
    }

    /// Writes the new closure rows, 2000 to a statement.
    static func insertClosure(_ rows: [ClosureRow], on db: any Database) async throws {
        let closureRows = rows.map { (row: ClosureRow) -> [any SQLExpression] in [SQLBind(row.ancestor), SQLBind(row.descendant), SQLBind(row.depth)]
        }
        for batch in closureRows.chunked(into: 2000) {
            try await db.sql.insert(into: "grid_closure").columns("ancestor_id", "descendant_id", "depth")
                .rows(batch)
                .run()
        }
    }
}
