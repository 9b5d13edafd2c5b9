import Fluent
import SQLKit

/// Identity holds (身份核验待办): a person or owner registered with an ID number that is already
/// on the register outside the registering person's scope. The new record is written all the
/// same (the registering person learns nothing about data they may not see), under a placeholder
/// blind index, and the hold waits for staff whose scope holds the existing record to say
/// whether the two are one person (moved) or not (a wrong number).
struct CreateIdentityHolds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("identity_holds")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            // `person` or `owner`.
            .field("kind", .string, .required)
            // The new record (persons.id or owners.id), written with `held:<hold id>` as its index.
            .field("record_id", .uuid, .required)
            // The real blind index the new record will carry once the hold is resolved.
            .field("id_index", .string, .required)
            // Where the new record lives (a building group).
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("submitted_by", .string, .required)
            .field("submitted_at", .datetime, .required)
            // `open`, `same_person` or `different_person`.
            .field("status", .string, .required)
            .field("resolved_by", .string)
            .field("resolved_at", .datetime)
            .field("note", .string)
            .create()
        let sql = database.sql
        try await sql.create(index: "identity_holds_index").on("identity_holds").column("id_index").column("status").run()
        try await sql.create(index: "identity_holds_record").on("identity_holds").column("record_id").run()
        // Persons who died: with `moved_out_on` the end of their time on the register, after
        // which retention (PIPL art. 47) erases them.
        try await database.schema("persons").field("died_on", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("persons").deleteField("died_on").update()
        try await database.schema("identity_holds").delete()
    }
}
