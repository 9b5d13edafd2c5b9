import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The panels of party building and participation (issue 21): 双报到 and 党建, volunteers and the
/// time bank, campaigns. Their lists (`/organisations`, `/services`, `/services/manage`) cannot be
/// narrowed to a grid node: they show the caller's whole scope, so a figure counts exactly what its
/// list holds on the caller's own root (`DashboardContext.atCallerRoot`) and up to the list's cap.
extension DashboardQueries {
    // MARK: - 党建与双报到

    /// The organisations capability's own figures (`OrganisationsQueries.figures`, the same the
    /// organisations page shows), inside the node. Membership and 双报到 reveal party membership:
    /// only roles that see sensitive tags get them.
    static func party(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let f = try await OrganisationsQueries.figures(in: ctx.scope, today: ctx.today, coverage: false, on: db)
        var byKind: [OrganisationKind: Int] = [:]
        for row in f.by_kind { byKind[row.kind, default: 0] += row.open }
        let page = SiteURL.organisations(.index).path
        func figure(_ key: String, _ name: T, _ value: Int, _ anchor: String) -> DashboardFigure {
            DashboardFigure(key, name, Int64(value), href: page + "#" + anchor, exact: ctx.atCallerRoot)
        }
        let partyOpen = OrganisationKind.allCases.filter(\.isParty).reduce(0) { $0 + (byKind[$1] ?? 0) }
        var figures = [figure("party_organisations", T("党组织（运行中）", "Party organisations (open)"), partyOpen, "fig-party")]
        if ctx.actor.role.seesSensitiveTags {
            figures += [
                figure("party_members", T("党员（组织内）", "Members in branches"), f.party_members, "fig-members"),
                figure("identity_households", T("亮身份党员家庭", "Member households showing identity"), f.households_showing_identity, "fig-households"),
                figure("dual_registered", T("双报到在职党员", "In-service members registered"), f.dual_registered, "fig-dual"),
                DashboardFigure(
                    "dual_serving", T("近一年有服务记录的双报到党员", "Registered members who served in the last year"), Int64(f.dual_serving),
                    href: SiteURL.dual(.index).path)
            ]
        }
        figures.append(figure("model_posts", T("党员示范岗", "Model posts"), f.model_posts, "fig-posts"))
        let rows = OrganisationKind.allCases.map { kind in
            let list = OrganisationsViews.homeLink(kind: kind, openOnly: true) + "#org-total"
            return DashboardRow(
                key: kind.rawValue, label_zh: kind.nameZH, label_en: kind.nameEN, href: list, values: [Int64(byKind[kind] ?? 0)],
                links: [DashboardCellLink(href: list, exact: ctx.atCallerRoot)])
        }
        return DashboardPanel(
            .party, T("党建与双报到", "Party building and dual registration"), figures: figures,
            tables: [
                DashboardTable(
                    "by_kind", T("运行中的组织（按类型）", "Open organisations by kind"), label: T("类型", "Kind"),
                    columns: [DashboardColumn("open", T("运行中", "Open"))], rows: rows, chart: .bars)
            ],
            links: [(page, T("组织力工程", "Organisations"))]
                + (ctx.actor.role.seesSensitiveTags ? [(SiteURL.dual(.index).path, T("双报到 · 双报告", "Dual registration"))] : []),
            note: participationNote(ctx, T("组织", "organisations")))
    }

    /// Says so when the lists behind the figures show more than this node.
    static func participationNote(_ ctx: DashboardContext, _ lists: T) -> T? {
        ctx.atCallerRoot
            ? nil
            : T("\(lists.zh)列表显示您的全部管辖范围，不按本网格筛选。", "The \(lists.en) lists show your whole scope, not this node alone.")
    }

    // MARK: - 志愿服务与时间银行

    /// The caps of the lists: the set-up page lists 500 teams, the services page 100 activities.
    static let teamListCap: Int64 = 500, activityListCap: Int64 = 100

