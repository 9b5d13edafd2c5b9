import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// What every panel is computed for: a grid node inside the caller's scope, the caller narrowed
/// to that node's subtree, and the year.
package struct DashboardContext: Sendable {
    package var node: GridNodeSummary
    /// The node's subtree (inside the caller's, since the node was found in it).
    var scope: GridScope
    /// The caller, with `scope` in place of their own (for the queries of other capabilities
    /// that take an actor).
    package var actor: Actor
    /// The caller's own subtree (for the breadcrumb).
    var callerScope: GridScope
    var year: Int
    var today: CivilDate
    var now: Date
    var calendar: WorkingCalendar

    /// The first and last day of the year, as stored (`YYYY-MM-DD`).
    var firstDay: String { "\(year)-01-01" }
    var lastDay: String { "\(year)-12-31" }

    /// A query-string value.
    static func q(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
    /// RFC 3986's unreserved characters (ASCII letters and digits, `-._~`): everything else is escaped.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    func dashboard(_ code: String) -> String { SiteURL.dashboard(.index).path([("node", code), ("year", "\(year)")]) }

    /// The node is the caller's own root: a list that cannot be narrowed to a node (it always
    /// shows the caller's whole scope) then lists exactly what the node's figure counts.
    var atCallerRoot: Bool { node.id == callerScope.rootID }

    /// The first instant of the year and of the next one, in Shanghai.
    var yearStart: Date { Self.startOfYear(year) }
    var yearEnd: Date { Self.startOfYear(year + 1) }
    static func startOfYear(_ year: Int) -> Date {
        ((try? CivilDate(year: year, month: 1, day: 1)) ?? CivilDate.today(now: Date(timeIntervalSince1970: 0))).startOfDay(in: .shanghai)
    }

    /// This panel alone (`/dashboard/panels/{panel}`): the breakdown behind a figure that no list counts.
    func panelPage(_ id: DashboardPanelID) -> String {
        SiteURL.dashboard(.panel(.value(id.rawValue))).path([("node", node.code), ("year", "\(year)")])
    }

    /// The staff case board behind a figure (派单台, `CasesBoard.filter` reads the same words): the
    /// cases reported in the year (`from`, `to`: its first and last day) in this node's subtree,
    /// or `area`'s (a grid node's code), in `states`, with `filters` (`category`, `channel`,
    /// `department`, `overdue`); `#case-total` is where the board shows how many it lists.
    func caseList(_ states: [CaseState], _ filters: [(String, String)] = [], area: String? = nil) -> String {
        let query: [(String, String)] =
            [("state", states.map(\.rawValue).joined(separator: ","))] + filters + [
                ("area", area ?? node.code), ("from", firstDay), ("to", lastDay)
            ]
        return SiteURL.cases(.index).path(query) + "#case-total"
    }
}

/// The panels of 社区大脑. Each is a function (node, year) → plain values, computed on every read
/// from one or a few indexed statements with the scope in SQL (`GridScope.contains`, or the
/// tenant column when the node is the subdistrict itself), so a new case, visit or tag is in the
/// figures the moment it is committed. No cache.
package enum DashboardQueries {
    /// Finds the node (`code`, default the caller's root) inside the caller's scope; nil → 404.
    package static func context(
        actor: Actor, code: String?, year: Int?, now: Date, calendar: WorkingCalendar,
        on db: any Database
    ) async throws -> DashboardContext? {
        let code = code?.nilIfEmpty ?? actor.scope.rootCode
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: db) else { return nil }
        let today = CivilDate.today(now: now)
        let year = year ?? today.year
        var narrowed = actor
        narrowed.scope = GridQueries.scope(rootedAt: node)
        return DashboardContext(
            node: node, scope: narrowed.scope, actor: narrowed, callerScope: actor.scope, year: year, today: today, now: now, calendar: calendar)
    }

    /// One panel.
    package static func panel(_ id: DashboardPanelID, _ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        switch id {
        case .population: try await population(ctx, on: db)
        case .tags: try await tags(ctx, on: db)
        case .microGrids: try await microGrids(ctx, on: db)
        case .cases: try await cases(ctx, on: db)
        case .caseAreas: try await caseAreas(ctx, on: db)
        case .caseCategories: try await caseCategories(ctx, on: db)
        case .caseChannels: try await caseChannels(ctx, on: db)
        case .visits: try await visits(ctx, on: db)
        case .mustVisits: try await mustVisits(ctx, on: db)
        case .aid: try await aid(ctx, on: db)
        case .bookings: try await bookings(ctx, on: db)
        case .voting: try await voting(ctx, on: db)
        case .party: try await party(ctx, on: db)
        case .volunteering: try await volunteering(ctx, on: db)
        case .campaigns: try await campaigns(ctx, on: db)
        case .oversight: try await oversight(ctx, on: db)
        case .signup: try await signup(ctx, on: db)
        }
    }

    /// Every panel, computed side by side, in page order. `spread` hands out a database on some
    /// event loop (`{ app.db }`), so the panels run on several connections at once (on SQLite
    /// one per event loop); without it they share `db`.
    package static func report(_ ctx: DashboardContext, on db: any Database, spread: (@Sendable () -> any Database)? = nil) async throws
        -> DashboardReport
    {
        try await report(ctx, on: db, spread: spread, each: { _ in () }).report
    }

    /// The report, and `each` made of every panel in the task that computed it (the page renders
    /// a panel's card there, so rendering overlaps the other panels' statements); in page order.
    package static func report<Made: Sendable>(
        _ ctx: DashboardContext, on db: any Database, spread: (@Sendable () -> any Database)?,
        each: @escaping @Sendable (DashboardPanel) -> Made
    ) async throws -> (report: DashboardReport, made: [Made]) {
        let panels = try await withThrowingTaskGroup(of: (Int, DashboardPanel, Made).self) { group in
            for (index, id) in DashboardPanelID.allCases.enumerated() {
                let taskDB = spread?() ?? db
                group.addTask {
                    let panel = try await panel(id, ctx, on: taskDB)
                    return (index, panel, each(panel))
                }
            }
            var done: [(Int, DashboardPanel, Made)] = []
            for try await item in group { done.append(item) }
            return done.sorted { $0.0 < $1.0 }
        }
        let crumbs = try await GridQueries.breadcrumb(to: ctx.node, in: ctx.callerScope, on: db)
        let report = DashboardReport(
            node: DashboardNode(code: ctx.node.code, name: ctx.node.name, level: ctx.node.level),
            breadcrumb: crumbs.map { DashboardNode(code: $0.code, name: $0.name, level: $0.level) },
            year: ctx.year, generated_at: ctx.now, panels: panels.map(\.1))
        return (report, panels.map(\.2))
    }

    // MARK: - Cells: the children or the micro-grids of the node

    /// Which grid nodes are the node's cells: its children, or the nodes of `level` below it when
    /// the node lies above that level (inside the scope, as every grid-bound read).
    static func cells(_ ctx: DashboardContext, level: GridLevel?, alias: String = "cell") -> SQLQueryString {
        let which: SQLQueryString =
            if let level, ctx.node.level < level {
                "\(ident: alias).level = \(bind: level.rawValue)"
            } else {
                "\(ident: alias).parent_id = \(bind: ctx.node.id)"
            }
        return "\(which) AND \(ctx.scope.contains(SQLColumn("id", table: alias)))"
    }

    /// `COUNT(*)` of `table` (or the sum of its `column`) under the cell (`extra` narrows the rows): a correlated subquery, one
    /// index range per node of the cell — cheaper on both databases than one list of every node of
    /// the scope grouped afterwards.
    static func underCell(_ table: String, sum column: String? = nil, extra: SQLQueryString = "") -> SQLQueryString {
        let count: SQLQueryString = column.map { "COALESCE(SUM(x.\(ident: $0)), 0)" } ?? "COUNT(*)"
        return """
            (SELECT \(count) FROM \(ident: table) x
              WHERE x.grid_node_id IN (SELECT d.descendant_id FROM grid_closure d WHERE d.ancestor_id = cell.id) \(extra))
            """
    }

    // MARK: - Population (人口与住户)

    static func population(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Row: Decodable { var code: String; var name: String; var households: Int64; var persons: Int64 }
        // `grid_counts` holds each node's subtree; the node's own rows are what its children leave.
        let rows = try await db.sql.raw(
            """
            SELECT cell.code, cell.name, COALESCE(k.households, 0) AS households, COALESCE(k.persons, 0) AS persons
            FROM grid_nodes cell LEFT JOIN grid_counts k ON k.node_id = cell.id WHERE \(cells(ctx, level: nil))
            ORDER BY cell.sort_order, cell.code
            """
        ).all(decoding: Row.self)
        struct Total: Decodable { var households: Int64; var persons: Int64 }
        let total =
            try await db.sql.raw("SELECT households, persons FROM grid_counts WHERE node_id = \(bind: ctx.node.id)").first(decoding: Total.self)
            ?? Total(households: 0, persons: 0)
        let own = Total(
            households: total.households - rows.reduce(0) { $0 + $1.households }, persons: total.persons - rows.reduce(0) { $0 + $1.persons })
        let register = SiteURL.registry(.node(.value(ctx.node.code))).path
        let table = rows.map { row in
            DashboardRow(key: row.code, label_zh: row.name, label_en: row.name, href: ctx.dashboard(row.code), values: [row.households, row.persons])
        }
        return DashboardPanel(
            .population, T("人口与住户", "Population and households"),
            figures: [
                DashboardFigure(
                    "households", T("住户", "Households"), own.households + rows.reduce(0) { $0 + $1.households }, href: register + "#fig-households",
                    exact: true),
                DashboardFigure(
                    "persons", T("居民", "Residents"), own.persons + rows.reduce(0) { $0 + $1.persons }, href: register + "#fig-persons", exact: true)
            ],
            tables: [
                DashboardTable(
                    "by_child", T("下级网格的住户与居民", "Households and residents by sub-node"), label: T("网格", "Node"),
                    columns: [DashboardColumn("households", T("住户", "Households")), DashboardColumn("persons", T("居民", "Residents"))],
                    rows: table, chart: .bars)
            ])
    }

    // MARK: - Tags by kind (标签分布)

    static func tags(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Tag: Decodable { var id: UUID; var code: String; var name_zh: String; var name_en: String; var kind: TagKind; var sensitive: Bool }
        let catalogue = try await db.sql.raw(
            """
            SELECT t.id, t.code, t.name_zh, t.name_en, t.kind, t.sensitive FROM tags t
            WHERE 1 = 1 \(RegistryQueries.sensitiveFilter(ctx.actor.role, tagAlias: "t"))
            """
        ).all(decoding: Tag.self)
        // The whole subdistrict by its tenant column (index tag_assignments_subdistrict_tag);
        // anything smaller by its grid nodes (tag_assignments_grid_tag).
        let scope: SQLQueryString =
            ctx.node.subdistrictID == ctx.node.id
            ? "a.subdistrict_id = \(bind: ctx.node.id)"
            : ctx.scope.contains(SQLColumn("grid_node_id", table: "a"))
        let hidden: SQLQueryString =
            ctx.actor.role.seesSensitiveTags
            ? "" : "AND a.tag_id NOT IN (SELECT h.id FROM tags h WHERE h.sensitive = \(flag: true))"
        struct Row: Decodable { var tag_id: UUID; var n: Int64 }
        var rows: [Row]
        if CreateTagCounts.levels.contains(ctx.node.level) {
            // The open-ended assignments from `tag_counts`; those ending after today (few) live,
            // by their end date.
            rows = try await db.sql.raw(
                """
                SELECT a.tag_id, a.n FROM tag_counts a WHERE a.node_id = \(bind: ctx.node.id) AND a.n <> 0 \(hidden)
                """
            ).all(decoding: Row.self)
            rows += try await db.sql.raw(
                """
                SELECT a.tag_id, COUNT(*) AS n FROM tag_assignments a \(VotingQueries.sqliteIndex("tag_assignments_ending", db))
                WHERE a.ends_on > \(bind: ctx.today.iso8601) AND \(scope) \(hidden)
                GROUP BY a.tag_id
                """
            ).all(decoding: Row.self)
        } else {
            rows = try await db.sql.raw(
                """
                SELECT a.tag_id, COUNT(*) AS n FROM tag_assignments a
                WHERE \(scope) AND (a.ends_on IS NULL OR a.ends_on > \(bind: ctx.today.iso8601)) \(hidden)
                GROUP BY a.tag_id
                """
            ).all(decoding: Row.self)
        }
        let counts = Dictionary(rows.map { ($0.tag_id, $0.n) }, uniquingKeysWith: +)
        var figures: [DashboardFigure] = []
        var tables: [DashboardTable] = []
        for kind in TagKind.allCases {
            let held = catalogue.filter { $0.kind == kind }.compactMap { tag in counts[tag.id].map { (tag, $0) } }
                .sorted { ($0.1, $1.0.code) > ($1.1, $0.0.code) }
            // The register's node page counts current assignments by kind the same way.
            figures.append(
                DashboardFigure(
                    kind.rawValue, T("\(kind.nameZH)标签（人次）", "\(kind.nameEN) tags (holders)"), held.reduce(0) { $0 + $1.1 },
                    href: SiteURL.registry(.node(.value(ctx.node.code))).path + "#fig-tags-\(kind.rawValue)", exact: true))
            let rows = held.prefix(10).map { tag, n in
                // The smart group of the tag's holders: its preview total, or for a sensitive tag the
                // total above the purpose form.
                let group =
                    SiteURL.registry(.smartGroups).path([("expression", tag.code), ("node", ctx.node.code)])
                    + (tag.sensitive ? "#gate-total" : "#preview-total")
                return DashboardRow(
                    key: tag.code, label_zh: tag.name_zh, label_en: tag.name_en, href: group, values: [n],
                    links: [DashboardCellLink(href: group, exact: true)])
            }
            tables.append(
                DashboardTable(
                    "kind_\(kind.rawValue)", T("\(kind.nameZH)标签前十", "Top ten \(kind.nameEN.lowercased()) tags"),
                    label: T("标签", "Tag"), columns: [DashboardColumn("holders", T("持有人数", "Holders"))],
                    rows: Array(rows), chart: .bars))
        }
        return DashboardPanel(
            .tags, T("标签分布", "Tags by kind"), figures: figures, tables: tables,
            note: ctx.actor.role.seesSensitiveTags ? nil : T("不含敏感标签", "Sensitive tags are left out"))
    }

    // MARK: - Micro-grids (网格热力)

    static func microGrids(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Row: Decodable { var id: UUID; var code: String; var name: String; var persons: Int64; var visits: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT cell.id, cell.code, cell.name, COALESCE((SELECT k.persons FROM grid_counts k WHERE k.node_id = cell.id), 0) AS persons,
                   \(underCell("visit_month_counts", sum: "households",
                             extra: "AND x.month >= \(bind: String(ctx.firstDay.prefix(7))) AND x.month <= \(bind: String(ctx.lastDay.prefix(7)))")) AS visits
            FROM grid_nodes cell WHERE \(cells(ctx, level: .microGrid))
            ORDER BY cell.sort_order, cell.code
            """
        ).all(decoding: Row.self)
        // Open cases are few: read them by state (on SQLite the planner would rather walk every
        // case of every node by `cases_grid_reported`), then up the closure to their cell; the
        // CROSS JOINs keep that order on SQLite (cases, closure by descendant, node).
        let open = SQLList(CaseState.openStates.map { SQLBind($0.rawValue) })
        let cell: SQLQueryString =
            ctx.node.level < .microGrid
            ? "cell.level = \(bind: GridLevel.microGrid.rawValue)" : "cell.parent_id = \(bind: ctx.node.id)"
        struct Open: Decodable { var cell_id: UUID; var n: Int64 }
        let openCases = try await db.sql.raw(
            """
            SELECT m.ancestor_id AS cell_id, COUNT(*) AS n
            FROM cases x \(VotingQueries.sqliteIndex("cases_state_due", db)) CROSS JOIN grid_closure m CROSS JOIN grid_nodes cell
            WHERE m.descendant_id = x.grid_node_id AND cell.id = m.ancestor_id AND x.state IN (\(open))
              AND \(ctx.scope.contains(SQLColumn("grid_node_id", table: "x"))) AND \(cell)
            GROUP BY m.ancestor_id
            """
        ).all(decoding: Open.self)
        let casesByCell = Dictionary(openCases.map { ($0.cell_id, $0.n) }, uniquingKeysWith: +)
        let table = rows.map { row in
            DashboardRow(
                key: row.code, label_zh: row.name, label_en: row.name, href: ctx.dashboard(row.code),
                values: [row.persons, casesByCell[row.id] ?? 0, row.visits])
        }
        let title = ctx.node.level < .microGrid ? T("微网格热力图", "Micro-grids heat grid") : T("楼组热力图", "Building groups heat grid")
        return DashboardPanel(
            .microGrids, title,
            figures: [],
            tables: [
                DashboardTable(
                    "cells", title, label: T("网格", "Node"),
                    columns: [
                        DashboardColumn("persons", T("居民", "Residents")), DashboardColumn("open_cases", T("未结案件", "Open cases")),
                        DashboardColumn("visits", T("本年走访户次", "Household visits this year"))
                    ],
                    rows: table, chart: .heat)
            ])
    }
}
