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
        guard let head = try await AuditQueries.lockedHead(on: db) else {
            throw AppError(.internalServerError, code: "audit_head_missing", zh: "审计日志未初始化", en: "The audit trail is not initialised")
        }
        var previous = head
        var rows: [AuditRow] = []
        rows.reserveCapacity(entries.count)
        for (entry, date) in entries {
            var row = AuditRow(
                seq: previous.seq + 1, at_ms: Int64((date.timeIntervalSince1970 * 1000).rounded()),
                actor_id: entry.actorID?.uuidString, actor_name: entry.actorName, action: entry.action,
                target_type: entry.targetType, target_id: entry.targetID, detail: canonicalJSON(entry.detail),
                client_address: entry.clientAddress, prev_hash: previous.hash, hash: "")
            row.hash = hash(of: row)
            rows.append(row)
            previous = AuditQueries.Head(seq: row.seq, hash: row.hash)
        }
        try await AuditQueries.insert(rows, on: db)
        try await AuditQueries.moveHead(seq: previous.seq, hash: previous.hash, on: db)
    }
}
