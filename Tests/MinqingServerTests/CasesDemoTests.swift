import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingBenchSupport
@testable import MinqingServer

@Suite("Cases: the demo and the indicators")
struct CasesDemoTests {
    struct N: Decodable { var n: Int }

    func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first(decoding: N.self)!.n
    }

    /// Every demo case's transitions, replayed through the domain's table from `reported`, are
    /// allowed at each step and end in the state the case row holds; the indicators the SQL
    /// report gives equal a recount from the transitions.
    @Test("a year of cases whose every timeline obeys the state machine, and indicators that match a recount", arguments: TestClock.testDays)
    func consistent(day: Date) async throws {
        let clock = TestClock(day)
        try await withApp(demo: true, demoPeople: 0.02, now: { clock.now }) { app in
            let sql = app.db.sql
            let total = try await count(sql, "SELECT COUNT(*) AS n FROM cases")
            #expect(total >= 400)
            struct Case: Decodable { var id: UUID; var state: String; var last_seq: Int }
            struct Step: Decodable { var case_id: UUID; var seq: Int; var action: String; var from_state: String?; var to_state: String }
            let cases = try await sql.raw("SELECT id, state, last_seq FROM cases").all(decoding: Case.self)
            let steps = try await sql.raw("SELECT case_id, seq, action, from_state, to_state FROM case_transitions ORDER BY case_id, seq")
                .all(decoding: Step.self)
            let byCase = Dictionary(grouping: steps, by: \.case_id)
            var bad: [String] = []
            for c in cases {
                let timeline = byCase[c.id] ?? []
                guard timeline.map(\.seq) == Array(1...max(1, c.last_seq)), timeline.first?.action == "report" else {
                    bad.append("\(c.id): seq"); continue
                }
                var state = CaseState.reported
                for step in timeline.dropFirst() {
                    guard let action = CaseAction(rawValue: step.action), step.from_state == state.rawValue,
                        let next = try? CaseStateMachine.next(from: state, by: action), next.rawValue == step.to_state
                    else {
                        bad.append("\(c.id): \(state) \(step.action)"); break
                    }
                    state = next
                }
                if state.rawValue != c.state { bad.append("\(c.id): ends \(state), row \(c.state)") }
            }
            #expect(bad.isEmpty, "\(bad.prefix(5))")
            // Channels, departments, states: the spread a year brings.
            #expect(try await count(sql, "SELECT COUNT(DISTINCT channel) AS n FROM cases") == CaseChannel.allCases.count)
            #expect(try await count(sql, "SELECT COUNT(DISTINCT department_id) AS n FROM cases") >= 6)
            for state in ["reported", "merged", "rejected", "closed", "evaluated"] {
                #expect(try await count(sql, "SELECT COUNT(*) AS n FROM cases WHERE state = \(bind: state)") > 0, "\(state)")
            }
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM cases WHERE rework_count > 0") > 0)
            #expect(try await count(sql, "SELECT COUNT(*) AS n FROM case_supervisions WHERE kind = 'overdue'") > 0)
            // However the clock falls, a few cases are open past their deadline (the overdue list, 督办).
            let stuck: SQLQueryString = "SELECT COUNT(*) AS n FROM cases WHERE state = 'in_progress' AND due_at < \(bind: clock.now)"
            #expect(try await count(sql, stuck) >= 3)
            #expect(
                try await count(
                    sql, "SELECT COUNT(*) AS n FROM department_accounts da JOIN accounts a ON a.id = da.account_id WHERE a.username = 'handler'") == 1
            )

            // The SQL indicators of the whole subdistrict against a recount from the transitions.
            let staff = try #require(try await BenchHooks.accountActor(app, username: "staff")).actor
            let now = app.services.now()
            // The year holding most of the demo's twelve months: the previous one early in January.
            let year = CivilDate(now.addingTimeInterval(-182 * 86_400), in: .shanghai).year
            let report = try await CasesIndicatorQueries.report(
                year: year, by: .department, actor: staff, calendar: app.services.calendar,
                now: now, on: app.db)
            let inYear: SQLQueryString = "c.reported_on >= \(bind: "\(year)-01-01") AND c.reported_on <= \(bind: "\(year)-12-31")"
            func having(_ action: String) -> SQLQueryString {
                "EXISTS (SELECT 1 FROM case_transitions t WHERE t.case_id = c.id AND t.action = \(bind: action))"
            }
            let t = report.total.counts
            #expect(t.accepted == (try await count(sql, "SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND NOT \(having("merge"))")))
            #expect(t.filed == (try await count(sql, "SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND \(having("file"))")))
            #expect(t.dispatched == (try await count(sql, "SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND \(having("dispatch"))")))
            #expect(t.handled == (try await count(sql, "SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND \(having("handle"))")))
            #expect(
                t.reworked
                    == (try await count(
                        sql,
                        """
                        SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND \(having("handle")) AND (\(having("rework")) OR \(having("reopen")))
                        """)))
            #expect(
                t.closed
                    == (try await count(
                        sql,
                        """
                        SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND (SELECT t.to_state FROM case_transitions t WHERE t.case_id = c.id AND t.seq = c.last_seq)
                        IN ('closed', 'evaluated')
                        """)))
            #expect(t.rated == (try await count(sql, "SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND \(having("evaluate"))")))
            #expect(t.satisfied + t.basicallySatisfied <= t.rated && t.closedOnTime <= t.closed && t.closed <= t.due && t.due <= t.filed)
            #expect(report.rows.reduce(0) { $0 + $1.counts.accepted } == t.accepted)
            #expect(report.rows.count >= 6)
            // Every grouping counts the same cases; groups carry names, not ids.
            let departmentNames = Set(CaseCatalogue.departments.map(\.nameZH)).union(["未派遣"])
            #expect(report.rows.allSatisfy { departmentNames.contains($0.name_zh) }, "\(report.rows.map(\.name_zh))")
            for grouping in [CaseIndicatorGrouping.category, .node, .month] {
                let other = try await CasesIndicatorQueries.report(
                    year: year, by: grouping, actor: staff, calendar: app.services.calendar,
                    now: now, on: app.db)
                #expect(other.total.counts == t, "\(grouping)")
                #expect(!other.rows.isEmpty, "\(grouping)")
                #expect(other.rows.allSatisfy { !$0.name_zh.isEmpty && $0.name_zh != "-" }, "\(grouping): \(other.rows.map(\.name_zh).prefix(3))")
            }
            // A grid worker's report counts only the cases of their micro-grid.
            let gridworker = try #require(try await BenchHooks.accountActor(app, username: "gridworker")).actor
            let small = try await CasesIndicatorQueries.report(
                year: year, by: .department, actor: gridworker, calendar: app.services.calendar,
                now: now, on: app.db)
            #expect(
                small.total.counts.accepted
                    == (try await count(
                        sql,
                        """
                        SELECT COUNT(*) AS n FROM cases c WHERE \(inYear) AND c.state <> 'merged'
                          AND c.grid_node_id IN (SELECT g.descendant_id FROM grid_closure g JOIN accounts a ON a.grid_node_id = g.ancestor_id
                                                 WHERE a.username = 'gridworker')
                        """)))
            #expect(small.total.counts.accepted < t.accepted)
            // Realistic: most filed, most closed on time, most satisfied, some reworked.
            let i = report.total.indicators
            #expect((i.filingRate.perMille ?? 0) > 850)
            #expect((i.onTimeClosingRate.perMille ?? 0) > 500 && (i.onTimeClosingRate.perMille ?? 1000) < 950)
            #expect((i.satisfactionRate.perMille ?? 0) > 750)
            #expect((i.reworkRate.perMille ?? 0) > 10)
        }
    }
}
