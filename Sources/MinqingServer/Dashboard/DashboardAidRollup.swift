import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// `aid_rollups`: the register's aid summed per (node, programme, kind, unit, month) for every
/// ancestor of the record's node that is not a building group. At scale 1 the register holds
/// about 1.8 M aid records; the dashboard reads a node's few hundred rollup rows instead.
///
/// Every writer of `aid_records` calls `add` in the same transaction as its insert (today:
/// `RegistryRecords.recordAid`), so the rollup never drifts; the demo writes its 1.8 M records
/// with `INSERT … SELECT`; the demo builds its rollup in `AidRollup.loadDemo` (MinqingDemo).
package enum AidRollup {
    package struct Key: Hashable {
        package var node: UUID; package var programme: String; package var kind: String; package var unit: String; package var month: String
        package init(node: UUID, programme: String, kind: String, unit: String, month: String) {
            self.node = node; self.programme = programme; self.kind = kind; self.unit = unit; self.month = month
        }
    }
    package struct Sum {
        package var fen: Int64 = 0, quantity: Int64 = 0, minutes: Int64 = 0, records: Int64 = 0
        package init(fen: Int64 = 0, quantity: Int64 = 0, minutes: Int64 = 0, records: Int64 = 0) {
            self.fen = fen; self.quantity = quantity; self.minutes = minutes; self.records = records
        }
        package static func += (a: inout Sum, b: Sum) { a.fen += b.fen; a.quantity += b.quantity; a.minutes += b.minutes; a.records += b.records }
        package func times(_ n: Int64) -> Sum { Sum(fen: fen * n, quantity: quantity * n, minutes: minutes * n, records: records * n) }
    }

    /// Adds one aid record (on `node`, given on `givenOn`) to the rollup rows of the node's
    /// ancestors above the building groups. Call inside the transaction that inserts the record.
    static func add(node: UUID, programme: String, kind: AidKind, unit: String?, givenOn: CivilDate,
                    fen: Int64?, quantity: Int64?, minutes: Int64?, on db: any Database) async throws {
        try await db.sql.raw("""
            INSERT INTO aid_rollups (node_id, subdistrict_id, programme, kind, unit, month, amount_fen, quantity, minutes, records)
            SELECT c.ancestor_id, n.subdistrict_id, \(bind: programme), \(bind: kind.rawValue), \(bind: unit ?? ""),
                   \(bind: String(givenOn.iso8601.prefix(7))), \(bind: fen ?? 0), \(bind: quantity ?? 0), \(bind: minutes ?? 0), \(bind: Int64(1))
            FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE c.descendant_id = \(bind: node) AND n.level <> \(bind: GridLevel.buildingGroup.rawValue)
            ON CONFLICT (node_id, programme, kind, unit, month) DO UPDATE SET
                amount_fen = aid_rollups.amount_fen + excluded.amount_fen, quantity = aid_rollups.quantity + excluded.quantity,
                minutes = aid_rollups.minutes + excluded.minutes, records = aid_rollups.records + excluded.records
            """).run()
    }

    /// Writes leaf sums (keyed by the records' own nodes) as rollup rows of their ancestors.
    package static func write(_ leaf: [Key: Sum], on db: any Database) async throws -> Int {
        struct Up: Decodable { var descendant_id: UUID; var ancestor_id: UUID; var subdistrict_id: UUID? }
        var ancestors: [UUID: [(UUID, UUID?)]] = [:]
        for row in try await db.sql.raw("""
            SELECT c.descendant_id, c.ancestor_id, n.subdistrict_id FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE n.level <> \(bind: GridLevel.buildingGroup.rawValue)
            """).all(decoding: Up.self) {
            ancestors[row.descendant_id, default: []].append((row.ancestor_id, row.subdistrict_id))
        }
        var rollup: [Key: Sum] = [:]
        var tenant: [UUID: UUID?] = [:]
        for (key, sum) in leaf {
            for (ancestor, subdistrict) in ancestors[key.node] ?? [] {
                var k = key
                k.node = ancestor
                rollup[k, default: Sum()] += sum
                tenant[ancestor] = subdistrict
            }
        }
        var inserter = BulkInserter(table: "aid_rollups", columns: ["node_id", "subdistrict_id", "programme", "kind", "unit", "month",
                                                                    "amount_fen", "quantity", "minutes", "records"])
        for (key, sum) in rollup {
            try await inserter.add([SQLBind(key.node), bindOrNull(tenant[key.node] ?? nil), SQLBind(key.programme), SQLBind(key.kind), SQLBind(key.unit),
                                    SQLBind(key.month), SQLBind(sum.fen), SQLBind(sum.quantity), SQLBind(sum.minutes), SQLBind(sum.records)], on: db)
        }
        try await inserter.flush(on: db)
        return rollup.count
    }
}
