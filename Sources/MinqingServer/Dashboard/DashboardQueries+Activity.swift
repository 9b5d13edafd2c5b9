import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The panels over what happens in the node: visits, aid, bookings and votes (the cases are in
/// `DashboardQueries+Cases.swift`). Where a capability already has a fast report (the visit
/// compliance report) the panel calls it with the caller narrowed to the node.
extension DashboardQueries {
    static let months = (1...12).map { String(format: "%02d", $0) }

    /// The months of the year shown: all of a past year, up to this month of the current one.
    static func months(_ ctx: DashboardContext) -> [String] {
        ctx.year == ctx.today.year ? Array(months.prefix(ctx.today.month)) : (ctx.year > ctx.today.year ? [] : months)
    }

    // MARK: - Visits (民情日志: compliance this month, household visits by month)

    static func visits(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let date = ctx.year == ctx.today.year ? ctx.today : ((try? CivilDate(year: ctx.year, month: 12, day: 31)) ?? ctx.today)
        let compliance = try await ComplianceQueries.report(in: ctx.scope, kind: .month, date: date, today: ctx.today, calendar: ctx.calendar, on: db)
        struct Month: Decodable { var month: String; var n: Int64 }
        let months = try await db.sql.raw(
            """
            SELECT SUBSTR(m.month, 6, 2) AS month, SUM(m.households) AS n FROM visit_month_counts m
            WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "m"))) AND m.month >= \(bind: String(ctx.firstDay.prefix(7)))
              AND m.month <= \(bind: String(ctx.lastDay.prefix(7)))
            GROUP BY m.month
            """
        ).all(decoding: Month.self)
        let byMonth = Dictionary(months.map { ($0.month, $0.n) }, uniquingKeysWith: +)
        // The compliance page of a node for the same month, opened at the element that holds a figure.
        let period = [("period", "month"), ("date", compliance.to)]
        let page: (String, String) -> String = { code, anchor in
            SiteURL.visits(.compliance).path([("node", code)] + period) + "#" + anchor
        }
        let teams = try await visitTeams(ctx, compliance, page: page, on: db)
        let code = ctx.node.code
        return DashboardPanel(
            .visits, T("民情走访", "Visits"),
            figures: [
                DashboardFigure(
                    "household_visits", T("本年走访户次", "Household visits this year"), byMonth.values.reduce(0, +), href: ctx.panelPage(.visits)),
                DashboardFigure(
                    "staff", T("有定额人员（\(compliance.label)）", "Staff with a quota (\(compliance.label))"), Int64(compliance.people_total),
                    href: page(code, "compliance-people"), exact: true),
                DashboardFigure(
                    "staff_met", T("完成定额", "Met their quota"), Int64(compliance.people_met), href: page(code, "total-met"), exact: true),
                DashboardFigure(
                    "required", T("应访户次", "Visits owed"), Int64(compliance.required), href: page(code, "total-required"), exact: true),
                DashboardFigure("done", T("已访户次", "Visits made"), Int64(compliance.done), href: page(code, "total-done"), exact: true)
            ],
            tables: [
                DashboardTable(
                    "by_team",
                    T(
                        "各居民区走访完成（\(compliance.label)，含无定额人员的居民区）",
                        "Visits by residential area (\(compliance.label), areas without quota staff included)"),
                    label: T("居民区", "Residential area"),
                    columns: [
                        DashboardColumn("done", T("已访", "Made")), DashboardColumn("shortfall", T("差额", "Short")),
                        DashboardColumn("required", T("应访", "Owed")), DashboardColumn("people", T("人数", "Staff")),
                        DashboardColumn("people_met", T("达标人数", "Met"))
                    ],
                    rows: teams, chart: .stacked, charted: 2),
                DashboardTable(
                    "by_month", T("\(ctx.year) 年各月走访户次", "Household visits by month, \(ctx.year)"), label: T("月份", "Month"),
                    columns: [DashboardColumn("household_visits", T("走访户次", "Household visits"))],
                    rows: Self.months(ctx).map { m in
                        DashboardRow(
                            key: "\(ctx.year)-\(m)", label_zh: "\(Int(m)!)月", label_en: "\(ctx.year)-\(m)", href: nil, values: [byMonth[m] ?? 0])
                    }, chart: .lines)
            ],
            links: [
                (SiteURL.visits(.overdue).path, T("十必访逾期名单", "Overdue must-visit households")),
                (SiteURL.visits(.compliance).path([("node", code)] + period), T("走访指标", "Visit compliance"))
            ],
            note: compliance.years_without_calendar.isEmpty
                ? nil : T("该年份没有节假日文件，只按周末计算工作日", "No holiday file for that year: working days count weekends only"))
    }

    /// Every residential area under the node with its quota staff's visits this month (an area
    /// without such staff shows zeros), then one row for the staff bound above the residential
    /// areas (subdistrict staff), whom no area's list holds. At or below a residential area: the
    /// one team, its figures listed on the node's own compliance page.
    static func visitTeams(
        _ ctx: DashboardContext, _ compliance: ComplianceQueries.Report, page: (String, String) -> String, on db: any Database
    ) async throws -> [DashboardRow] {
        struct Area: Decodable { var code: String; var name: String }
        let above = ctx.node.level < .residentialArea
        var areas = compliance.teams.map { Area(code: $0.code, name: $0.name) }
        if above {
            areas = try await db.sql.raw(
                """
                SELECT cell.code, cell.name FROM grid_nodes cell WHERE \(cells(ctx, level: .residentialArea)) ORDER BY cell.sort_order, cell.code
                """
            ).all(decoding: Area.self)
        }
        let byCode = Dictionary(compliance.teams.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func values(_ t: ComplianceQueries.TeamRow?) -> [Int64?] {
            [Int64(t?.done ?? 0), Int64(t?.shortfall ?? 0), Int64(t?.required ?? 0), Int64(t?.people ?? 0), Int64(t?.people_met ?? 0)]
        }
        var rows = areas.map { area in
            let code = above ? area.code : ctx.node.code
            let anchors: [String?] = ["total-done", nil, "total-required", "compliance-people", "total-met"]
            return DashboardRow(
                key: area.code, label_zh: area.name, label_en: area.name, href: page(code, "compliance-teams"), values: values(byCode[area.code]),
                links: anchors.map { anchor in anchor.map { DashboardCellLink(href: page(code, $0), exact: true) } })
        }
        let areaCodes = Set(areas.map(\.code))
        let others = compliance.teams.filter { !areaCodes.contains($0.code) }
        if !others.isEmpty {
            var sum = ComplianceQueries.TeamRow(code: "-", name: "", people: 0, people_met: 0, required: 0, done: 0, shortfall: 0)
            for t in others {
                sum.people += t.people; sum.people_met += t.people_met; sum.required += t.required; sum.done += t.done
                sum.shortfall += t.shortfall
            }
            let name =
                ctx.node.level == .subdistrict
                ? T("街道机关（不属任何居民区的人员）", "Subdistrict office (staff of no residential area)")
                : T("\(ctx.node.name)本级人员", "Staff of \(ctx.node.name) itself")
            rows.append(DashboardRow(key: "-", label_zh: name.zh, label_en: name.en, href: nil, values: values(sum)))
        }
        return rows
    }

    // MARK: - Aid (救助帮扶累积量)

    struct AidRow: Decodable, Sendable {
        var programme: String; var kind: String; var unit: String; var month: String
        var amount_fen: Int64; var quantity: Int64; var minutes: Int64; var records: Int64
    }

    /// The node's aid by programme, kind, unit and month: from the rollup kept with every aid
    /// write (`aid_rollups`, one row per ancestor node that is not a building group), or for a
    /// building group straight from its own records.
    static func aidRows(_ ctx: DashboardContext, on db: any Database) async throws -> [AidRow] {
        if ctx.node.level == .buildingGroup {
            return try await db.sql.raw(
                """
                SELECT x.programme, x.kind, COALESCE(x.unit, '') AS unit, SUBSTR(x.given_on, 1, 7) AS month,
                       CAST(COALESCE(SUM(x.amount_fen), 0) AS BIGINT) AS amount_fen, CAST(COALESCE(SUM(x.quantity), 0) AS BIGINT) AS quantity,
                       CAST(COALESCE(SUM(x.minutes), 0) AS BIGINT) AS minutes, COUNT(*) AS records
                FROM aid_records x WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "x")))
                  \(AidProgrammeQueries.visible(ctx.actor.role, column: "x.programme"))
                GROUP BY x.programme, x.kind, COALESCE(x.unit, ''), SUBSTR(x.given_on, 1, 7)
                """
            ).all(decoding: AidRow.self)
        }
        return try await db.sql.raw(
            """
            SELECT programme, kind, unit, month, amount_fen, quantity, minutes, records FROM aid_rollups WHERE node_id = \(bind: ctx.node.id)
              \(AidProgrammeQueries.visible(ctx.actor.role, column: "programme"))
            """
        ).all(decoding: AidRow.self)
    }

    static func aid(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let rows = try await aidRows(ctx, on: db)
        var cash: Int64 = 0, minutes: Int64 = 0, records: Int64 = 0, yearCash: Int64 = 0
        var units: [String: Int64] = [:]
        struct Programme { var kind: String; var records: Int64 = 0; var fen: Int64 = 0; var quantity: Int64 = 0; var minutes: Int64 = 0 }
        var programmes: [String: Programme] = [:]
        var monthly: [String: [Int64]] = [:]
        let year = String(ctx.year)
        for row in rows {
            // Clamped sums: a figure read from storage never traps the process.
            cash.addClamped(row.amount_fen)
            minutes.addClamped(row.minutes)
            records.addClamped(row.records)
            if row.kind == AidKind.inKind.rawValue { units[row.unit, default: 0].addClamped(row.quantity) }
            var p = programmes[row.programme] ?? Programme(kind: row.kind)
            p.records.addClamped(row.records); p.fen.addClamped(row.amount_fen)
            p.quantity.addClamped(row.quantity); p.minutes.addClamped(row.minutes)
            programmes[row.programme] = p
            if row.month.hasPrefix(year) {
                yearCash.addClamped(row.amount_fen)
                let m = String(row.month.suffix(2))
                var v = monthly[m] ?? [0, 0, 0, 0]
                switch row.kind {
                case AidKind.cash.rawValue: v[0].addClamped(row.records)
                case AidKind.inKind.rawValue: v[1].addClamped(row.records)
                default: v[2].addClamped(row.records)
                }
                v[3].addClamped(row.amount_fen)
                monthly[m] = v
            }
        }
        let register = SiteURL.registry(.node(.value(ctx.node.code))).path
        let breakdown = ctx.panelPage(.aid)
        var figures = [
            DashboardFigure("records", T("救助记录", "Aid records"), records, href: register + "#fig-aid-records", exact: true),
            DashboardFigure("cash_fen", T("累计现金救助", "Cash aid, cumulative"), cash, format: .fen, href: breakdown),
            DashboardFigure("service_minutes", T("累计服务时长", "Service time, cumulative"), minutes, format: .minutes, href: breakdown),
            DashboardFigure("year_cash_fen", T("本年现金救助", "Cash aid this year"), yearCash, format: .fen, href: breakdown)
        ]
        for (unit, quantity) in units.sorted(by: { $0.key < $1.key }) {
            let name = T("累计实物（\(unit)）", "In kind, cumulative (\(DataNames.aidUnit(unit, .en)))")
            figures.append(DashboardFigure("in_kind_\(unit)", name, quantity, href: breakdown))
        }
        let english = try await AidProgrammeQueries.englishNames(on: db)
        let byProgramme = programmes.sorted { ($0.value.records, $1.key) > ($1.value.records, $0.key) }.map { name, p in
            DashboardRow(
                key: name, label_zh: name, label_en: DataNames.programme(name, english: english[name], .en), href: nil,
                values: [p.records, p.fen, p.quantity, p.minutes])
        }
        let byMonth = Self.months(ctx).map { m in
            let v = monthly[m] ?? [0, 0, 0, 0]
            return DashboardRow(key: "\(ctx.year)-\(m)", label_zh: "\(Int(m)!)月", label_en: "\(ctx.year)-\(m)", href: nil, values: v)
        }
        var programmeRows = byProgramme, monthRows = byMonth
        var note: T?
        if !ctx.actor.role.seesSensitiveTags {
            // Roles that may not see the people behind aid see no cell of fewer than five.
            let people = try await aidRecipients(ctx, on: db)
            if SmallCells.hides(people.total) { figures = figures.map(\.hidden) }
            for index in SmallCells.hidden(persons: programmeRows.map { people.byProgramme[$0.key] ?? 0 }, totalShown: true) {
                programmeRows[index].values = programmeRows[index].values.map { _ in nil }
                programmeRows[index].suppressed = true
            }
            for index in SmallCells.hidden(persons: monthRows.map { people.byMonth[$0.key] ?? 0 }, totalShown: true) {
                monthRows[index].values = monthRows[index].values.map { _ in nil }
                monthRows[index].suppressed = true
            }
            note = T("不含敏感救助项目；少于 5 人的格子显示为“<5”", "Sensitive programmes left out; cells of fewer than 5 people show “<5”")
        }
        return DashboardPanel(
            .aid, T("救助帮扶累积量", "Cumulative aid"), figures: figures,
            tables: [
                DashboardTable(
                    "by_programme", T("各项目累计", "By programme, cumulative"), label: T("项目", "Programme"),
                    columns: [
                        DashboardColumn("records", T("记录", "Records")), DashboardColumn("cash_fen", T("现金", "Cash"), .fen),
                        DashboardColumn("quantity", T("实物数量", "In kind")), DashboardColumn("minutes", T("服务时长", "Service"), .minutes)
                    ],
                    rows: programmeRows, chart: .bars),
                DashboardTable(
                    "by_month", T("\(ctx.year) 年各月救助记录", "Aid records by month, \(ctx.year)"), label: T("月份", "Month"),
                    columns: [
                        DashboardColumn("cash", T("现金", "Cash")), DashboardColumn("in_kind", T("实物", "In kind")),
                        DashboardColumn("service", T("服务", "Service")), DashboardColumn("cash_fen", T("现金金额", "Cash amount"), .fen)
                    ],
                    rows: monthRows, chart: .lines, charted: 3)
            ], note: note)
    }

    /// How many people received aid under the node (programmes the role may see): in all, by
    /// programme and by month of the year, for small-cell control.
    static func aidRecipients(_ ctx: DashboardContext, on db: any Database) async throws
        -> (total: Int, byProgramme: [String: Int], byMonth: [String: Int])
    {
        struct Row: Decodable { var k: String; var n: Int }
        let inNode: SQLQueryString = """
            \(ctx.scope.contains(SQLColumn("grid_node_id", table: "x"))) \(AidProgrammeQueries.visible(ctx.actor.role, column: "x.programme"))
            """
        let total =
            try await db.sql.raw("SELECT 'all' AS k, COUNT(DISTINCT x.person_id) AS n FROM aid_records x WHERE \(inNode)")
            .first(decoding: Row.self)?.n ?? 0
        let programmes = try await db.sql.raw(
            """
            SELECT x.programme AS k, COUNT(DISTINCT x.person_id) AS n FROM aid_records x WHERE \(inNode) GROUP BY x.programme
            """
        ).all(decoding: Row.self)
        let months = try await db.sql.raw(
            """
            SELECT SUBSTR(x.given_on, 1, 7) AS k, COUNT(DISTINCT x.person_id) AS n FROM aid_records x
            WHERE \(inNode) AND x.given_on >= \(bind: ctx.firstDay) AND x.given_on <= \(bind: ctx.lastDay)
            GROUP BY SUBSTR(x.given_on, 1, 7)
            """
        ).all(decoding: Row.self)
        return (
            total, Dictionary(programmes.map { ($0.k, $0.n) }, uniquingKeysWith: +),
            Dictionary(months.map { ($0.k, $0.n) }, uniquingKeysWith: +)
        )
    }

    // MARK: - Bookings (约空间)

    static let bookingStatuses: [(String, T)] = [
        ("requested", T("待审批", "Requested")), ("approved", T("已批准", "Approved")), ("attended", T("已使用", "Attended")),
        ("cancelled", T("已取消", "Cancelled")), ("no_show", T("未到", "No-show")), ("rejected", T("已拒绝", "Rejected"))
    ]

    static func bookings(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Row: Decodable { var month: String; var status: String; var n: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT SUBSTR(s.local_date, 6, 2) AS month, b.status, COUNT(*) AS n
            FROM service_bookings b JOIN service_resources r ON r.id = b.resource_id JOIN service_slots s ON s.id = b.slot_id
            WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "r"))) AND s.local_date >= \(bind: ctx.firstDay) AND s.local_date <= \(bind: ctx.lastDay)
            GROUP BY SUBSTR(s.local_date, 6, 2), b.status
            """
        ).all(decoding: Row.self)
        var cells: [String: Int64] = [:]
        var byStatus: [String: Int64] = [:]
        for row in rows {
            cells["\(row.month)|\(row.status)", default: 0] += row.n
            byStatus[row.status, default: 0] += row.n
        }
        let statuses = Self.bookingStatuses
        let table = Self.months(ctx).map { m in
            DashboardRow(
                key: "\(ctx.year)-\(m)", label_zh: "\(Int(m)!)月", label_en: "\(ctx.year)-\(m)", href: nil,
                values: statuses.map { cells["\(m)|\($0.0)"] ?? 0 })
        }
        // No list holds a year's bookings by status (the services page lists the latest 50):
        // the figures open the month-by-status table.
        let breakdown = ctx.panelPage(.bookings)
        return DashboardPanel(
            .bookings, T("约空间预约", "Space bookings"),
            figures: [DashboardFigure("bookings", T("本年预约", "Bookings this year"), byStatus.values.reduce(0, +), href: breakdown)]
                + statuses.filter { ["requested", "approved", "attended"].contains($0.0) }.map {
                    DashboardFigure($0.0, $0.1, byStatus[$0.0] ?? 0, href: breakdown)
                },
            tables: [
                DashboardTable(
                    "by_month", T("\(ctx.year) 年各月预约", "Bookings by month, \(ctx.year)"), label: T("月份", "Month"),
                    columns: statuses.map { DashboardColumn($0.0, $0.1) }, rows: table, chart: .stacked, charted: statuses.count)
            ],
            links: [(SiteURL.services(.index).path + "#bookings", T("最近的预约", "Latest bookings"))])
    }

    // MARK: - Votes (业主表决、居民投票、议题)

    /// The lists' caps: `/voting` shows the latest 100 ballots and 100 polls, `/voting/topics` 100 topics.
    static let votingListCap: Int64 = 100

    /// Owners' ballots, resident polls and topics by status, counted as their lists select them
    /// (`VotingQueries.ballotVisible`, `PollQueries.visible`, `TopicQueries.visible`: a poll or
    /// topic of a node above this one counts too, since its residents take part).
    static func voting(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Row: Decodable { var what: String; var status: String; var n: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT 'ballot' AS what, b.status, COUNT(*) AS n FROM owners_ballots b WHERE \(VotingQueries.ballotVisible(ctx.actor)) GROUP BY b.status
            UNION ALL
            SELECT 'poll' AS what, p.status, COUNT(*) AS n FROM polls p WHERE \(PollQueries.visible(ctx.actor)) GROUP BY p.status
            UNION ALL
            SELECT 'topic' AS what, t.status, COUNT(*) AS n FROM topics t WHERE \(TopicQueries.visible(ctx.actor)) GROUP BY t.status
            """
        ).all(decoding: Row.self)
        func count(_ what: String, _ status: String) -> Int64 { rows.first { $0.what == what && $0.status == status }?.n ?? 0 }
        func total(_ what: String) -> Int64 { rows.filter { $0.what == what }.reduce(0) { $0 + $1.n } }
        // The lists cannot be narrowed to a node or a status: a total counts exactly at the caller's root, up to the cap.
        func list(_ what: String) -> String {
            switch what {
            case "topic": SiteURL.voting(.topics).path + "#topics"
            case "poll": SiteURL.voting(.index).path + "#polls"
            default: SiteURL.voting(.index).path + "#ballots"
            }
        }
        func exact(_ what: String) -> Bool { ctx.atCallerRoot && total(what) <= votingListCap }
        let kinds: [(String, T)] = [("ballot", T("业主表决", "Owners' ballots")), ("poll", T("居民投票", "Resident polls")), ("topic", T("议题", "Topics"))]
        let statusColumns: [(String, T)] =
            [("draft", T("草稿", "Draft")), ("open", T("进行中（表决或投票）", "Open (ballot or poll)")), ("closed", T("已结束", "Closed"))]
            + TopicStatus.allCases.map { ($0.rawValue, T($0.nameZH, $0.nameEN)) }
        let table = kinds.map { what, name in
            DashboardRow(key: what, label_zh: name.zh, label_en: name.en, href: list(what), values: statusColumns.map { count(what, $0.0) })
        }
        return DashboardPanel(
            .voting, T("协商与投票", "Consultation and votes"),
            figures: kinds.map { DashboardFigure($0.0, $0.1, total($0.0), href: list($0.0), exact: exact($0.0)) } + [
                DashboardFigure("ballots_open", T("业主表决进行中", "Owners' ballots open"), count("ballot", "open"), href: list("ballot")),
                DashboardFigure("polls_open", T("居民投票进行中", "Resident polls open"), count("poll", "open"), href: list("poll"))
            ],
            tables: [
                DashboardTable(
                    "by_status", T("按状态", "By status"), label: T("类别", "Kind"),
                    columns: statusColumns.map { DashboardColumn($0.0, $0.1) }, rows: table, chart: .stacked, charted: statusColumns.count)
            ],
            note: ctx.atCallerRoot
                ? nil
                : T(
                    "表决、投票和议题的列表显示您的全部管辖范围，不按本网格筛选。",
                    "The lists of ballots, polls and topics show your whole scope, not this node alone."))
    }
}
