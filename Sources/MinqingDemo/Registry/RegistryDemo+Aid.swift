import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The demo's regular aid history (救助台账): the monthly 低保 payment, community meals, home care,
/// long-term-care visits and the holiday relief parcels, for everyone who holds the matching
/// service tag. These are most of the register's 1.89 M+ records, so they are written by the
/// database itself: Swift computes the schedule (a few thousand dated entries, one per programme
/// and day), and one `INSERT … SELECT` per batch joins it with the people holding the tag.
/// Binding 1.8 M rows from Swift took more than half of the demo's load time.
extension RegistryDemo {
    /// One dated entry of a programme's schedule.
    struct ScheduledAid: Sendable {
        var tagCode: String
        var programme: String
        var kind: AidKind
        var fen: Int64? = nil
        var quantity: Int64? = nil
        var unit: String? = nil
        var minutes: Int64? = nil
        var givenOn: CivilDate
    }

    /// The schedule of `aidMonths` 30-day months that end today (dates after today are dropped).
    static func aidSchedule(start: CivilDate, today: CivilDate) -> [ScheduledAid] {
        func code(_ suffix: String) -> String? { TagCatalogue.tags.first { $0.code.hasSuffix(suffix) }?.code }
        var schedule: [ScheduledAid] = []
        func add(_ tag: String?, _ entry: (String) -> ScheduledAid) {
            guard let tag else { return }
            let made = entry(tag)
            if made.givenOn <= today { schedule.append(made) }
        }
        for month in 0..<aidMonths {
            guard let monthStart = try? start.adding(days: month * 30) else { continue }
            add(code(".dibao_payment")) { ScheduledAid(tagCode: $0, programme: "最低生活保障金", kind: .cash, fen: 151_000, givenOn: monthStart) }
            for day in 0..<28 where (monthStart.isoWeekday + day - 1) % 7 < 6 {
                guard let date = try? monthStart.adding(days: day) else { continue }
                add(code(".meal_aid")) { ScheduledAid(tagCode: $0, programme: "社区助餐", kind: .inKind, quantity: 1, unit: "份", givenOn: date) }
            }
            for week in 0..<4 {
                guard let date = try? monthStart.adding(days: week * 7 + 2) else { continue }
                add(code(".home_care")) { ScheduledAid(tagCode: $0, programme: "居家照护", kind: .service, minutes: 60, givenOn: date) }
            }
            for visit in 0..<12 {
                guard let date = try? monthStart.adding(days: visit * 2 + visit / 5) else { continue }
                add(code(".long_term_care")) { ScheduledAid(tagCode: $0, programme: "长护险服务", kind: .service, minutes: 60, givenOn: date) }
            }
            if month % 12 == 2 || month % 12 == 9 {
                add(code(".holiday_relief")) {
                    ScheduledAid(tagCode: $0, programme: "节日帮困送温暖", kind: .inKind, quantity: 1, unit: "份慰问品", givenOn: monthStart)
                }
            }
        }
        return schedule
    }

    /// Writes the scheduled aid for every person holding the programme's tag (open demo
    /// assignments), on or after their birth date; returns the number of rows written.
    /// One statement per programme, rows in person order, each holder read once with the
    /// schedule's days as the inner loop (days outside made it 1.8 M person look-ups). On
    /// SQLite the new ids are ascending (a
    /// random prefix per load, the programme, a row number), so the primary-key index is
    /// appended to; random ids made this step five times slower.
    static func insertScheduledAid(_ schedule: [ScheduledAid], tagIDs: [String: UUID], now: Date, on db: any Database) async throws -> Int {
        let sql = db.sql
        let isPostgres = sql.dialect.name == "postgresql"
        let before = try await aidCount(on: db)
        let loadPrefix = Int64(UInt32.random(in: 0x1000_0000...UInt32.max))
        var programmes: [String] = []
        for entry in schedule where !programmes.contains(entry.programme) { programmes.append(entry.programme) }
        for (index, programme) in programmes.enumerated() {
            let rows: [SQLQueryString] = schedule.filter { $0.programme == programme }.compactMap { entry in
                guard let tagID = tagIDs[entry.tagCode] else { return nil }
                return
                    "(\(bind: tagID), \(bind: entry.programme), \(bind: entry.kind.rawValue), \(bind: entry.fen), \(bind: entry.quantity), \(bind: entry.unit), \(bind: entry.minutes), \(bind: entry.givenOn.iso8601))"
            }
            guard !rows.isEmpty, let code = schedule.first(where: { $0.programme == programme })?.tagCode, let holder = tagIDs[code] else {
                continue
            }
            let newID: SQLQueryString =
                isPostgres
                ? "gen_random_uuid()"
                : "printf('%08X-%04X-4000-8000-%012X', \(bind: loadPrefix), \(bind: index), row_number() OVER (ORDER BY ta.person_id, s.given_on))"
            // A programme may have no value at all for a column (PostgreSQL would then type it
            // as text), hence the casts.
            try await sql.raw(
                """
                WITH s (tag_id, programme, kind, fen, quantity, unit, minutes, given_on) AS (VALUES \(rows.joined(separator: ", ")))
                INSERT INTO aid_records (id, subdistrict_id, grid_node_id, person_id, household_id, help_request_id, programme,
                    kind, amount_fen, quantity, unit, minutes, description, given_on, recorded_by, created_at)
                SELECT \(newID), p.subdistrict_id, p.grid_node_id, p.id, p.household_id, NULL, s.programme,
                    s.kind, CAST(s.fen AS BIGINT), CAST(s.quantity AS BIGINT), CAST(s.unit AS TEXT), CAST(s.minutes AS BIGINT),
                    s.programme, s.given_on, 'demo', \(bind: now)
                FROM tag_assignments ta CROSS JOIN persons p CROSS JOIN s
                WHERE ta.tag_id = \(bind: holder) AND ta.ends_on IS NULL AND p.id = ta.person_id AND s.tag_id = ta.tag_id
                  AND s.given_on >= p.birth_date
                ORDER BY ta.person_id, s.given_on
                """
            ).run()
        }
        return try await aidCount(on: db) - before
    }

    private static func aidCount(on db: any Database) async throws -> Int {
        try await db.sql.raw("SELECT COUNT(*) AS n FROM aid_records").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