    static func volunteering(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Counts: Decodable { var teams: Int64; var members: Int64; var upcoming: Int64; var checkins: Int64; var minutes: Int64 }
        let t = ctx.scope.contains(SQLColumn("grid_node_id", table: "t")), v = ctx.scope.contains(SQLColumn("grid_node_id", table: "v"))
        // Minutes credited to members this year: awards into a member's account, less their reversals.
        let c =
            try await db.sql.raw(
                """
                SELECT (SELECT COUNT(*) FROM volunteer_teams t WHERE \(t)) AS teams,
                       (SELECT COUNT(DISTINCT m.account_id) FROM volunteer_team_members m JOIN volunteer_teams t ON t.id = m.team_id
                         WHERE \(t) AND m.left_on IS NULL) AS members,
                       (SELECT COUNT(*) FROM volunteer_activities v WHERE \(v) AND v.ends_at > \(bind: ctx.now)) AS upcoming,
                       (SELECT COUNT(*) FROM activity_signups s JOIN volunteer_activities v ON v.id = s.activity_id
                         WHERE \(v) AND s.status = 'checked_in' AND s.checked_in_at >= \(bind: ctx.yearStart)
                           AND s.checked_in_at < \(bind: ctx.yearEnd)) AS checkins,
                       (SELECT CAST(COALESCE(SUM(CASE WHEN ta.kind = 'member' THEN x.amount
                                                      WHEN fa.kind = 'member' AND x.reverses_id IS NOT NULL THEN -x.amount ELSE 0 END), 0) AS BIGINT)
                         FROM ledger_transfers x JOIN ledger_accounts ta ON ta.id = x.to_account_id JOIN ledger_accounts fa ON fa.id = x.from_account_id
                         WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "x"))) AND x.unit = 'minutes'
                           AND x.created_at >= \(bind: ctx.yearStart) AND x.created_at < \(bind: ctx.yearEnd)) AS minutes
                """
            ).first(decoding: Counts.self) ?? Counts(teams: 0, members: 0, upcoming: 0, checkins: 0, minutes: 0)
        struct Team: Decodable { var team: String; var activities: Int64; var signed_up: Int64; var checked_in: Int64 }
        let teams = try await db.sql.raw(
            """
            SELECT v.team, COUNT(*) AS activities, CAST(COALESCE(SUM(v.signed_up), 0) AS BIGINT) AS signed_up,
                   CAST(COALESCE(SUM((SELECT COUNT(*) FROM activity_signups s WHERE s.activity_id = v.id AND s.status = 'checked_in')), 0) AS BIGINT)
                     AS checked_in
            FROM volunteer_activities v WHERE \(v) AND v.starts_at >= \(bind: ctx.yearStart) AND v.starts_at < \(bind: ctx.yearEnd)
            GROUP BY v.team ORDER BY v.team
            """
        ).all(decoding: Team.self)
        let manage = SiteURL.services(.manage).path + "#manage-teams"
        let activities = SiteURL.services(.index).path + "#activities"
        let breakdown = ctx.panelPage(.volunteering)
        return DashboardPanel(
            .volunteering, T("志愿服务与时间银行", "Volunteering and the time bank"),
            figures: [
                DashboardFigure("teams", T("志愿队", "Volunteer teams"), c.teams, href: manage, exact: ctx.atCallerRoot && c.teams <= teamListCap),
                DashboardFigure("members", T("在队志愿者", "Team members"), c.members, href: manage),
                DashboardFigure(
                    "upcoming", T("未结束的志愿活动", "Activities not yet over"), c.upcoming, href: activities,
                    exact: ctx.atCallerRoot && c.upcoming <= activityListCap),
                DashboardFigure("checkins", T("本年签到人次", "Check-ins this year"), c.checkins, href: breakdown),
                DashboardFigure("minutes", T("本年记入时间银行", "Time banked this year"), c.minutes, format: .minutes, href: breakdown)
            ],
            tables: [
                DashboardTable(
                    "by_team", T("\(ctx.year) 年各志愿队活动", "Activities by team, \(ctx.year)"), label: T("志愿队", "Team"),
                    columns: [
                        DashboardColumn("activities", T("活动", "Activities")), DashboardColumn("signed_up", T("报名", "Signed up")),
                        DashboardColumn("checked_in", T("签到", "Checked in"))
                    ],
                    rows: teams.map {
                        DashboardRow(
                            key: $0.team, label_zh: $0.team, label_en: $0.team, href: nil, values: [$0.activities, $0.signed_up, $0.checked_in])
                    }, chart: .bars)
            ],
            links: [(SiteURL.services(.index).path, T("约空间与志愿服务", "Spaces and volunteering"))],
            note: participationNote(ctx, T("志愿队和活动", "team and activity")))
    }

