import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Visits: the demo")
struct VisitsDemoTests {
    struct N: Decodable { var n: Int }

    func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first(decoding: N.self)!.n
    }

    @Test(
        "a year of visits, consistent: households and credits for each, bookings that became visits, quotas mostly met", arguments: TestClock.testDays
    )
    func consistent(day: Date) async throws {
        let clock = TestClock(day)
        try await withApp(demo: true, demoPeople: 0.02, now: { clock.now }) { app in
            let sql = app.db.sql
            let visits = try await count(sql, "SELECT COUNT(*) AS n FROM visits")
            #expect(visits > 1000)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visit_households") == visits)
            #expect(try await VisitWorld.tallyMismatches(sql) == 0, "the day tallies equal a recount of the credits")
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visit_day_tallies") > 0)
            #expect(
                try await count(
                    sql,
                    """
                    SELECT COUNT(*) AS n FROM (SELECT grid_node_id, SUBSTR(local_date, 1, 7) AS month, COUNT(*) AS households FROM visit_households
                    GROUP BY grid_node_id, SUBSTR(local_date, 1, 7)) x
                    LEFT JOIN visit_month_counts m ON m.grid_node_id = x.grid_node_id AND m.month = x.month
                    WHERE m.households IS NULL OR m.households <> x.households
                    """) == 0, "the month counts equal a recount of the visits' households")
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visit_month_counts") > 0)
            #expect(
                try await count(sql, "SELECT COUNT(*) AS n FROM visits v WHERE NOT EXISTS (SELECT 1 FROM visit_credits c WHERE c.visit_id = v.id)")
                    == 0)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visits WHERE kind = 'must_visit' AND category_code IS NULL") == 0)
            let yesterday = try CivilDate.today(now: clock.now).adding(days: -1).iso8601
            #expect(
                try await count(sql, "SELECT COUNT(*) AS n FROM visits WHERE local_date > \(bind: yesterday)") == 0,
                "no visit after yesterday (Shanghai)")
            // Done bookings point at visits of kind booked that point back; cancelled ones hold no slot.
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visit_bookings WHERE status = 'done'") > 0)
            #expect(
                try await count(
                    sql,
                    """
                    SELECT COUNT(*) AS n FROM visit_bookings b JOIN visits v ON v.id = b.visit_id
                    WHERE b.status = 'done' AND (v.kind <> 'booked' OR v.booking_id <> b.id)
                    """) == 0)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visit_bookings WHERE status = 'cancelled' AND slot_hold IS NOT NULL") == 0)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM visit_bookings WHERE status IN ('requested', 'confirmed', 'proposed')") > 0)
            // Findings filed as help requests point at real ones.
            #expect(
                try await count(
                    sql,
                    """
                    SELECT COUNT(*) AS n FROM visit_findings f LEFT JOIN help_requests h ON h.id = f.follow_up_id
                    WHERE f.follow_up_kind = 'help_request' AND h.id IS NULL
                    """) == 0)

            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            // The month of the demo's last working day (on the 1st, today's month has nothing yet; on
            // 2027-01-02 the day before is 元旦, a rest day on the calendar's derived 2027 holidays).
            var lastWorking = try CivilDate.today(now: clock.now).adding(days: -1)
            while !app.services.calendar.isWorkingDay(lastWorking) { lastWorking = try lastWorking.adding(days: -1) }
            let year = try await staff.get("/api/v1/visits/compliance?period=month&date=\(lastWorking.iso8601)").decode(ComplianceQueries.Report.self)
            #expect(year.people.first { $0.username == "cadre" }?.done ?? 0 > 0)
            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            #expect(try await resident.get("/api/v1/visits/bookings").decode([BookingQueries.BookingRow].self).isEmpty == false)
            let page = try await resident.get("/api/v1/visits/slots").decode([BookingQueries.SlotRow].self)
            #expect(!page.isEmpty, "open slots for the demo resident")
            let due = try await staff.get("/api/v1/visits/must-visit?status=all").decode(MustVisitQueries.Report.self)
            let households = due.counts.reduce(0) { $0 + $1.households }, overdue = due.counts.reduce(0) { $0 + $1.overdue }
            #expect(households > 0 && overdue > 0 && overdue * 2 < households, "mostly on time, some overdue: \(overdue)/\(households)")
        }
    }

    @Test("the same seed gives the same visits")
    func deterministic() async throws {
        var runs: [[String]] = []
        for _ in 0..<2 {
            try await withApp(demo: true, demoPeople: 0.005) { app in
                struct Row: Decodable { var local_date: String; var kind: String; var method: String; var address: String; var username: String }
                let rows = try await app.db.sql.raw(
                    """
                    SELECT v.local_date, v.kind, v.method, h.address, a.username FROM visits v
                    JOIN households h ON h.id = v.household_id JOIN accounts a ON a.id = v.recorded_by
                    """
                ).all(decoding: Row.self)
                runs.append(rows.map { "\($0.local_date) \($0.kind) \($0.method) \($0.address) \($0.username)" }.sorted())
            }
        }
        #expect(runs[0].count > 100)
        #expect(runs[0] == runs[1])
    }
}
