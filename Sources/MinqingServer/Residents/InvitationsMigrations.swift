import Fluent
import SQLKit

/// Invitation letters (邀请函) and the residents who signed up with them (issue 22):
/// - `resident_invitations`: one row per letter, for a household (a staff letter) or for a further
///   member of it (a resident's invitation). Only a keyed hash of the code is kept (`code_hash`,
///   the vault's pseudonym): the plain code is shown once, when it is issued. A letter is used at
///   most once (`used_at`, set by a conditional UPDATE), may be revoked with a reason, and is
///   revoked by itself after `Invitations.maxFailures` sign-ups that did not match the household.
/// - `resident_accounts`: which person of the register a resident account is, with the mobile
///   number the resident gave (sealed by the vault like the register's), and how it was made.
struct CreateResidentInvitations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("resident_invitations")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("code_hash", .string, .required)
            // `letter` (printed by staff) or `member` (a resident inviting their household).
            .field("kind", .string, .required)
            .field("issued_by", .string, .required)
            .field("issued_by_account", .uuid, .references(Account.schema, .id))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("failures", .int, .required)
            .field("used_at", .datetime)
            .field("account_id", .uuid, .references(Account.schema, .id))
            .field("revoked_at", .datetime)
            .field("revoked_by", .string)
            .field("revoke_reason", .string)
            .unique(on: "code_hash")
            .create()
        let sql = database.sql
        try await sql.create(index: "resident_invitations_household").on("resident_invitations").column("household_id").column("created_at").run()
        try await sql.create(index: "resident_invitations_node").on("resident_invitations").column("grid_node_id").run()
        try await database.schema("resident_accounts")
            .field("account_id", .uuid, .identifier(auto: false), .references(Account.schema, .id, onDelete: .cascade))
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("grid_node_id", .uuid, .required, .references(GridNode.schema, .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("phone_cipher", .string, .required)
            .field("phone_index", .string, .required)
            .field("phone_masked", .string, .required)
            // `invitation` or `desk` (signed up by staff at the 居委's desk).
            .field("signed_up_via", .string, .required)
            .field("invitation_id", .uuid, .references("resident_invitations", .id))
            .field("created_at", .datetime, .required)
            .unique(on: "person_id")
            .create()
        try await sql.create(index: "resident_accounts_node").on("resident_accounts").column("grid_node_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("resident_accounts").delete()
        try await database.schema("resident_invitations").delete()
    }
}

/// A forgotten password reset by a code sent to the resident's mobile (issue 22 item 1):
/// `password_codes` keeps only a keyed hash of each six-digit code (the vault's pseudonym), when
/// it expires, how many wrong tries it has had, and when it was used (or superseded).
struct CreatePasswordCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("password_codes")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("used_at", .datetime)
            .field("client_address", .string, .required)
            .create()
        try await database.sql.create(index: "password_codes_account").on("password_codes").column("account_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("password_codes").delete()
    }
}

/// 代办 (issue 22 item 5): `proxy_links` records that a resident account acts for an elderly member
/// of its household (who agreed, as the resident declared; ended by either side's family or the
/// 居委, never deleted); `proxy_acts` records each thing done that way (a case left for them).
struct CreateProxyLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("proxy_links")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", .id))
            .field("household_id", .uuid, .required, .references("households", .id))
            .field("consent", .string, .required)
            .field("created_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("ended_by", .string)
            .create()
        try await database.sql.create(index: "proxy_links_account").on("proxy_links").column("account_id").column("person_id").run()
        // One link in force per pair, however fast the form is sent twice.
        try await database.sql.raw(
            "CREATE UNIQUE INDEX proxy_links_in_force ON proxy_links (account_id, person_id) WHERE ended_at IS NULL"
        ).run()
        try await database.schema("proxy_acts")
            .id()
            .field("subdistrict_id", .uuid, .references(GridNode.schema, .id))
            .field("link_id", .uuid, .required, .references("proxy_links", .id))
            .field("target_type", .string, .required)
            .field("target_id", .uuid, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.sql.create(index: "proxy_acts_target").on("proxy_acts").column("target_type").column("target_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("proxy_acts").delete()
        try await database.schema("proxy_links").delete()
    }
}