    // MARK: - 限量预约、登记与打卡

    /// The set-up page lists the latest 50 campaigns.
    static let campaignListCap: Int64 = 50

    /// Campaigns placed in the node, by kind, with those still open and their participants
    /// (households that reserved, people who registered, people on a check-in roster).
    static func campaigns(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Row: Decodable { var kind: String; var status: String; var reservations: Int64; var entries: Int64; var roster: Int64 }
        let rows = try await db.sql.raw(
            """
            SELECT c.kind, c.status,
                   (SELECT COUNT(*) FROM campaign_reservations r WHERE r.campaign_id = c.id) AS reservations,
                   (SELECT COUNT(*) FROM campaign_entries e WHERE e.campaign_id = c.id) AS entries,
                   (SELECT COUNT(*) FROM campaign_roster o WHERE o.campaign_id = c.id) AS roster
            FROM service_campaigns c WHERE \(ctx.scope.contains(SQLColumn("grid_node_id", table: "c")))
            """
        ).all(decoding: Row.self)
        let kinds: [(String, T)] = [
            ("reservation", T("限量预约", "Limited stock")), ("registration", T("登记", "Registration")), ("checkin", T("每日打卡", "Daily check-in"))
        ]
        let total = Int64(rows.count), open = Int64(rows.count(where: { $0.status == "open" }))
        let manage = SiteURL.services(.manage).path + "#manage-campaigns"
        let breakdown = ctx.panelPage(.campaigns)
        let table = kinds.map { kind, name in
            let these = rows.filter { $0.kind == kind }
            return DashboardRow(
                key: kind, label_zh: name.zh, label_en: name.en, href: nil,
                values: [
                    Int64(these.count), Int64(these.count(where: { $0.status == "open" })),
                    these.reduce(0) { $0 + $1.reservations + $1.entries + $1.roster }
                ])
        }
        return DashboardPanel(
            .campaigns, T("限量预约、登记与打卡", "Campaigns"),
            figures: [
                DashboardFigure("campaigns", T("活动", "Campaigns"), total, href: manage, exact: ctx.atCallerRoot && total <= campaignListCap),
                DashboardFigure("open", T("进行中", "Open"), open, href: manage),
                DashboardFigure("reservations", T("预约户次", "Reservations"), rows.reduce(0) { $0 + $1.reservations }, href: breakdown),
                DashboardFigure("entries", T("登记人数", "Registrations"), rows.reduce(0) { $0 + $1.entries }, href: breakdown),
                DashboardFigure("roster", T("打卡名单人数", "On check-in rosters"), rows.reduce(0) { $0 + $1.roster }, href: breakdown)
            ],
            tables: [
                DashboardTable(
                    "by_kind", T("按类型（参与：预约户次、登记或打卡人数）", "By kind (taking part: reservations, registrations or people on the roster)"),
                    label: T("类型", "Kind"),
                    columns: [
                        DashboardColumn("campaigns", T("活动", "Campaigns")), DashboardColumn("open", T("进行中", "Open")),
                        DashboardColumn("taking_part", T("参与", "Taking part"))
                    ],
                    rows: table, chart: .bars)
            ],
            note: participationNote(ctx, T("活动", "campaign"))
                ?? T("按活动设在哪个网格统计，参与者不论住在哪里。", "Counted by where the campaign is set up, wherever its participants live."))
    }
}

