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

    public init(
        action: String, actorID: UUID? = nil, actorName: String? = nil, targetType: String? = nil,
        targetID: String? = nil, detail: [String: String] = [:], clientAddress: String? = nil
    ) {
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
        guard let head = try await AuditQueries.lockedHead(on: db) else {
            throw AppError(.internalServerError, code: "audit_head_missing", zh: "审计日志未初始化", en: "The audit trail is not initialised")
        }
        let detail = canonicalJSON(entry.detail)
        var row = AuditRow(
            seq: head.seq + 1, at_ms: Int64((date.timeIntervalSince1970 * 1000).rounded()),
            actor_id: entry.actorID?.uuidString, actor_name: entry.actorName, action: entry.action,
            target_type: entry.targetType, target_id: entry.targetID, detail: detail,
            client_address: entry.clientAddress, prev_hash: head.hash, hash: "")
        row.hash = hash(of: row)
        try await AuditQueries.insert(row, on: db)
        try await AuditQueries.moveHead(seq: row.seq, hash: row.hash, on: db)
    }

    /// The SHA-256 over every field in a fixed order and the previous hash, each field written as
    /// its UTF-8 length and bytes (absent fields as -1), so no two rows serialise alike and the
    /// input does not depend on any encoder's formatting.
    static func hash(of row: AuditRow) -> String {
        let fields: [String?] = [
            "minqing-audit-v1", String(row.seq), String(row.at_ms), row.actor_id,
            row.actor_name, row.action, row.target_type, row.target_id,
            row.detail, row.client_address, row.prev_hash
        ]
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
        var expectedSeq: Int64 = 1
        var previous = genesis
        var checked = 0
        while true {
            let rows = try await AuditQueries.chain(from: expectedSeq, on: db)
            if rows.isEmpty { break }
            for row in rows {
                if row.seq != expectedSeq {
                    return Verification(
                        checked: checked, firstBadSeq: expectedSeq,
                        reason: "row \(expectedSeq) is missing / 第 \(expectedSeq) 行缺失")
                }
                if row.prev_hash != previous {
                    return Verification(
                        checked: checked, firstBadSeq: row.seq,
                        reason: "row \(row.seq) does not link to the row before / 第 \(row.seq) 行与上一行不衔接")
                }
                if hash(of: row) != row.hash {
                    return Verification(
                        checked: checked, firstBadSeq: row.seq,
                        reason: "row \(row.seq) was altered / 第 \(row.seq) 行被篡改")
                }
                previous = row.hash
                expectedSeq += 1
                checked += 1
            }
        }
        guard let head = try await AuditQueries.head(on: db) else {
            return Verification(
                checked: checked, firstBadSeq: expectedSeq,
                reason: "the head row is missing / 审计链头记录缺失")
        }
        if head.seq != expectedSeq - 1 || head.hash != previous {
            return Verification(
                checked: checked, firstBadSeq: expectedSeq,
                reason: "the trail ends at row \(expectedSeq - 1) but the head says \(head.seq): rows were removed / 日志尾部被删除")
        }
        return Verification(checked: checked, firstBadSeq: nil, reason: nil)
    }

    /// The newest rows first, paged.
    public static func recent(limit: Int, before: Int64?, on db: any Database) async throws -> [AuditRow] {
        try await AuditQueries.recent(limit: limit, before: before, on: db)
    }

    /// The entries of a period (`fromMs` included, `toMs` not), in order.
    public static func between(fromMs: Int64, toMs: Int64, on db: any Database) async throws -> [AuditRow] {
        try await AuditQueries.between(fromMs: fromMs, toMs: toMs, on: db)
    }
}
