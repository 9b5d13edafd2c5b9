import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// `must_visit_households` (kept by triggers) counts what the register says on any day: after
/// the demo and after every kind of write that moves a household into, out of or within a
/// 十必访 category, and on days when assignments with an end have run out. The oracle reads the
/// raw assignments, persons and visits and decides in Swift, from the categories' tag codes.
@Suite("十必访: the kept households follow every write and the calendar")
struct MustVisitHouseholdsTests {
    struct Assignment: Decodable { var code: String; var household_id: UUID; var starts_on: String; var ends_on: String? }
    struct Met: Decodable { var household_id: UUID; var day: String }
    struct Frequency: Decodable { var code: String; var frequency_days: Int }

    /// Per category on `day`: households with a current member holding one of its tags in force,
    /// and those whose last met visit (or, never met, entry day) is before day − frequency.
    static func oracle(_ sql: any SQLDatabase, day: CivilDate) async throws -> [String: [Int64]] {
        let assignments = try await sql.raw(
            """
            SELECT t.code, p.household_id, a.starts_on, a.ends_on FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
            JOIN persons p ON p.id = a.person_id JOIN households h ON h.id = p.household_id
            WHERE p.moved_out_on IS NULL AND p.died_on IS NULL
            """
        ).all(decoding: Assignment.self)
        let met = Dictionary(
            try await sql.raw("SELECT household_id, MAX(local_date) AS day FROM visit_households WHERE outcome = 'met' GROUP BY household_id")
                .all(decoding: Met.self).map { ($0.household_id, $0.day) }, uniquingKeysWith: max)
        let frequencies = try await sql.raw("SELECT code, frequency_days FROM must_visit_categories").all(decoding: Frequency.self)
        var result: [String: [Int64]] = [:]
        for category in MustVisitCategory.defaults {
            let codes = Set(try #require(category.tagCodes))
            let frequency = try #require(frequencies.first { $0.code == category.code }).frequency_days
            let cutoff = try day.adding(days: -frequency).iso8601
            var entered: [UUID: String] = [:]
            for a in assignments where codes.contains(a.code) && (a.ends_on == nil || a.ends_on! > day.iso8601) {
                entered[a.household_id] = min(entered[a.household_id] ?? a.starts_on, a.starts_on)
            }
            let overdue = entered.filter { household, since in (met[household] ?? since) < cutoff }.count
            if !entered.isEmpty { result[category.code] = [Int64(entered.count), Int64(overdue)] }
        }
        return result
    }

    /// The same from the kept rows, for the whole subdistrict.
    static func kept(_ app: Application, day: CivilDate) async throws -> [String: [Int64]] {
        let subdistrict = try #require(try await GridQueries.node(code: "310106019", on: app.db))
        let categories = try await MustVisitQueries.categories(on: app.db)
        let counts = try await MustVisitQueries.counts(
            categories, scope: try await MustVisitQueries.scopeFilter(GridQueries.scope(rootedAt: subdistrict), on: app.db), today: day,
            on: app.db)
        return counts.filter { $0.value.households > 0 }.mapValues { [$0.households, $0.overdue] }
    }

    static func expectSame(_ app: Application, days: [CivilDate], _ when: String) async throws {
        for day in days {
            let oracle = try await oracle(app.db.sql, day: day)
            #expect(!oracle.isEmpty)
            #expect(try await kept(app, day: day) == oracle, "\(when), on \(day.iso8601)")
        }
    }

    @Test("the kept households count as the register does, after every kind of write, today and later")
    func followsWrites() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let days = [today, try today.adding(days: 11), try today.adding(days: 400)]
            try await Self.expectSame(app, days: days, "after the demo")

            struct Row: Decodable { var id: UUID }
            struct Person: Decodable { var id: UUID; var household_id: UUID }
            func tag(_ code: String) async throws -> UUID {
                try #require(try await sql.raw("SELECT id FROM tags WHERE code = \(bind: code)").first(decoding: Row.self)).id
            }
            // People of households in no category, and assignments of the categories' tags.
            let untagged = try await sql.raw(
                """
                SELECT p.id, p.household_id FROM persons p WHERE p.moved_out_on IS NULL AND p.died_on IS NULL
                AND NOT EXISTS (SELECT 1 FROM persons q JOIN tag_assignments a ON a.person_id = q.id WHERE q.household_id = p.household_id)
                ORDER BY p.id LIMIT 4
                """
            ).all(decoding: Person.self)
            try #require(untagged.count == 4)
            let held = try await sql.raw(
                """
                SELECT a.id FROM tag_assignments a JOIN tags t ON t.id = a.tag_id
                WHERE t.code IN ('id.elderly.alone', 'id.elderly.very_old') AND a.ends_on IS NULL ORDER BY a.id LIMIT 3
                """
            ).all(decoding: Row.self).map(\.id)
            try #require(held.count == 3)
            let node = try #require(try await sql.raw("SELECT grid_node_id AS id FROM households ORDER BY id LIMIT 1").first(decoding: Row.self)).id
            let visit = try #require(try await sql.raw("SELECT id FROM visits ORDER BY id LIMIT 1").first(decoding: Row.self)).id
            func assign(_ person: UUID, _ code: String, starts: Int, ends: Int?) async throws {
                let node = try #require(
                    try await sql.raw("SELECT grid_node_id AS id FROM persons WHERE id = \(bind: person)").first(decoding: Row.self)
                ).id
                try await sql.raw(
                    """
                    INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, ends_on, source, created_by, created_at)
                    VALUES (\(bind: UUID()), \(bind: person), \(bind: try await tag(code)), \(bind: node), \(bind: try today.adding(days: starts).iso8601),
                            \(bind: try ends.map { try today.adding(days: $0).iso8601 }), 'manual', 'test', \(bind: Date()))
                    """
                ).run()
            }
            // Into a category, open-ended; into one until ten days from now; an open one and a
            // finite one in the same household.
            try await assign(untagged[0].id, "id.elderly.alone", starts: -20, ends: nil)
            try await assign(untagged[1].id, "id.newcomer", starts: -40, ends: 10)
            try await assign(untagged[2].id, "id.elderly.very_old", starts: -5, ends: nil)
            try await assign(untagged[2].id, "id.elderly.very_old", starts: -200, ends: 30)
            try await Self.expectSame(app, days: days, "after new assignments")