// MARK: - 智慧临小二注册覆盖 (issue 22)

extension DashboardQueries {
    /// Households with at least one resident account linked, under the node and under each of its
    /// children, against the households there (`grid_counts`): the coverage the 居委 raises with
    /// its letters. One pass over the links, up the closure to the node and its children.
    static func signup(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        struct Cell: Decodable { var id: UUID; var code: String; var name: String; var households: Int64 }
        let cells = try await db.sql.raw(
            """
            SELECT cell.id, cell.code, cell.name, COALESCE((SELECT k.households FROM grid_counts k WHERE k.node_id = cell.id), 0) AS households
            FROM grid_nodes cell WHERE \(Self.cells(ctx, level: nil)) ORDER BY cell.sort_order, cell.code
            """
        ).all(decoding: Cell.self)
        struct Total: Decodable { var households: Int64 }
        let households =
            try await db.sql.raw("SELECT households FROM grid_counts WHERE node_id = \(bind: ctx.node.id)").first(decoding: Total.self)?
            .households ?? 0
        struct Signed: Decodable { var node_id: UUID; var n: Int64 }
        let nodes = [ctx.node.id] + cells.map(\.id)
        let signed = try await db.sql.raw(
            """
            SELECT gc.ancestor_id AS node_id, COUNT(DISTINCT rh.household_id) AS n
            FROM resident_households rh JOIN households h ON h.id = rh.household_id JOIN grid_closure gc ON gc.descendant_id = h.grid_node_id
            WHERE gc.ancestor_id IN (\(binds: nodes)) GROUP BY gc.ancestor_id
            """
        ).all(decoding: Signed.self)
        let byNode = Dictionary(signed.map { ($0.node_id, $0.n) }, uniquingKeysWith: +)
        let total = byNode[ctx.node.id] ?? 0
        func permille(_ part: Int64, _ whole: Int64) -> Int64? { whole == 0 ? nil : part * 1000 / whole }
        // The coverage page (for those who print letters) shows the node's total first.
        let coverage: String? =
            Invitations.issuers.contains(ctx.actor.role)
            ? SiteURL.residents(.invitations).path([("node", ctx.node.code)]) + "#coverage-total" : nil
        let exact = coverage != nil && ctx.node.level < .buildingGroup
        return DashboardPanel(
            .signup, T("智慧临小二注册覆盖", "Residents signed up to the app"),
            figures: [
                DashboardFigure("signed_up", T("已注册住户", "Households signed up"), total, href: coverage, exact: exact),
                DashboardFigure("households", T("住户", "Households"), households, href: coverage),
                DashboardFigure("coverage", T("注册覆盖率", "Coverage"), permille(total, households) ?? 0, format: .permille, href: coverage)
            ],
            tables: [
                DashboardTable(
                    "by_child", T("下级网格的注册覆盖", "Coverage by sub-node"), label: T("网格", "Node"),
                    columns: [
                        DashboardColumn("households", T("住户", "Households")), DashboardColumn("signed_up", T("已注册住户", "Signed up")),
                        DashboardColumn("coverage", T("覆盖率", "Coverage"), .permille)
                    ],
                    rows: cells.map { cell in
                        let n = byNode[cell.id] ?? 0
                        return DashboardRow(
                            key: cell.code, label_zh: cell.name, label_en: cell.name, href: ctx.dashboard(cell.code),
                            values: [cell.households, n, permille(n, cell.households)])
                    }, chart: .bars, charted: 2)
            ],
            note: T(
                "已注册：本户至少一人有居民账号（凭邀请函、在居委会柜台或由工作人员开通）。",
                "Signed up: at least one member of the household has a resident account (by letter, at the desk or made by staff)."))
    }
}
