import Fluent
import Foundation
import SQLKit

/// The second factor's reads and writes (`account_totp`, `account_recovery_codes`).
enum SecondFactorQueries {
    struct Row: Decodable { var secret_cipher: String; var confirmed_at: Date?; var last_step: Int64? }

    /// The account's TOTP row (sealed secret, when confirmed, last step used), or nil.
    static func row(_ account: UUID, on db: any Database) async throws -> Row? {
        try await db.sql.raw("SELECT secret_cipher, confirmed_at, last_step FROM account_totp WHERE account_id = \(bind: account)")
            .first(decoding: Row.self)
    }

    /// How many of the account's recovery codes are unused.
    static func recoveryCodesLeft(_ account: UUID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM account_recovery_codes WHERE account_id = \(bind: account) AND used_at IS NULL
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Deletes the account's TOTP secret (confirmed or not); returns nothing.
    static func deleteSecret(_ account: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM account_totp WHERE account_id = \(bind: account)").run()
    }

    /// Writes a new, unconfirmed TOTP secret (sealed) for the account; returns nothing.
    static func insertSecret(_ account: UUID, cipher: String, now: Date, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO account_totp (account_id, secret_cipher, confirmed_at, last_step, created_at)
            VALUES (\(bind: account), \(bind: cipher), NULL, NULL, \(bind: now))
            """
        ).run()
    }

    /// Records `step` as the account's last used step if it is later than the last one; true when this call won it.
    static func claimStep(_ step: Int64, account: UUID, on db: any Database) async throws -> Bool {
        // Conditional: of two requests with the same code, one wins.
        struct R: Decodable { var account_id: UUID }
        return try await db.sql.raw(
            """
            UPDATE account_totp SET last_step = \(bind: step)
            WHERE account_id = \(bind: account) AND (last_step IS NULL OR last_step < \(bind: step)) RETURNING account_id
            """
        ).first(decoding: R.self) != nil
    }

    /// Marks the account's unused recovery code with hash `codeHash` as used; true when there was one.
    static func useRecoveryCode(codeHash: String, account: UUID, now: Date, on db: any Database) async throws -> Bool {
        struct R: Decodable { var id: UUID }
        let row = try await db.sql.raw(
            """
            UPDATE account_recovery_codes SET used_at = \(bind: now)
            WHERE account_id = \(bind: account) AND code_hash = \(bind: codeHash) AND used_at IS NULL RETURNING id
            """
        ).first(decoding: R.self)
        return row != nil
    }

    /// Deletes all the account's recovery codes; returns nothing.
    static func deleteRecoveryCodes(_ account: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM account_recovery_codes WHERE account_id = \(bind: account)").run()
    }

    /// Writes one unused recovery code (its hash) for the account; returns nothing.
    static func insertRecoveryCode(_ account: UUID, codeHash: String, now: Date, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO account_recovery_codes (id, account_id, code_hash, used_at, created_at)
            VALUES (\(bind: UUID()), \(bind: account), \(bind: codeHash), NULL, \(bind: now))
            """
        ).run()
    }

    /// Marks the account's TOTP secret confirmed at `now`; returns nothing.
    static func confirmSecret(_ account: UUID, at now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE account_totp SET confirmed_at = \(bind: now) WHERE account_id = \(bind: account)").run()
    }
}
