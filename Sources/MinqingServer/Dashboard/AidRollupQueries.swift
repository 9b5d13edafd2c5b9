import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The SQL of `aid_rollups` (`AidRollup`): one record added to its ancestors' rows, and the
/// bulk write of whole rollups.
enum AidRollupQueries {
    /// Adds one aid record's amounts (and one record) to the rollup rows of `node`'s ancestors
    /// above the building groups, for the month of `givenOn`. Call it inside the transaction that
    /// inserts the record, so the rollup never drifts.
    static func add(
        node: UUID, programme: String, kind: AidKind, unit: String?, givenOn: CivilDate,
        fen: Int64?, quantity: Int64?, minutes: Int64?, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO aid_rollups (node_id, subdistrict_id, programme, kind, unit, month, amount_fen, quantity, minutes, records)
            SELECT c.ancestor_id, n.subdistrict_id, \(bind: programme), \(bind: kind.rawValue), \(bind: unit ?? ""),
                   \(bind: String(givenOn.iso8601.prefix(7))), \(bind: fen ?? 0), \(bind: quantity ?? 0), \(bind: minutes ?? 0), \(bind: Int64(1))
            FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE c.descendant_id = \(bind: node) AND n.level <> \(bind: GridLevel.buildingGroup.rawValue)
            ON CONFLICT (node_id, programme, kind, unit, month) DO UPDATE SET
                amount_fen = aid_rollups.amount_fen + excluded.amount_fen, quantity = aid_rollups.quantity + excluded.quantity,
                minutes = aid_rollups.minutes + excluded.minutes, records = aid_rollups.records + excluded.records
            """
        ).run()
    }

    /// Per node, its ancestors (itself included) that are not building groups, each with its subdistrict.
    static func ancestorsAboveBuildingGroups(on db: any Database) async throws -> [UUID: [(UUID, UUID?)]] {
        struct Up: Decodable { var descendant_id: UUID; var ancestor_id: UUID; var subdistrict_id: UUID? }
        var ancestors: [UUID: [(UUID, UUID?)]] = [:]
        for row in try await db.sql.raw(
            """
            SELECT c.descendant_id, c.ancestor_id, n.subdistrict_id FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE n.level <> \(bind: GridLevel.buildingGroup.rawValue)
            """
        ).all(decoding: Up.self) {
            ancestors[row.descendant_id, default: []].append((row.ancestor_id, row.subdistrict_id))
        }
        return ancestors
    }

    /// Writes `rollup` as new rows of `aid_rollups`, each with its node's subdistrict from `tenant`.
    static func insert(_ rollup: [AidRollup.Key: AidRollup.Sum], tenant: [UUID: UUID?], on db: any Database) async throws {
        var inserter = BulkInserter(
            table: "aid_rollups",
            columns: [
                "node_id", "subdistrict_id", "programme", "kind", "unit", "month",
                "amount_fen", "quantity", "minutes", "records"
            ])
        for (key, sum) in rollup {
            try await inserter.add(
                [
                    SQLBind(key.node), bindOrNull(tenant[key.node] ?? nil), SQLBind(key.programme), SQLBind(key.kind), SQLBind(key.unit),
                    SQLBind(key.month), SQLBind(sum.fen), SQLBind(sum.quantity), SQLBind(sum.minutes), SQLBind(sum.records)
                ], on: db)
        }
        try await inserter.flush(on: db)
    }
}
