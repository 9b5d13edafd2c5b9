import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The board's reads (派单台): the WHERE clause of a `CaseListFilter`, the count of the filtered
/// set, one page of it, the areas its select offers, and how an acting person is named.
extension CasesQueries {
    /// The conditions of `filter` among the cases `visibility` allows (always the first), or nil
    /// when no case can match (an open/closed status that excludes every state asked for).
    static func conditions(_ filter: CaseListFilter, visibility: SQLQueryString, sqlite: Bool = false) -> [SQLQueryString]? {
        var conditions: [SQLQueryString] = [visibility]
        if !filter.ids.isEmpty { conditions.append("c.id IN (\(SQLList(filter.ids.map { SQLBind($0) })))") }
        if !filter.numbers.isEmpty { conditions.append("c.number IN (\(SQLList(filter.numbers.map { SQLBind($0) })))") }
        let codes = filter.categoryCodes.map { SQLBind($0) }, families = filter.categoryFamilies.map { SQLBind($0) }
        switch (codes.isEmpty, families.isEmpty) {
        case (true, true): break
        case (false, true): conditions.append("c.category_code IN (\(SQLList(codes)))")
        case (true, false):
            conditions.append("c.category_code IN (SELECT code FROM case_categories WHERE parent_code IN (\(SQLList(families))))")
        case (false, false):
            conditions.append(
                """
                (c.category_code IN (\(SQLList(codes)))
                 OR c.category_code IN (SELECT code FROM case_categories WHERE parent_code IN (\(SQLList(families)))))
                """)
        }
        var states = filter.states
        if let open = filter.open {
            let wanted = CaseState.allCases.filter { $0.isOpen == open }
            states = states.isEmpty ? wanted : states.filter(wanted.contains)
            if states.isEmpty { return nil }
        }
        if !states.isEmpty { conditions.append("c.state IN (\(SQLList(states.map { SQLBind($0.rawValue) })))") }
        if !filter.channels.isEmpty { conditions.append("c.channel IN (\(SQLList(filter.channels.map { SQLBind($0.rawValue) })))") }
        if let from = filter.reportedFrom { conditions.append("c.reported_at >= \(bind: from)") }
        if let before = filter.reportedBefore { conditions.append("c.reported_at < \(bind: before)") }
        if let from = filter.updatedFrom { conditions.append("c.updated_at >= \(bind: from)") }
        if let department = filter.departmentID { conditions.append("c.department_id = \(bind: department)") }
        if let node = filter.nodeID {
            conditions.append("c.grid_node_id IN (SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: node))")
        }
        if let project = filter.projectID { conditions.append("c.project_id = \(bind: project)") }
        if filter.supervisedOnly { conditions.append("c.supervised = \(flag: true)") }
        if let at = filter.overdueAt {
            let running = CaseState.allCases.filter(\.deadlineRuns).map { SQLBind($0.rawValue) }
            conditions.append("c.state IN (\(SQLList(running))) AND c.due_at < \(bind: at)")
        }
        if let words = filter.search { conditions.append(searchCondition(words, sqlite: sqlite)) }
        return conditions
    }

    /// The words in the case's number, source reference (12345 order …), title, description or
    /// address; `%` and `_` in them are taken literally. On SQLite, words without a Latin letter
    /// (where LIKE's case folding changes nothing) are found with `instr`, which scans a long
    /// description several times faster than a LIKE pattern.
    static func searchCondition(_ words: String, sqlite: Bool = false) -> SQLQueryString {
        if sqlite, !words.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isAlphabetic }) {
            return """
                (instr(c.number, \(bind: words)) > 0 OR instr(c.source_ref, \(bind: words)) > 0 OR instr(c.title, \(bind: words)) > 0
                 OR instr(c.description, \(bind: words)) > 0 OR instr(c.address, \(bind: words)) > 0)
                """
        }
        return """
            (c.number LIKE \(containing: words) OR c.source_ref LIKE \(containing: words) OR c.title LIKE \(containing: words)
             OR c.description LIKE \(containing: words) OR c.address LIKE \(containing: words))
            """
    }

    /// How many cases match `filter` among `visibility`'s (its limit and offset aside).
    static func count(_ filter: CaseListFilter, visibility: SQLQueryString, on db: any Database) async throws -> Int {
        guard let conditions = conditions(filter, visibility: visibility, sqlite: db.dialectName == "sqlite") else { return 0 }
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM cases c WHERE \(conditions.joined(separator: " AND "))")
            .first(decoding: N.self)?.n ?? 0
    }

    /// One page of the board and how many cases match in all: two statements, both scoped by
    /// `visibility` in SQL.
    static func board(_ filter: CaseListFilter, visibility: SQLQueryString, now: Date, on db: any Database) async throws -> CaseBoardPage {
        let total = try await count(filter, visibility: visibility, on: db)
        let cases = total == 0 ? [] : try await list(filter, visibility: visibility, now: now, on: db)
        return CaseBoardPage(cases: cases, total: total)
    }

    /// The places the board's area select offers, inside `scope`, by name: the residential areas
    /// (居民区) under a subdistrict or block, the micro-grids of one residential area; none below.
    static func areas(in scope: GridScope, on db: any Database) async throws -> [CaseArea] {
        let level: GridLevel
        if scope.rootLevel < .residentialArea {
            level = .residentialArea
        } else if scope.rootLevel == .residentialArea {
            level = .microGrid
        } else {
            return []
        }
        return try await db.sql.raw(
            """
            SELECT n.code, n.name FROM grid_nodes n
            WHERE n.level = \(bind: level.rawValue) AND \(scope.contains(SQLColumn("id", table: "n")))
            ORDER BY n.sort_order, n.code
            """
        ).all(decoding: CaseArea.self)
    }

    /// The name and code of the grid node with `code`, for the board's area select when a link
    /// names a node it does not offer (the dashboard's drill-down).
    static func area(code: String, on db: any Database) async throws -> CaseArea? {
        try await db.sql.raw("SELECT n.code, n.name FROM grid_nodes n WHERE n.code = \(bind: code)").first(decoding: CaseArea.self)
    }

    /// Roles whose accounts are private persons: shown by the surname and `**` only (a resident's
    /// name is personal information; 最小必要). Staff, departments and organisations by name.
    static let maskedRoles: [Role] = [.resident, .volunteer]

    /// How a person who acted is named, from the account joined as `a` (LEFT JOIN: `a.id` NULL
    /// when nobody or a program acted): the account's name, or for a private person the first
    /// character of it and `**`; `fallback` when there is no account. In SQL, so that a list of
    /// steps names its people in the same statement and a full resident name never leaves the database.
    static func personName(account a: String, fallback: SQLQueryString) -> SQLQueryString {
        """
        CASE WHEN \(ident: a).id IS NULL THEN \(fallback)
             WHEN \(ident: a).role IN (\(SQLList(maskedRoles.map { SQLBind($0.rawValue) }))) THEN SUBSTR(\(ident: a).display_name, 1, 1) || '**'
             ELSE \(ident: a).display_name END
        """
    }
}
