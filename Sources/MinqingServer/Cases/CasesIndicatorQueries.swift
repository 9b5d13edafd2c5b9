import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// How the indicators are grouped.
package enum CaseIndicatorGrouping: String, Sendable, CaseIterable, Codable {
    case department, category, node, month
}

/// One group's counts, indicators, and its open and overdue cases (the problem list).
package struct CaseIndicatorRow: Content, Sendable {
    var key: String
    var name_zh: String
    var name_en: String
    package var counts: CaseIndicatorCounts
    var indicators: CaseIndicators
    var open: Int
    var overdue: Int
}

package struct CaseIndicatorReport: Content, Sendable {
    var year: Int
    var by: CaseIndicatorGrouping
    var rows: [CaseIndicatorRow]
    package var total: CaseIndicatorRow
    /// Years of the period without a holiday file: deadlines there rest on the statutory holidays
    /// derived from the regulation, make-up days unknown (`PlatformCalendar.missingNoticeWarning`).
    var years_without_calendar: [Int]
}

/// A project (十大民生实事 …) with its cases' progress.
struct CaseProjectProgress: Content, Sendable {
    var id: UUID
    var code: String
    var name_zh: String
    var name_en: String
    var year: Int
    var target: Int
    var cases: Int
    var closed: Int
    var progress: CaseRate
}

