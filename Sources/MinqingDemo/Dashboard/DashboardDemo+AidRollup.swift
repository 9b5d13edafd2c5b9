import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

extension AidRollup {
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
            let key = Key(
                node: tag, programme: entry.programme, kind: entry.kind.rawValue, unit: entry.unit ?? "",
                month: String(entry.givenOn.iso8601.prefix(7)))
            monthly[tag, default: [:]][key, default: Sum()] += Sum(
                fen: entry.fen ?? 0, quantity: entry.quantity ?? 0, minutes: entry.minutes ?? 0, records: 1)
        }
        if let first = schedule.map(\.givenOn.iso8601).min(), !entries.isEmpty {
            struct Holders: Decodable { var tag_id: UUID; var node_id: UUID; var born: String; var n: Int64 }
            let groups = try await db.sql.raw(
                """
                SELECT ta.tag_id, p.grid_node_id AS node_id, CASE WHEN p.birth_date < \(bind: first) THEN \(bind: first) ELSE p.birth_date END AS born,
                       COUNT(*) AS n
                FROM tag_assignments ta JOIN persons p ON p.id = ta.person_id
                WHERE ta.tag_id IN (\(SQLList(entries.keys.map { SQLBind($0) }))) AND ta.ends_on IS NULL
                GROUP BY 1, 2, 3
                """
            ).all(decoding: Holders.self)
            for group in groups {
                if group.born == first {
                    for (key, sum) in monthly[group.tag_id] ?? [:] {
                        var k = key
                        k.node = group.node_id
                        leaf[k, default: Sum()] += sum.times(group.n)
                    }
                } else {
                    for entry in entries[group.tag_id] ?? [] where entry.givenOn.iso8601 >= group.born {
                        let k = Key(
                            node: group.node_id, programme: entry.programme, kind: entry.kind.rawValue, unit: entry.unit ?? "",
                            month: String(entry.givenOn.iso8601.prefix(7)))
                        leaf[k, default: Sum()] += Sum(fen: entry.fen ?? 0, quantity: entry.quantity ?? 0, minutes: entry.minutes ?? 0, records: 1)
                            .times(group.n)
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
        let others = try await db.sql.raw(
            """
            SELECT grid_node_id AS node_id, programme, kind, COALESCE(unit, '') AS unit, SUBSTR(given_on, 1, 7) AS month,
                   CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen, CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS quantity,
                   CAST(COALESCE(SUM(minutes), 0) AS BIGINT) AS minutes, COUNT(*) AS records
            FROM aid_records WHERE \(notScheduled)
            GROUP BY 1, 2, 3, 4, 5
            """
        ).all(decoding: Other.self)
        for o in others {
            leaf[Key(node: o.node_id, programme: o.programme, kind: o.kind, unit: o.unit, month: o.month), default: Sum()] += Sum(
                fen: o.fen, quantity: o.quantity, minutes: o.minutes, records: o.records)
        }
        return try await write(leaf, on: db)
    }
}
