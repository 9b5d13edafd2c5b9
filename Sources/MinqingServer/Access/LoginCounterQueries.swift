import Fluent
import Foundation
import SQLKit

/// The login throttle's counters (`login_counters`, one row per key). The throttle's rules live in
/// `LoginCounters` and `LoginThrottlePolicy`; these are its statements.
enum LoginCounterQueries {
    struct Row: Decodable { var key: String; var window_start: Int64; var failures: Int; var locked_until: Int64? }

    /// The counters' rows of `keys` (no lock; keys without a row are absent).
    static func rows(_ keys: [String], on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns("key", "window_start", "failures", "locked_until")
            .from("login_counters").where("key", .in, keys).all(decoding: Row.self)
    }

    /// Writes a zero row for `key` unless it has one (call it inside the caller's write transaction); returns nothing.
    static func insertIfMissing(_ key: String, now: Int64, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO login_counters (key, window_start, failures, locked_until)
            VALUES (\(bind: key), \(bind: now), 0, NULL) ON CONFLICT (key) DO NOTHING
            """
        ).run()
    }

    /// The rows of `keys` in key order, taken for update on PostgreSQL.
    static func lockedRows(_ keys: [String], on db: any Database) async throws -> [Row] {
        let lock = db.dialectName == "postgresql" ? " FOR UPDATE" : ""
        return try await db.sql.raw(
            """
            SELECT key, window_start, failures, locked_until FROM login_counters WHERE key IN (\(binds: keys)) ORDER BY key\(unsafeRaw: lock)
            """
        ).all(decoding: Row.self)
    }

    /// The row of `key`, taken for update on PostgreSQL; nil when it has none.
    static func lockedRow(_ key: String, on db: any Database) async throws -> Row? {
        let lock = db.dialectName == "postgresql" ? " FOR UPDATE" : ""
        return try await db.sql.raw(
            """
            SELECT key, window_start, failures, locked_until FROM login_counters WHERE key = \(bind: key)\(unsafeRaw: lock)
            """
        ).first(decoding: Row.self)
    }

    /// Writes the counter of `key`; returns nothing.
    static func update(_ key: String, windowStart: Int64, failures: Int, lockedUntil: Int64?, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE login_counters SET window_start = \(bind: windowStart), failures = \(bind: failures),
                   locked_until = \(bind: lockedUntil) WHERE key = \(bind: key)
            """
        ).run()
    }

    /// Takes one failure off the counter of `key` (never below zero); returns nothing.
    static func giveBack(_ key: String, on db: any Database) async throws {
        try await db.sql.raw("UPDATE login_counters SET failures = failures - 1 WHERE key = \(bind: key) AND failures > 0").run()
    }

    /// Deletes the counters of `username` (from anywhere and from every address); returns nothing.
    static func deleteAccountCounters(username: String, on db: any Database) async throws {
        try await db.sql.raw(
            """
            DELETE FROM login_counters WHERE key = \(bind: "account:" + username) OR key LIKE \(bind: "pair:" + username + "|%")
            """
        ).run()
    }

    /// Deletes the counter of `key`; returns nothing.
    static func delete(_ key: String, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM login_counters WHERE key = \(bind: key)").run()
    }
}
