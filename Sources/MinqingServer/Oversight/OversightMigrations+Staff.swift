import Fluent
import Foundation
import SQLKit

/// A property company's staff as persons of the register (item 7: the party-member share of each
/// property company, beside the owners' committees'). `property_company_staff`: company, person,
/// role (manager, steward, cleaner, security, other), started_on, ended_on (NULL while serving).
/// One current row per company and person, enforced by a partial unique index (both databases
/// support `CREATE UNIQUE INDEX … WHERE ended_on IS NULL`).
struct AddPropertyCompanyStaff: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("property_company_staff")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("role", .string, .required)
            .field("started_on", .string, .required)
            .field("ended_on", .string)
            .field("created_at", .datetime)
            .create()
        let sql = database.sql
        try await sql.raw(
            """
            CREATE UNIQUE INDEX property_company_staff_current ON property_company_staff (company_id, person_id) WHERE ended_on IS NULL
            """
        ).run()
        try await sql.create(index: "property_company_staff_person").on("property_company_staff").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("property_company_staff").delete()
    }
}
