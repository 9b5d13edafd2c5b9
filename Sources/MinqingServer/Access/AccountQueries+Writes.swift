import Fluent
import Foundation
import SQLKit

/// Writes of accounts (sign-in time, password, enabled flag), and the look-up by name of the command line.
extension AccountQueries {
    /// Writes the account's last sign-in time; returns nothing.
    static func recordLogin(_ account: UUID, at now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE accounts SET last_login_at = \(bind: now) WHERE id = \(bind: account)").run()
    }

    /// Writes a new password hash (and clears must-change-password, or sets it for an initial
    /// password someone else chose); returns nothing.
    static func setPassword(_ account: UUID, hash newHash: String, mustChange: Bool = false, now: Date, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE accounts SET password_hash = \(bind: newHash), must_change_password = \(flag: mustChange),
                   password_changed_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: account)
            """
        ).run()
    }

    /// Writes whether the account is disabled; returns nothing.
    /// Sets the account's large-text, high-contrast display (适老化); returns nothing.
    static func setLargeText(_ account: UUID, _ on: Bool, now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE accounts SET large_text = \(bind: on), updated_at = \(bind: now) WHERE id = \(bind: account)").run()
    }

    static func setDisabled(_ account: UUID, disabled: Bool, now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE accounts SET disabled = \(bind: disabled), updated_at = \(bind: now) WHERE id = \(bind: account)").run()
    }

    /// The id of the account named `username` (any scope: for the command line on the server), or nil.
    static func accountID(username: String, on db: any Database) async throws -> UUID? {
        struct A: Decodable { var id: UUID }
        return try await db.sql.raw("SELECT id FROM accounts WHERE username = \(bind: username)").first(decoding: A.self)?.id
    }
}
