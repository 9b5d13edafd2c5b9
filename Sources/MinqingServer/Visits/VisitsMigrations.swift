import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The visit log (民情日志, issue 4): visits and who made them, the households visited, what was
/// found and what it changed in the register; the 十必访 categories, quotas by role and staff
/// postings as data; the slots cadres offer and the bookings residents make (约走访).
///
/// - `visits` keeps the first household and its building group for lists; `visit_households`
///   lists every household of the visit with its building group (scope) and local date.
/// - `visit_credits` is one row per visitor × household: the compliance report counts distinct
///   households per visitor per local date from it with one covering index, no join.
/// - `visit_findings` holds the structured needs; `follow_up_kind`/`follow_up_id` point at what a
///   finding became (`help_request` today, `case` once the case loop lands).
/// - `visit_register_changes` links the tag assignments added or ended and the person fields
///   changed to the visit that made them.
/// - `visit_bookings.slot_hold` is the slot's id while the booking is active and NULL once it is
///   cancelled; its UNIQUE index is what makes "one slot cannot be taken twice" hold under races.
/// - `resident_households` says which household a resident account speaks for.
struct CreateVisits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("must_visit_categories")
            .id()
            .field("code", .string, .required)
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("expression", .string, .required)
            .field("frequency_days", .int, .required)
            .field("sort_order", .int, .required)
            .field("updated_by", .string)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("visit_quotas")
            .id()
            .field("role", .string, .required)
            .field("households", .int, .required)
            .field("period", .string, .required)
            .field("updated_by", .string)
            .field("updated_at", .datetime)
            .unique(on: "role")
            .create()
        try await database.schema("visit_postings")
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("workload_percent", .int, .required)
            .field("first_day", .string)
            .field("last_day", .string)
            .field("updated_by", .string)
            .field("updated_at", .datetime)
            .unique(on: "account_id")
            .create()
        try await database.schema("visits")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("visited_at", .datetime, .required)
            .field("local_date", .string, .required)
            .field("method", .string, .required)
            .field("kind", .string, .required)
            .field("category_code", .string)
            .field("follow_up_of", .uuid, .references("visits", .id))
            .field("booking_id", .uuid)
            .field("summary", .string, .required)
            .field("recorded_by", .uuid, .required, .references(Account.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await database.schema("visit_households")
            .field("visit_id", .uuid, .required, .references("visits", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("local_date", .string, .required)
            .compositeIdentifier(over: "visit_id", "household_id")
            .create()
        try await database.schema("visit_credits")
            .field("visit_id", .uuid, .required, .references("visits", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("local_date", .string, .required)
            .compositeIdentifier(over: "visit_id", "account_id", "household_id")
            .create()
        try await database.schema("visit_findings")
            .id()
            .field("visit_id", .uuid, .required, .references("visits", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("person_id", .uuid, .references("persons", .id))
            .field("need", .string, .required)
            .field("note", .string, .required)
            .field("follow_up_kind", .string)
            .field("follow_up_id", .uuid)
            .field("created_at", .datetime)
            .create()
        try await database.schema("visit_register_changes")
            .id()
            .field("visit_id", .uuid, .required, .references("visits", .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("change", .string, .required)
            .field("tag_assignment_id", .uuid, .references("tag_assignments", .id))
            .field("tag_code", .string)
            .field("field", .string)
            .field("value", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("resident_households")
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("household_id", .uuid, .required, .references("households", .id))
            .unique(on: "account_id")
            .create()
        try await database.schema("visit_slots")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("offered_by", .uuid, .required, .references(Account.schema, .id))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("local_date", .string, .required)
            .field("place", .string, .required)
            .field("withdrawn", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("visit_bookings")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("slot_id", .uuid, .required, .references("visit_slots", .id))
            .field("slot_hold", .uuid)
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("household_id", .uuid, .references("households", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("visit_id", .uuid, .references("visits", .id))
            .field("updated_by", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        let sql = database.sql
        let indexes: [(String, String, [String], Bool)] = [
            ("visits_grid_date", "visits", ["grid_node_id", "local_date"], false),
            ("visits_household", "visits", ["household_id", "local_date"], false),
            ("visits_recorder", "visits", ["recorded_by", "local_date"], false),
            ("visit_households_household", "visit_households", ["household_id", "local_date"], false),
            ("visit_households_grid", "visit_households", ["grid_node_id", "local_date"], false),
            // Covers the compliance count: distinct households per visitor per local date.
            ("visit_credits_account_date", "visit_credits", ["account_id", "local_date", "household_id"], false),
            ("visit_findings_visit", "visit_findings", ["visit_id"], false),
            ("visit_findings_follow_up", "visit_findings", ["follow_up_kind", "follow_up_id"], false),
            ("visit_register_changes_visit", "visit_register_changes", ["visit_id"], false),
            ("visit_register_changes_assignment", "visit_register_changes", ["tag_assignment_id"], false),
            ("visit_slots_grid_start", "visit_slots", ["grid_node_id", "starts_at"], false),
            ("visit_slots_offerer", "visit_slots", ["offered_by", "starts_at"], false),
            // One active booking per slot: the constraint that settles a race.
            ("visit_bookings_slot_hold", "visit_bookings", ["slot_hold"], true),
            ("visit_bookings_slot", "visit_bookings", ["slot_id"], false),
            ("visit_bookings_account", "visit_bookings", ["account_id"], false),
            ("visit_bookings_grid", "visit_bookings", ["grid_node_id"], false)
        ]
        for (name, table, columns, unique) in indexes {
            var builder = sql.create(index: name).on(table)
            if unique { builder = builder.unique() }
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }

        // The seed's data: the ten 十必访 categories and the two quotas by role.
        for (order, category) in MustVisitCategory.defaults.enumerated() {
            try await sql.insert(into: "must_visit_categories")
                .columns("id", "code", "name_zh", "name_en", "expression", "frequency_days", "sort_order")
                .values(
                    SQLBind(UUID()), SQLBind(category.code), SQLBind(category.nameZH), SQLBind(category.nameEN),
                    SQLBind(category.expression), SQLBind(category.frequencyDays), SQLBind(order)
                )
                .run()
        }
        for role in Role.allCases {
            guard let quota = VisitQuota.defaultQuota(for: role) else { continue }
            try await sql.insert(into: "visit_quotas")
                .columns("id", "role", "households", "period")
                .values(SQLBind(UUID()), SQLBind(role.rawValue), SQLBind(quota.households), SQLBind(quota.period.rawValue))
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "visit_bookings", "visit_slots", "resident_households", "visit_register_changes", "visit_findings",
            "visit_credits", "visit_households", "visits", "visit_postings", "visit_quotas", "must_visit_categories"
        ] {
            try await database.schema(table).delete()
        }
    }
}

/// An index on the register's tag assignments for "current holders of tag T in these grid
/// nodes": the smart-group SQL (`SmartGroupQueries.compile`) narrows each tag term to the
/// scope's nodes when the scope is small, and with this index both planners read just those
/// entries instead of every holder of the tag in the deployment and then their rows. 十必访
/// evaluates about 45 such terms for an area on every list (16 times faster at scale 1).
struct AddTagHolderGridIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.create(index: "tag_assignments_tag_grid_current").on("tag_assignments")
            .column("tag_id").column("grid_node_id").column("ends_on").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "tag_assignments_tag_grid_current").run()
    }
}

/// `visit_day_tallies`: distinct households per visitor per local date, the figure quotas count.
/// The compliance report reads a year as ~125 rows per person from here instead of counting
/// ~600 credit rows per person (PostgreSQL p95 58 → see docs/benchmarks.md). The writer keeps
/// it by recounting the touched (visitor, date) pairs from `visit_credits` in the same
/// transaction (`VisitsQueries.recountDayTallies`), so it can never drift from the credits.
struct AddVisitDayTallies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("visit_day_tallies")
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("local_date", .string, .required)
            .field("households", .int, .required)
            .compositeIdentifier(over: "account_id", "local_date")
            .create()
        // The backfill's SQL is frozen here rather than calling `VisitsQueries.recountDayTallies`,
        // so a later change to the service cannot change what this landed migration does.
        try await database.sql.raw(
            """
            INSERT INTO visit_day_tallies (account_id, local_date, households)
            SELECT c.account_id, c.local_date, COUNT(DISTINCT c.household_id) FROM visit_credits c
            GROUP BY c.account_id, c.local_date
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("visit_day_tallies").delete()
    }
}

/// `visit_month_counts`: household visits (rows of `visit_households`) per grid node per month
/// (`YYYY-MM`), the figure the dashboard's visits panel charts. Counting a year of
/// `visit_households` under a subdistrict cost SQLite ~25 ms at scale 1 (42,000 rows through a
/// temporary B-tree); the panel now sums at most nodes × 12 rows. The visit writer adds each
/// visit's own rows in its transaction (`VisitsQueries.addMonthCounts`): an increment, not a
/// recount, so two visits committed at once in one node both count on PostgreSQL too.
struct AddVisitMonthCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("visit_month_counts")
            .field("grid_node_id", .uuid, .required, .references("grid_nodes", "id"))
            .field("month", .string, .required)
            .field("households", .int32, .required) // SUM of int4 is bigint on PostgreSQL (of bigint, numeric)
            .compositeIdentifier(over: "grid_node_id", "month")
            .create()
        // Frozen here (not a call to the service) so later changes cannot alter this migration.
        try await database.sql.raw(
            """
            INSERT INTO visit_month_counts (grid_node_id, month, households)
            SELECT grid_node_id, SUBSTR(local_date, 1, 7), COUNT(*) FROM visit_households GROUP BY grid_node_id, SUBSTR(local_date, 1, 7)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("visit_month_counts").delete()
    }
}

/// `outcome` on `visits` and `visit_households` (走访结果, `VisitOutcome`): `met` or `nobody_home`.
/// Every visit recorded before was taken as met, so the column's default fills them. The
/// households' copy lets the 十必访 list and the entry form's picker find a household's last
/// visit that met it along one index (household, outcome, date) instead of a join per household,
/// and lets the month counts leave attempts out. Only `met` counts anywhere; see `VisitOutcome`.
struct AddVisitOutcome: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for table in ["visits", "visit_households"] {
            try await database.schema(table)
                .field("outcome", .string, .required, .sql(.default(VisitOutcome.met.rawValue)))
                .update()
        }
        try await database.sql.create(index: "visit_households_household_outcome").on("visit_households")
            .column("household_id").column("outcome").column("local_date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "visit_households_household_outcome").run()
        for table in ["visit_households", "visits"] {
            try await database.schema(table).deleteField("outcome").update()
        }
    }
}
