import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The panels over what happens in the node: cases, visits, aid, bookings and votes. Where a
/// capability already has a fast report (the case indicators, the visit compliance report) the
/// panel calls it with the caller narrowed to the node.
extension DashboardQueries {
    static let months = (1...12).map { String(format: "%02d", $0) }

    /// The months of the year shown: all of a past year, up to this month of the current one.
    static func months(_ ctx: DashboardContext) -> [String] {
        ctx.year == ctx.today.year ? Array(months.prefix(ctx.today.month)) : (ctx.year > ctx.today.year ? [] : months)
    }

    static func rate(_ rate: CaseRate) -> Int64? { rate.perMille.map(Int64.init) }

    // MARK: - Cases (诉求案件: open, overdue, indicators by department)

    static func cases(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let report = try await CasesIndicatorQueries.report(
            year: ctx.year, by: .department, actor: ctx.actor, calendar: ctx.calendar, now: ctx.now, on: db)
        var codes: [String: String] = [:]
        for d in try await CasesQueries.departments(on: db) { codes[d.id.uuidString.lowercased()] = d.code }
        let rows = report.rows.map { row in
            let code = codes[row.key.lowercased()]
            return DashboardRow(
                key: code ?? row.key, label_zh: row.name_zh, label_en: row.name_en,
                href: code.map { ctx.cases("status=open&department=\(DashboardContext.q($0))") },
                values: [
                    Int64(row.counts.closed), Int64(row.open), Int64(row.overdue), Int64(row.counts.accepted),
                    rate(row.indicators.onTimeClosingRate), rate(row.indicators.satisfactionRate)
                ])
        }
        let t = report.total
        return DashboardPanel(
            .cases, T("诉求案件与指标", "Cases and indicators"),
            figures: [
                DashboardFigure("accepted", T("本年受理", "Taken in this year"), Int64(t.counts.accepted), href: ctx.cases()),
                DashboardFigure("open", T("未结", "Open"), Int64(t.open), href: ctx.cases("status=open")),
                DashboardFigure("overdue", T("超期", "Overdue"), Int64(t.overdue), href: ctx.cases("overdue=1")),
                DashboardFigure("filing_rate", T("立案率", "Filing rate"), rate(t.indicators.filingRate) ?? 0, format: .permille),
                DashboardFigure("closing_rate", T("结案率", "Closing rate"), rate(t.indicators.closingRate) ?? 0, format: .permille),
                DashboardFigure("on_time_rate", T("按期结案率", "Closed on time"), rate(t.indicators.onTimeClosingRate) ?? 0, format: .permille),
                DashboardFigure("satisfaction_rate", T("满意率", "Satisfaction"), rate(t.indicators.satisfactionRate) ?? 0, format: .permille)
            ],
            tables: [
                DashboardTable(
                    "by_department", T("各部门案件", "Cases by department"), label: T("部门", "Department"),
                    columns: [
                        DashboardColumn("closed", T("已结", "Closed")), DashboardColumn("open", T("未结", "Open")),
                        DashboardColumn("overdue", T("超期", "Overdue")), DashboardColumn("accepted", T("受理", "Taken in")),
                        DashboardColumn("on_time_rate", T("按期结案率", "Closed on time"), .permille),
                        DashboardColumn("satisfaction_rate", T("满意率", "Satisfaction"), .permille)
                    ],
                    rows: rows, chart: .stacked, charted: 2)
            ],
            links: [
                (SiteURL.cases(.indicators).path([("year", "\(ctx.year)")]), T("全部指标", "All indicators")),
                (SiteURL.cases(.supervision).path, T("督办", "Supervision"))
            ])
    }

    static func caseCategories(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let report = try await CasesIndicatorQueries.report(
            year: ctx.year, by: .category, actor: ctx.actor, calendar: ctx.calendar, now: ctx.now, on: db)
        let rows = report.rows.sorted { ($0.counts.accepted, $1.key) > ($1.counts.accepted, $0.key) }.prefix(12).map { row in
            DashboardRow(
                key: row.key, label_zh: row.name_zh, label_en: row.name_en, href: ctx.cases("category=\(DashboardContext.q(row.key))"),
                values: [Int64(row.counts.accepted), Int64(row.open), Int64(row.overdue), Int64(row.counts.closed)])
        }
        return DashboardPanel(
            .caseCategories, T("案件类别", "Cases by category"),
            figures: [DashboardFigure("categories", T("涉及类别", "Categories"), Int64(report.rows.count))],
            tables: [
                DashboardTable(
                    "top_categories", T("受理最多的类别", "Most frequent categories"), label: T("类别", "Category"),
                    columns: [
                        DashboardColumn("accepted", T("受理", "Taken in")), DashboardColumn("open", T("未结", "Open")),
                        DashboardColumn("overdue", T("超期", "Overdue")), DashboardColumn("closed", T("已结", "Closed"))
                    ],
                    rows: Array(rows), chart: .bars)
            ])
    }

