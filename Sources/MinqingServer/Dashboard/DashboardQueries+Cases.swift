import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The case panels. Every case reported in the year falls in exactly one bucket, so the figures
/// add up on the page and each one is a list on the staff case board:
/// 来件 (reported) = 受理 (accepted) + 合并 (merged into another case as a duplicate);
/// 受理 = 已结 (closed or evaluated) + 未结 (open) + 不予立案 (rejected); 超期 (overdue) is part of
/// 未结. The rates are the indicators' own (`CasesIndicatorQueries.counted`), so they equal the
/// indicators page. One grouped statement per panel over the year's cases in the node.
extension DashboardQueries {
    /// One group's cases in the buckets above, and the indicators' numerators when asked for.
    struct CaseCounts: Decodable, Sendable {
        var key: String
        var reported: Int64
        var merged: Int64
        var closed: Int64
        var open_count: Int64
        var rejected: Int64
        var overdue_count: Int64
        var filed: Int64
        var due: Int64
        var closed_on_time: Int64
        var rated: Int64
        var satisfied: Int64

        static func zero(_ key: String) -> CaseCounts {
            CaseCounts(
                key: key, reported: 0, merged: 0, closed: 0, open_count: 0, rejected: 0, overdue_count: 0, filed: 0, due: 0,
                closed_on_time: 0, rated: 0, satisfied: 0)
        }

        var accepted: Int64 { reported - merged }

        /// Adds `o` times `factor` (−1 takes it away).
        mutating func add(_ o: CaseCounts, times factor: Int64 = 1) {
            reported += factor * o.reported; merged += factor * o.merged; closed += factor * o.closed; open_count += factor * o.open_count
            rejected += factor * o.rejected; overdue_count += factor * o.overdue_count; filed += factor * o.filed; due += factor * o.due
            closed_on_time += factor * o.closed_on_time; rated += factor * o.rated; satisfied += factor * o.satisfied
        }

        /// The four rates the cases panel shows, as the indicators compute them.
        var indicators: CaseIndicators {
            var c = CaseIndicatorCounts()
            c.accepted = Int(accepted); c.filed = Int(filed); c.due = Int(due); c.closed = Int(closed)
            c.closedOnTime = Int(closed_on_time); c.rated = Int(rated); c.satisfied = Int(satisfied)
            return CaseIndicators(c)
        }
    }

    /// The states each bucket lists on the case board.
    static let acceptedStates = CaseState.allCases.filter { $0 != .merged }
    static let closedStates: [CaseState] = [.closed, .evaluated]
    static let runningStates = CaseState.allCases.filter(\.deadlineRuns)

    /// The columns of a case table, in the order of `bucketValues`: the first three stack to
    /// 受理 in the chart.
    static let bucketColumns: [(key: String, name: T, states: [CaseState], overdue: Bool)] = [
        ("closed", T("已结", "Closed"), closedStates, false),
        ("open", T("未结", "Open"), CaseState.openStates, false),
        ("rejected", T("不予立案", "Not filed"), [.rejected], false),
        ("accepted", T("受理", "Taken in"), acceptedStates, false),
        ("overdue", T("其中超期", "Of which overdue"), runningStates, true)
    ]

    static func bucketValues(_ c: CaseCounts) -> [Int64?] { [c.closed, c.open_count, c.rejected, c.accepted, c.overdue_count] }

    /// The case-board list behind each bucket of a row (`filters` and `area` narrow it to the row).
    static func bucketLinks(_ ctx: DashboardContext, _ filters: [(String, String)], area: String? = nil) -> [DashboardCellLink?] {
        bucketColumns.map { column in
            DashboardCellLink(
                href: ctx.caseList(column.states, filters + (column.overdue ? [("overdue", "1")] : []), area: area), exact: true)
        }
    }

    static var bucketTableColumns: [DashboardColumn] { bucketColumns.map { DashboardColumn($0.key, $0.name) } }

    /// What a case panel groups by: the keys `case_rollups` keeps, and the same key read from a case `c`.
    enum CaseDimension: String {
        case department, category, channel

        var live: SQLQueryString {
            switch self {
            case .department: "COALESCE(CAST(c.department_id AS TEXT), '-')"
            case .category: "c.category_code"
            case .channel: "c.channel"
            }
        }
    }

