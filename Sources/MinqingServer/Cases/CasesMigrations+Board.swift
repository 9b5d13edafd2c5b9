import Fluent
import Foundation
import SQLKit

/// The dispatcher's board (issue 21) lists cases newest first under any filter and counts the
/// filtered set. `cases_reported` lets the first page walk the cases in reporting order and stop
/// after a page, instead of sorting all the caller's cases; `cases_channel_reported` serves the
/// channel filter the same way.
struct AddCaseBoardIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.create(index: "cases_reported").on("cases").column("reported_at").column("id").run()
        try await sql.create(index: "cases_channel_reported").on("cases").column("channel").column("reported_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "cases_channel_reported").run()
        try await sql.drop(index: "cases_reported").run()
    }
}

/// A case's category changed by the dispatcher (改类别), one row per change, numbered like the
/// case's transition that records it (`seq`): the category before and after and the reason. The
/// timeline reads them with the transition; the audit trail holds the same change.
struct CreateCaseRecategorisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_recategorisations")
            .id()
            .field("case_id", .uuid, .required, .references("cases", .id))
            .field("seq", .int, .required)
            .field("from_code", .string, .required)
            .field("to_code", .string, .required)
            .field("reason", .string, .required)
            .field("actor_id", .uuid, .references(Account.schema, .id))
            .field("at", .datetime, .required)
            .unique(on: "case_id", "seq")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_recategorisations").delete()
    }
}
