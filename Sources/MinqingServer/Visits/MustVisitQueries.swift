import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 十必访: the categories are rows of `must_visit_categories` (seeded with
/// `MustVisitCategory.defaults`, frequency editable). Who is in a category is its tag expression,
/// compiled by the register's smart-group code (`SmartGroupQueries.compile`) inside the caller's
/// scope, so a category whose tags the role may not see is left out, as the register does.
/// A household is in a category when one of its members is; its last visit is its newest visit
/// of any kind that met the household (a nobody-home attempt clears nothing, `VisitOutcome`);
/// when it is due follows `MustVisitSchedule`.
package enum MustVisitQueries {
    package struct CategoryRow: Content, Sendable, Equatable {
        package var code: String; package var name_zh: String; package var name_en: String; package var expression: String;
        package var frequency_days: Int

        package var category: MustVisitCategory {
            MustVisitCategory(code: code, nameZH: name_zh, nameEN: name_en, expression: expression, frequencyDays: frequency_days)
        }
    }

    package static func categories(on db: any Database) async throws -> [CategoryRow] {
        try await db.sql.raw(
            """
            SELECT code, name_zh, name_en, expression, frequency_days FROM must_visit_categories ORDER BY sort_order, code
            """
        ).all(decoding: CategoryRow.self)
    }

    static func category(code: String, on db: any Database) async throws -> CategoryRow? {
        try await db.sql.raw(
            """
            SELECT code, name_zh, name_en, expression, frequency_days FROM must_visit_categories WHERE code = \(bind: code)
            """
        ).first(decoding: CategoryRow.self)
    }

    /// One household owed a visit in one category.
    struct Row: Content, Sendable, Equatable {
        var category: String
        var household_id: UUID
        var address: String?
        var grid_name: String?
        /// When the household entered the category (its members' earliest current tag).
        var entered_on: String?
        var last_visit: String?
        var due_date: String
        /// Negative while not yet due, 0 on the day, positive when overdue.
        var days_past_due: Int
    }

    /// Per category: households in it, due (today or late), overdue (late).
    struct Count: Content, Sendable, Equatable {
        var code: String; var name_zh: String; var name_en: String; var frequency_days: Int
        var households: Int; var due: Int; var overdue: Int
    }

    /// Which rows a list wants.
    package enum Status: String, Sendable, CaseIterable { case all, due, overdue }

    package struct Report: Content, Sendable {
        var today: String
        var counts: [Count]
        /// Categories the caller's role may not see (their tags are sensitive).
        var hidden: [String]
        var items: [Row]
        package var total: Int
        var limit: Int
        var offset: Int
    }

    /// Evaluates the categories inside the caller's scope (narrowed to `node` when given), and
    /// returns the counts and one page of the rows with `status`, most overdue first.
    ///
    /// One statement: each category is a branch (its households, their newest visit, and only
    /// for a household never visited the day it entered the category), the branches are
    /// materialised once, and the database returns the count rows per category and just the
    /// rows the list wants, due and overdue decided against each category's own cut-off day.
    package static func report(
        actor: Actor, node: String?, category: String?, status: Status, today: CivilDate,
        limit: Int, offset: Int, on db: any Database
    ) async throws -> Report {
        var branches: [SQLQueryString] = []
        var visible: [CategoryRow] = []
        var hidden: [String] = []
        for row in try await categories(on: db) {
            let compiled: SQLQueryString
            do {
                let criteria = SmartGroupQueries.Criteria(expression: row.expression, node: node, min_age: nil, max_age: nil, sex: nil)
                compiled = try await SmartGroupQueries.compile(criteria, actor: actor, today: today, on: db).where
            } catch let error as AppError where error.status == .unprocessableEntity {
                if error.fields.contains(where: { $0.field == "node" }) {
                    throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
                }
                hidden.append(row.code)
                continue
            }
            visible.append(row)
            branches.append(branch(row, where: compiled, today: today))
        }
        var counts = visible.map {
            Count(
                code: $0.code, name_zh: $0.name_zh, name_en: $0.name_en, frequency_days: $0.frequency_days,
                households: 0, due: 0, overdue: 0)
        }
        guard !branches.isEmpty else {
            return Report(today: today.iso8601, counts: counts, hidden: hidden, items: [], total: 0, limit: limit, offset: offset)
        }
        var union: SQLQueryString = ""
        for (index, branch) in branches.enumerated() { union = index == 0 ? branch : "\(union) UNION ALL \(branch)" }
        var wanted: SQLQueryString =
            switch status {
            case .all: "1 = 1"
            case .due: "u.due = 1"
            case .overdue: "u.overdue = 1"
            }
        if let category { wanted = "\(wanted) AND u.category = \(bind: category)" }
        struct Raw: Decodable {
            var item: Int; var category: String; var household_id: UUID?; var last_visit: String?; var entered_on: String?
            var n: Int; var due: Int; var overdue: Int
        }
        let statement: SQLQueryString = """
            WITH u AS MATERIALIZED (\(union))
            SELECT 0 AS item, u.category, NULL AS household_id, NULL AS last_visit, NULL AS entered_on,
                   COUNT(*) AS n, SUM(u.due) AS due, SUM(u.overdue) AS overdue
            FROM u GROUP BY u.category
            UNION ALL
            SELECT 1, u.category, u.household_id, u.last_visit, u.entered_on, 1, u.due, u.overdue FROM u WHERE \(wanted)
            """
        let rows: [Raw]
        if db.dialectName == "postgresql" {
            // PostgreSQL over-estimates an OR of many tag terms a hundredfold and starts parallel
            // workers for each small branch; their start-up was two thirds of an area's list.
            rows = try await db.transaction { tx in
                try await tx.sql.raw("SET LOCAL max_parallel_workers_per_gather = 0").run()
                return try await tx.sql.raw(statement).all(decoding: Raw.self)
            }
        } else {
            rows = try await db.sql.raw(statement).all(decoding: Raw.self)
        }

        let frequency = Dictionary(visible.map { ($0.code, $0.frequency_days) }, uniquingKeysWith: { a, _ in a })
        let position = Dictionary(counts.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [Row] = []
        for raw in rows {
            guard raw.item == 1, let household = raw.household_id else {
                if let index = position[raw.category] {
                    counts[index].households = raw.n
                    counts[index].due = raw.due
                    counts[index].overdue = raw.overdue
                }
                continue
            }
            let schedule = MustVisitSchedule(
                lastVisit: raw.last_visit.flatMap { try? CivilDate(parsing: $0) },
                enteredOn: raw.entered_on.flatMap { try? CivilDate(parsing: $0) },
                frequencyDays: frequency[raw.category] ?? 30, today: today)
            items.append(
                Row(
                    category: raw.category, household_id: household, address: nil, grid_name: nil, entered_on: raw.entered_on,
                    last_visit: raw.last_visit, due_date: schedule.dueDate.iso8601, days_past_due: schedule.daysPastDue))
        }
        items.sort { ($0.days_past_due, $1.household_id.uuidString, $1.category) > ($1.days_past_due, $0.household_id.uuidString, $0.category) }
        var page = Array(items.dropFirst(offset).prefix(limit))
        if !page.isEmpty {
            struct Place: Decodable { var id: UUID; var address: String; var grid_name: String }
            let places = try await db.sql.raw(
                """
                SELECT h.id, h.address, n.name AS grid_name FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id
                WHERE h.id IN (\(binds: Array(Set(page.map(\.household_id)))))
                """
            ).all(decoding: Place.self)
            let byID = Dictionary(places.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for index in page.indices {
                page[index].address = byID[page[index].household_id]?.address
                page[index].grid_name = byID[page[index].household_id]?.grid_name
            }
        }
        return Report(today: today.iso8601, counts: counts, hidden: hidden, items: page, total: items.count, limit: limit, offset: offset)
    }

    /// One category's households with `last_visit`, `entered_on` (looked up only for households
    /// never visited) and the `due`/`overdue` flags of `MustVisitSchedule`: a household is due
    /// when its last visit (or entry) is on or before today − frequency, overdue when before it,
    /// and due (not overdue) when neither is known.
    static func branch(_ row: CategoryRow, where compiled: SQLQueryString, today: CivilDate) -> SQLQueryString {
        let codes = (try? row.category.parsedExpression().tags).map { Array($0) } ?? []
        let cutoff = ((try? today.adding(days: -max(1, row.frequency_days))) ?? today).iso8601
        return """
            SELECT \(bind: row.code) AS category, y.household_id, y.last_visit, y.entered_on,
                   CASE WHEN COALESCE(y.last_visit, y.entered_on) IS NULL OR COALESCE(y.last_visit, y.entered_on) <= \(bind: cutoff)
                        THEN 1 ELSE 0 END AS due,
                   CASE WHEN COALESCE(y.last_visit, y.entered_on) < \(bind: cutoff) THEN 1 ELSE 0 END AS overdue
            FROM (SELECT x.household_id, x.last_visit,
                         CASE WHEN x.last_visit IS NULL THEN
                              (SELECT MIN(a.starts_on) FROM tag_assignments a JOIN persons q ON q.id = a.person_id
                               WHERE q.household_id = x.household_id AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601))
                                 AND a.tag_id IN (SELECT t.id FROM tags t WHERE t.code IN (\(binds: codes.isEmpty ? [""] : codes))))
                         END AS entered_on
                  FROM (SELECT h.household_id,
                               (SELECT MAX(vh.local_date) FROM visit_households vh
                                WHERE vh.household_id = h.household_id AND vh.outcome = 'met') AS last_visit
                        FROM (SELECT DISTINCT p.household_id FROM persons p WHERE \(compiled)) h) x) y
            """
    }
}
