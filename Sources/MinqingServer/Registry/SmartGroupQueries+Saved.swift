import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads of saved smart groups, always inside the caller's scope (in SQL).
extension SmartGroupQueries {
    /// A saved group as stored (`criteria` is the JSON of `Criteria`).
    struct SavedRow: Decodable, Sendable { var id: UUID; var name: String; var criteria: String; var created_by: String }

    /// The saved groups whose node lies inside the caller's scope (only the one with `id` when given), by name.
    static func saved(actor: Actor, id: UUID?, on db: any Database) async throws -> [SavedRow] {
        let filter: SQLQueryString = id.map { "AND g.id = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT g.id, g.name, g.criteria, g.created_by FROM smart_groups g
            WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "g"))) \(filter) ORDER BY g.name
            """
        ).all(decoding: SavedRow.self)
    }
}
