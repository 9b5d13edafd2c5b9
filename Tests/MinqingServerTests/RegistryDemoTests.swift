import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: the demo")
struct RegistryDemoTests {
    struct N: Decodable { var n: Int }

    func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first(decoding: N.self)!.n
    }

    @Test("a small demo is complete, valid, sealed and consistent with the summary", arguments: TestClock.testDays)
    func smallDemo(day: Date) async throws {
        let clock = TestClock(day)
        try await withApp(demo: true, demoPeople: 0.01, now: { clock.now }) { app in
            let sql = app.db.sql
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM households") == 306)
            let persons = try await count(sql, "SELECT COUNT(*) AS n FROM persons")
            #expect((700...1100).contains(persons))
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM tags") == 240)
            #expect(try await count(sql, "SELECT COUNT(DISTINCT compound_type) AS n FROM compounds") == 6, "all six compound types")
            // Every household has exactly one head and a dwelling with at least one owner.
            #expect(
                try await count(
                    sql,
                    """
                    SELECT COUNT(*) AS n FROM households h WHERE (SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.relation = 'head') <> 1
                    """) == 0)
            #expect(
                try await count(
                    sql,
                    """
                    SELECT COUNT(*) AS n FROM dwellings d WHERE NOT EXISTS (SELECT 1 FROM dwelling_owners o WHERE o.dwelling_id = d.id)
                    """) == 0)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM dwellings WHERE developer_held = \(bind: true) AND unsold = \(bind: true)") > 0)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM dwellings WHERE area_register_cm2 IS NULL AND area_surveyed_cm2 IS NOT NULL") > 0)
            // Every sealed ID number opens, parses, agrees with the stored birth date and sex, and is unique.
            struct P: Decodable { var id_cipher: String; var id_masked: String; var birth_date: String; var sex: String }
            let rows = try await sql.raw("SELECT id_cipher, id_masked, birth_date, sex FROM persons").all(decoding: P.self)
            var seen = Set<String>()
            for row in rows {
                let plain = try app.services.vault.open(row.id_cipher, kind: .idNumber)
                let id = try ResidentIDNumber(parsing: plain, today: CivilDate.today(now: clock.now))
                #expect(id.birthDate.iso8601 == row.birth_date)
                #expect(id.sex.rawValue == row.sex)
                #expect(id.masked == row.id_masked)
                seen.insert(plain)
            }
            #expect(seen.count == rows.count)
            // The summary API counts what is there (staff see everything, sensitive tags included).
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            let summary = try await staff.get("/api/v1/registry/summary").decode(RegistryQueries.Summary.self)
            #expect(summary.persons == persons)
            #expect(summary.households == 306)
            #expect(summary.aid_records == (try await count(sql, "SELECT COUNT(*) AS n FROM aid_records")))
            #expect(summary.records > summary.persons + summary.households)
            // A grid worker's summary is a strict part, without sensitive tags.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let part = try await grid.get("/api/v1/registry/summary").decode(RegistryQueries.Summary.self)
            #expect(part.persons < summary.persons)
            let groupNodes = try await count(
                sql,
                """
                SELECT COUNT(*) AS n FROM persons p WHERE p.grid_node_id IN
                  (SELECT descendant_id FROM grid_closure c JOIN grid_nodes g ON g.id = c.ancestor_id WHERE g.code = '310106019-1-01-1')
                """)
            #expect(part.persons == groupNodes)
        }
    }

    @Test("the same seed gives the same register")
    func deterministic() async throws {
        var first: [String] = []
        for _ in 0..<2 {
            try await withApp(demo: true, demoPeople: 0.005) { app in
                struct Row: Decodable { var name: String; var birth_date: String; var id_masked: String }
                let rows = try await app.db.sql.raw("SELECT name, birth_date, id_masked FROM persons ORDER BY id_masked, name")
                    .all(decoding: Row.self).map { "\($0.name) \($0.birth_date) \($0.id_masked)" }
                if first.isEmpty { first = rows } else { #expect(rows == first) }
            }
        }
        #expect(!first.isEmpty)
    }
}
