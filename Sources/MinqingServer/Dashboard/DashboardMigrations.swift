import Fluent
import SQLKit

/// 社区大脑's storage: `aid_rollups`, the register's aid summed per (grid node, programme, kind,
/// unit, month) for every ancestor of the record's node that is not a building group (a
/// building group's dashboard sums its own few hundred records), kept by every aid writer in
/// the same transaction (`AidRollupQueries.add`); and two indexes for the tag panel: current holders
/// per tag of a whole subdistrict (its tenant column) or of a list of grid nodes.
struct CreateDashboardRollups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("aid_rollups")
            .field("node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("programme", .string, .required)
            .field("kind", .string, .required)
            /// '' for cash and services (a key column cannot be NULL and still conflict).
            .field("unit", .string, .required)
            /// `YYYY-MM` of `given_on`.
            .field("month", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("quantity", .int64, .required)
            .field("minutes", .int64, .required)
            .field("records", .int64, .required)
            .compositeIdentifier(over: "node_id", "programme", "kind", "unit", "month")
            .create()
        let sql = database.sql
        try await sql.create(index: "tag_assignments_subdistrict_tag").on("tag_assignments")
            .column("subdistrict_id").column("tag_id").column("ends_on").run()
        try await sql.create(index: "tag_assignments_grid_tag").on("tag_assignments")
            .column("grid_node_id").column("tag_id").column("ends_on").run()
        // The backfill of the records already there, frozen here (not calling `AidRollup`), so a
        // later change to the writer cannot change what this migration does.
        try await sql.raw(
            """
            INSERT INTO aid_rollups (node_id, subdistrict_id, programme, kind, unit, month, amount_fen, quantity, minutes, records)
            SELECT c.ancestor_id, n.subdistrict_id, a.programme, a.kind, COALESCE(a.unit, ''), SUBSTR(a.given_on, 1, 7),
                   CAST(COALESCE(SUM(a.amount_fen), 0) AS BIGINT), CAST(COALESCE(SUM(a.quantity), 0) AS BIGINT),
                   CAST(COALESCE(SUM(a.minutes), 0) AS BIGINT), COUNT(*)
            FROM aid_records a JOIN grid_closure c ON c.descendant_id = a.grid_node_id JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE n.level <> 'building_group'
            GROUP BY c.ancestor_id, n.subdistrict_id, a.programme, a.kind, COALESCE(a.unit, ''), SUBSTR(a.given_on, 1, 7)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "tag_assignments_grid_tag").run()
        try await sql.drop(index: "tag_assignments_subdistrict_tag").run()
        try await database.schema("aid_rollups").delete()
    }
}
