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
/// with `INSERT … SELECT` and builds the rollup in `loadDemo` from the same schedule.
enum AidRollup {
    struct Key: Hashable { var node: UUID; var programme: String; var kind: String; var unit: String; var month: String }
    struct Sum {
        var fen: Int64 = 0, quantity: Int64 = 0, minutes: Int64 = 0, records: Int64 = 0
        static func += (a: inout Sum, b: Sum) { a.fen += b.fen; a.quantity += b.quantity; a.minutes += b.minutes; a.records += b.records }
        func times(_ n: Int64) -> Sum { Sum(fen: fen * n, quantity: quantity * n, minutes: minutes * n, records: records * n) }
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

    /// Builds the rollup of the demo's aid right after `RegistryDemo.load` (same transaction).
    /// The scheduled programmes are summed from their schedule and the holders of each tag
    /// grouped by node and birth date (clamped to the schedule's first day: everyone born
    /// before it receives every entry), as `RegistryDemo.insertScheduledAid` joins them; the
    /// few thousand other records (temporary relief, aid on help requests) are grouped in SQL.
    /// Returns the number of rollup rows.
    @discardableResult
    static func loadDemo(today: CivilDate, on db: any Database) async throws -> Int {
        let start = (try? today.adding(days: -RegistryDemo.aidMonths * 30)) ?? today
        let schedule = RegistryDemo.aidSchedule(start: start, today: today)
        struct TagRow: Decodable { var id: UUID; var code: String }
        var tagIDs: [String: UUID] = [:]
        for row in try await db.sql.raw("SELECT id, code FROM tags").all(decoding: TagRow.self) { tagIDs[row.code] = row.id }
        var leaf: [Key: Sum] = [:]
        // Per tag: its entries, and their sums per (programme, kind, unit, month).
        var entries: [UUID: [RegistryDemo.ScheduledAid]] = [:]
        var monthly: [UUID: [Key: Sum]] = [:]
        for entry in schedule {
            guard let tag = tagIDs[entry.tagCode] else { continue }
            entries[tag, default: []].append(entry)
            let key = Key(node: tag, programme: entry.programme, kind: entry.kind.rawValue, unit: entry.unit ?? "", month: String(entry.givenOn.iso8601.prefix(7)))
            monthly[tag, default: [:]][key, default: Sum()] += Sum(fen: entry.fen ?? 0, quantity: entry.quantity ?? 0, minutes: entry.minutes ?? 0, records: 1)
        }
        if let first = schedule.map(\.givenOn.iso8601).min(), !entries.isEmpty {
            struct Holders: Decodable { var tag_id: UUID; var node_id: UUID; var born: String; var n: Int64 }
            let groups = try await db.sql.raw("""
                SELECT ta.tag_id, p.grid_node_id AS node_id, CASE WHEN p.birth_date < \(bind: first) THEN \(bind: first) ELSE p.birth_date END AS born,
                       COUNT(*) AS n
                FROM tag_assignments ta JOIN persons p ON p.id = ta.person_id
                WHERE ta.tag_id IN (\(SQLList(entries.keys.map { SQLBind($0) }))) AND ta.ends_on IS NULL
                GROUP BY 1, 2, 3
                """).all(decoding: Holders.self)
            for group in groups {
                if group.born == first {
                    for (key, sum) in monthly[group.tag_id] ?? [:] {
                        var k = key
                        k.node = group.node_id
                        leaf[k, default: Sum()] += sum.times(group.n)
                    }
                } else {
                    for entry in entries[group.tag_id] ?? [] where entry.givenOn.iso8601 >= group.born {
                        let k = Key(node: group.node_id, programme: entry.programme, kind: entry.kind.rawValue, unit: entry.unit ?? "",
                                    month: String(entry.givenOn.iso8601.prefix(7)))
                        leaf[k, default: Sum()] += Sum(fen: entry.fen ?? 0, quantity: entry.quantity ?? 0, minutes: entry.minutes ?? 0, records: 1).times(group.n)
                    }
                }
            }
        }
        let scheduled = Set(schedule.map(\.programme))
        struct Other: Decodable {
            var node_id: UUID; var programme: String; var kind: String; var unit: String; var month: String
            var fen: Int64; var quantity: Int64; var minutes: Int64; var records: Int64
        }
        let notScheduled: SQLQueryString = scheduled.isEmpty ? "1 = 1" : "programme NOT IN (\(SQLList(scheduled.sorted().map { SQLBind($0) })))"
        let others = try await db.sql.raw("""
            SELECT grid_node_id AS node_id, programme, kind, COALESCE(unit, '') AS unit, SUBSTR(given_on, 1, 7) AS month,
                   CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen, CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS quantity,
                   CAST(COALESCE(SUM(minutes), 0) AS BIGINT) AS minutes, COUNT(*) AS records
            FROM aid_records WHERE \(notScheduled)
            GROUP BY 1, 2, 3, 4, 5
            """).all(decoding: Other.self)
        for o in others {
            leaf[Key(node: o.node_id, programme: o.programme, kind: o.kind, unit: o.unit, month: o.month), default: Sum()]
                += Sum(fen: o.fen, quantity: o.quantity, minutes: o.minutes, records: o.records)
        }
        return try await write(leaf, on: db)
    }

    /// Writes leaf sums (keyed by the records' own nodes) as rollup rows of their ancestors.
    static func write(_ leaf: [Key: Sum], on db: any Database) async throws -> Int {
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
