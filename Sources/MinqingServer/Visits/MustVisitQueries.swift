import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 十必访: the categories are rows of `must_visit_categories` (seeded with
/// `MustVisitCategory.defaults`, frequency editable). Who is in a category is a household with a
/// current member holding one of its tags in force; the households are kept as rows by triggers
/// (`CreateMustVisitHouseholds`) and read inside the caller's scope. A category by a tag the role
/// may not see is left out, as the register does. A household's last visit is its newest visit
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
    /// One statement over `must_visit_households` (`CreateMustVisitHouseholds`): the households'
    /// rows are materialised once, and the database returns the count rows per category and just
    /// the rows the list wants, due and overdue decided against each category's own cut-off day.
    package static func report(
        actor: Actor, node: String?, category: String?, status: Status, today: CivilDate,
        limit: Int, offset: Int, on db: any Database
    ) async throws -> Report {
        var scope = actor.scope
        if let code = node, !code.isEmpty {
            guard let found = try await GridQueries.node(code: code, in: actor.scope, on: db) else {
                throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
            }
            scope = GridQueries.scope(rootedAt: found)
        }
        let (visible, hidden) = try await visibility(actor.role, on: db)
        var counts = visible.map {
            Count(
                code: $0.code, name_zh: $0.name_zh, name_en: $0.name_en, frequency_days: $0.frequency_days,
                households: 0, due: 0, overdue: 0)
        }
        guard !visible.isEmpty else {
            return Report(today: today.iso8601, counts: counts, hidden: hidden, items: [], total: 0, limit: limit, offset: offset)
        }
        let inScope = try await scopeFilter(scope, on: db)
        let cut = cutoff(visible, today: today, column: "x.category")
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
        // Every basis is set: a stored row has `open_since`, a live one its `entered_on`.
        let rows = try await db.sql.raw(
            """
            WITH u AS MATERIALIZED (
              SELECT x.category, x.household_id, x.last_visit, x.entered_on,
                     CASE WHEN COALESCE(x.last_visit, x.entered_on) <= \(cut) THEN 1 ELSE 0 END AS due,
                     CASE WHEN COALESCE(x.last_visit, x.entered_on) < \(cut) THEN 1 ELSE 0 END AS overdue
              FROM (\(households(visible, scope: inScope, today: today))) x)
            SELECT 0 AS item, u.category, NULL AS household_id, NULL AS last_visit, NULL AS entered_on,
                   COUNT(*) AS n, SUM(u.due) AS due, SUM(u.overdue) AS overdue
            FROM u GROUP BY u.category
            UNION ALL
            SELECT 1, u.category, u.household_id, u.last_visit, u.entered_on, 1, u.due, u.overdue FROM u WHERE \(wanted)
            """
        ).all(decoding: Raw.self)

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

    /// The categories `role` may see, and the codes of those it may not (a category by a
    /// sensitive tag is hidden from a role that does not see sensitive tags, as the register
    /// hides the tag).
    static func visibility(_ role: Role, on db: any Database) async throws -> (visible: [CategoryRow], hidden: [String]) {
        struct Code: Decodable { var category_code: String }
        let hidden = Set(
            try await db.sql.raw(
                """
                SELECT DISTINCT mt.category_code FROM must_visit_tags mt JOIN tags s ON s.code = mt.tag_code
                WHERE s.id NOT IN (SELECT t.id FROM tags t WHERE 1 = 1 \(RegistryQueries.sensitiveFilter(role, tagAlias: "t")))
                """
            ).all(decoding: Code.self).map(\.category_code))
        let all = try await categories(on: db)
        return (all.filter { !hidden.contains($0.code) }, all.map(\.code).filter(hidden.contains))
    }

    /// `m`'s rows inside `scope`: a subdistrict by its id, a scope of a few hundred nodes by the
    /// node list (the grid index), a larger one through the closure.
    static func scopeFilter(_ scope: GridScope, on db: any Database) async throws -> SQLQueryString {
        if scope.rootLevel == .subdistrict { return "m.subdistrict_id = \(bind: scope.rootID)" }
        if let nodes = try await SmartGroupQueries.scopeNodeIDs(scope, on: db) {
            return nodes.isEmpty ? "1 = 0" : "m.grid_node_id IN (\(binds: nodes))"
        }
        return "\(scope.contains(SQLColumn("grid_node_id", table: "m")))"
    }

    /// The day on or before which a household of the category in `column` is due (today − the
    /// category's frequency), as one SQL expression.
    static func cutoff(_ categories: [CategoryRow], today: CivilDate, column: String) -> SQLQueryString {
        var cases: SQLQueryString = "CASE \(unsafeRaw: column)"
        for row in categories {
            let day = ((try? today.adding(days: -max(1, row.frequency_days))) ?? today).iso8601
            cases = "\(cases) WHEN \(bind: row.code) THEN \(bind: day)"
        }
        return "\(cases) END"
    }

    /// The households in `categories` today inside `scope` (over alias `m`), as rows (category,
    /// household_id, last_visit, entered_on): the stored rows that say it by themselves, then the
    /// few whose assignments with an end are not all over (`finite_until` after today), whose
    /// entry day is read from the assignments in force today.
    static func households(_ categories: [CategoryRow], scope: SQLQueryString, today: CivilDate) -> SQLQueryString {
        let (stored, live) = parts(categories, scope: scope, today: today)
        return """
            SELECT m.category_code AS category, m.household_id, m.last_met_on AS last_visit, m.open_since AS entered_on \(stored)
            UNION ALL
            SELECT y.category, y.household_id, y.last_visit, y.entered_on FROM (\(live)) y WHERE y.entered_on IS NOT NULL
            """
    }

    /// Per category: households in it today and overdue (`households` counted in the database,
    /// for the dashboard).
    static func counts(_ categories: [CategoryRow], scope: SQLQueryString, today: CivilDate, on db: any Database) async throws
        -> [String: (households: Int64, overdue: Int64)]
    {
        guard !categories.isEmpty else { return [:] }
        let (stored, live) = parts(categories, scope: scope, today: today)
        struct Row: Decodable { var category: String; var households: Int64; var overdue: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT m.category_code AS category, COUNT(*) AS households,
                   SUM(CASE WHEN COALESCE(m.last_met_on, m.open_since) < \(cutoff(categories, today: today, column: "m.category_code"))
                       THEN 1 ELSE 0 END) AS overdue
            \(stored) GROUP BY m.category_code
            UNION ALL
            SELECT y.category, COUNT(*),
                   SUM(CASE WHEN COALESCE(y.last_visit, y.entered_on) < \(cutoff(categories, today: today, column: "y.category"))
                       THEN 1 ELSE 0 END)
            FROM (\(live)) y WHERE y.entered_on IS NOT NULL GROUP BY y.category
            """
        ).all(decoding: Row.self)
        var result: [String: (households: Int64, overdue: Int64)] = [:]
        for row in rows {
            let before = result[row.category] ?? (0, 0)
            result[row.category] = (before.households + row.households, before.overdue + row.overdue)
        }
        return result
    }

    /// The FROM … WHERE of the stored rows, and the select of the live ones (before their
    /// `entered_on IS NOT NULL`).
    private static func parts(_ categories: [CategoryRow], scope: SQLQueryString, today: CivilDate) -> (
        stored: SQLQueryString, live: SQLQueryString
    ) {
        let codes = categories.map(\.code), day = today.iso8601
        let stored: SQLQueryString = """
            FROM must_visit_households m WHERE m.category_code IN (\(binds: codes)) AND \(scope)
              AND m.open_since IS NOT NULL AND (m.finite_until IS NULL OR m.finite_until <= \(bind: day))
            """
        let live: SQLQueryString = """
            SELECT m.category_code AS category, m.household_id, m.last_met_on AS last_visit,
                   (SELECT MIN(a.starts_on) FROM persons p JOIN tag_assignments a ON a.person_id = p.id
                    JOIN tags tg ON tg.id = a.tag_id JOIN must_visit_tags t ON t.tag_code = tg.code
                    WHERE t.category_code = m.category_code AND p.household_id = m.household_id
                      AND p.moved_out_on IS NULL AND p.died_on IS NULL AND (a.ends_on IS NULL OR a.ends_on > \(bind: day))) AS entered_on
            FROM must_visit_households m WHERE m.category_code IN (\(binds: codes)) AND \(scope) AND m.finite_until > \(bind: day)
            """
        return (stored, live)
    }

    /// Rebuilds `must_visit_tags` from the categories and every household's rows (after the
    /// migration and a bulk load). A category must be one tag or an OR of
    /// tags (`MustVisitCategory.tagCodes`); the settings page edits only frequencies.
    package static func rebuild(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("DELETE FROM must_visit_tags").run()
        for row in try await categories(on: db) {
            guard let codes = row.category.tagCodes else {
                throw AppError.conflict(
                    "十必访类别“\(row.name_zh)”须为若干标签之“或”", "The must-visit category \(row.name_en) must be an OR of tags")
            }
            for code in Set(codes) {
                try await sql.raw("INSERT INTO must_visit_tags (category_code, tag_code) VALUES (\(bind: row.code), \(bind: code))").run()
            }
        }
        try await sql.raw("DELETE FROM must_visit_households").run()
        try await sql.raw("\(unsafeRaw: CreateMustVisitHouseholds.fill(where: "1 = 1"))").run()
    }
}
