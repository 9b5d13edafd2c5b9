import Fluent
import SQLKit

/// Accounts, sessions and tokens, and the login-failure counters of the throttle.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("password_hash", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("disabled", .bool, .required)
            .field("password_changed_at", .datetime)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
        try await database.schema(AuthSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("kind", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .field("client_address", .string)
            .unique(on: "token_hash")
            .create()
        try await database.schema("login_counters")
            .field("key", .string, .identifier(auto: false))
            .field("window_start", .int64, .required)
            .field("failures", .int, .required)
            .field("locked_until", .int64)
            .create()
        let sql = database.sql
        try await sql.create(index: "accounts_grid_node").on(Account.schema).column("grid_node_id").run()
        try await sql.create(index: "auth_sessions_account").on(AuthSession.schema).column("account_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_counters").delete()
        try await database.schema(AuthSession.schema).delete()
        try await database.schema(Account.schema).delete()
    }
}

/// 适老化 (issue 22 item 5): the account's large-text, high-contrast display, remembered with the
/// account rather than the browser, so it follows an older resident to any phone.
struct AddAccountLargeText: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("accounts").field("large_text", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("accounts").deleteField("large_text").update()
    }
}
