import Fluent
import Foundation
import SQLKit

/// The audit trail's reads and writes (`audit_log` and its head row `audit_head`). The chain's
/// rules (hashing, order, verification) live in `AuditLog`; appends run inside its write transaction.
enum AuditQueries {
    /// The head row: the last sequence number and hash of the trail.
    struct Head: Decodable, Sendable { var seq: Int64; var hash: String }

    /// The head row, taken for update on PostgreSQL (SQLite's write transaction holds the lock already); nil when it is missing.
    static func lockedHead(on db: any Database) async throws -> Head? {
        let sql = db.sql
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)")
            .first(decoding: Head.self)
    }

    /// The head row as it stands (no lock), for verification; nil when it is missing.
    static func head(on db: any Database) async throws -> Head? {
        try await db.sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(decoding: Head.self)
    }

    /// Writes one audit row; returns nothing.
    static func insert(_ row: AuditRow, on db: any Database) async throws {
        try await db.sql.insert(into: "audit_log").model(row).run()
    }

    /// Writes audit rows in order, in multi-row INSERTs; returns nothing.
    static func insert(_ rows: [AuditRow], on db: any Database) async throws {
        let sql = db.sql
        // 11 columns a row: at most 2,500 rows a statement stays under both databases' bound-value limits.
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + 2500)
            try await sql.insert(into: "audit_log").models(Array(rows[start..<end])).run()
            start = end
        }
    }

    /// Moves the head row to `seq` and `hash`; returns nothing.
    static func moveHead(seq: Int64, hash: String, on db: any Database) async throws {
        try await db.sql.raw("UPDATE audit_head SET seq = \(bind: seq), hash = \(bind: hash) WHERE id = 1").run()
    }

    /// Up to 5,000 rows of the trail from `seq` on, in order.
    static func chain(from seq: Int64, on db: any Database) async throws -> [AuditRow] {
        try await db.sql.raw(
            """
            SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
            FROM audit_log WHERE seq >= \(bind: seq) ORDER BY seq LIMIT 5000
            """
        ).all(decoding: AuditRow.self)
    }

    /// The newest rows first (before `before` when given), at most `limit`.
    static func recent(limit: Int, before: Int64?, on db: any Database) async throws -> [AuditRow] {
        let sql = db.sql
        if let before {
            return try await sql.raw(
                """
                SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
                FROM audit_log WHERE seq < \(bind: before) ORDER BY seq DESC LIMIT \(count: limit)
                """
            ).all(decoding: AuditRow.self)
        }
        return try await sql.raw(
            """
            SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
            FROM audit_log ORDER BY seq DESC LIMIT \(count: limit)
            """
        ).all(decoding: AuditRow.self)
    }

    /// The rows of a period (`fromMs` included, `toMs` not), in order.
    static func between(fromMs: Int64, toMs: Int64, on db: any Database) async throws -> [AuditRow] {
        try await db.sql.raw(
            """
            SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
            FROM audit_log WHERE at_ms >= \(bind: fromMs) AND at_ms < \(bind: toMs) ORDER BY seq
            """
        ).all(decoding: AuditRow.self)
    }
}
