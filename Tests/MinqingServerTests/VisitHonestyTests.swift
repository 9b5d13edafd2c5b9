import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Issue 21: an empty visit form saved a visit ("—"), took a household 233 days overdue off the
/// 十必访 list and counted toward the quota. A visit now needs a household and what was found;
/// "nobody home" is kept as an attempt that clears nothing and counts for nothing. The oracles
/// recount rows by SQL or state the worked values.
@Suite("Visits: only real visits count (走访结果)")
struct VisitHonestyTests {
    /// Rows that recording a visit writes, table by table, with the `visit.recorded` audit entries.
    static func written(_ world: VisitWorld) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["visits", "visit_households", "visit_credits", "visit_findings", "visit_day_tallies", "visit_month_counts"] {
            counts.append(try await world.count(table))
        }
        counts.append(try await Self.n(world.sql, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'visit.recorded'"))
        return counts
    }

    static func n(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await sql.raw(query).first(decoding: N.self)?.n ?? 0
    }

    /// The fields a 422 answer names.
    static func fields(_ response: TestingHTTPResponse) throws -> [String] {
        struct Answer: Decodable {
            struct Body: Decodable { struct Field: Decodable { var field: String }; var fields: [Field] }
            var error: Body
        }
        return try response.decode(Answer.self).error.fields.map(\.field)
    }

    /// The opening tag of the element whose markup holds `marker` (e.g. `id="outcome-met"`).
    static func tag(_ html: String, _ marker: String) -> String? {
        guard let hit = html.range(of: marker), let open = html[..<hit.lowerBound].lastIndex(of: "<"),
            let close = html[hit.upperBound...].firstIndex(of: ">")
        else { return nil }
        return String(html[open...close])
    }

    /// The household's rows on the overdue 大病重病 list, as the cadre's API gives them.
    static func overdue(_ world: VisitWorld, _ household: UUID) async throws -> [MustVisitQueries.Row] {
        try await world.cadre.get("/api/v1/visits/must-visit?status=overdue&category=serious_illness")
            .decode(MustVisitQueries.Report.self).items.filter { $0.household_id == household }
    }

    /// Households the cadre visited this week, as the compliance report counts them.
    static func doneThisWeek(_ world: VisitWorld) async throws -> Int? {
        try await world.cadre.get("/api/v1/visits/compliance?period=week").decode(ComplianceQueries.Report.self)
            .people.first { $0.username == "cadre" }?.done
    }

    /// The cadre's day tally (what the quota counts) on `day`, 0 without a row.
    static func cadreTally(on day: CivilDate) -> SQLQueryString {
        """
        SELECT CAST(COALESCE(SUM(t.households), 0) AS BIGINT) AS n FROM visit_day_tallies t JOIN accounts a ON a.id = t.account_id
        WHERE a.username = 'cadre' AND t.local_date = \(bind: day.iso8601)
        """
    }

    /// The dashboard's household visits in the household's building group in `month`.
    static func monthCount(_ household: UUID, _ month: String) -> SQLQueryString {
        """
        SELECT CAST(COALESCE(SUM(m.households), 0) AS BIGINT) AS n FROM visit_month_counts m JOIN households h ON h.grid_node_id = m.grid_node_id
        WHERE h.id = \(bind: household) AND m.month = \(bind: month)
        """
    }

    /// What the phone form posts when nothing was touched: the defaults it renders with.
    static func untouched(_ csrf: String, _ home: (id: UUID, person: UUID)) -> [String: String] {
        [
            "csrf": csrf, "household": home.id.uuidString, "outcome": "met", "method": "home", "kind": "routine", "category": "",
            "visited_at": LocalTime.value(TestClock.pinnedNow()), "summary": "", "need_note": "",
            "help_person": home.person.uuidString, "tag_person": home.person.uuidString, "tag_code": "", "visitors": ""
        ]
    }

    @Test("saving an empty form is a 422 with the reason beside the summary, and writes nothing, on the page and the API")
    func emptyFormWritesNothing() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let home = try await world.household(51)
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let form = try await web.get("/visits/new?household=\(home.id.uuidString)").body.string
            let csrf = try #require(TestClient.csrf(in: form))
            let before = try await Self.written(world)

            let empty = try await web.form("/visits/new", Self.untouched(csrf, home))
            #expect(empty.status == .unprocessableEntity)
            let page = empty.body.string
            #expect(page.contains("id=\"visit-error\"") && page.contains("id=\"error-summary\""))
            #expect(page.contains("见到了居民，请写下走访情况，或选择至少一项诉求。"))
            #expect(try await Self.written(world) == before, "nothing written")

            // Nobody home with a need ticked: refused beside the needs; every field keeps what was typed.
            var typed = Self.untouched(csrf, home)
            typed["outcome"] = "nobody_home"
            typed["summary"] = "敲门无人应答"
            typed["needs[]"] = "care"
            typed["need_note"] = "想要助餐"
            let mixed = try await web.form("/visits/new", typed)
            #expect(mixed.status == .unprocessableEntity)
            let again = mixed.body.string
            #expect(again.contains("id=\"error-findings\"") && again.contains("无人在家时不能登记诉求"))
            #expect(Self.tag(again, "id=\"outcome-nobody_home\"")?.contains("checked") == true)
            #expect(Self.tag(again, "id=\"outcome-met\"")?.contains("checked") == false)
            #expect(Self.tag(again, "id=\"need-care\"")?.contains("checked") == true)
            #expect(Self.tag(again, "id=\"need_note\"")?.contains("value=\"想要助餐\"") == true)
            #expect(again.contains("敲门无人应答</textarea>"))
            #expect(try await Self.written(world) == before)

            // The API: the same rule through the same service.
            let bare = try await world.cadre.jsonObject(.POST, "/api/v1/visits", ["households": [home.id.uuidString], "method": "home"])
            #expect(bare.status == .unprocessableEntity)
            #expect(try Self.fields(bare) == ["summary"])
            let nowhere = try await world.cadre.jsonObject(.POST, "/api/v1/visits", ["method": "home", "outcome": "nobody_home"])
            #expect(nowhere.status == .unprocessableEntity)
            #expect(try Self.fields(nowhere).contains("households"))
            let unknown = try await world.visit([home.id], extra: ["outcome": "refused"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(try Self.fields(unknown) == ["outcome"])
            #expect(try await Self.written(world) == before)
        }
    }

    @Test("nobody home keeps a household 233 days overdue on the list and counts toward nothing; a visit with a need clears it")
    func nobodyHomeThenVisit() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let month = String(today.iso8601.prefix(7))
            let home = try await world.household(52)
            try await world.tag(home.person, "id.health.serious_illness", starts: try today.adding(days: -400))
            // Last visited 263 days ago; 大病重病 is monthly (30 days): due 233 days ago.
            _ = try await world.visit([home.id], at: TestClock.pinnedNow().addingTimeInterval(-263 * 86_400)).createdID()
            let lastVisit = try today.adding(days: -263).iso8601
            func overdue() async throws -> [MustVisitQueries.Row] { try await Self.overdue(world, home.id) }
            func doneThisWeek() async throws -> Int? { try await Self.doneThisWeek(world) }
            let tallyToday = Self.cadreTally(on: today), monthCount = Self.monthCount(home.id, month)
            #expect(try await overdue().map(\.days_past_due) == [233])
            let doneBefore = try #require(try await doneThisWeek())

            // Nobody home: recorded, shown in the household's history, and nothing else moves.
            let attempt = try await world.visit(
                [home.id],
                extra: ["kind": "must_visit", "category": "serious_illness", "outcome": "nobody_home", "summary": "敲门无人应答"]
            ).createdID()
            #expect(try await Self.n(world.sql, "SELECT COUNT(*) AS n FROM visits WHERE id = \(bind: attempt) AND outcome = 'nobody_home'") == 1)
            let history = try await world.cadre.get("/api/v1/visits?household=\(home.id.uuidString)").decode(VisitPage.self)
            #expect(history.items.map(\.outcome) == [.nobodyHome, .met])
            #expect(try await world.cadre.get("/api/v1/visits?household=\(home.id.uuidString)&outcome=met").decode(VisitPage.self).total == 1)
            let stillOwed = try await overdue()
            #expect(stillOwed.map(\.days_past_due) == [233] && stillOwed.map(\.last_visit) == [lastVisit])
            #expect(try await Self.n(world.sql, tallyToday) == 0, "no visit today toward the quota")
            #expect(try await Self.n(world.sql, monthCount) == 0, "no household visit this month on the dashboard")
            #expect(try await doneThisWeek() == doneBefore)
            #expect(try await VisitWorld.tallyMismatches(world.sql) == 0)
            let web = TestClient(app)
            let entry = try await web.signInWebThen("cadre", "/visits/new?household=\(home.id.uuidString)")
            #expect(entry.contains("id=\"entry-last-attempt\""))
            let record = try await web.get("/visits/records/\(attempt.uuidString)").body.string
            #expect(record.contains("id=\"visit-outcome\">无人在家<"))

            // Met, a need found and no summary: a visit. It clears the household and counts once.
            _ = try await world.visit(
                [home.id],
                extra: [
                    "kind": "must_visit", "category": "serious_illness", "summary": "",
                    "findings": [["need": "medical", "note": "需要陪同复诊"]]
                ]
            ).createdID()
            #expect(try await overdue().isEmpty)
            #expect(try await Self.n(world.sql, tallyToday) == 1)
            #expect(try await Self.n(world.sql, monthCount) == 1)
            #expect(try await doneThisWeek() == doneBefore + 1)
            #expect(try await VisitWorld.tallyMismatches(world.sql) == 0)
        }
    }

    @Test("the overdue list opens the form for the household with must-visit and its category chosen")
    func overdueLinkPrefills() async throws {
        try await withApp(demo: true) { app in
            let world = try await VisitWorld.make(app)
            let today = CivilDate.today(now: TestClock.pinnedNow())
            let home = try await world.household(53)
            try await world.tag(home.person, "id.health.serious_illness", starts: try today.adding(days: -90))
            let web = TestClient(app)
            let list = try await web.signInWebThen("cadre", "/visits/overdue")
            let link = "/visits/new?household=\(home.id.uuidString)&kind=must_visit&category=serious_illness"
            #expect(list.contains("href=\"\(link.replacingOccurrences(of: "&", with: "&amp;"))\""))

            let form = try await web.get(link)
            #expect(form.status == .ok)
            let page = form.body.string
            #expect(Self.tag(page, "value=\"must_visit\"")?.contains("selected") == true)
            #expect(Self.tag(page, "value=\"routine\"")?.contains("selected") == false)
            #expect(Self.tag(page, "value=\"serious_illness\"")?.contains("selected") == true)
            #expect(Self.tag(page, "id=\"outcome-met\"")?.contains("checked") == true)
            // Opened bare, nothing is chosen for the visitor.
            let bare = try await web.get("/visits/new?household=\(home.id.uuidString)").body.string
            #expect(Self.tag(bare, "value=\"serious_illness\"")?.contains("selected") == false)
        }
    }
}
