import Fluent
import Foundation
import SQLKit

/// 组织力工程 (issue 10).
///
/// - `organisations`: party organisations at every level, mass and social organisations and
///   alliances; kind, basis (地缘/业缘/趣缘/机关/临时/区域化), the grid node it is built at, an
///   optional compound and unit (`service_units`, the 驻区单位 of the services capability), parent,
///   start, the planned end of a temporary branch, the close date and the current term's end.
///   `sensitive` is true for party kinds: membership of them is a specific identity (PIPL art. 28).
/// - `organisation_changes`: append-only history (created, renamed, moved, closed), numbered per organisation (`seq`), with
///   who, when and why; triggers refuse UPDATE and DELETE.
/// - `organisation_members`: persons of the register in an organisation with role and term; an
///   ended membership keeps its row. `shows_identity` / `shows_identity_on`: the member's choice
///   to show their identity (亮身份) and when it was recorded.
/// - `organisation_posts`: 示范岗, 责任区 (bound to a grid node), 突击队 (with a mission).
/// - `building_group_leaders`: 楼组长, a role on a building group held by a person.
/// - `dual_registrations` (双报到): an in-service member (a person of the register and/or an
///   account) with their work unit registers with a home community; `post_claims` and
///   `dual_service_records` (the 双报告 report sums these by unit and period).
/// - `cobuild_items` (问题/资源/项目清单), `cobuild_contracts` and `cobuild_commitments` (契约制),
///   `cobuild_points` (积分制: every entry its rule, quantity, points, explanation and reason;
///   append-only).
/// - `staff_trainings`, `training_attendance`, `staff_rotations` (挂职).
struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisations")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("basis", .string, .required)
            .field("sensitive", .bool, .required)
            .field("parent_id", .uuid, .references("organisations", .id))
            .field("compound_id", .uuid, .references("compounds", .id))
            .field("service_unit_id", .uuid, .references("service_units", .id))
            .field("purpose", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("closed_on", .string)
            .field("term_ends_on", .string)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("organisation_changes")
            .id()
            .field("organisation_id", .uuid, .required, .references("organisations", .id))
            .field("seq", .int, .required)
            .field("action", .string, .required)
            .field("old_value", .string)
            .field("new_value", .string)
            .field("reason", .string, .required)
            .field("actor_name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "organisation_id", "seq")
            .create()
        try await database.schema("organisation_members")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("organisation_id", .uuid, .required, .references("organisations", .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("role", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("shows_identity", .bool, .required)
            .field("shows_identity_on", .string)
            .field("created_by", .string)
            .field("ended_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("organisation_posts")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("organisation_id", .uuid, .references("organisations", .id))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("mission", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("building_group_leaders")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("organisation_id", .uuid, .references("organisations", .id))
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("dual_registrations")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("account_id", .uuid, .references(Account.schema, .id))
            .field("person_id", .uuid, .references("persons", .id))
            .field("member_name", .string, .required)
            .field("service_unit_id", .uuid, .required, .references("service_units", .id))
            .field("shows_identity", .bool, .required)
            .field("shows_identity_on", .string)
            .field("registered_on", .string, .required)
            .field("ended_on", .string)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .unique(on: "account_id")
            .unique(on: "person_id")
            .create()
        try await database.schema("post_claims")
            .id()
            .field("registration_id", .uuid, .required, .references("dual_registrations", .id))
            .field("post_id", .uuid, .required, .references("organisation_posts", .id))
            .field("claimed_on", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "registration_id", "post_id")
            .create()
        try await database.schema("dual_service_records")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("registration_id", .uuid, .required, .references("dual_registrations", .id))
            .field("service_unit_id", .uuid, .required, .references("service_units", .id))
            .field("post_id", .uuid, .references("organisation_posts", .id))
            .field("served_on", .string, .required)
            .field("minutes", .int, .required)
            .field("description", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("cobuild_items")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("service_unit_id", .uuid, .required, .references("service_units", .id))
            .field("list_kind", .string, .required)
            .field("title", .string, .required)
            .field("detail", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("cobuild_contracts")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("service_unit_id", .uuid, .required, .references("service_units", .id))
            .field("title", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("cobuild_commitments")
            .id()
            .field("contract_id", .uuid, .required, .references("cobuild_contracts", .id))
            .field("side", .string, .required)
            .field("content", .string, .required)
            .field("due_on", .string, .required)
            .field("delivered", .bool)
            .field("checked_on", .string)
            .field("checked_by", .string)
            .create()
        try await database.schema("cobuild_points")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("holder_kind", .string, .required)
            .field("service_unit_id", .uuid, .references("service_units", .id))
            .field("registration_id", .uuid, .references("dual_registrations", .id))
            .field("rule_code", .string, .required)
            .field("quantity", .int, .required)
            .field("points", .int, .required)
            .field("explanation", .string, .required)
            .field("reason", .string, .required)
            .field("earned_on", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("staff_trainings")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("title", .string, .required)
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            .field("minutes", .int, .required)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("training_attendance")
            .field("training_id", .uuid, .required, .references("staff_trainings", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("attended", .bool, .required)
            .field("recorded_by", .string)
            .unique(on: "training_id", "account_id")
            .create()
        try await database.schema("staff_rotations")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("from_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("to_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("post", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("created_by", .string)
            .field("created_at", .datetime)
            .create()

        let sql = database.sql
        let indexes: [(String, String, [String])] = [
            ("organisations_grid", "organisations", ["grid_node_id", "kind"]),
            ("organisations_subdistrict", "organisations", ["subdistrict_id", "kind"]),
            ("organisations_parent", "organisations", ["parent_id"]),
            ("organisations_compound", "organisations", ["compound_id"]),
            ("organisation_members_org", "organisation_members", ["organisation_id", "ends_on"]),
            ("organisation_members_person", "organisation_members", ["person_id"]),
            ("organisation_members_grid", "organisation_members", ["grid_node_id"]),
            ("organisation_posts_grid", "organisation_posts", ["grid_node_id", "kind"]),
            ("building_group_leaders_grid", "building_group_leaders", ["grid_node_id"]),
            ("dual_registrations_grid", "dual_registrations", ["grid_node_id"]),
            ("dual_registrations_unit", "dual_registrations", ["service_unit_id"]),
            ("dual_service_records_unit", "dual_service_records", ["service_unit_id", "served_on"]),
            ("dual_service_records_registration", "dual_service_records", ["registration_id", "served_on"]),
            ("cobuild_items_unit", "cobuild_items", ["service_unit_id"]),
            ("cobuild_contracts_unit", "cobuild_contracts", ["service_unit_id"]),
            ("cobuild_commitments_contract", "cobuild_commitments", ["contract_id"]),
            ("cobuild_points_unit", "cobuild_points", ["service_unit_id"]),
            ("cobuild_points_registration", "cobuild_points", ["registration_id"]),
            ("staff_rotations_account", "staff_rotations", ["account_id"])
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
        // History and points are append-only, like the audit trail.
        let guarded = ["organisation_changes", "cobuild_points"]
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION organisations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'this history is append-only'; END $$
                """
            ).run()
            for table in guarded {
                try await sql.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: table)_no_change BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION organisations_append_only()
                    """
                ).run()
            }
        } else {
            for table in guarded {
                for op in ["UPDATE", "DELETE"] {
                    try await sql.raw(
                        """
                        CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON \(unsafeRaw: table)
                        BEGIN SELECT RAISE(ABORT, 'this history is append-only'); END
                        """
                    ).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in [
            "staff_rotations", "training_attendance", "staff_trainings", "cobuild_points", "cobuild_commitments", "cobuild_contracts",
            "cobuild_items", "dual_service_records", "post_claims", "dual_registrations", "building_group_leaders",
            "organisation_posts", "organisation_members", "organisation_changes", "organisations"
        ] {
            try await database.schema(table).delete()
        }
        if sql.dialect.name == "postgresql" { try await sql.raw("DROP FUNCTION IF EXISTS organisations_append_only()").run() }
    }
}

/// Staff development (item 6) needs more than `CreateOrganisations` gave it:
/// - `training_attendance.status`: present / absent / excused (请假), with `recorded_at`; the old
///   `attended` flag stays and is kept equal to `status = 'present'`.
/// - `staff_rotations`: the units a cadre is rotated from and to (`service_units`, optional; a
///   node is always set, the unit's when a unit is named) and the purpose of the rotation.
/// - Indexes for "a cadre's attendance" and "sessions of a node by date".
struct AddStaffDevelopmentDetails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per ALTER: SQLite adds one at a time.
        try await database.schema("training_attendance").field("status", .string).update()
        try await database.schema("training_attendance").field("recorded_at", .datetime).update()
        try await database.schema("staff_rotations").field("from_unit_id", .uuid, .references("service_units", .id)).update()
        try await database.schema("staff_rotations").field("to_unit_id", .uuid, .references("service_units", .id)).update()
        try await database.schema("staff_rotations").field("purpose", .string).update()
        let sql = database.sql
        try await sql.raw("UPDATE training_attendance SET status = CASE WHEN attended THEN 'present' ELSE 'absent' END").run()
        try await sql.create(index: "training_attendance_account").on("training_attendance").column("account_id").run()
        try await sql.create(index: "staff_trainings_grid").on("staff_trainings").column("grid_node_id").column("held_on").run()
        try await sql.create(index: "staff_rotations_to").on("staff_rotations").column("to_node_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for index in ["staff_rotations_to", "staff_trainings_grid", "training_attendance_account"] { try await sql.drop(index: index).run() }
        try await database.schema("staff_rotations").deleteField("purpose").update()
        try await database.schema("staff_rotations").deleteField("to_unit_id").update()
        try await database.schema("staff_rotations").deleteField("from_unit_id").update()
        try await database.schema("training_attendance").deleteField("recorded_at").update()
        try await database.schema("training_attendance").deleteField("status").update()
    }
}

/// 换届: an organisation's terms. `organisations.term_ends_on` stays the current term's end; each
/// term (numbered per organisation, UNIQUE) keeps its start, planned end and the day it closed
/// (the next term's election day). The first term's row is written by the first re-election.
struct CreateOrganisationTerms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisation_terms")
            .id()
            .field("organisation_id", .uuid, .required, .references("organisations", .id))
            .field("seq", .int, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("closed_on", .string)
            .field("reason", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "organisation_id", "seq")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organisation_terms").delete()
    }
}