    /// The rollup answers for the node when the caller is grid staff (whose cases are exactly the
    /// node's subtree) and the node keeps rollup rows (every level but the building group).
    static func readsRollups(_ ctx: DashboardContext) -> Bool { ctx.actor.role.isGridStaff && ctx.node.level != .buildingGroup }

    /// The year's cases in the node grouped by `dimension`: from `case_rollups` and the open cases
    /// past their deadline when `readsRollups`, otherwise over the year's cases themselves.
    static func caseCounts(_ ctx: DashboardContext, by dimension: CaseDimension, indicators: Bool = false, on db: any Database) async throws
        -> [CaseCounts]
    {
        guard readsRollups(ctx) else {
            return try await db.sql.raw(
                """
                SELECT \(dimension.live) AS key, \(caseColumns(ctx, indicators: indicators))
                FROM cases c
                WHERE \(CasesQueries.reportScope(ctx.actor)) AND c.reported_on >= \(bind: ctx.firstDay) AND c.reported_on <= \(bind: ctx.lastDay)
                GROUP BY \(dimension.live)
                """
            ).all(decoding: CaseCounts.self)
        }
        var groups = try await rollupCounts(ctx, dimension: dimension, nodes: [ctx.node.id], indicators: indicators, on: db).map(\.counts)
        let clock = try await caseClock(ctx, key: dimension.live, on: db)
        for index in groups.indices {
            groups[index].overdue_count = clock[groups[index].key]?.overdue ?? 0
            if indicators { groups[index].due += clock[groups[index].key]?.due ?? 0 }
        }
        return groups
    }

    /// `case_rollups` of `nodes` for the year and `dimension`, summed per (node, key), in
    /// `CaseCounts` without the clock's counts (`overdue_count` 0; `due` only the closed cases).
    static func rollupCounts(_ ctx: DashboardContext, dimension: CaseDimension, nodes: [UUID], indicators: Bool, on db: any Database) async throws
        -> [(node: UUID, counts: CaseCounts)]
    {
        /// The node and its counts, read from the same row.
        struct Row: Decodable {
            var node_id: UUID
            var counts: CaseCounts
            init(from decoder: any Decoder) throws {
                node_id = try decoder.container(keyedBy: Key.self).decode(UUID.self, forKey: .node_id)
                counts = try CaseCounts(from: decoder)
            }
            enum Key: String, CodingKey { case node_id }
        }
        func sum(_ condition: SQLQueryString) -> SQLQueryString { "CAST(SUM(CASE WHEN \(condition) THEN r.n ELSE 0 END) AS BIGINT)" }
        let closed = SQLList(closedStates.map { SQLBind($0.rawValue) })
        let open = SQLList(CaseState.openStates.map { SQLBind($0.rawValue) })
        let counted: SQLQueryString =
            indicators
            ? """
            \(sum("r.filed = 1")) AS filed, \(sum("r.filed = 1 AND r.state IN (\(closed))")) AS due, \(sum("r.on_time = 1")) AS closed_on_time,
            \(sum("r.verdict <> ''")) AS rated,
            \(sum("r.verdict IN (\(bind: CaseVerdict.satisfied.rawValue), \(bind: CaseVerdict.basicallySatisfied.rawValue))")) AS satisfied
            """
            : "0 AS filed, 0 AS due, 0 AS closed_on_time, 0 AS rated, 0 AS satisfied"
        let rows = try await db.sql.raw(
            """
            SELECT r.node_id, r.key, 0 AS overdue_count, CAST(SUM(r.n) AS BIGINT) AS reported, \(sum("r.state = \(bind: CaseState.merged.rawValue)")) AS merged,
                   \(sum("r.state IN (\(closed))")) AS closed, \(sum("r.state IN (\(open))")) AS open_count,
                   \(sum("r.state = \(bind: CaseState.rejected.rawValue)")) AS rejected, \(counted)
            FROM case_rollups r
            WHERE r.node_id IN (\(SQLList(nodes.map { SQLBind($0) }))) AND r.year = \(bind: ctx.year) AND r.dim = \(bind: dimension.rawValue)
            GROUP BY r.node_id, r.key HAVING SUM(r.n) <> 0
            """
        ).all(decoding: Row.self)
        return rows.map { ($0.node_id, $0.counts) }
    }

