import Fluent
import Foundation
import SQLKit

/// 约空间 slots that staff close or block, generated weeks ahead from the opening hours (issue 21).
///
/// - `service_slots.state`: `open` (offered), `closed` (not offered) or `blocked` (taken for
///   something else, `reason` saying what, e.g. 活动占用); `changed_by` and `changed_at` record the
///   last change. Rows written before this migration, and every generated row, are `open`.
/// - `service_resources.slots_through`: the last local date whose slots have been generated; a
///   view of the resource tops them up when it falls behind the weeks ahead.
/// - `service_slots_start`: the open slots of the coming days across a subdistrict's resources.
struct AddServiceSlotStates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds columns one ALTER TABLE at a time.
        try await database.schema("service_slots").field("state", .string, .required, .sql(.default("open"))).update()
        try await database.schema("service_slots").field("reason", .string).update()
        try await database.schema("service_slots").field("changed_by", .uuid).update()
        try await database.schema("service_slots").field("changed_at", .datetime).update()
        try await database.schema("service_resources").field("slots_through", .string).update()
        try await database.sql.create(index: "service_slots_start").on("service_slots").column("starts_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "service_slots_start").run()
        for field in ["changed_at", "changed_by", "reason", "state"] {
            try await database.schema("service_slots").deleteField(.string(field)).update()
        }
        try await database.schema("service_resources").deleteField("slots_through").update()
    }
}

/// Covering indexes for the dashboard's bookings panel, which reads a year's bookings of the
/// scope's resources by status with each one's slot day: both read from the indexes alone
/// instead of a row of each table per booking (~8,700 at scale 1). The bookings' index replaces
/// `service_bookings_resource` (its first two columns).
struct AddBookingPanelIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "service_bookings_resource").run()
        try await sql.create(index: "service_bookings_resource_slot").on("service_bookings").column("resource_id").column("status")
            .column("slot_id").run()
        try await sql.create(index: "service_slots_day").on("service_slots").column("id").column("local_date").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "service_bookings_resource_slot").run()
        try await sql.drop(index: "service_slots_day").run()
        try await sql.create(index: "service_bookings_resource").on("service_bookings").column("resource_id").column("status").run()
    }
}
