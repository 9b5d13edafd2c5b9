import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 社区大脑: every panel's figures equal a brute-force recount in Swift over plain row reads of
/// the same data (a small demo), at the subdistrict, a residential area and a building group,
/// for an account that sees sensitive tags and one that does not; new cases, visits, tags and
/// aid show at once; the pages draw SVG with the data table and the CSV holds the same rows.
@Suite("Dashboard (社区大脑)")
struct DashboardTests {
    /// The small-cell rule (小格抑制) written out by hand, for cells of `people` people beside a
    /// shown total: every cell of 1 to 4 people is hidden (an empty cell says nothing of anyone);
    /// when that hides exactly one cell, the smallest other non-empty cell is hidden too (the
    /// first in the table's order on a tie), so the total less the shown cells does not give the
    /// hidden one back.
    static func hiddenByHand(_ people: [Int]) -> Set<Int> {
        var hidden: Set<Int> = []
        for (index, n) in people.enumerated() where n >= 1 && n <= 4 { hidden.insert(index) }
        if hidden.count == 1 {
            var partner: Int?
            for (index, n) in people.enumerated() where !hidden.contains(index) && n > 0 {
                if let best = partner, people[best] <= n { continue }
                partner = index
            }
            if let partner { hidden.insert(partner) }
        }
        return hidden
    }

    static func figure(_ panel: DashboardPanel, _ key: String) -> Int64? { panel.figures.first { $0.key == key }?.value }
    static func table(_ panel: DashboardPanel, _ id: String) -> [String: [Int64?]] {
        Dictionary((panel.tables.first { $0.id == id }?.rows ?? []).map { ($0.key, $0.values) }, uniquingKeysWith: { a, _ in a })
    }

    /// Checks every panel of `report` (node `code`, as a role that `sensitive` or not) against the world.
    static func check(_ report: DashboardReport, world w: World, code: String, sensitive: Bool, now: Date) {
        let panels = Dictionary(report.panels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(panels.keys) == Set(DashboardPanelID.allCases.map(\.rawValue)))
        let scope = w.under(code)
        let year = report.year
        let first = "\(year)-01-01", last = "\(year)-12-31"
        let today = CivilDate.today(now: now).iso8601

        // Population: totals and by child.
        let population = panels["population"]!
        #expect(figure(population, "persons") == Int64(w.persons.filter(scope.contains).count), "persons at \(code)")
        #expect(figure(population, "households") == Int64(w.households.filter(scope.contains).count))
        let byChild = table(population, "by_child")
        for cell in w.cells(code, microGrids: false) {
            #expect(
                byChild[cell.code] == [Int64(w.households.filter(cell.nodes.contains).count), Int64(w.persons.filter(cell.nodes.contains).count)],
                "child \(cell.code)")
        }
        #expect(byChild.count == w.cells(code, microGrids: false).count)

        // Sign-up coverage: households with a resident account, in total and by child.
        let signup = panels["signup"]!
        #expect(figure(signup, "households") == Int64(w.households.filter(scope.contains).count), "signup households at \(code)")
        #expect(figure(signup, "signed_up") == Int64(w.signedUp.filter(scope.contains).count), "signed up at \(code)")
        let signupByChild = table(signup, "by_child")
        for cell in w.cells(code, microGrids: false) {
            let households = Int64(w.households.filter(cell.nodes.contains).count), signed = Int64(w.signedUp.filter(cell.nodes.contains).count)
            #expect(signupByChild[cell.code] == [households, signed, households == 0 ? nil : signed * 1000 / households], "signup \(cell.code)")
        }