    /// The counts that move with the clock, per `key` (an expression of the case `c`, or of the
    /// `join`ed rows): 其中超期 (deadline running and passed) and the filed cases not closed whose
    /// deadline has passed (the rest of the indicators' `due`). Read from the year's cases in the
    /// node that are not closed and past their deadline, through the partial index
    /// `cases_unclosed_due` (its predicate written out as literals, so both planners match it).
    static func caseClock(_ ctx: DashboardContext, key: SQLQueryString, join: SQLQueryString = "", on db: any Database) async throws
        -> [String: (overdue: Int64, due: Int64)]
    {
        struct Row: Decodable { var key: String; var overdue: Int64; var due: Int64 }
        let running = SQLList(runningStates.map { SQLBind($0.rawValue) })
        let unclosed = closedStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let rows = try await db.sql.raw(
            """
            SELECT \(key) AS key, CAST(SUM(CASE WHEN c.state IN (\(running)) THEN 1 ELSE 0 END) AS BIGINT) AS overdue,
                   CAST(SUM(CASE WHEN c.filed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS due
            FROM cases c \(VotingQueries.sqliteIndex("cases_unclosed_due", db)) \(join)
            WHERE c.state NOT IN (\(unsafeRaw: unclosed)) AND c.due_at < \(bind: ctx.now)
              AND \(CasesQueries.reportScope(ctx.actor)) AND c.reported_on >= \(bind: ctx.firstDay) AND c.reported_on <= \(bind: ctx.lastDay)
            GROUP BY \(key)
            """
        ).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.key, ($0.overdue, $0.due)) }, uniquingKeysWith: { a, _ in a })
    }

    /// The counted columns of `CaseCounts` over the cases `c` of a group.
    static func caseColumns(_ ctx: DashboardContext, indicators: Bool) -> SQLQueryString {
        func sum(_ condition: SQLQueryString) -> SQLQueryString { "COALESCE(SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END), 0)" }
        let closed = SQLList(closedStates.map { SQLBind($0.rawValue) })
        let open = SQLList(CaseState.openStates.map { SQLBind($0.rawValue) })
        let running = SQLList(runningStates.map { SQLBind($0.rawValue) })
        var columns: SQLQueryString = """
            COUNT(*) AS reported, \(sum("c.state = \(bind: CaseState.merged.rawValue)")) AS merged,
            \(sum("c.state IN (\(closed))")) AS closed, \(sum("c.state IN (\(open))")) AS open_count,
            \(sum("c.state = \(bind: CaseState.rejected.rawValue)")) AS rejected,
            \(sum("c.state IN (\(running)) AND c.due_at < \(bind: ctx.now)")) AS overdue_count
            """
        guard indicators else {
            return "\(columns), 0 AS filed, 0 AS due, 0 AS closed_on_time, 0 AS rated, 0 AS satisfied"
        }
        let counted = Dictionary(CasesIndicatorQueries.counted(now: ctx.now), uniquingKeysWith: { a, _ in a })
        for name in ["filed", "due", "closed_on_time", "rated"] {
            columns = "\(columns), \(sum(counted[name] ?? "1 = 0")) AS \(ident: name)"
        }
        let satisfied = counted["satisfied"] ?? "1 = 0", basically = counted["basically_satisfied"] ?? "1 = 0"
        return "\(columns), \(sum("(\(satisfied)) OR (\(basically))")) AS satisfied"
    }

    static func rate(_ rate: CaseRate) -> Int64? { rate.perMille.map(Int64.init) }

    // MARK: - Cases (诉求案件: the buckets, the indicators, by department)

    static func cases(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let groups = try await caseCounts(ctx, by: .department, indicators: true, on: db)
        var codes: [String: (code: String, zh: String, en: String)] = [:]
        for d in try await CasesQueries.departments(on: db) { codes[d.id.uuidString.lowercased()] = (d.code, d.name_zh, d.name_en) }
        var total = CaseCounts.zero("total")
        for group in groups { total.add(group) }
        let rows = groups.sorted { ($0.accepted, $1.key) > ($1.accepted, $0.key) }.map { group in
            guard let department = codes[group.key.lowercased()] else {
                // No department yet: taken in, filed or returned and waiting, or not filed at all.
                return DashboardRow(
                    key: "-", label_zh: "未派遣部门", label_en: "No department yet", href: nil, values: bucketValues(group))
            }
            let filter = [("department", department.code)]
            return DashboardRow(
                key: department.code, label_zh: department.zh, label_en: department.en, href: ctx.caseList(acceptedStates, filter),
                values: bucketValues(group), links: bucketLinks(ctx, filter))
        }
        let rates = total.indicators
        let indicators = SiteURL.cases(.indicators).path([("year", "\(ctx.year)")])
        return DashboardPanel(
            .cases, T("诉求案件与指标", "Cases and indicators"),
            figures: [
                DashboardFigure("accepted", T("本年受理", "Taken in this year"), total.accepted, href: ctx.caseList(acceptedStates), exact: true),
                DashboardFigure("closed", T("已结", "Closed"), total.closed, href: ctx.caseList(closedStates), exact: true),
                DashboardFigure("open", T("未结", "Open"), total.open_count, href: ctx.caseList(CaseState.openStates), exact: true),
                DashboardFigure("rejected", T("不予立案", "Not filed"), total.rejected, href: ctx.caseList([.rejected]), exact: true),
                DashboardFigure(
                    "overdue", T("其中超期", "Of which overdue"), total.overdue_count, href: ctx.caseList(runningStates, [("overdue", "1")]),
                    exact: true),
                DashboardFigure("filing_rate", T("立案率", "Filing rate"), rate(rates.filingRate) ?? 0, format: .permille, href: indicators),
                DashboardFigure("closing_rate", T("结案率", "Closing rate"), rate(rates.closingRate) ?? 0, format: .permille, href: indicators),
                DashboardFigure(
                    "on_time_rate", T("按期结案率", "Closed on time"), rate(rates.onTimeClosingRate) ?? 0, format: .permille, href: indicators),
                DashboardFigure(
                    "satisfaction_rate", T("满意率", "Satisfaction"), rate(rates.satisfactionRate) ?? 0, format: .permille, href: indicators)
            ],
            tables: [
                DashboardTable(
                    "by_department", T("各部门案件（已结 + 未结 + 不予立案 = 受理）", "Cases by department (closed + open + not filed = taken in)"),
                    label: T("部门", "Department"), columns: bucketTableColumns, rows: rows, chart: .stacked, charted: 3)
            ],
            links: [(indicators, T("全部指标", "All indicators")), (SiteURL.cases(.supervision).path, T("督办", "Supervision"))],
            note: T(
                "受理：本年收到、没有作为重复件合并到其他案件的诉求；已结 + 未结 + 不予立案 = 受理。“九大渠道来件”另含合并的重复件。",
                "Taken in: the requests received this year, less those merged into another case as duplicates; closed + open + not filed = taken in. “Cases by channel” also counts the merged duplicates."
            ))
    }

    // MARK: - Cases by residential area (各居民区案件)

    static func caseAreas(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Cell: Decodable { var id: UUID; var code: String; var name: String }
        let areas = try await db.sql.raw(
            """
            SELECT cell.id, cell.code, cell.name FROM grid_nodes cell WHERE \(Self.cells(ctx, level: .residentialArea))
            ORDER BY cell.sort_order, cell.code
            """
        ).all(decoding: Cell.self)
        let mapping: SQLQueryString = """
            (SELECT gc.descendant_id AS node, cell.code FROM grid_closure gc JOIN grid_nodes cell ON cell.id = gc.ancestor_id
             WHERE \(Self.cells(ctx, level: .residentialArea))) m
            """
        let groups: [CaseCounts]
        if readsRollups(ctx), ctx.node.level < .microGrid {
            // Every cell keeps its own rollup rows (its level is above the building group); what is
            // left of the node's own total after its cells is the '-' row.
            var totals: [UUID: CaseCounts] = [:]
            for (node, counts) in try await rollupCounts(
                ctx, dimension: .channel, nodes: areas.map(\.id) + [ctx.node.id], indicators: false, on: db)
            {
                totals[node, default: .zero("")].add(counts)
            }
            var own = totals[ctx.node.id] ?? .zero("-")
            own.key = "-"
            var counted = areas.map { cell in
                var counts = totals[cell.id] ?? .zero(cell.code)
                counts.key = cell.code
                own.add(counts, times: -1)
                return counts
            }
            counted.append(own)
            let clock = try await caseClock(ctx, key: "COALESCE(m.code, '-')", join: "LEFT JOIN \(mapping) ON m.node = c.grid_node_id", on: db)
            for index in counted.indices { counted[index].overdue_count = clock[counted[index].key]?.overdue ?? 0 }
            groups = counted
        } else {
            // The nodes' groups summed by the cell above them; '-' for cases above every cell.
            var sums: SQLQueryString = "COALESCE(m.code, '-') AS key"
            for name in [
                "reported", "merged", "closed", "open_count", "rejected", "overdue_count", "filed", "due", "closed_on_time", "rated", "satisfied"
            ] {
                sums = "\(sums), CAST(SUM(x.\(ident: name)) AS BIGINT) AS \(ident: name)"
            }
            groups = try await db.sql.raw(
                """
                SELECT \(sums) FROM (
                  SELECT c.grid_node_id AS node, \(caseColumns(ctx, indicators: false)) FROM cases c
                  WHERE \(CasesQueries.reportScope(ctx.actor)) AND c.reported_on >= \(bind: ctx.firstDay) AND c.reported_on <= \(bind: ctx.lastDay)
                  GROUP BY c.grid_node_id) x
                LEFT JOIN \(mapping) ON m.node = x.node
                GROUP BY COALESCE(m.code, '-')
                """
            ).all(decoding: CaseCounts.self)
        }
        let byCode = Dictionary(groups.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var rows = areas.map { cell in
            DashboardRow(
                key: cell.code, label_zh: cell.name, label_en: cell.name, href: ctx.dashboard(cell.code),
                values: bucketValues(byCode[cell.code] ?? .zero(cell.code)), links: bucketLinks(ctx, [], area: cell.code))
        }
        let own = byCode["-"] ?? .zero("-")
        if own.reported > 0 || ctx.node.level < .residentialArea {
            // Cases bound to the node itself (or to a level between it and its cells): no list holds
            // exactly these, so the row names them plainly and links nowhere.
            let name =
                ctx.node.level == .subdistrict
                ? T("街道直接受理（不属任何居民区）", "Taken in by the subdistrict itself (no residential area)")
                : T("\(ctx.node.name)本级（不属下级网格）", "\(ctx.node.name) itself (no sub-node)")
            rows.append(DashboardRow(key: "-", label_zh: name.zh, label_en: name.en, href: nil, values: bucketValues(own)))
        }
        let top = areas.filter { (byCode[$0.code]?.accepted ?? 0) > 0 }
            .max { (byCode[$0.code]?.accepted ?? 0, $1.code) < (byCode[$1.code]?.accepted ?? 0, $0.code) }
        let cellName = ctx.node.level < .residentialArea ? T("居民区", "Residential area") : T("下级网格", "Sub-node")
        return DashboardPanel(
            .caseAreas, ctx.node.level < .residentialArea ? T("各居民区案件", "Cases by residential area") : T("各下级网格案件", "Cases by sub-node"),
            figures: top.map { cell in
                [
                    DashboardFigure(
                        "top_area", T("受理最多：\(cell.name)", "Most taken in: \(cell.name)"), byCode[cell.code]?.accepted ?? 0,
                        href: ctx.caseList(acceptedStates, area: cell.code), exact: true)
                ]
            } ?? [],
            tables: [
                DashboardTable(
                    "by_area", T("各\(cellName.zh)案件（含无案件的）", "Cases by \(cellName.en.lowercased()), those with none included"),
                    label: cellName, columns: bucketTableColumns, rows: rows, chart: .stacked, charted: 3)
            ],
            note: ctx.node.level == .subdistrict
                ? T(
                    "“街道直接受理”是登记在街道本级、没有落到任何居民区的案件。",
                    "“Taken in by the subdistrict itself” are cases filed at the subdistrict, in no residential area.")
                : nil)
    }

    // MARK: - Categories (案件类别)

    static func caseCategories(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let groups = try await caseCounts(ctx, by: .category, on: db)
        var names: [String: (String, String)] = [:]
        for c in try await CasesQueries.categories(on: db) { names[c.code] = (c.name_zh, c.name_en) }
        let top = groups.sorted { ($0.accepted, $1.key) > ($1.accepted, $0.key) }.prefix(12)
        let rows = top.map { group in
            let name = names[group.key] ?? (group.key, group.key)
            let filter = [("category", group.key)]
            return DashboardRow(
                key: group.key, label_zh: name.0, label_en: name.1, href: ctx.caseList(acceptedStates, filter),
                values: bucketValues(group), links: bucketLinks(ctx, filter))
        }
        let first = top.first.map { group in
            let name = names[group.key] ?? (group.key, group.key)
            return DashboardFigure(
                "top_category", T("受理最多：\(name.0)", "Most taken in: \(name.1)"), group.accepted,
                href: ctx.caseList(acceptedStates, [("category", group.key)]), exact: true)
        }
        return DashboardPanel(
            .caseCategories, T("案件类别", "Cases by category"),
            figures: first.map { [$0] } ?? [],
            tables: [
                DashboardTable(
                    "top_categories", T("受理最多的类别（前 12 个，共 \(groups.count) 个）", "Most frequent categories (top 12 of \(groups.count))"),
                    label: T("类别", "Category"), columns: bucketTableColumns, rows: Array(rows), chart: .stacked, charted: 3)
            ])
    }

    // MARK: - Channels (九大渠道来件)

    /// Cases reported in the year by the channel they came through (一口汇集): all of them, the
    /// duplicates merged away, what is left taken in, still open and overdue.
    static func caseChannels(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let groups = try await caseCounts(ctx, by: .channel, on: db)
        let byChannel = Dictionary(groups.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var total = CaseCounts.zero("total")
        for group in groups { total.add(group) }
        let table = CaseChannel.allCases.map { channel in
            let row = byChannel[channel.rawValue] ?? .zero(channel.rawValue)
            let filter = [("channel", channel.rawValue)]
            return DashboardRow(
                key: channel.rawValue, label_zh: channel.nameZH, label_en: channel.nameEN, href: ctx.caseList(CaseState.allCases, filter),
                values: [row.reported, row.merged, row.accepted, row.open_count, row.overdue_count],
                links: [
                    DashboardCellLink(href: ctx.caseList(CaseState.allCases, filter), exact: true),
                    DashboardCellLink(href: ctx.caseList([.merged], filter), exact: true),
                    DashboardCellLink(href: ctx.caseList(acceptedStates, filter), exact: true),
                    DashboardCellLink(href: ctx.caseList(CaseState.openStates, filter), exact: true),
                    DashboardCellLink(href: ctx.caseList(runningStates, filter + [("overdue", "1")]), exact: true)
                ])
        }
        return DashboardPanel(
            .caseChannels, T("九大渠道来件", "Cases by channel"),
            figures: [
                DashboardFigure("reported", T("本年来件", "Reported this year"), total.reported, href: ctx.caseList(CaseState.allCases), exact: true),
                DashboardFigure(
                    "merged", T("其中合并的重复件", "Of which merged as duplicates"), total.merged, href: ctx.caseList([.merged]), exact: true)
            ],
            tables: [
                DashboardTable(
                    "by_channel", T("各渠道来件（来件 − 合并 = 受理）", "Cases by channel (reported − merged = taken in)"),
                    label: T("渠道", "Channel"),
                    columns: [
                        DashboardColumn("reported", T("来件", "Reported")), DashboardColumn("merged", T("合并", "Merged")),
                        DashboardColumn("accepted", T("受理", "Taken in")), DashboardColumn("open", T("未结", "Open")),
                        DashboardColumn("overdue", T("超期", "Overdue"))
                    ],
                    rows: table, chart: .bars)
            ],
            note: T(
                "来件：本年从各渠道收到的全部诉求，含作为重复件合并到其他案件的；来件 − 合并的重复件 = “诉求案件与指标”中的受理。",
                "Reported: every request received this year through any channel, duplicates merged into another case included; reported − merged = “taken in” under Cases and indicators."
            ))
    }
}
