import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 6543 compound governance and the 十必访 overdue households (issue 21). Both read through their
/// capabilities' own functions, so a figure equals what the capability's page shows; their pages
/// (`/oversight`, `/visits/overdue`) list the caller's whole scope, so a figure counts exactly what
/// its list holds on the caller's own root.
extension DashboardQueries {
    // MARK: - 6543 小区治理

    /// The overview page lists at most 30 owners' committees.
    static let committeeListCap: Int64 = 30

    static func oversight(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let companies = try await OversightQueries.companies(in: ctx.scope, now: ctx.now, on: db)
        let committees = try await OversightQueries.committees(for: ctx.actor, on: db)
        let shops = try await OversightQueries.shopCounts(in: ctx.scope, on: db)
        let checklists = try await OversightQueries.checklistSummary(in: ctx.scope, on: db)
        let page = SiteURL.oversight(.index).path
        let root = ctx.atCallerRoot
        func standing(_ s: ListStanding) -> Int64 { Int64(companies.count(where: { $0.standing == s })) }
        var done = 0, total = 0
        for progress in checklists.values {
            done += progress.done
            total += progress.total
        }
        let checklistRows = CompoundType.allCases.compactMap { type -> DashboardRow? in
            guard let p = checklists[type.rawValue] else { return nil }
            return DashboardRow(
                key: type.rawValue, label_zh: type.nameZH, label_en: type.nameEN, href: page + "#checklists",
                values: [Int64(p.done), Int64(p.total - p.done), Int64(p.total)])
        }
        let standingRows = ListStanding.allCases.map { s in
            DashboardRow(key: s.rawValue, label_zh: s.nameZH, label_en: s.nameEN, href: page + "#companies", values: [standing(s)])
        }
        return DashboardPanel(
            .oversight, T("6543 小区治理", "6543 compound governance"),
            figures: [
                DashboardFigure("companies", T("物业公司", "Property companies"), Int64(companies.count), href: page + "#companies", exact: root),
                DashboardFigure("red_list", T("红榜物业", "On the red list"), standing(.redList), href: page + "#companies"),
                DashboardFigure("black_list", T("黑榜物业", "On the black list"), standing(.blackList), href: page + "#companies"),
                DashboardFigure(
                    "committees", T("业委会", "Owners' committees"), Int64(committees.count), href: page + "#committees",
                    exact: root && Int64(committees.count) <= committeeListCap),
                DashboardFigure("shops", T("商户（一店一档）", "Shops on file"), Int64(shops.shops), href: page + "#shop-counts", exact: root),
                DashboardFigure(
                    "checklist_rate", T("分类治理清单完成", "Checklist measures done"),
                    Int64(total == 0 ? 0 : (2000 * done + total) / (2 * total)), format: .permille, href: page + "#checklists")
            ],
            tables: [
                DashboardTable(
                    "checklists", T("分类治理清单（按小区类型）", "Checklists by compound type"), label: T("小区类型", "Compound type"),
                    columns: [
                        DashboardColumn("done", T("已完成", "Done")), DashboardColumn("left", T("未完成", "Not done")),
                        DashboardColumn("measures", T("措施", "Measures"))
                    ],
                    rows: checklistRows, chart: .stacked, charted: 2),
                DashboardTable(
                    "standings", T("物业公司红黑榜", "Property companies by standing"), label: T("榜单", "Standing"),
                    columns: [DashboardColumn("companies", T("物业公司", "Companies"))], rows: standingRows, chart: .bars)
            ],
            links: [(page, T("6543 小区治理", "6543 compound governance")), (SiteURL.oversight(.shops).path, T("全部商户", "All shops"))],
            note: root
                ? nil : T("小区治理页面显示您的全部管辖范围，不按本网格筛选。", "The compound governance page shows your whole scope, not this node alone."))
    }

    // MARK: - 十必访逾期

    /// The households owed a 十必访 visit, per category: in the category and overdue, counted the
    /// way the overdue list counts them (`MustVisitQueries.households`, the node's rows of
    /// `must_visit_households`), without reading the households themselves.
    static func mustVisits(_ ctx: DashboardContext, on db: any Database) async throws -> DashboardPanel {
        let (visible, hiddenCodes) = try await MustVisitQueries.visibility(ctx.actor.role, on: db)
        let hidden = hiddenCodes.count // categories by a tag the role may not see
        let byCode = try await MustVisitQueries.counts(
            visible, scope: try await MustVisitQueries.scopeFilter(ctx.scope, on: db), today: ctx.today, on: db)
        let root = ctx.atCallerRoot
        let rows = visible.map { c in
            let list = SiteURL.visits(.overdue).path([("category", c.code)]) + "#overdue-list"
            let n = byCode[c.code]
            return DashboardRow(
                key: c.code, label_zh: c.name_zh, label_en: c.name_en, href: list, values: [n?.overdue ?? 0, n?.households ?? 0],
                links: [DashboardCellLink(href: list, exact: root), nil])
        }
        var note: T? = root ? nil : T("逾期名单显示您的全部管辖范围，不按本网格筛选。", "The overdue list shows your whole scope, not this node alone.")
        if hidden > 0 {
            note = T(
                "含敏感标签的 \(hidden) 个类别不在您的权限内。" + (note?.zh ?? ""),
                "\(hidden) categories with sensitive tags are outside your role. " + (note?.en ?? ""))
        }
        return DashboardPanel(
            .mustVisits, T("十必访逾期", "Overdue must-visits"),
            figures: [
                DashboardFigure(
                    "overdue", T("逾期未访（户次）", "Overdue (household × category)"), byCode.values.reduce(0) { $0 + $1.overdue },
                    href: SiteURL.visits(.overdue).path + "#overdue-list", exact: root),
                DashboardFigure(
                    "households", T("在册十必访（户次）", "On the must-visit lists"), byCode.values.reduce(0) { $0 + $1.households },
                    href: ctx.panelPage(.mustVisits)
                )
            ],
            tables: [
                DashboardTable(
                    "by_category", T("各类别逾期", "Overdue by category"), label: T("类别", "Category"),
                    columns: [DashboardColumn("overdue", T("逾期", "Overdue")), DashboardColumn("households", T("在册户数", "Households"))],
                    rows: rows, chart: .bars)
            ],
            links: [(SiteURL.visits(.overdue).path, T("十必访逾期名单", "Overdue must-visit households"))],
            note: note)
    }
}
