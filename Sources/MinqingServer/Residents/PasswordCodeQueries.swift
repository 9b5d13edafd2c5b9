import Fluent
import Foundation
import SQLKit

/// The SQL of password codes (`PasswordCodes`).
enum PasswordCodeQueries {
    struct Target: Decodable, Sendable { var id: UUID; var subdistrict_id: UUID?; var phone_cipher: String? }

    /// The enabled resident account named `username`, with the mobile number it signed up with
    /// (nil without one); nil when there is no such account.
    static func target(_ username: String, on db: any Database) async throws -> Target? {
        try await db.sql.raw(
            """
            SELECT a.id, a.subdistrict_id, ra.phone_cipher FROM accounts a LEFT JOIN resident_accounts ra ON ra.account_id = a.id
            WHERE a.username = \(bind: username) AND a.role = 'resident' AND a.disabled = \(flag: false)
            """
        ).first(decoding: Target.self)
    }

    struct Recent: Decodable, Sendable { var n: Int; var latest: Date? }

    /// How many codes the account was sent since `since`, and when the latest was.
    static func recent(_ account: UUID, since: Date, on db: any Database) async throws -> Recent {
        try await db.sql.raw(
            """
            SELECT COUNT(*) AS n, MAX(created_at) AS latest FROM password_codes
            WHERE account_id = \(bind: account) AND created_at >= \(bind: since)
            """
        ).first(decoding: Recent.self) ?? Recent(n: 0, latest: nil)
    }

    /// A new code; any earlier one still unused is superseded.
    static func insert(
        _ id: UUID, target: Target, hash: String, now: Date, expires: Date, address: String, on db: any Database
    ) async throws {
        try await supersede(target.id, now: now, on: db)
        try await db.sql.insert(into: "password_codes")
            .columns("id", "subdistrict_id", "account_id", "code_hash", "created_at", "expires_at", "attempts", "client_address")
            .values(
                SQLBind(id), bindOrNull(target.subdistrict_id), SQLBind(target.id), SQLBind(hash), SQLBind(now), SQLBind(expires), SQLBind(0),
                SQLBind(String(address.prefix(100)))
            ).run()
    }

    struct Live: Decodable, Sendable { var id: UUID; var code_hash: String }

    /// Counts one try against the account's latest code that is unused, unexpired and has tries
    /// left, and returns it; nil when there is none (one statement: parallel tries each count).
    static func claimTry(_ account: UUID, now: Date, maxAttempts: Int, on db: any Database) async throws -> Live? {
        try await db.sql.raw(
            """
            UPDATE password_codes SET attempts = attempts + 1
            WHERE id = (SELECT id FROM password_codes WHERE account_id = \(bind: account) AND used_at IS NULL ORDER BY created_at DESC LIMIT 1)
              AND used_at IS NULL AND expires_at > \(bind: now) AND attempts < \(bind: maxAttempts)
            RETURNING id, code_hash
            """
        ).first(decoding: Live.self)
    }

    /// Marks the code used; false when another reset took it first.
    static func take(_ id: UUID, now: Date, on db: any Database) async throws -> Bool {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw("UPDATE password_codes SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id")
            .first(decoding: R.self) != nil
    }

    /// Marks every unused code of the account used: the one just taken, and any other.
    static func supersede(_ account: UUID, now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE password_codes SET used_at = \(bind: now) WHERE account_id = \(bind: account) AND used_at IS NULL").run()
    }
}
