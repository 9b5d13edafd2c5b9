import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// `aid_rollups`: the register's aid summed per (node, programme, kind, unit, month) for every
/// ancestor of the record's node that is not a building group. At scale 1 the register holds
/// about 1.8 M aid records; the dashboard reads a node's few hundred rollup rows instead.
///
/// Every writer of `aid_records` calls `AidRollupQueries.add` in the same transaction as its insert (today:
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

    /// Writes leaf sums (keyed by the records' own nodes) as rollup rows of their ancestors.
    package static func write(_ leaf: [Key: Sum], on db: any Database) async throws -> Int {
        let ancestors = try await AidRollupQueries.ancestorsAboveBuildingGroups(on: db)
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
        try await AidRollupQueries.insert(rollup, tenant: tenant, on: db)
        return rollup.count
    }
}
