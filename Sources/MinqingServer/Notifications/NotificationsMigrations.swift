import Fluent
import SQLKit

/// Notifications (消息, issue 22 item 3):
/// - `notifications`: one row per person and event, in their inbox on the site; the title in both
///   languages, the event's own words (`detail`: a case number and title, a poll's title), the page
///   it concerns, and when it was read. Kept 180 days (`Notifications.keepDays`).
/// - `notification_choices`: what a person wants on their phone, per kind (no row: the kind's
///   default).
/// - `notification_outbox`: the messages bound for the phone gateway, written in the event's
///   transaction; the delivery pass sends each at most once per try (its id is the idempotency
///   key), retries with backoff, and leaves a dead letter after the last try.
struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notifications")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("title_zh", .string, .required)
            .field("title_en", .string, .required)
            .field("detail", .string, .required)
            .field("href", .string, .required)
            .field("urgent", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        let sql = database.sql
        try await sql.create(index: "notifications_inbox").on("notifications").column("account_id").column("created_at").run()
        try await sql.create(index: "notifications_created").on("notifications").column("created_at").run()
        try await database.schema("notification_choices")
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("to_phone", .bool, .required)
            .field("updated_at", .datetime, .required)
            .compositeIdentifier(over: "account_id", "kind")
            .create()
        try await database.schema("notification_outbox")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("notification_id", .uuid, .required, .references("notifications", .id, onDelete: .cascade))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            // pending → sent, or dead after the last failed try, or expired (not sent within a day).
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .create()
        try await sql.create(index: "notification_outbox_due").on("notification_outbox").column("state").column("next_attempt_at").run()
        try await sql.create(index: "notification_outbox_notification").on("notification_outbox").column("notification_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notification_outbox").delete()
        try await database.schema("notification_choices").delete()
        try await database.schema("notifications").delete()
    }
}

/// A notice to a whole subdistrict is a job (`notification_fanouts`), written with the event, then
/// expanded in chunks of recipients, each chunk in its own transaction with the job's cursor (the
/// last account written), so a read never waits for the whole fan-out and a fan-out cut short
/// resumes where it stopped.
struct AddNotificationFanouts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notification_fanouts")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("kind", .string, .required)
            .field("title_zh", .string, .required)
            .field("title_en", .string, .required)
            .field("detail", .string, .required)
            .field("href", .string, .required)
            .field("urgent", .bool, .required)
            .field("except_account", .uuid)
            .field("after_account", .uuid)
            .field("sent", .int, .required)
            .field("created_at", .datetime, .required)
            .field("done_at", .datetime)
            .create()
        try await database.sql.create(index: "notification_fanouts_open").on("notification_fanouts").column("done_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notification_fanouts").delete()
    }
}
