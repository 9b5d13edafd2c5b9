import Foundation
import MinqingDomain
import Plot
import Vapor

/// The compound pages: a list with each compound's type and governance goal (6543), and one
/// compound with its buildings and a page of dwellings (areas exact to the cm², owners by name).
enum CompoundViews {
    struct ListModel {
        var scopeName: String
        var crumbs: [GridNodeSummary]
        var compounds: [CompoundQueries.CompoundRow]
    }

    struct CompoundModel {
        var compound: CompoundQueries.CompoundRow
        var crumbs: [GridNodeSummary]
        var buildings: [CompoundQueries.BuildingRow]
        var dwellings: CompoundQueries.DwellingPage
        var page: Int
    }

    static let title = T("小区", "Compounds")

    /// "89.57 m²" from cm², exact.
    static func area(_ cm2: Int64?, _ lang: Lang) -> String {
        guard let cm2 else { return "—" }
        return FloorArea(squareCentimetres: cm2).squareMetresText + (lang == .zh ? " 平方米" : " m²")
    }

    static func type(_ c: CompoundQueries.CompoundRow, _ lang: Lang) -> String {
        (lang == .zh ? c.type_zh : c.type_en) ?? c.compound_type.rawValue
    }

    static func goal(_ c: CompoundQueries.CompoundRow, _ lang: Lang) -> String {
        (lang == .zh ? c.goal_zh : c.goal_en) ?? ""
    }

    static func list(_ m: ListModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: RegistryViews.pageTitle(title(lang), m.scopeName),
            RegistryViews.crumbs(m.crumbs, current: nil, then: [.li(.text(title(lang)))]),
            .h1(.text(T("\(m.scopeName)的小区", "Compounds in \(m.scopeName)")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "广安“6543”：六类小区各有治理目标。面积按产权登记、测绘、合同的次序取值，业主表决据此计算。",
                        "Guang'an's 6543: each of the six compound types has its governance goal. Areas are taken from the property register, else the survey, else the contract; owners' votes count from them."
                    )(lang))),
            m.compounds.isEmpty
                ? .p(.id("no-compounds"), .class("muted"), .text(T("此范围内没有登记小区。", "No compounds are registered in this scope.")(lang)))
                : PageParts.table(
                    id: "compounds",
                    headers: [
                        .init(T("小区", "Compound")(lang)), .init(T("类型 · 治理目标", "Type · governance goal")(lang)),
                        .num(T("楼 · 房屋", "Buildings · dwellings")(lang)), .num(T("专有面积", "Exclusive area")(lang))
                    ],
                    rows: m.compounds
                ) { c in
                    .tr(
                        .td(
                            .a(.href(SiteURL.registry(.compound(.value(c.id))).path.attributeSafe), .text(c.name)), .br(),
                            .span(.class("muted"), .text(c.grid_name))),
                        .td(
                            .span(.class("badge compound-type"), .text(type(c, lang))), .br(),
                            .span(.class("muted compound-goal"), .text(goal(c, lang)))),
                        .td(.class("num"), .text("\(RegisterFormat.count(c.buildings)) · \(RegisterFormat.count(c.dwellings))")),
                        .td(.class("num"), .text(area(c.area_cm2, lang))))
                }
        )
    }

    static func compound(_ m: CompoundModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let c = m.compound
        let figures: [(String, T, String)] = [
            ("buildings", T("楼", "Buildings"), RegisterFormat.count(c.buildings)),
            ("dwellings", T("房屋", "Dwellings"), RegisterFormat.count(c.dwellings)),
            ("owners", T("业主", "Owners"), RegisterFormat.count(c.owners)),
            ("area", T("专有面积合计", "Exclusive area in all"), area(c.area_cm2, lang))
        ]
        return Layout.render(
            ctx, title: RegistryViews.pageTitle(c.name, title(lang)),
            RegistryViews.crumbs(
                m.crumbs, current: nil, then: [.li(.a(.href(SiteURL.registry(.compounds).path), .text(title(lang)))), .li(.text(c.name))]),
            .h1(.text(c.name), .text(" "), .span(.class("badge"), .id("compound-type"), .text(type(c, lang)))),
            .p(.id("compound-goal"), .strong(.text(T("治理目标：", "Governance goal: ")(lang))), .text(goal(c, lang))),
            .p(
                .class("muted"), .span(.class("mono"), .text(c.code)), .text(" · "), .text(c.address), .text(" · "),
                .a(.href(SiteURL.registry(.node(.value(c.grid_code))).path.attributeSafe), .text(c.grid_name))),
            .div(
                .class("grid-cards"), .id("compound-figures"),
                .forEach(figures) { figure in
                    .div(.class("stat"), .id("fig-\(figure.0)"), .div(.class("n"), .text(figure.2)), .div(.class("l"), .text(figure.1(lang))))
                }),
            .h2(.text(T("楼栋", "Buildings")(lang))),
            PageParts.table(
                id: "buildings",
                headers: [.init(T("楼", "Building")(lang)), .num(T("层数", "Floors")(lang)), .num(T("房屋", "Dwellings")(lang))],
                rows: m.buildings
            ) { b in
                .tr(
                    .td(.a(.href(SiteURL.registry(.node(.value(b.grid_code))).path.attributeSafe), .text(b.name))),
                    .td(.class("num"), .text(b.floors.map(String.init) ?? "—")),
                    .td(.class("num"), .text(RegisterFormat.count(b.dwellings))))
            },
            .h2(.text(T("房屋（共 \(RegisterFormat.count(m.dwellings.total)) 套）", "Dwellings (\(RegisterFormat.count(m.dwellings.total)))")(lang))),
            PageParts.table(
                id: "dwellings",
                headers: [
                    .init(T("房屋", "Dwelling")(lang)), .num(T("面积（登记 / 测绘 / 合同）", "Area (register / survey / contract)")(lang)),
                    .init(T("业主", "Owners")(lang))
                ],
                rows: m.dwellings.items
            ) { d in
                .tr(
                    .td(
                        .text("\(d.building_name) \(d.stairwell == "1" ? "" : d.stairwell + "-")\(d.room)"),
                        .if(
                            d.developer_held || d.unsold || d.undelivered,
                            .group(.br(), .span(.class("badge dwelling-flags"), .text(flags(d, lang)))))),
                    .td(
                        .class("num"), .text(area(d.area_register_cm2, lang)), .br(),
                        .span(.class("muted"), .text("\(area(d.area_surveyed_cm2, lang)) / \(area(d.area_contract_cm2, lang))"))),
                    .td(.text(d.owners.isEmpty ? "—" : d.owners)))
            },
            PageParts.pager(id: "dwellings-pager", page: m.page, pageSize: RegistryPages.pageSize, total: m.dwellings.total, lang: lang) {
                SiteURL.registry(.compound(.value(c.id))).path + "?page=\($0)"
            }
        )
    }

    static func flags(_ d: CompoundQueries.DwellingRow, _ lang: Lang) -> String {
        var parts: [String] = []
        if d.developer_held { parts.append(T("开发商持有", "developer-held")(lang)) }
        if d.unsold { parts.append(T("未售", "unsold")(lang)) }
        if d.undelivered { parts.append(T("未交付", "undelivered")(lang)) }
        return parts.joined(separator: lang == .zh ? "、" : ", ")
    }
}
