import Crypto
import Fluent
import Foundation
import SQLKit

/// One entry of the audit trail (审计日志): who did what to which record, from where. Entries never
/// hold ID or phone numbers, passwords or tokens: `detail` carries identifiers and masked forms only.
public struct AuditEntry: Sendable {
    public var action: String
    public var actorID: UUID?
    public var actorName: String?
    public var targetType: String?
    public var targetID: String?
    public var detail: [String: String]
    public var clientAddress: String?

    public init(action: String, actorID: UUID? = nil, actorName: String? = nil, targetType: String? = nil,
                targetID: String? = nil, detail: [String: String] = [:], clientAddress: String? = nil) {
        self.action = action
        self.actorID = actorID
        self.actorName = actorName
        self.targetType = targetType
        self.targetID = targetID
        self.detail = detail
        self.clientAddress = clientAddress
    }
}

/// A stored audit row.
public struct AuditRow: Sendable, Codable, Equatable {
    public var seq: Int64
    public var at_ms: Int64
    public var actor_id: String?
    public var actor_name: String?
    public var action: String
    public var target_type: String?
    public var target_id: String?
    public var detail: String
    public var client_address: String?
    public var prev_hash: String
    public var hash: String
}

/// The append-only, hash-chained audit trail. Each row's hash covers its content and the hash of
/// the row before, so changing, removing or reordering any row breaks the chain from that row on;
/// `audit_head` holds the last sequence number and hash, so cutting off the tail is seen too.
/// Triggers refuse UPDATE and DELETE on both databases.
public enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// Appends `entry`. Must run inside a write transaction (`Database.write`), so an audited change
    /// and its audit row commit together or not at all, and appends are serialised.
    public static func append(_ entry: AuditEntry, at date: Date, on db: any Database) async throws {
        let sql = db.sql
        struct Head: Decodable { var seq: Int64; var hash: String }
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)")
            .first(decoding: Head.self) else {
            throw AppError(.internalServerError, code: "audit_head_missing", zh: "审计日志未初始化", en: "The audit trail is not initialised")
        }
        let detail = canonicalJSON(entry.detail)
        var row = AuditRow(seq: head.seq + 1, at_ms: Int64((date.timeIntervalSince1970 * 1000).rounded()),
                           actor_id: entry.actorID?.uuidString, actor_name: entry.actorName, action: entry.action,
                           target_type: entry.targetType, target_id: entry.targetID, detail: detail,
                           client_address: entry.clientAddress, prev_hash: head.hash, hash: "")
        row.hash = hash(of: row)
        try await sql.insert(into: "audit_log").model(row).run()
        try await sql.raw("UPDATE audit_head SET seq = \(bind: row.seq), hash = \(bind: row.hash) WHERE id = 1").run()
    }

    /// The SHA-256 over every field in a fixed order and the previous hash, each field written as
    /// its UTF-8 length and bytes (absent fields as -1), so no two rows serialise alike and the
    /// input does not depend on any encoder's formatting.
    static func hash(of row: AuditRow) -> String {
        let fields: [String?] = ["minqing-audit-v1", String(row.seq), String(row.at_ms), row.actor_id,
                                 row.actor_name, row.action, row.target_type, row.target_id,
                                 row.detail, row.client_address, row.prev_hash]
        var bytes: [UInt8] = []
        for field in fields {
            if let field {
                let utf8 = Array(field.utf8)
                bytes += Array("\(utf8.count):".utf8) + utf8
            } else {
                bytes += Array("-1:".utf8)
            }
        }
        return SHA256.hash(data: bytes).hexString
    }

    static func canonicalJSON(_ detail: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(detail)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// The outcome of checking the chain.
    public struct Verification: Sendable, Equatable {
        public var checked: Int
        /// The first row that is wrong, with the reason; nil when the chain holds.
        public var firstBadSeq: Int64?
        public var reason: String?
        public var isIntact: Bool { firstBadSeq == nil && reason == nil }
    }

    /// Walks the whole chain in order, recomputing every hash.
    public static func verify(on db: any Database) async throws -> Verification {
        let sql = db.sql
        var expectedSeq: Int64 = 1
        var previous = genesis
        var checked = 0
        while true {
            let rows = try await sql.raw("""
                SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
                FROM audit_log WHERE seq >= \(bind: expectedSeq) ORDER BY seq LIMIT 5000
                """).all(decoding: AuditRow.self)
            if rows.isEmpty { break }
            for row in rows {
                if row.seq != expectedSeq {
                    return Verification(checked: checked, firstBadSeq: expectedSeq,
                                        reason: "row \(expectedSeq) is missing / 第 \(expectedSeq) 行缺失")
                }
                if row.prev_hash != previous {
                    return Verification(checked: checked, firstBadSeq: row.seq,
                                        reason: "row \(row.seq) does not link to the row before / 第 \(row.seq) 行与上一行不衔接")
                }
                if hash(of: row) != row.hash {
                    return Verification(checked: checked, firstBadSeq: row.seq,
                                        reason: "row \(row.seq) was altered / 第 \(row.seq) 行被篡改")
                }
                previous = row.hash
                expectedSeq += 1
                checked += 1
            }
        }
        struct Head: Decodable { var seq: Int64; var hash: String }
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(decoding: Head.self) else {
            return Verification(checked: checked, firstBadSeq: expectedSeq,
                                reason: "the head row is missing / 审计链头记录缺失")
        }
        if head.seq != expectedSeq - 1 || head.hash != previous {
            return Verification(checked: checked, firstBadSeq: expectedSeq,
                                reason: "the trail ends at row \(expectedSeq - 1) but the head says \(head.seq): rows were removed / 日志尾部被删除")
        }
        return Verification(checked: checked, firstBadSeq: nil, reason: nil)
    }

    /// The newest rows first, paged.
    public static func recent(limit: Int, before: Int64?, on db: any Database) async throws -> [AuditRow] {
        let sql = db.sql
        if let before {
            return try await sql.raw("""
                SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
                FROM audit_log WHERE seq < \(bind: before) ORDER BY seq DESC LIMIT \(count: limit)
                """).all(decoding: AuditRow.self)
        }
        return try await sql.raw("""
            SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
            FROM audit_log ORDER BY seq DESC LIMIT \(count: limit)
            """).all(decoding: AuditRow.self)
    }

    /// The entries of a period (`fromMs` included, `toMs` not), in order.
    public static func between(fromMs: Int64, toMs: Int64, on db: any Database) async throws -> [AuditRow] {
        try await db.sql.raw("""
            SELECT seq, at_ms, actor_id, actor_name, action, target_type, target_id, detail, client_address, prev_hash, hash
            FROM audit_log WHERE at_ms >= \(bind: fromMs) AND at_ms < \(bind: toMs) ORDER BY seq
            """).all(decoding: AuditRow.self)
    }
}

/// The audit tables, the head row, and the triggers that make the log append-only.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("seq", .int64, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("actor_id", .string)
            .field("actor_name", .string)
            .field("action", .string, .required)
            .field("target_type", .string)
            .field("target_id", .string)
            .field("detail", .string, .required)
            .field("client_address", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database.sql
        try await sql.raw("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, \(bind: AuditLog.genesis))").run()
        try await sql.create(index: "audit_log_actor").on("audit_log").column("actor_id").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """).run()
            try await sql.raw("""
                CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF;
                  RETURN NEW;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
                FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()
                """).run()
        } else {
            try await sql.raw("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END").run()
            try await sql.raw("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END").run()
            try await sql.raw("CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END").run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq <> OLD.seq + 1
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await database.schema("audit_head").delete()
        try await database.schema("audit_log").delete()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION IF EXISTS audit_log_append_only()").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_head_forward_only()").run()
        }
    }
}
