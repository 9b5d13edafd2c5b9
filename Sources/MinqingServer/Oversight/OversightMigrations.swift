import Fluent
import Foundation
import SQLKit

/// 6543 oversight (issue 9): property companies and their credit files, owners' committees,
/// shops, compound checklists and the five concerns' programmes.
///
/// - `property_companies`, `property_contracts` (a company serves a compound from a day to a day).
/// - `credit_entries`: the append-only credit ledger (triggers refuse UPDATE and DELETE on both
///   databases); the score is `PropertyCredit.base` + the sum of `points`.
/// - `oversight_inspections` of a company (at a compound) or of a shop: outcome, finding, the
///   case it opened (`case_id`) and the credit entry it wrote.
/// - `satisfaction_surveys`, `rectifications` (open → completed by one conditional UPDATE),
///   `company_complaints` (a case about a company; one row per case).
/// - `owners_committees` (one per compound), `committee_members` (persons of the register, with
///   role and term; an exit ends the row), `committee_records` (corrections and exits),
///   `committee_disclosures` (published to that compound's residents only).
/// - `shops` (一店一档, the contact phone through the PII vault), `shop_pledges` (门责制).
/// - `compound_measures` (a compound's checklist, UNIQUE per measure), `compound_leads` (one
///   lead department and one leader per model compound), `governance_projects` of the five
///   concerns with budgets in fen, and their `governance_milestones`.
struct CreateOversight: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("property_companies")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("licence_code", .string, .required)
            .field("manager_name", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "licence_code")
            .create()
        try await database.schema("property_contracts")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("fee_fen_per_m2", .int, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("credit_entries")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("points", .int, .required)
            .field("rule_code", .string, .required)
            .field("reason_zh", .string, .required)
            .field("reason_en", .string, .required)
            .field("entry_date", .string, .required)
            .field("source", .string, .required)
            .field("source_id", .uuid)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("rectifications")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("reason_zh", .string, .required)
            .field("reason_en", .string, .required)
            .field("opened_on", .string, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("closed_on", .string)
            .field("closing_note", .string)
            .field("closed_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("shops")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("licence_code", .string, .required)
            .field("category", .string, .required)
            .field("address", .string, .required)
            .field("contact_name", .string, .required)
            .field("phone_cipher", .string)
            .field("phone_index", .string)
            .field("phone_masked", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("shop_pledges")
            .id()
            .field("shop_id", .uuid, .required, .references("shops", .id))
            .field("signed_on", .string, .required)
            .field("duties", .string, .required)
            .field("signed_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("oversight_inspections")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("company_id", .uuid, .references("property_companies", .id))
            .field("compound_id", .uuid, .references("compounds", .id))
            .field("shop_id", .uuid, .references("shops", .id))
            .field("inspected_on", .string, .required)
            .field("outcome", .string, .required)
            .field("finding", .string, .required)
            .field("category_code", .string)
            .field("case_id", .uuid, .references("cases", .id))
            .field("credit_entry_id", .uuid, .references("credit_entries", .id))
            .field("rectification_id", .uuid, .references("rectifications", .id))
            .field("inspector_id", .uuid, .references(Account.schema, .id))
            .field("inspector_name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("satisfaction_surveys")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("surveyed_on", .string, .required)
            .field("respondents", .int, .required)
            .field("satisfied", .int, .required)
            .field("credit_entry_id", .uuid, .references("credit_entries", .id))
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("company_complaints")
            .id()
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("case_id", .uuid, .required, .references("cases", .id))
            .field("upheld", .bool, .required)
            .field("credit_entry_id", .uuid, .references("credit_entries", .id))
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "case_id")
            .create()
        try await database.schema("owners_committees")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("elected_on", .string, .required)
            .field("term_ends_on", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "compound_id")
            .create()
        try await database.schema("committee_members")
            .id()
            .field("committee_id", .uuid, .required, .references("owners_committees", .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("role", .string, .required)
            .field("term_starts_on", .string, .required)
            .field("term_ends_on", .string, .required)
            .field("ended_on", .string)
            .create()
        try await database.schema("committee_records")
            .id()
            .field("committee_id", .uuid, .required, .references("owners_committees", .id))
            .field("kind", .string, .required)
            .field("member_id", .uuid, .references("committee_members", .id))
            .field("reason", .string, .required)
            .field("recorded_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("committee_disclosures")
            .id()
            .field("committee_id", .uuid, .required, .references("owners_committees", .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("amount_fen", .int64)
            .field("published_on", .string, .required)
            .field("published_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("compound_measures")
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("measure_code", .string, .required)
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("updated_on", .string, .required)
            .field("updated_by", .string, .required)
            .unique(on: "compound_id", "measure_code")
            .create()
        try await database.schema("compound_leads")
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("department", .string, .required)
            .field("leader_name", .string, .required)
            .unique(on: "compound_id")
            .create()
        try await database.schema("governance_projects")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("concern", .string, .required)
            .field("name", .string, .required)
            .field("compound_id", .uuid, .references("compounds", .id))
            .field("department", .string, .required)
            .field("leader_name", .string, .required)
            .field("budget_fen", .int64, .required)
            .field("spent_fen", .int64, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("governance_milestones")
            .id()
            .field("project_id", .uuid, .required, .references("governance_projects", .id))
            .field("name", .string, .required)
            .field("due_on", .string, .required)
            .field("done_on", .string)
            .create()

        let sql = database.sql
        for (name, table, columns) in [
            ("credit_entries_company", "credit_entries", ["company_id", "entry_date"]),
            ("property_contracts_compound", "property_contracts", ["compound_id"]),
            ("property_contracts_company", "property_contracts", ["company_id"]),
            ("rectifications_company", "rectifications", ["company_id", "status"]),
            ("oversight_inspections_company", "oversight_inspections", ["company_id", "inspected_on"]),
            ("oversight_inspections_shop", "oversight_inspections", ["shop_id"]),
            ("shops_grid", "shops", ["grid_node_id"]),
            ("shop_pledges_shop", "shop_pledges", ["shop_id"]),
            ("committee_members_committee", "committee_members", ["committee_id"]),
            ("committee_disclosures_compound", "committee_disclosures", ["compound_id", "published_on"]),
            ("governance_milestones_project", "governance_milestones", ["project_id"])
        ] {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
        // The credit ledger is append-only: a wrong entry is answered by a new one.
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION credit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the credit ledger is append-only; correct it with a new entry'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER credit_entries_no_change BEFORE UPDATE OR DELETE ON credit_entries
                FOR EACH ROW EXECUTE FUNCTION credit_entries_append_only()
                """
            ).run()
        } else {
            for op in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER credit_entries_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON credit_entries
                    BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only; correct it with a new entry'); END
                    """
                ).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in [
            "governance_milestones", "governance_projects", "compound_leads", "compound_measures", "committee_disclosures",
            "committee_records", "committee_members", "owners_committees", "company_complaints", "satisfaction_surveys",
            "oversight_inspections", "shop_pledges", "shops", "rectifications", "credit_entries", "property_contracts",
            "property_companies"
        ] {
            try await database.schema(table).delete()
        }
        if sql.dialect.name == "postgresql" { try await sql.raw("DROP FUNCTION IF EXISTS credit_entries_append_only()").run() }
    }
}

/// Links a property-company account to its company (`company_accounts`, one company per
/// account): the account then sees that company's credit file and nothing of other companies.
/// Written by administrators and subdistrict staff (`OversightService.linkAccount`).
struct AddCompanyAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("company_accounts")
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("company_id", .uuid, .required, .references("property_companies", .id))
            .field("linked_by", .string, .required)
            .field("linked_at", .datetime, .required)
            .unique(on: "account_id")
            .create()
        try await database.sql.create(index: "company_accounts_company").on("company_accounts").column("company_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("company_accounts").delete()
    }
}
