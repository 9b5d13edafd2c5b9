import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Visits: the compliance report")
struct VisitComplianceTests {
    /// Monday 2026-05-11, 10:00 in Shanghai: the day after the Labour Day week.
    static let now = Date(timeIntervalSince1970: 1_778_464_800)

    /// 10:00 Shanghai on `day` (plus `hours`), as an instant.
    static func at(_ day: String, hours: Double = 0) throws -> Date {
        try CivilDate(parsing: day).startOfDay(in: .shanghai).addingTimeInterval((10 + hours) * 3600)
    }

    @Test("a holiday week with a make-up Saturday: working days, required, done, days met, by person and area; local dates")
    func labourDayWeek() async throws {
        #expect(CivilDate(Self.now, in: .shanghai).iso8601 == "2026-05-11")
        try await withApp(demo: true, now: { Self.now }) { app in
            let world = try await VisitWorld.make(app)
            var homes: [UUID] = []
            for n in 1...5 { homes.append(try await world.household(30 + n).id) }
            // 2026-W19: 1–5 May rest (劳动节), 9 May (Saturday) is a make-up working day:
            // the week's working days are 6, 7, 8 and 9 May.
            let plan: [(String, [Int])] = [
                ("2026-05-05", [0, 1]), // a holiday: counts as done, owes nothing
                ("2026-05-06", [0, 1, 2, 3, 4, 0]), // the same household twice counts once
                ("2026-05-07", [0, 1, 2, 3, 4]),
                ("2026-05-08", [0, 1, 2, 3]), // one short
                ("2026-05-09", [0, 1, 2, 3, 4])
            ]
            for (day, indexes) in plan {
                for (order, index) in indexes.enumerated() {
                    _ = try await world.visit([homes[index]], at: try Self.at(day, hours: Double(order) / 10)).createdID()
                }
            }
            // 00:30 on 10 May in Shanghai is still 9 May in UTC: it counts on the 10th (a Sunday).
            _ = try await world.visit([homes[0]], at: try Self.at("2026-05-10", hours: -9.5)).createdID()
            #expect(try await VisitWorld.tallyMismatches(world.sql) == 0, "the day tallies equal a recount of the credits")
            // cadre2 works half time.
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            #expect(try await staff.jsonObject(.PUT, "/api/v1/visits/postings/cadre2", ["workload_percent": 50]).status == .noContent)

            let week = try await staff.get("/api/v1/visits/compliance?period=week&date=2026-05-06").decode(ComplianceQueries.Report.self)
            #expect(week.label == "2026-W19" && week.from == "2026-05-04" && week.to == "2026-05-10")
            #expect(week.years_without_calendar.isEmpty)
            let cadre = try #require(week.people.first { $0.username == "cadre" })
            #expect(cadre.working_days == 4)
            #expect(cadre.required == 20 && cadre.done == 22 && cadre.met)
            #expect(cadre.units_owed == 4 && cadre.units_met == 3)
            let half = try #require(week.people.first { $0.username == "cadre2" })
            #expect(half.workload_percent == 50 && half.required == 10 && half.done == 0 && half.shortfall == 10 && !half.met)
            let organ = try #require(week.people.first { $0.username == "staff" })
            #expect(organ.quota_period == .week && organ.required == 1 && organ.done == 0)
            #expect(!week.people.contains { $0.username == "gridworker" }, "no quota for the role")
            let area = try #require(week.teams.first { $0.code == "310106019-1-01" })
            #expect(area.people == 1 && area.people_met == 1 && area.done == 22)
            #expect(week.people_total == 3 && week.people_met == 1 && week.required == 31)

            // The month so far: 6–9 May and Monday the 11th are working days.
            let month = try await staff.get("/api/v1/visits/compliance?period=month&date=2026-05-20").decode(ComplianceQueries.Report.self)
            #expect(month.from == "2026-05-01" && month.to == "2026-05-11")
            #expect(month.people.first { $0.username == "cadre" }?.required == 25)

            // The cadre sees their own area only; another area's node is not found.
            let own = try await world.cadre.get("/api/v1/visits/compliance?period=week&date=2026-05-06").decode(ComplianceQueries.Report.self)
            #expect(own.people.map(\.username) == ["cadre"])
            #expect(try await world.cadre.get("/api/v1/visits/compliance?node=310106019-1-02").status == .notFound)

            // A year with no holiday file is named, for the page's warning.
            let future = try await staff.get("/api/v1/visits/compliance?period=year&date=2027-03-01").decode(ComplianceQueries.Report.self)
            #expect(future.years_without_calendar == [2027])
            let page = try await TestClient(app).signInWebThen("staff", "/visits/compliance?period=year&date=2027-03-01")
            #expect(page.contains("calendar-warning"))
        }
    }
}

extension TestClient {
    /// Signs in through the form and returns the page at `path`.
    func signInWebThen(_ username: String, _ path: String) async throws -> String {
        _ = try await signInWeb(username)
        return try await get(path).body.string
    }
}
