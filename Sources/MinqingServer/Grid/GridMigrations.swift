import Fluent
import SQLKit

/// The grid tree and its closure table (every ancestor–descendant pair, including each node with
/// itself at depth 0), so that "everything under N" is one indexed predicate on both databases.
struct CreateGridTree: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GridNode.schema)
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("parent_id", .uuid, .references(GridNode.schema, .id))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("path", .string, .required)
            .field("depth", .int, .required)
            .field("sort_order", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("grid_closure")
            .field("ancestor_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("descendant_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("depth", .int, .required)
            .compositeIdentifier(over: "ancestor_id", "descendant_id")
            .create()
        let sql = database.sql
        try await sql.create(index: "grid_nodes_parent").on(GridNode.schema).column("parent_id").run()
        try await sql.create(index: "grid_nodes_subdistrict").on(GridNode.schema).column("subdistrict_id").run()
        try await sql.create(index: "grid_closure_descendant").on("grid_closure").column("descendant_id").column("depth").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("grid_closure").delete()
        try await database.schema(GridNode.schema).delete()
    }
}
