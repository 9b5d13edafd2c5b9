import Fluent
import Foundation
import SQLKit

/// 临汾共享 / 约空间 / 智慧临小二 services (issue 8).
///
/// - `service_units` are the 驻区单位 that open resources; `service_resources` their spaces and
///   facilities with category, kind, place (a grid node), capacity, opening hours, rules, who may
///   book and whether staff approve.
/// - `service_slots` are the bookable times of a resource, UNIQUE per resource and start.
/// - `service_bookings.slot_hold` is the slot's id while the booking holds it (requested,
///   approved, attended, no-show) and NULL once rejected or cancelled; its UNIQUE index is what
///   settles a race for one slot.
/// - `service_campaigns` with `remaining` (a conditional UPDATE never takes it below zero) and
///   `campaign_household_claims.claimed` (the same guard against the per-household limit).
/// - `ledger_accounts`, `ledger_transfers`, `ledger_movements`: the double-entry time bank,
///   points and green account. Transfers and movements are append-only (triggers on both
///   databases); a reversal points at the transfer it undoes, at most once (UNIQUE).
/// - `volunteer_activities` with a `signed_up` counter guarded against `capacity`;
///   `activity_signups` one per person (UNIQUE); a check-in posts the service minutes to the
///   time bank and keeps the transfer's id.
struct CreateServices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_units")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("unit_kind", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "grid_node_id", "name")
            .create()
        try await database.schema("service_resources")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("unit_id", .uuid, .required, .references("service_units", .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("category", .string, .required)
            .field("kind", .string, .required)
            .field("place", .string, .required)
            .field("capacity", .int, .required)
            .field("opening_hours", .string, .required)
            .field("slot_minutes", .int, .required)
            .field("rules", .string, .required)
            .field("bookers", .string, .required)
            .field("needs_approval", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("service_slots")
            .id()
            .field("resource_id", .uuid, .required, .references("service_resources", .id))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("local_date", .string, .required)
            .unique(on: "resource_id", "starts_at")
            .create()
        try await database.schema("service_bookings")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("resource_id", .uuid, .required, .references("service_resources", .id))
            .field("slot_id", .uuid, .required, .references("service_slots", .id))
            .field("slot_hold", .uuid)
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("booker_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("organisation", .string, .required)
            .field("purpose", .string, .required)
            .field("attendees", .int, .required)
            .field("status", .string, .required)
            .field("updated_by", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("service_campaigns")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("stock_total", .int, .required)
            .field("remaining", .int, .required)
            .field("per_household_limit", .int, .required)
            .field("pickup_place", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await database.schema("campaign_household_claims")
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("claimed", .int, .required)
            .unique(on: "campaign_id", "household_id")
            .create()
        try await database.schema("campaign_reservations")
            .id()
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("quantity", .int, .required)
            .field("pickup_starts_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await database.schema("ledger_accounts")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("holder_key", .string, .required)
            .field("unit", .string, .required)
            .field("kind", .string, .required)
            .field("account_id", .uuid, .references(Account.schema, .id))
            .field("name", .string, .required)
            .unique(on: "holder_key", "unit")
            .create()
        try await database.schema("ledger_transfers")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("unit", .string, .required)
            .field("from_account_id", .uuid, .required, .references("ledger_accounts", .id))
            .field("to_account_id", .uuid, .required, .references("ledger_accounts", .id))
            .field("amount", .int64, .required)
            .field("memo", .string, .required)
            .field("reverses_id", .uuid, .references("ledger_transfers", .id))
            .field("created_by", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime, .required)
            .unique(on: "reverses_id")
            .create()
        try await database.schema("ledger_movements")
            .id()
            .field("transfer_id", .uuid, .required, .references("ledger_transfers", .id))
            .field("ledger_account_id", .uuid, .required, .references("ledger_accounts", .id))
            .field("amount", .int64, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("volunteer_activities")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("team", .string, .required)
            .field("title", .string, .required)
            .field("place", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("minutes", .int, .required)
            .field("capacity", .int, .required)
            .field("signed_up", .int, .required)
            .field("created_by", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await database.schema("activity_signups")
            .id()
            .field("activity_id", .uuid, .required, .references("volunteer_activities", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("status", .string, .required)
            .field("transfer_id", .uuid, .references("ledger_transfers", .id))
            .field("created_at", .datetime)
            .field("checked_in_at", .datetime)
            .unique(on: "activity_id", "account_id")
            .create()

        let sql = database.sql
        let indexes: [(String, String, [String], Bool)] = [
            ("service_units_subdistrict", "service_units", ["subdistrict_id"], false),
            ("service_resources_grid", "service_resources", ["grid_node_id"], false),
            ("service_resources_subdistrict", "service_resources", ["subdistrict_id", "category", "kind"], false),
            ("service_bookings_slot_hold", "service_bookings", ["slot_hold"], true),
            ("service_bookings_resource", "service_bookings", ["resource_id", "status"], false),
            ("service_bookings_account", "service_bookings", ["account_id"], false),
            ("service_campaigns_grid", "service_campaigns", ["grid_node_id"], false),
            ("campaign_reservations_campaign", "campaign_reservations", ["campaign_id", "household_id"], false),
            ("ledger_movements_account", "ledger_movements", ["ledger_account_id", "amount"], false),
            ("ledger_movements_transfer", "ledger_movements", ["transfer_id"], false),
            ("ledger_transfers_grid", "ledger_transfers", ["grid_node_id", "created_at"], false),
            ("volunteer_activities_grid", "volunteer_activities", ["grid_node_id", "starts_at"], false),
            ("volunteer_activities_subdistrict", "volunteer_activities", ["subdistrict_id", "starts_at"], false)
        ]
        for (name, table, columns, unique) in indexes {
            var builder = sql.create(index: name).on(table)
            if unique { builder = builder.unique() }
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
        // The ledger is append-only, like the audit trail: corrections are reversing transfers.
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the ledger is append-only; correct it with a reversing transfer'; END $$
                """
            ).run()
            for table in ["ledger_transfers", "ledger_movements"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: table)_no_change BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION ledger_append_only()
                    """
                ).run()
            }
        } else {
            for table in ["ledger_transfers", "ledger_movements"] {
                for op in ["UPDATE", "DELETE"] {
                    try await sql.raw(
                        """
                        CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON \(unsafeRaw: table)
                        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only; correct it with a reversing transfer'); END
                        """
                    ).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in [
            "activity_signups", "volunteer_activities", "ledger_movements", "ledger_transfers", "ledger_accounts", "campaign_reservations",
            "campaign_household_claims",
            "service_campaigns", "service_bookings", "service_slots", "service_resources", "service_units"
        ] {
            try await database.schema(table).delete()
        }
        if sql.dialect.name == "postgresql" { try await sql.raw("DROP FUNCTION IF EXISTS ledger_append_only()").run() }
    }
}

/// Registration forms for campaigns (登记表): a campaign of kind `registration` carries typed
/// fields (`campaign_fields`, in order); a resident submits one entry per person (UNIQUE
/// campaign + account) with one answer row per field (one per chosen option of a multiple
/// choice, so the live counts are a GROUP BY). ID and mobile answers hold only the vault's
/// ciphertext and blind index, and the masked form as `value`.
struct AddCampaignForms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_campaigns").field("description", .string).update()
        try await database.schema("campaign_fields")
            .id()
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("position", .int, .required)
            .field("label_zh", .string, .required)
            .field("label_en", .string, .required)
            .field("field_type", .string, .required)
            .field("required", .bool, .required)
            .field("options", .string, .required)
            .field("min_value", .int)
            .field("max_value", .int)
            .unique(on: "campaign_id", "position")
            .create()
        try await database.schema("campaign_entries")
            .id()
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("created_at", .datetime, .required)
            .unique(on: "campaign_id", "account_id")
            .create()
        try await database.schema("campaign_answers")
            .id()
            .field("entry_id", .uuid, .required, .references("campaign_entries", .id))
            .field("field_id", .uuid, .required, .references("campaign_fields", .id))
            .field("value", .string, .required)
            .field("pii_cipher", .string)
            .field("pii_index", .string)
            .create()
        let sql = database.sql
        try await sql.create(index: "campaign_entries_grid").on("campaign_entries").column("campaign_id").column("grid_node_id").run()
        try await sql.create(index: "campaign_answers_entry").on("campaign_answers").column("entry_id").run()
        try await sql.create(index: "campaign_answers_field").on("campaign_answers").column("field_id").column("value").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["campaign_answers", "campaign_entries", "campaign_fields"] { try await database.schema(table).delete() }
        try await database.schema("service_campaigns").deleteField("description").update()
    }
}

/// Daily check-in campaigns (每日打卡): the period (`starts_on`, `ends_on`, local dates) and
/// whether residents may put themselves on the roster; `campaign_roster` (one row per person,
/// UNIQUE), `campaign_checkins` (one per person per local day, UNIQUE).
struct AddCampaignCheckins: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_campaigns").field("starts_on", .string).update()
        try await database.schema("service_campaigns").field("ends_on", .string).update()
        try await database.schema("service_campaigns").field("self_enrol", .bool).update()
        try await database.schema("campaign_roster")
            .id()
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("enrolled_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "campaign_id", "account_id")
            .create()
        try await database.schema("campaign_checkins")
            .id()
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("local_date", .string, .required)
            .field("note", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "campaign_id", "account_id", "local_date")
            .create()
        let sql = database.sql
        try await sql.create(index: "campaign_roster_grid").on("campaign_roster").column("campaign_id").column("grid_node_id").run()
        try await sql.create(index: "campaign_checkins_day").on("campaign_checkins").column("campaign_id").column("local_date").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["campaign_checkins", "campaign_roster"] { try await database.schema(table).delete() }
        for field in ["starts_on", "ends_on", "self_enrol"] {
            try await database.schema("service_campaigns").deleteField(.string(field)).update()
        }
    }
}

/// Pick-up slots of a limited-stock campaign (分时段领取): each with a capacity and a `taken`
/// counter raised by a conditional UPDATE in the reservation's transaction; a reservation keeps
/// its slot. `service_campaigns.pickup_slots` counts the slots, so a reservation knows without
/// another read whether it must name one.
struct AddPickupSlots: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("campaign_pickup_slots")
            .id()
            .field("campaign_id", .uuid, .required, .references("service_campaigns", .id))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("place", .string, .required)
            .field("capacity", .int, .required)
            .field("taken", .int, .required)
            .unique(on: "campaign_id", "starts_at")
            .create()
        try await database.schema("campaign_reservations").field("pickup_slot_id", .uuid).update()
        try await database.schema("service_campaigns").field("pickup_slots", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("service_campaigns").deleteField("pickup_slots").update()
        try await database.schema("campaign_reservations").deleteField("pickup_slot_id").update()
        try await database.schema("campaign_pickup_slots").delete()
    }
}

/// Volunteer teams and their members as records, and the reward catalogue.
/// - `volunteer_teams`: name (UNIQUE per grid node), kind (平安巡逻 …), grid node, leader.
/// - `volunteer_team_members`: person, team, role, joined and left (local dates); a person is in
///   a team once at a time (a partial UNIQUE index over the rows not yet left).
/// - `service_rewards`: name, unit (points or green), price, stock and `remaining` (a conditional
///   UPDATE never takes it below zero); `reward_redemptions` ties a redemption to its ledger transfer.
struct AddVolunteerTeamsAndRewards: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("volunteer_teams")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("leader_account_id", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "grid_node_id", "name")
            .create()
        try await database.schema("volunteer_team_members")
            .id()
            .field("team_id", .uuid, .required, .references("volunteer_teams", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("role", .string, .required)
            .field("joined_on", .string, .required)
            .field("left_on", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema("service_rewards")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("name", .string, .required)
            .field("unit", .string, .required)
            .field("price", .int64, .required)
            .field("stock", .int, .required)
            .field("remaining", .int, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("reward_redemptions")
            .id()
            .field("reward_id", .uuid, .required, .references("service_rewards", .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id))
            .field("transfer_id", .uuid, .required, .references("ledger_transfers", .id))
            .field("created_at", .datetime, .required)
            .create()
        let sql = database.sql
        try await sql.raw(
            """
            CREATE UNIQUE INDEX volunteer_team_members_current ON volunteer_team_members (team_id, account_id) WHERE left_on IS NULL
            """
        ).run()
        try await sql.create(index: "volunteer_team_members_account").on("volunteer_team_members").column("account_id").run()
        try await sql.create(index: "volunteer_teams_grid").on("volunteer_teams").column("grid_node_id").run()
        try await sql.create(index: "service_rewards_grid").on("service_rewards").column("grid_node_id").run()
        try await sql.create(index: "reward_redemptions_reward").on("reward_redemptions").column("reward_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["reward_redemptions", "service_rewards", "volunteer_team_members", "volunteer_teams"] {
            try await database.schema(table).delete()
        }
    }
}

/// Daily check-ins with a form (健康打卡, issue 22 item 4): a check-in campaign's typed fields
/// (`campaign_fields`, as registrations) may carry an alert rule — a number or decimal at or above
/// `alert_at_least` (tenths) or the choice `alert_option`; `alert_category`, when set, turns an
/// abnormal check-in into a case of that category. Each check-in keeps its answers
/// (`checkin_answers`), whether it raised an alert and the case it opened.
struct AddCheckinForms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("campaign_fields").field("alert_at_least", .int).update()
        try await database.schema("campaign_fields").field("alert_option", .string).update()
        try await database.schema("service_campaigns").field("alert_category", .string).update()
        try await database.schema("campaign_checkins").field("alert", .bool, .required, .sql(.default(false))).update()
        try await database.schema("campaign_checkins").field("alert_case_id", .uuid).update()
        try await database.schema("checkin_answers")
            .id()
            .field("checkin_id", .uuid, .required, .references("campaign_checkins", .id))
            .field("field_id", .uuid, .required, .references("campaign_fields", .id))
            .field("value", .string, .required)
            .create()
        try await database.sql.create(index: "checkin_answers_checkin").on("checkin_answers").column("checkin_id").run()
        try await database.sql.create(index: "campaign_checkins_alert").on("campaign_checkins").column("campaign_id").column("alert")
            .column("local_date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("checkin_answers").delete()
        try await database.sql.drop(index: "campaign_checkins_alert").run()
        for field in ["alert", "alert_case_id"] { try await database.schema("campaign_checkins").deleteField(.string(field)).update() }
        try await database.schema("service_campaigns").deleteField("alert_category").update()
        for field in ["alert_at_least", "alert_option"] { try await database.schema("campaign_fields").deleteField(.string(field)).update() }
    }
}