        // Tags: current holders by kind, sensitive ones only for roles that see them.
        let tags = panels["tags"]!
        for kind in TagKind.allCases {
            let held = w.assignments.filter { a in
                guard let tag = w.tags[a.tag_id], tag.kind == kind.rawValue, scope.contains(a.grid_node_id) else { return false }
                return (sensitive || !tag.sensitive) && (a.ends_on == nil || a.ends_on! > today)
            }
            #expect(figure(tags, kind.rawValue) == Int64(held.count), "\(kind) tags at \(code)")
            let top = table(tags, "kind_\(kind.rawValue)")
            #expect(top.count == min(10, Set(held.map(\.tag_id)).count), "top \(kind) tags at \(code)")
            for (tagCode, values) in top {
                let id = w.tags.values.first { $0.code == tagCode }!.id
                #expect(values == [Int64(held.filter { $0.tag_id == id }.count)], "tag \(tagCode)")
                if !sensitive { #expect(w.tags[id]!.sensitive == false) }
            }
        }

        // Micro-grids: residents, open cases, visits this year per cell.
        let open = Set(CaseState.openStates.map(\.rawValue))
        let cellsTable = table(panels["micro_grids"]!, "cells")
        let cells = w.cells(code, microGrids: true)
        #expect(cellsTable.count == cells.count)
        for cell in cells {
            #expect(
                cellsTable[cell.code] == [
                    Int64(w.persons.filter(cell.nodes.contains).count),
                    Int64(w.cases.filter { cell.nodes.contains($0.grid_node_id) && open.contains($0.state) }.count),
                    Int64(w.visits.filter { cell.nodes.contains($0.grid_node_id) && $0.local_date >= first && $0.local_date <= last }.count)
                ],
                "cell \(cell.code)")
        }

        // Cases: taken in (not merged), open, overdue; by channel; by category.
        let yearCases = w.cases.filter { scope.contains($0.grid_node_id) && $0.reported_on >= first && $0.reported_on <= last }
        let running = Set(CaseState.allCases.filter(\.deadlineRuns).map(\.rawValue))
        func overdue(_ c: World.Case) -> Bool { running.contains(c.state) && (c.due_at.map { $0 < now } ?? false) }
        let merged = CaseState.merged.rawValue, rejected = CaseState.rejected.rawValue
        let closedStates = [CaseState.closed.rawValue, CaseState.evaluated.rawValue]
        let casesPanel = panels["cases"]!
        #expect(figure(casesPanel, "accepted") == Int64(yearCases.filter { $0.state != merged }.count))
        #expect(figure(casesPanel, "open") == Int64(yearCases.filter { open.contains($0.state) }.count))
        #expect(figure(casesPanel, "closed") == Int64(yearCases.filter { closedStates.contains($0.state) }.count))
        #expect(figure(casesPanel, "rejected") == Int64(yearCases.filter { $0.state == rejected }.count))
        #expect(figure(casesPanel, "overdue") == Int64(yearCases.filter(overdue).count))
        // Every row adds up: closed + open + not filed = taken in (the columns closed, open, rejected, accepted, overdue).
        let byDepartment = panels["cases"]!.tables[0].rows
        #expect(byDepartment.reduce(0) { $0 + ($1.values[1] ?? 0) } == Int64(yearCases.filter { open.contains($0.state) }.count))
        #expect(byDepartment.reduce(0) { $0 + ($1.values[3] ?? 0) } == figure(casesPanel, "accepted"))
        for row in byDepartment {
            let these = yearCases.filter { c in
                row.key == "-" ? c.department_id == nil : w.departments[row.key].map { c.department_id == $0 } ?? false
            }
            let closedCount = Int64(these.filter { closedStates.contains($0.state) }.count)
            let openCount = Int64(these.filter { open.contains($0.state) }.count)
            let rejectedCount = Int64(these.filter { $0.state == rejected }.count)
            let acceptedCount = Int64(these.filter { $0.state != merged }.count)
            let overdueCount = Int64(these.filter(overdue).count)
            let expected: [Int64?] = [closedCount, openCount, rejectedCount, acceptedCount, overdueCount]
            #expect(row.values == expected, "department \(row.key) at \(code)")
        }
        let channels = table(panels["case_channels"]!, "by_channel")
        for channel in CaseChannel.allCases {
            let these = yearCases.filter { $0.channel == channel.rawValue }
            let mergedCount = Int64(these.filter { $0.state == merged }.count)
            let acceptedCount = Int64(these.filter { $0.state != merged }.count)
            let openCount = Int64(these.filter { open.contains($0.state) }.count)
            let overdueCount = Int64(these.filter(overdue).count)
            let expected: [Int64?] = [Int64(these.count), mergedCount, acceptedCount, openCount, overdueCount]
            #expect(channels[channel.rawValue] == expected, "channel \(channel)")
        }
        #expect(figure(panels["case_channels"]!, "reported") == Int64(yearCases.count))
        #expect(figure(panels["case_channels"]!, "merged")! + figure(casesPanel, "accepted")! == Int64(yearCases.count))
        let topCategories = table(panels["case_categories"]!, "top_categories")
        #expect(yearCases.isEmpty || !topCategories.isEmpty, "top categories at \(code)")
        for (category, values) in topCategories {
            let these = yearCases.filter { $0.category_code == category }
            #expect(values[3] == Int64(these.filter { $0.state != merged }.count), "category \(category)")
            #expect(values[1] == Int64(these.filter { open.contains($0.state) }.count))
        }
        // By residential area (or sub-node): every one of them, zeros included, and the node's own row.
        let areaRows = panels["case_areas"]!.tables[0].rows
        let areaCells = w.cells(code, level: .residentialArea)
        #expect(Set(areaRows.map(\.key).filter { $0 != "-" }) == Set(areaCells.map(\.code)), "areas at \(code)")
        for cell in areaCells {
            let these = yearCases.filter { cell.nodes.contains($0.grid_node_id) }
            #expect(areaRows.first { $0.key == cell.code }?.values[3] == Int64(these.filter { $0.state != merged }.count), "area \(cell.code)")
        }
        #expect(areaRows.reduce(0) { $0 + ($1.values[3] ?? 0) } == figure(casesPanel, "accepted"), "areas add up at \(code)")

