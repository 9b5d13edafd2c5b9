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
    /// All the rows the recount needs, read plainly (no grouping, no scope in SQL).
    struct World {
        var descendants: [UUID: Set<UUID>] = [:]
        var nodes: [String: (id: UUID, level: String, parent: UUID?, name: String)] = [:]
        var nodeByID: [UUID: (code: String, level: String, parent: UUID?)] = [:]
        var persons: [UUID] = []
        var households: [UUID] = []
        struct Assignment: Decodable { var tag_id: UUID; var grid_node_id: UUID; var ends_on: String? }
        var assignments: [Assignment] = []
        struct Tag: Decodable { var id: UUID; var code: String; var kind: String; var sensitive: Bool }
        var tags: [UUID: Tag] = [:]
        struct Aid: Decodable {
            var grid_node_id: UUID; var person_id: UUID; var programme: String; var kind: String; var unit: String?
            var amount_fen: Int64?; var quantity: Int64?; var minutes: Int64?; var given_on: String
        }
        var aid: [Aid] = []
        /// The aid programmes marked not sensitive.
        var openProgrammes: Set<String> = []
        struct Case: Decodable {
            var grid_node_id: UUID; var state: String; var reported_on: String; var channel: String; var department_id: UUID?
            var category_code: String; var due_at: Date?
        }
        var cases: [Case] = []
        struct VisitHousehold: Decodable { var grid_node_id: UUID; var local_date: String }
        var visits: [VisitHousehold] = []
        struct Booking: Decodable { var status: String; var grid_node_id: UUID; var local_date: String }
        var bookings: [Booking] = []
        struct Vote: Decodable { var what: String; var status: String; var grid_node_id: UUID; var compound_id: UUID? }
        var votes: [Vote] = []
        var compoundBuildings: [UUID: [UUID]] = [:]

        static func read(_ app: Application) async throws -> World {
            let sql = app.db.sql
            var w = World()
            struct C: Decodable { var ancestor_id: UUID; var descendant_id: UUID }
            for c in try await sql.raw("SELECT ancestor_id, descendant_id FROM grid_closure").all(decoding: C.self) {
                w.descendants[c.ancestor_id, default: []].insert(c.descendant_id)
            }
            struct N: Decodable { var id: UUID; var code: String; var level: String; var parent_id: UUID?; var name: String }
            for n in try await sql.raw("SELECT id, code, level, parent_id, name FROM grid_nodes").all(decoding: N.self) {
                w.nodes[n.code] = (n.id, n.level, n.parent_id, n.name)
                w.nodeByID[n.id] = (n.code, n.level, n.parent_id)
            }
            struct G: Decodable { var grid_node_id: UUID }
            w.persons = try await sql.raw("SELECT grid_node_id FROM persons").all(decoding: G.self).map(\.grid_node_id)
            w.households = try await sql.raw("SELECT grid_node_id FROM households").all(decoding: G.self).map(\.grid_node_id)
            w.assignments = try await sql.raw("SELECT tag_id, grid_node_id, ends_on FROM tag_assignments").all(decoding: Assignment.self)
            for t in try await sql.raw("SELECT id, code, kind, sensitive FROM tags").all(decoding: Tag.self) { w.tags[t.id] = t }
            w.aid = try await sql.raw(
                "SELECT grid_node_id, person_id, programme, kind, unit, amount_fen, quantity, minutes, given_on FROM aid_records"
            ).all(decoding: Aid.self)
            struct P: Decodable { var name: String }
            w.openProgrammes = Set(
                try await sql.raw("SELECT name FROM aid_programmes WHERE sensitive = \(flag: false)").all(decoding: P.self).map(\.name))
            w.cases = try await sql.raw("SELECT grid_node_id, state, reported_on, channel, department_id, category_code, due_at FROM cases").all(
                decoding: Case.self)
            w.visits = try await sql.raw("SELECT grid_node_id, local_date FROM visit_households").all(decoding: VisitHousehold.self)
            w.bookings = try await sql.raw(
                """
                SELECT b.status, r.grid_node_id, s.local_date FROM service_bookings b JOIN service_resources r ON r.id = b.resource_id
                JOIN service_slots s ON s.id = b.slot_id
                """
            ).all(decoding: Booking.self)
            w.votes = try await sql.raw(
                """
                SELECT 'ballot' AS what, status, grid_node_id, compound_id FROM owners_ballots
                UNION ALL SELECT 'poll' AS what, status, grid_node_id, NULL AS compound_id FROM polls
                UNION ALL SELECT 'topic' AS what, status, grid_node_id, NULL AS compound_id FROM topics
                """
            ).all(decoding: Vote.self)
            struct B: Decodable { var compound_id: UUID; var grid_node_id: UUID }
            for b in try await sql.raw("SELECT compound_id, grid_node_id FROM buildings").all(decoding: B.self) {
                w.compoundBuildings[b.compound_id, default: []].append(b.grid_node_id)
            }
            return w
        }

        func under(_ code: String) -> Set<UUID> { descendants[nodes[code]!.id] ?? [] }
        /// The cells of a node as the panels define them: its children, or its micro-grids.
        func cells(_ code: String, microGrids: Bool) -> [(code: String, nodes: Set<UUID>)] {
            let node = nodes[code]!
            let below = under(code)
            let picked = nodes.filter { _, n in
                if microGrids, GridLevel(rawValue: node.level)! < .microGrid {
                    return n.level == GridLevel.microGrid.rawValue && below.contains(n.id)
                }
                return n.parent == node.id
            }
            return picked.map { ($0.key, descendants[$0.value.id] ?? []) }
        }
    }

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
        let casesPanel = panels["cases"]!
        #expect(figure(casesPanel, "accepted") == Int64(yearCases.filter { $0.state != CaseState.merged.rawValue }.count))
        #expect(figure(casesPanel, "open") == Int64(yearCases.filter { open.contains($0.state) }.count))
        #expect(figure(casesPanel, "overdue") == Int64(yearCases.filter(overdue).count))
        let byDepartment = panels["cases"]!.tables[0].rows
        #expect(byDepartment.reduce(0) { $0 + ($1.values[1] ?? 0) } == Int64(yearCases.filter { open.contains($0.state) }.count))
        let channels = table(panels["case_channels"]!, "by_channel")
        for channel in CaseChannel.allCases {
            let these = yearCases.filter { $0.channel == channel.rawValue }
            #expect(
                channels[channel.rawValue] == [
                    Int64(these.count), Int64(these.filter { open.contains($0.state) }.count), Int64(these.filter(overdue).count)
                ],
                "channel \(channel)")
        }
        let topCategories = table(panels["case_categories"]!, "top_categories")
        #expect(yearCases.isEmpty || !topCategories.isEmpty, "top categories at \(code)")
        for (category, values) in topCategories {
            let these = yearCases.filter { $0.category_code == category }
            #expect(values[0] == Int64(these.filter { $0.state != CaseState.merged.rawValue }.count), "category \(category)")
            #expect(values[1] == Int64(these.filter { open.contains($0.state) }.count))
        }

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
        for (status, _) in DashboardQueries.bookingStatuses {
            #expect(figure(bookings, status) == Int64(yearBookings.filter { $0.status == status }.count), "bookings \(status)")
        }

        // Ballots (their node or a building of their compound in scope), polls and topics.
        let voting = panels["voting"]!
        for what in ["ballot", "poll", "topic"] {
            let these = w.votes.filter { v in
                v.what == what
                    && (scope.contains(v.grid_node_id)
                        || (v.compound_id.map { (w.compoundBuildings[$0] ?? []).contains(where: scope.contains) } ?? false))
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

    @Test("the page draws every table as SVG with its data table, in Chinese and English; CSV holds the same rows; links drill down in scope")
    func pages() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let cadre = TestClient(app)
            _ = try await cadre.signInWeb("cadre")
            let page = try await cadre.get("/dashboard")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("社区大脑"))
            for domain in ["公共管理", "公共服务", "社会参与", "公共安全"] { #expect(html.contains(domain), "\(domain)") }
            #expect(html.contains("<svg class=\"chart\""))
            #expect(html.contains("<title id=\"chart-population-by_child-t\">"))
            #expect(html.contains("id=\"table-population-by_child\""))
            #expect(html.contains("/registry/smart-groups?expression="), "tags drill down to the smart group")
            #expect(html.contains("/cases?status=open"), "cases drill down to the list")
            // The open-cases figure drills down to the list of that node's open cases, and the list
            // holds exactly that many, all under the node; an unknown node is refused by name.
            let staff = TestClient(app)
            _ = try await staff.signInWeb("staff")
            // One open case made here in the residential area checked below, so that both lists
            // hold at least one case and their "all under the node" checks cannot pass on nothing.
            let reporter = TestClient(app)
            try await reporter.signInAPI("cadre")
            _ = try await CasesFixture.submit(reporter, node: "310106019-1-01-1-01", channel: "grid_patrol")
            let casesPanel = try await staff.get("/api/v1/dashboard/panels/cases").decode(DashboardPanel.self)
            let openFigure = try #require(casesPanel.figures.first { $0.key == "open" })
            let href = try #require(openFigure.href)
            let nodeCode = try #require(href.split(separator: "&").first { $0.hasPrefix("node=") }.map { String($0.dropFirst(5)) })
            #expect(href == "/cases?status=open&node=\(nodeCode)")
            struct Listed: Decodable { var node_code: String; var state: String }
            let listed = try await staff.get("/api/v1/cases?status=open&limit=200&node=\(nodeCode)").decode([Listed].self)
            #expect(openFigure.value > 0)
            #expect(Int64(listed.count) == min(openFigure.value, 200))
            #expect(!listed.isEmpty)
            #expect(listed.allSatisfy { $0.node_code.hasPrefix(nodeCode) })
            // The same one level down (a residential area): fewer, and only its own.
            let area = "310106019-1-01"
            let areaPanel = try await staff.get("/api/v1/dashboard/panels/cases?node=\(area)").decode(DashboardPanel.self)
            let areaOpen = try #require(areaPanel.figures.first { $0.key == "open" })
            #expect(areaOpen.href == "/cases?status=open&node=\(area)")
            let areaListed = try await staff.get("/api/v1/cases?status=open&limit=200&node=\(area)").decode([Listed].self)
            #expect(Int64(areaListed.count) == min(areaOpen.value, 200))
            #expect(!areaListed.isEmpty)
            #expect(areaListed.allSatisfy { $0.node_code.hasPrefix(area) })
            #expect(areaListed.count < listed.count || listed.count == 200)
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