            // An assignment ended, one removed, one moved to another tag.
            try await sql.raw("UPDATE tag_assignments SET ends_on = \(bind: today.iso8601) WHERE id = \(bind: held[0])").run()
            try await sql.raw("DELETE FROM tag_assignments WHERE id = \(bind: held[1])").run()
            try await sql.raw("UPDATE tag_assignments SET tag_id = \(bind: try await tag("id.disabled.visual.grade1")) WHERE id = \(bind: held[2])")
                .run()
            try await Self.expectSame(app, days: days, "after assignments changed")

            // A person moves to another household, one moves out, one dies; a household moves.
            try await sql.raw("UPDATE persons SET household_id = \(bind: untagged[3].household_id) WHERE id = \(bind: untagged[0].id)").run()
            try await sql.raw("UPDATE persons SET moved_out_on = \(bind: today.iso8601) WHERE id = \(bind: untagged[1].id)").run()
            let tagged = try await sql.raw(
                "SELECT a.person_id AS id FROM tag_assignments a WHERE a.ends_on IS NULL AND a.person_id <> \(bind: untagged[2].id) ORDER BY a.id LIMIT 1"
            ).first(decoding: Row.self)
            try await sql.raw("UPDATE persons SET died_on = \(bind: today.iso8601) WHERE id = \(bind: try #require(tagged).id)").run()
            try await sql.raw("UPDATE households SET grid_node_id = \(bind: node) WHERE id = \(bind: untagged[2].household_id)").run()
            try await Self.expectSame(app, days: days, "after people and households moved")

            // Visits: one that met a household, one that found nobody home, one corrected, one removed.
            try await sql.raw(
                """
                INSERT INTO visit_households (visit_id, household_id, grid_node_id, local_date, outcome)
                VALUES (\(bind: visit), \(bind: untagged[3].household_id), \(bind: node), \(bind: try today.adding(days: -2).iso8601), 'met'),
                       (\(bind: visit), \(bind: untagged[2].household_id), \(bind: node), \(bind: today.iso8601), 'nobody_home')
                """
            ).run()
            try await Self.expectSame(app, days: days, "after visits")
            try await sql.raw(
                "UPDATE visit_households SET outcome = 'met' WHERE visit_id = \(bind: visit) AND household_id = \(bind: untagged[2].household_id)"
            ).run()
            try await sql.raw(
                "DELETE FROM visit_households WHERE visit_id = \(bind: visit) AND household_id = \(bind: untagged[3].household_id)"
            ).run()
            try await Self.expectSame(app, days: days, "after visits corrected")

            // The kept rows are what a rebuild makes.
            struct Kept: Decodable, Hashable {
                var category_code: String; var household_id: UUID; var grid_node_id: UUID; var open_since: String?; var finite_until: String?
                var last_met_on: String?
            }
            let select = "SELECT category_code, household_id, grid_node_id, open_since, finite_until, last_met_on FROM must_visit_households"
            let before = Set(try await sql.raw("\(unsafeRaw: select)").all(decoding: Kept.self))
            try await MustVisitQueries.rebuild(on: app.db)
            #expect(Set(try await sql.raw("\(unsafeRaw: select)").all(decoding: Kept.self)) == before)
        }
    }
}