        // Visits: household visits by month.
        let visits = panels["visits"]!
        let yearVisits = w.visits.filter { scope.contains($0.grid_node_id) && $0.local_date >= first && $0.local_date <= last }
        #expect(figure(visits, "household_visits") == Int64(yearVisits.count))
        #expect(!table(visits, "by_month").isEmpty, "visits by month at \(code)")
        for (key, values) in table(visits, "by_month") {
            #expect(values == [Int64(yearVisits.filter { $0.local_date.hasPrefix(key) }.count)], "visits \(key)")
        }
        let teams = visits.tables.first { $0.id == "by_team" }!.rows
        #expect(teams.reduce(0) { $0 + ($1.values[0] ?? 0) } == figure(visits, "done"))
        if GridLevel(rawValue: w.nodes[code]!.level)! < .residentialArea {
            // Every residential area has its row, those without quota staff too.
            let areas = Set(w.cells(code, level: .residentialArea).map(\.code))
            #expect(areas.isSubset(of: Set(teams.map(\.key))), "visit teams at \(code)")
            #expect(teams.allSatisfy { areas.contains($0.key) || $0.key == "-" }, "visit teams at \(code)")
        }

        // Aid: cumulative by kind and programme, this year by month. A role without sensitive
        // access counts the programmes marked not sensitive only, and sees no cell of fewer than
        // five people: the small-cell rule applied by hand (`hiddenByHand`) to the people counted
        // here from the records' persons, not through the production rule.
        let aid = panels["aid"]!
        let records = w.aid.filter { scope.contains($0.grid_node_id) && (sensitive || w.openProgrammes.contains($0.programme)) }
        var aidShown = true
        if !sensitive {
            let people = Set(records.map(\.person_id)).count
            // 1 to 4 people: every figure shown as "<5" (value 0); none or 5 and more: shown.
            let totalHidden = people >= 1 && people <= 4
            #expect((aid.figures.first { $0.key == "records" }?.suppressed == true) == totalHidden, "aid total at \(code): \(people) people")
            if totalHidden {
                #expect(!aid.figures.isEmpty && aid.figures.allSatisfy { $0.suppressed == true && $0.value == 0 }, "aid figures at \(code)")
            }
            let rows = aid.tables.first { $0.id == "by_programme" }!.rows
            let hidden = Self.hiddenByHand(rows.map { row in Set(records.filter { $0.programme == row.key }.map(\.person_id)).count })
            for (index, row) in rows.enumerated() {
                #expect((row.suppressed == true) == hidden.contains(index), "programme \(row.key) at \(code)")
                if hidden.contains(index) {
                    #expect(row.values.count == 4 && row.values.allSatisfy { $0 == nil }, "programme \(row.key) at \(code)")
                }
            }
            let months = aid.tables.first { $0.id == "by_month" }!.rows
            let hiddenMonths = Self.hiddenByHand(
                months.map { row in Set(records.filter { $0.given_on.hasPrefix(row.key) }.map(\.person_id)).count })
            for (index, row) in months.enumerated() {
                #expect((row.suppressed == true) == hiddenMonths.contains(index), "aid month \(row.key) at \(code)")
                if hiddenMonths.contains(index) {
                    #expect(row.values.count == 4 && row.values.allSatisfy { $0 == nil }, "aid month \(row.key) at \(code)")
                }
            }
            #expect(
                !aid.tables.flatMap(\.rows).contains { !w.openProgrammes.contains($0.key) && !$0.key.hasPrefix("\(year)-") },
                "a sensitive programme reached a role without sensitive access")
            // The figures are compared below only when they are shown.
            aidShown = !totalHidden
        }
        if aidShown {
            #expect(figure(aid, "records") == Int64(records.count), "aid records at \(code)")
            #expect(figure(aid, "cash_fen") == records.reduce(0) { $0 + ($1.amount_fen ?? 0) })
            #expect(figure(aid, "service_minutes") == records.reduce(0) { $0 + ($1.minutes ?? 0) })
            #expect(figure(aid, "year_cash_fen") == records.filter { $0.given_on.hasPrefix(String(year)) }.reduce(0) { $0 + ($1.amount_fen ?? 0) })
            for unit in Set(records.filter { $0.kind == AidKind.inKind.rawValue }.map { $0.unit ?? "" }) {
                #expect(
                    figure(aid, "in_kind_\(unit)")
                        == records.filter { $0.kind == AidKind.inKind.rawValue && ($0.unit ?? "") == unit }
                        .reduce(0) { $0 + ($1.quantity ?? 0) })
            }
            for (programme, values) in table(aid, "by_programme")
            where aid.tables.first(where: { $0.id == "by_programme" })!.rows.first(where: { $0.key == programme })?.suppressed != true {
                let these = records.filter { $0.programme == programme }
                #expect(
                    values == [
                        Int64(these.count), these.reduce(0) { $0 + ($1.amount_fen ?? 0) }, these.reduce(0) { $0 + ($1.quantity ?? 0) },
                        these.reduce(0) { $0 + ($1.minutes ?? 0) }
                    ], "programme \(programme)")
            }
            #expect(table(aid, "by_programme").count == Set(records.map(\.programme)).count)
            #expect(!table(aid, "by_month").isEmpty, "aid by month at \(code)")
            for (month, values) in table(aid, "by_month")
            where aid.tables.first(where: { $0.id == "by_month" })!.rows.first(where: { $0.key == month })?.suppressed != true {
                let these = records.filter { $0.given_on.hasPrefix(month) }
                #expect(
                    values == [
                        Int64(these.filter { $0.kind == "cash" }.count), Int64(these.filter { $0.kind == "in_kind" }.count),
                        Int64(these.filter { $0.kind == "service" }.count), these.reduce(0) { $0 + ($1.amount_fen ?? 0) }
                    ], "aid \(month)")
            }

        }

        // Bookings by status this year.
        let bookings = panels["bookings"]!
        let yearBookings = w.bookings.filter { scope.contains($0.grid_node_id) && $0.local_date >= first && $0.local_date <= last }
        #expect(figure(bookings, "bookings") == Int64(yearBookings.count))
        let byMonth = bookings.tables[0].rows
        for (index, (status, _)) in DashboardQueries.bookingStatuses.enumerated() {
            let expected = Int64(yearBookings.filter { $0.status == status }.count)
            #expect(byMonth.reduce(0) { $0 + ($1.values[index] ?? 0) } == expected, "bookings \(status)")
            if let shown = figure(bookings, status) { #expect(shown == expected, "bookings \(status)") }
        }

        // Ballots (their node or a building of their compound in scope); polls and topics in scope or
        // at a node above it (their residents take part), as the lists select them.
        let voting = panels["voting"]!
        let root = w.nodes[code]!.id
        for what in ["ballot", "poll", "topic"] {
            let these = w.votes.filter { v in
                guard v.what == what else { return false }
                if scope.contains(v.grid_node_id) { return true }
                if what == "ballot" { return v.compound_id.map { (w.compoundBuildings[$0] ?? []).contains(where: scope.contains) } ?? false }
                return w.descendants[v.grid_node_id]?.contains(root) ?? false
            }
            #expect(figure(voting, what) == Int64(these.count), "\(what) at \(code)")
        }
    }

    /// The rollup kept for the dashboard equals the aid records summed by every non-building-group ancestor.
    static func checkRollup(_ app: Application, world w: World) async throws {
        struct Row: Decodable {
            var node_id: UUID; var programme: String; var kind: String; var unit: String; var month: String
            var amount_fen: Int64; var quantity: Int64; var minutes: Int64; var records: Int64
        }
        let rows = try await app.db.sql.raw("SELECT node_id, programme, kind, unit, month, amount_fen, quantity, minutes, records FROM aid_rollups")
            .all(decoding: Row.self)
        var expected: [String: [Int64]] = [:]
        for record in w.aid {
            for (ancestor, below) in w.descendants where below.contains(record.grid_node_id) && w.nodeByID[ancestor]!.level != "building_group" {
                let key = "\(ancestor)|\(record.programme)|\(record.kind)|\(record.unit ?? "")|\(record.given_on.prefix(7))"
                var v = expected[key] ?? [0, 0, 0, 0]
                v[0] += record.amount_fen ?? 0; v[1] += record.quantity ?? 0; v[2] += record.minutes ?? 0; v[3] += 1
                expected[key] = v
            }
        }
        let actual = Dictionary(
            rows.map { ("\($0.node_id)|\($0.programme)|\($0.kind)|\($0.unit)|\($0.month)", [$0.amount_fen, $0.quantity, $0.minutes, $0.records]) },
            uniquingKeysWith: { a, _ in a })
        #expect(actual.count == expected.count)
        #expect(actual == expected)
    }

    @Test("every panel equals a brute-force recount over the same rows, at three levels and for two roles")
    func recount() async throws {
        let now = TestClock.pinnedNow()
        try await withApp(demo: true, demoPeople: 0.01, now: { now }) { app in
            let world = try await World.read(app)
            #expect(!world.aid.isEmpty && !world.cases.isEmpty && !world.visits.isEmpty && !world.bookings.isEmpty)
            try await Self.checkRollup(app, world: world)
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            for code in ["310106019", "310106019-1-01", "310106019-1-01-1", "310106019-1-01-1-01"] {
                let response = try await staff.get("/api/v1/dashboard?node=\(code)")
                #expect(response.status == .ok, "\(code): \(response.body.string.prefix(300))")
                let report = try response.decode(DashboardReport.self)
                #expect(report.node.code == code)
                Self.check(report, world: world, code: code, sensitive: true, now: now)
            }
            // A grid worker: their micro-grid by default, sensitive tags left out; one panel alone.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let report = try await grid.get("/api/v1/dashboard").decode(DashboardReport.self)
            Self.check(report, world: world, code: report.node.code, sensitive: false, now: now)
            let panel = try await grid.get("/api/v1/dashboard/panels/tags").decode(DashboardPanel.self)
            #expect(panel == report.panels.first { $0.id == "tags" })
        }
    }

    @Test("a new case, visit, tag and aid record are in the figures at once (computed on read)")
    func realTime() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            let area = "310106019-1-01"
            func panel(_ id: String) async throws -> DashboardPanel {
                try await staff.get("/api/v1/dashboard/panels/\(id)?node=\(area)").decode(DashboardPanel.self)
            }
            let cases0 = try await panel("cases"), visits0 = try await panel("visits"), tags0 = try await panel("tags"), aid0 = try await panel("aid")
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            _ = try await CasesFixture.submit(cadre, node: "\(area)-1-01", channel: "grid_patrol")
            struct P: Decodable { var id: UUID; var household_id: UUID }
            let person = try await app.db.sql.raw(
                """
                SELECT p.id, p.household_id FROM persons p JOIN grid_nodes n ON n.id = p.grid_node_id WHERE n.code = \(bind: "\(area)-1-01") ORDER BY p.id LIMIT 1
                """
            ).first(decoding: P.self)!
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/visits", ["households": [person.household_id.uuidString], "method": "home", "summary": "看望"]
                ).status == .created)
            struct Code: Decodable { var code: String }
            let free = try await app.db.sql.raw(
                """
                SELECT t.code FROM tags t WHERE t.kind = 'identity' AND t.sensitive = \(bind: false)
                  AND NOT EXISTS (SELECT 1 FROM tag_assignments a WHERE a.tag_id = t.id AND a.person_id = \(bind: person.id)) ORDER BY t.code LIMIT 1
                """
            ).first(decoding: Code.self)!.code
            #expect(try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(person.id)/tags", ["code": free]).status == .created)
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/registry/persons/\(person.id)/aid",
                    ["programme": "临时救助", "kind": "cash", "amount_fen": 12_345]
                ).status == .created)
            let cases1 = try await panel("cases"), visits1 = try await panel("visits"), tags1 = try await panel("tags"), aid1 = try await panel("aid")
            #expect(Self.figure(cases1, "accepted")! == Self.figure(cases0, "accepted")! + 1)
            #expect(Self.figure(cases1, "open")! == Self.figure(cases0, "open")! + 1)
            #expect(Self.figure(visits1, "household_visits")! == Self.figure(visits0, "household_visits")! + 1)
            #expect(Self.figure(tags1, "identity")! == Self.figure(tags0, "identity")! + 1)
            #expect(Self.figure(aid1, "records")! == Self.figure(aid0, "records")! + 1)
            #expect(Self.figure(aid1, "cash_fen")! == Self.figure(aid0, "cash_fen")! + 12_345)
            #expect(Self.figure(aid1, "year_cash_fen")! == Self.figure(aid0, "year_cash_fen")! + 12_345)
            // The rollup still equals the records after the API write.
            try await Self.checkRollup(app, world: try await World.read(app))
        }
    }

    @Test("the panel pages draw every table as SVG with its data table, in Chinese and English; CSV holds the same rows; links drill down in scope")
    func pages() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let cadre = TestClient(app)
            _ = try await cadre.signInWeb("cadre")
            let page = try await cadre.get("/dashboard")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("社区大脑"))
            for domain in ["公共管理", "公共服务", "社会参与", "公共安全"] { #expect(html.contains(domain), "\(domain)") }
            #expect(html.contains("/cases?state="), "cases drill down to the board")
            // The cards link their tables and charts (明细) to the panels' own pages.
            #expect(!html.contains("<svg") && !html.contains("<table class=\"data\""))
            #expect(html.contains("id=\"detail-population\" href=\"/dashboard/panels/population?node=310106019-1-01&amp;year="))
            let population = try await cadre.get("/dashboard/panels/population").body.string
            #expect(population.contains("<svg class=\"chart\""))
            #expect(population.contains("<title id=\"chart-population-by_child-t\">"))
            #expect(population.contains("id=\"table-population-by_child\""))
            let tags = try await cadre.get("/dashboard/panels/tags").body.string
            #expect(tags.contains("/registry/smart-groups?expression="), "tags drill down to the smart group")
            // The open-cases figure drills down to the board's list of that node's open cases of the
            // year (the board's filters: states, the node's code as `area`, the year as `from`/`to`),
            // and the list API with the same filters holds exactly that many, all under the node.
            // (`DashboardLinkCountTests` follows every link of the page itself.)
            let staff = TestClient(app)
            _ = try await staff.signInWeb("staff")
            // One open case made here in the residential area checked below, so that both lists
            // hold at least one case and their "all under the node" checks cannot pass on nothing.
            let reporter = TestClient(app)
            try await reporter.signInAPI("cadre")
            _ = try await CasesFixture.submit(reporter, node: "310106019-1-01-1-01", channel: "grid_patrol")
            struct Listed: Decodable { var node_code: String; var state: String }
            for nodeCode in ["310106019", "310106019-1-01"] {
                let panel = try await staff.get("/api/v1/dashboard/panels/cases?node=\(nodeCode)").decode(DashboardPanel.self)
                let openFigure = try #require(panel.figures.first { $0.key == "open" })
                let href = try #require(openFigure.href)
                #expect(href.hasPrefix("/cases?state=") && href.hasSuffix("#case-total") && href.contains("area=\(nodeCode)&"), "\(href)")
                #expect(openFigure.exact == true)
                let query = href.split(separator: "?")[1].split(separator: "#")[0].split(separator: "&")
                func value(_ name: String) -> String { query.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) } ?? "" }
                let listed = try await staff.get(
                    "/api/v1/cases?status=open&limit=200&node=\(nodeCode)&from=\(value("from"))&to=\(value("to"))"
                ).decode([Listed].self)
                #expect(openFigure.value > 0)
                #expect(Int64(listed.count) == min(openFigure.value, 200), "open cases at \(nodeCode)")
                #expect(listed.allSatisfy { $0.node_code.hasPrefix(nodeCode) })
            }
            let unknown = try await staff.get("/api/v1/cases?node=no-such-node")
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("\"node\""))
            #expect(html.contains("五大领域 18 个目录"))
            cadre.cookies["minqing_lang"] = "en"
            let english = try await cadre.get("/dashboard").body.string
            #expect(english.contains("Community dashboard") && english.contains("Public management") && english.contains("Households"))
            let single = try await cadre.get("/dashboard/panels/aid")
            #expect(single.status == .ok && single.body.string.contains("id=\"panel-aid\""))
            let csv = try await cadre.get("/dashboard/csv/population/by_child")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.body.string.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("\u{FEFF}Code,Node,Households,Residents") == true, "\(lines.first ?? "")")
            let json = try await cadre.get("/api/v1/dashboard/panels/population").decode(DashboardPanel.self)
            #expect(lines.count - 1 == json.tables[0].rows.count)
            // The home page links to the dashboard for staff.
            #expect(try await cadre.get("/").body.string.contains("href=\"/dashboard\""))
            // Outside the scope, or a bad year or panel.
            #expect(try await cadre.get("/dashboard?node=310106019-1-02").status == .notFound)
            #expect(try await cadre.get("/dashboard?year=20x6").status == .unprocessableEntity)
            #expect(try await cadre.get("/dashboard/panels/nope").status == .notFound)
            #expect(try await cadre.get("/dashboard/csv/population/nope").status == .notFound)
        }
    }
}