/// The indicators of BRIEF §2 counted in SQL: one grouped statement over the cases reported in
/// the period inside the caller's scope, then the domain's exact fractions.
package enum CasesIndicatorQueries {
    /// The counted columns: name and the condition a case meets to count.
    static func counted(now: Date) -> [(String, SQLQueryString)] {
        let closed = SQLList([CaseState.closed, .evaluated].map { SQLBind($0.rawValue) })
        let open = SQLList(CaseState.openStates.map { SQLBind($0.rawValue) })
        let running = SQLList(CaseState.allCases.filter(\.deadlineRuns).map { SQLBind($0.rawValue) })
        return [
            ("accepted", "c.state <> \(bind: CaseState.merged.rawValue)"),
            ("filed", "c.filed_at IS NOT NULL"),
            ("due", "c.filed_at IS NOT NULL AND (c.state IN (\(closed)) OR c.due_at < \(bind: now))"),
            ("closed", "c.state IN (\(closed))"),
            ("closed_on_time", "c.state IN (\(closed)) AND c.handled_at <= c.due_at"),
            ("handled", "c.handled_count > 0"),
            ("reworked", "c.handled_count > 0 AND c.rework_count > 0"),
            ("dispatched", "c.dispatched_at IS NOT NULL"),
            ("responded", "c.responded_at IS NOT NULL AND c.responded_at <= c.response_due_at"),
            ("rated", "c.verdict IS NOT NULL"),
            ("resolved", "c.verdict IS NOT NULL AND c.resolved = \(flag: true)"),
            ("satisfied", "c.verdict = \(bind: CaseVerdict.satisfied.rawValue)"),
            ("basically_satisfied", "c.verdict = \(bind: CaseVerdict.basicallySatisfied.rawValue)"),
            ("open_count", "c.state IN (\(open))"),
            ("overdue_count", "c.state IN (\(running)) AND c.due_at < \(bind: now)")
        ]
    }

    package static func report(year: Int, by grouping: CaseIndicatorGrouping, actor: Actor, calendar: WorkingCalendar, now: Date, on db: any Database)
        async throws -> CaseIndicatorReport
    {
        // Grouped by raw columns of the covering index; names are looked up afterwards.
        let key: SQLQueryString
        var names: [String: (String, String)] = [:]
        switch grouping {
        case .department:
            key = "COALESCE(CAST(c.department_id AS TEXT), '-')"
            for d in try await CasesQueries.departments(on: db) { names[d.id.uuidString.lowercased()] = (d.name_zh, d.name_en) }
        case .category:
            key = "c.category_code"
            for c in try await CasesQueries.categories(on: db) { names[c.code] = (c.name_zh, c.name_en) }
        case .node:
            key = "c.grid_node_id"
            struct Area: Decodable { var code: String; var name: String }
            for a in try await db.sql.raw("SELECT code, name FROM grid_nodes WHERE level = \(bind: GridLevel.residentialArea.rawValue)")
                .all(decoding: Area.self)
            { names[a.code] = (a.name, a.name) }
            names["-"] = ("街道及以上", "Above the residential areas")
        case .month:
            key = "SUBSTR(c.reported_on, 1, 7)"
        }
        let columns = counted(now: now)
        var selects: SQLQueryString = "\(key) AS key"
        for (name, condition) in columns {
            selects = "\(selects), COALESCE(SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END), 0) AS \(ident: name)"
        }
        var query: SQLQueryString = """
            SELECT \(selects) FROM cases c
            WHERE \(CasesQueries.reportScope(actor)) AND c.reported_on >= \(bind: "\(year)-01-01") AND c.reported_on <= \(bind: "\(year)-12-31")
            GROUP BY \(key)
            """
        if grouping == .node {
            // The nodes' groups (a few thousand at most) summed by their residential area.
            var sums: SQLQueryString = "COALESCE(m.code, '-') AS key"
            for (name, _) in columns { sums = "\(sums), CAST(SUM(x.\(ident: name)) AS BIGINT) AS \(ident: name)" }
            query = """
                SELECT \(sums) FROM (\(query)) x
                LEFT JOIN (SELECT gc.descendant_id AS node, a.code FROM grid_closure gc JOIN grid_nodes a ON a.id = gc.ancestor_id
                           WHERE a.level = \(bind: GridLevel.residentialArea.rawValue)) m ON m.node = x.key
                GROUP BY COALESCE(m.code, '-')
                """
        }
        struct Row: Decodable {
            var key: String
            var accepted: Int; var filed: Int; var due: Int; var closed: Int; var closed_on_time: Int; var handled: Int; var reworked: Int
            var dispatched: Int; var responded: Int; var rated: Int; var resolved: Int; var satisfied: Int; var basically_satisfied: Int
            var open_count: Int; var overdue_count: Int
        }
        let rows = try await db.sql.raw("\(query) ORDER BY 1").all(decoding: Row.self)
        var total = CaseIndicatorCounts()
        var totalOpen = 0, totalOverdue = 0
        let result = rows.map { r -> CaseIndicatorRow in
            let counts = CaseIndicatorCounts(
                accepted: r.accepted, filed: r.filed, due: r.due, closed: r.closed, closedOnTime: r.closed_on_time,
                handled: r.handled, reworked: r.reworked, dispatched: r.dispatched, responded: r.responded,
                rated: r.rated, resolved: r.resolved, satisfied: r.satisfied, basicallySatisfied: r.basically_satisfied)
            total = total + counts
            totalOpen += r.open_count
            totalOverdue += r.overdue_count
            let label = names[r.key.lowercased()] ?? names[r.key] ?? (r.key == "-" ? ("未派遣", "Not dispatched") : (r.key, r.key))
            let key =
                grouping == .department
                ? (UUID(uuidString: r.key).flatMap { id in names[id.uuidString.lowercased()].map { _ in id.uuidString } } ?? r.key) : r.key
            return CaseIndicatorRow(
                key: key, name_zh: label.0, name_en: label.1, counts: counts,
                indicators: CaseIndicators(counts), open: r.open_count, overdue: r.overdue_count)
        }
        return CaseIndicatorReport(
            year: year, by: grouping, rows: result,
            total: CaseIndicatorRow(
                key: "total", name_zh: "合计", name_en: "Total", counts: total,
                indicators: CaseIndicators(total), open: totalOpen, overdue: totalOverdue),
            years_without_calendar: calendar.hasData(for: year) ? [] : [year])
    }

    /// The projects the caller works with (`CasesQueries.projectVisible`), with their cases in the
    /// caller's scope and how many are closed.
    static func projects(actor: Actor, on db: any Database) async throws -> [CaseProjectProgress] {
        struct Row: Decodable {
            var id: UUID; var code: String; var name_zh: String; var name_en: String; var year: Int; var target: Int; var cases: Int; var closed: Int
        }
        let closed = SQLList([CaseState.closed, .evaluated].map { SQLBind($0.rawValue) })
        let rows = try await db.sql.raw(
            """
            SELECT p.id, p.code, p.name_zh, p.name_en, p.year, p.target,
                   COUNT(c.id) AS cases, COALESCE(SUM(CASE WHEN c.state IN (\(closed)) THEN 1 ELSE 0 END), 0) AS closed
            FROM case_projects p LEFT JOIN cases c ON c.project_id = p.id AND \(CasesQueries.visible(actor))
            WHERE \(CasesQueries.projectVisible(actor))
            GROUP BY p.id, p.code, p.name_zh, p.name_en, p.year, p.target ORDER BY p.year DESC, p.code
            """
        ).all(decoding: Row.self)
        return rows.map {
            CaseProjectProgress(
                id: $0.id, code: $0.code, name_zh: $0.name_zh, name_en: $0.name_en, year: $0.year, target: $0.target,
                cases: $0.cases, closed: $0.closed, progress: CaseRate($0.closed, max($0.target, $0.cases)))
        }
    }
}