    /// Cases reported in the year by the channel they came through (一口汇集), with how many are
    /// still open and overdue.
    static func caseChannels(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let open = SQLList(CaseState.openStates.map { SQLBind($0.rawValue) })
        let running = SQLList(CaseState.allCases.filter(\.deadlineRuns).map { SQLBind($0.rawValue) })
        struct Row: Decodable { var channel: String; var reported: Int64; var open_count: Int64; var overdue_count: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT c.channel, COUNT(*) AS reported,
                   COALESCE(SUM(CASE WHEN c.state IN (\(open)) THEN 1 ELSE 0 END), 0) AS open_count,
                   COALESCE(SUM(CASE WHEN c.state IN (\(running)) AND c.due_at < \(bind: ctx.now) THEN 1 ELSE 0 END), 0) AS overdue_count
            FROM cases c
            WHERE \(CasesQueries.reportScope(ctx.actor)) AND c.reported_on >= \(bind: ctx.firstDay) AND c.reported_on <= \(bind: ctx.lastDay)
            GROUP BY c.channel
            """
        ).all(decoding: Row.self)
        let byChannel = Dictionary(rows.map { ($0.channel, $0) }, uniquingKeysWith: { a, _ in a })
        let table = CaseChannel.allCases.map { channel in
            let row = byChannel[channel.rawValue]
            return DashboardRow(
                key: channel.rawValue, label_zh: channel.nameZH, label_en: channel.nameEN, href: nil,
                values: [row?.reported ?? 0, row?.open_count ?? 0, row?.overdue_count ?? 0])
        }
        return DashboardPanel(
            .caseChannels, T("九大渠道来件", "Cases by channel"),
            figures: [DashboardFigure("reported", T("本年来件", "Reported this year"), rows.reduce(0) { $0 + $1.reported }, href: ctx.cases())],
            tables: [
                DashboardTable(
                    "by_channel", T("各渠道来件", "Cases by channel"), label: T("渠道", "Channel"),
                    columns: [
                        DashboardColumn("reported", T("来件", "Reported")), DashboardColumn("open", T("未结", "Open")),
                        DashboardColumn("overdue", T("超期", "Overdue"))
                    ],
                    rows: table, chart: .bars)
            ])
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
        let complianceLink = SiteURL.visits(.compliance).path([("period", "month"), ("node", ctx.node.code), ("date", compliance.to)])
        let teams = compliance.teams.map { team in
            DashboardRow(
                key: team.code, label_zh: team.name, label_en: team.name,
                href: SiteURL.visits(.compliance).path([("period", "month"), ("node", team.code), ("date", compliance.to)]),
                values: [Int64(team.done), Int64(team.shortfall), Int64(team.required), Int64(team.people), Int64(team.people_met)])
        }
        return DashboardPanel(
            .visits, T("民情走访", "Visits"),
            figures: [
                DashboardFigure("household_visits", T("本年走访户次", "Household visits this year"), byMonth.values.reduce(0, +)),
                DashboardFigure(
                    "staff", T("有定额人员（\(compliance.label)）", "Staff with a quota (\(compliance.label))"), Int64(compliance.people_total),
                    href: complianceLink),
                DashboardFigure("staff_met", T("完成定额", "Met their quota"), Int64(compliance.people_met), href: complianceLink),
                DashboardFigure("required", T("应访户次", "Visits owed"), Int64(compliance.required), href: complianceLink),
                DashboardFigure("done", T("已访户次", "Visits made"), Int64(compliance.done), href: complianceLink)
            ],
            tables: [
                DashboardTable(
                    "by_team", T("各居民区走访完成（\(compliance.label)）", "Visits by team (\(compliance.label))"), label: T("居民区", "Team"),
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
                (SiteURL.visits(.overdue).path, T("十必访逾期名单", "Overdue must-visit households")), (complianceLink, T("走访指标", "Visit compliance"))
            ],
            note: compliance.years_without_calendar.isEmpty
                ? nil : T("该年份没有节假日文件，只按周末计算工作日", "No holiday file for that year: working days count weekends only"))
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
        var figures = [
            DashboardFigure("cash_fen", T("累计现金救助", "Cash aid, cumulative"), cash, format: .fen, href: register),
            DashboardFigure("service_minutes", T("累计服务时长", "Service time, cumulative"), minutes, format: .minutes, href: register),
            DashboardFigure("records", T("救助记录", "Aid records"), records, href: register),
            DashboardFigure("year_cash_fen", T("本年现金救助", "Cash aid this year"), yearCash, format: .fen)
        ]
        for (unit, quantity) in units.sorted(by: { $0.key < $1.key }) {
            figures.append(DashboardFigure("in_kind_\(unit)", T("累计实物（\(unit)）", "In kind, cumulative (\(unit))"), quantity))
        }
        let byProgramme = programmes.sorted { ($0.value.records, $1.key) > ($1.value.records, $0.key) }.map { name, p in
            DashboardRow(key: name, label_zh: name, label_en: name, href: nil, values: [p.records, p.fen, p.quantity, p.minutes])
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
        return DashboardPanel(
            .bookings, T("约空间预约", "Space bookings"),
            figures: [DashboardFigure("bookings", T("本年预约", "Bookings this year"), byStatus.values.reduce(0, +), href: SiteURL.services(.index).path)]
                + statuses.map { DashboardFigure($0.0, $0.1, byStatus[$0.0] ?? 0) },
            tables: [
                DashboardTable(
                    "by_month", T("\(ctx.year) 年各月预约", "Bookings by month, \(ctx.year)"), label: T("月份", "Month"),
                    columns: statuses.map { DashboardColumn($0.0, $0.1) }, rows: table, chart: .stacked, charted: statuses.count)
            ])
    }

    // MARK: - Votes (业主投票、民意调查、议题)

    static func voting(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Row: Decodable { var what: String; var status: String; var n: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT 'ballot' AS what, b.status, COUNT(*) AS n FROM owners_ballots b WHERE \(VotingQueries.ballotInScope(ctx.actor)) GROUP BY b.status
            UNION ALL
            SELECT 'poll' AS what, p.status, COUNT(*) AS n FROM polls p WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "p"))) GROUP BY p.status
            UNION ALL
            SELECT 'topic' AS what, t.status, COUNT(*) AS n FROM topics t WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "t"))) GROUP BY t.status
            """
        ).all(decoding: Row.self)
        func count(_ what: String, _ status: String) -> Int64 { rows.first { $0.what == what && $0.status == status }?.n ?? 0 }
        func total(_ what: String) -> Int64 { rows.filter { $0.what == what }.reduce(0) { $0 + $1.n } }
        func link(_ what: String) -> String { what == "topic" ? SiteURL.voting(.topics).path : SiteURL.voting(.index).path }
        let kinds: [(String, T, [(String, T)])] = [
            ("ballot", T("业主投票", "Owners' ballots"), [("draft", T("草稿", "Draft")), ("open", T("投票中", "Open")), ("closed", T("已结束", "Closed"))]),
            ("poll", T("民意调查", "Polls"), [("draft", T("草稿", "Draft")), ("open", T("进行中", "Open")), ("closed", T("已结束", "Closed"))]),
            ("topic", T("议题", "Topics"), TopicStatus.allCases.map { ($0.rawValue, T($0.nameZH, $0.nameEN)) })
        ]
        let statusColumns: [(String, T)] =
            [("draft", T("草稿", "Draft")), ("open", T("进行中", "Open")), ("closed", T("已结束", "Closed"))]
            + TopicStatus.allCases.map { ($0.rawValue, T($0.nameZH, $0.nameEN)) }
        let table = kinds.map { what, name, _ in
            DashboardRow(
                key: what, label_zh: name.zh, label_en: name.en, href: link(what),
                values: statusColumns.map { count(what, $0.0) })
        }
        return DashboardPanel(
            .voting, T("协商与投票", "Consultation and votes"),
            figures: kinds.map { DashboardFigure($0.0, $0.1, total($0.0), href: link($0.0)) }
                + [DashboardFigure("ballots_open", T("投票中", "Ballots open"), count("ballot", "open"), href: SiteURL.voting(.index).path)],
            tables: [
                DashboardTable(
                    "by_status", T("按状态", "By status"), label: T("类别", "Kind"),
                    columns: statusColumns.map { DashboardColumn($0.0, $0.1) }, rows: table, chart: .stacked, charted: statusColumns.count)
            ])
    }
}
