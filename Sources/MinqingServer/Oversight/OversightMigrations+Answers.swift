import Fluent
import Foundation
import SQLKit

/// A property company's answers (issue 21): its report on an open rectification (what it did and
/// on which day), which the subdistrict's staff read before they close the rectification, and its
/// reply to a complaint linked to it. `company_answers` holds both: exactly one of
/// `rectification_id` and `complaint_id` is set. Append-only by use (a later answer adds a row);
/// who answered is the account (`account_id`), shown by its display name and role.
struct CreateCompanyAnswers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("company_answers")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("rectification_id", .uuid, .references("rectifications", .id))
            .field("complaint_id", .uuid, .references("company_complaints", .id))
            .field("body", .string, .required)
            .field("done_on", .string)
            .field("answered_on", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "company_answers_company").on("company_answers").column("company_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("company_answers").delete()
    }
}
