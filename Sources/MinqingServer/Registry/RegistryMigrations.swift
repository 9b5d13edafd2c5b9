import Fluent
import SQLKit

/// The register (一居一库): compounds, buildings, dwellings and their owners; households and
/// persons (ID and phone numbers only as vault ciphertext, blind index and masked form); the tag
/// catalogue and its assignments with history; help requests and the aid ledger.
///
/// Grid-bound tables carry `grid_node_id` (the building group, or the residential area for a
/// compound) so that every scoped read is one closure-table predicate, and `subdistrict_id`,
/// the tenant. Dates are ISO `YYYY-MM-DD` text (calendar dates, no time zone); money in fen,
/// area in cm², service time in minutes, all integers.
struct CreateRegister: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("compounds")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("compound_type", .string, .required)
            .field("address", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("buildings")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("floors", .int)
            .field("created_at", .datetime)
            .create()
        try await database.schema("dwellings")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("compound_id", .uuid, .required, .references("compounds", .id))
            .field("building_id", .uuid, .required, .references("buildings", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("stairwell", .string, .required)
            .field("room", .string, .required)
            .field("area_register_cm2", .int64)
            .field("area_surveyed_cm2", .int64)
            .field("area_contract_cm2", .int64)
            .field("developer_held", .bool, .required)
            .field("unsold", .bool, .required)
            .field("undelivered", .bool, .required)
            .unique(on: "building_id", "stairwell", "room")
            .create()
        try await database.schema("households")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("dwelling_id", .uuid, .references("dwellings", .id))
            .field("address", .string, .required)
            .field("moved_in_on", .string)
            .field("moved_out_on", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("persons")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("name", .string, .required)
            .field("sex", .string, .required)
            .field("birth_date", .string, .required)
            .field("id_cipher", .string, .required)
            .field("id_index", .string, .required)
            .field("id_masked", .string, .required)
            .field("phone_cipher", .string)
            .field("phone_index", .string)
            .field("phone_masked", .string)
            .field("relation", .string, .required)
            .field("residence_status", .string, .required)
            .field("moved_in_on", .string)
            .field("moved_out_on", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "id_index")
            .create()
        try await database.schema("owners")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("kind", .string, .required)
            .field("person_id", .uuid, .references("persons", .id))
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("dwelling_owners")
            .field("dwelling_id", .uuid, .required, .references("dwellings", .id))
            .field("owner_id", .uuid, .required, .references("owners", .id))
            .compositeIdentifier(over: "dwelling_id", "owner_id")
            .create()
        try await database.schema("tags")
            .id()
            .field("code", .string, .required)
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references("tags", .id))
            .field("sensitive", .bool, .required)
            .field("sort_order", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("tag_assignments")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("tag_id", .uuid, .required, .references("tags", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("source", .string, .required)
            .field("created_by", .string)
            .field("ended_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("help_requests")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("category", .string, .required)
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("requested_on", .string, .required)
            .field("resolved_on", .string)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("aid_records")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("help_request_id", .uuid, .references("help_requests", .id))
            .field("programme", .string, .required)
            .field("kind", .string, .required)
            .field("amount_fen", .int64)
            .field("quantity", .int64)
            .field("unit", .string)
            .field("minutes", .int64)
            .field("description", .string, .required)
            .field("given_on", .string, .required)
            .field("recorded_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("smart_groups")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("criteria", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()

        let sql = database.sql
        let indexes: [(String, String, [String])] = [
            ("compounds_grid", "compounds", ["grid_node_id"]),
            ("buildings_compound", "buildings", ["compound_id"]),
            ("dwellings_building", "dwellings", ["building_id"]),
            ("dwellings_grid", "dwellings", ["grid_node_id"]),
            ("households_grid", "households", ["grid_node_id"]),
            ("persons_grid", "persons", ["grid_node_id"]),
            ("persons_household", "persons", ["household_id"]),
            ("persons_phone", "persons", ["phone_index"]),
            ("owners_person", "owners", ["person_id"]),
            ("dwelling_owners_owner", "dwelling_owners", ["owner_id"]),
            ("tag_assignments_person", "tag_assignments", ["person_id", "tag_id"]),
            ("tag_assignments_tag_grid", "tag_assignments", ["tag_id", "grid_node_id"]),
            // Covers the smart-group term "current holders of tag T" without touching the table.
            ("tag_assignments_tag_current", "tag_assignments", ["tag_id", "ends_on", "person_id"]),
            ("help_requests_person", "help_requests", ["person_id"]),
            ("help_requests_grid", "help_requests", ["grid_node_id"]),
            ("aid_records_person", "aid_records", ["person_id"]),
            ("aid_records_household", "aid_records", ["household_id"]),
            ("aid_records_grid", "aid_records", ["grid_node_id", "kind"]),
            ("smart_groups_grid", "smart_groups", ["grid_node_id"])
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "smart_groups", "aid_records", "help_requests", "tag_assignments", "tags", "dwelling_owners", "owners",
            "persons", "households", "dwellings", "buildings", "compounds"
        ] {
            try await database.schema(table).delete()
        }
    }
}

/// Owners' ID and phone numbers, through the PII vault like persons' (ciphertext, blind index,
/// masked form), for the dwellings import. An owner is one row however many dwellings they hold:
/// the blind index finds them again, and is unique (owners without a number, such as developers
/// and the housing bureau, leave it NULL).
struct AddOwnerNumbers: AsyncMigration {
    static let columns = ["id_cipher", "id_index", "id_masked", "phone_cipher", "phone_index", "phone_masked"]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds columns one ALTER TABLE at a time.
        for column in Self.columns {
            try await database.schema("owners").field(.string(column), .string).update()
        }
        let sql = database.sql
        try await sql.create(index: "owners_id_index").on("owners").column("id_index").unique().run()
        try await sql.create(index: "owners_kind_name").on("owners").column("kind").column("name").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "owners_kind_name").run()
        try await sql.drop(index: "owners_id_index").run()
        for column in Self.columns.reversed() {
            try await database.schema("owners").deleteField(.string(column)).update()
        }
    }
}

/// Files uploaded to the import wizard that passed their dry run and wait for the confirmation
/// (导入向导暂存): sealed with the vault (they hold plain ID numbers), found by the SHA-256 of a
/// random token and only for the account that uploaded them, kept for an hour at most.
struct CreateImportUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("import_uploads")
            .id()
            .field("token_hash", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("encoding", .string, .required)
            .field("file_name", .string, .required)
            .field("rows", .int, .required)
            .field("sealed", .data, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        let sql = database.sql
        try await sql.create(index: "import_uploads_account").on("import_uploads").column("account_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_uploads").delete()
    }
}
