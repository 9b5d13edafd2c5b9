import Fluent
import Foundation
import SQLKit

extension AuditLog {
    /// Appends several entries in order with one read of the head, one multi-row INSERT and one
    /// move of the head: the chain is the same as appending them one by one (each row hashes the
    /// one before), for writes that commit many audited changes together (owners' votes written
    /// as a group). Must run inside a write transaction, like `append(_:at:on:)`.
    public static func append(_ entries: [(AuditEntry, Date)], on db: any Database) async throws {
        guard !entries.isEmpty else { return }
        if entries.count == 1 { return try await append(entries[0].0, at: entries[0].1, on: db) }
        let sql = db.sql
        struct Head: Decodable { var seq: Int64; var hash: String }
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)")
            .first(decoding: Head.self) else {
            throw AppError(.internalServerError, code: "audit_head_missing", zh: "审计日志未初始化", en: "The audit trail is not initialised")
        }
        var previous = head
        var rows: [AuditRow] = []
        rows.reserveCapacity(entries.count)
        for (entry, date) in entries {
            var row = AuditRow(seq: previous.seq + 1, at_ms: Int64((date.timeIntervalSince1970 * 1000).rounded()),
                               actor_id: entry.actorID?.uuidString, actor_name: entry.actorName, action: entry.action,
                               target_type: entry.targetType, target_id: entry.targetID, detail: canonicalJSON(entry.detail),
                               client_address: entry.clientAddress, prev_hash: previous.hash, hash: "")
            row.hash = hash(of: row)
            rows.append(row)
            previous = Head(seq: row.seq, hash: row.hash)
        }
        // 11 columns a row: at most 2,500 rows a statement stays under both databases' bound-value limits.
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + 2500)
            try await sql.insert(into: "audit_log").models(Array(rows[start..<end])).run()
            start = end
        }
        try await sql.raw("UPDATE audit_head SET seq = \(bind: previous.seq), hash = \(bind: previous.hash) WHERE id = 1").run()
    }
}

/// The audit head may move forward by more than one row at a time (a batch append), but only
/// forward and only onto a row of the trail with that hash. Replaces the trigger of
/// `CreateAuditLog`, which allowed exactly one row at a time.
struct AuditHeadMovesToARow: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.seq <= OLD.seq
                     OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash) THEN
                    RAISE EXCEPTION 'audit_head only moves forward, onto a row of the trail';
                  END IF;
                  RETURN NEW;
                END $$
                """).run()
        } else {
            try await sql.raw("DROP TRIGGER audit_head_forward").run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
                WHEN NEW.seq <= OLD.seq OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward, onto a row of the trail'); END
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF;
                  RETURN NEW;
                END $$
                """).run()
        } else {
            try await sql.raw("DROP TRIGGER audit_head_forward").run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq <> OLD.seq + 1
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END
                """).run()
        }
    }
}
