import Foundation
import MinqingDomain
import Plot
import Vapor

/// A unit's co-building file (`/cobuilding/units/{id}`): its lists, contracts with each
/// commitment's check buttons, points; and for the managers the forms to add to a list, sign a
/// contract and award points. See CoBuildingPages.
extension OrganisationsViews {
    /// How many commitment rows the contract form offers (a row left empty is not sent).
    static let commitmentRows = 3

    struct CoBuildingModel {
        var file: UnitCoBuilding
        /// The unit's registered in-service members, who may earn points too.
        var registrations: [DualRegistrationRow] = []
        /// The communities (grid areas down to residential areas) in scope.
        var nodes: [OrganisationsQueries.NodeChoice] = []
        var nodeLimit = 1_000
        var error: AppError? = nil
        /// Which form failed: `item`, `contract`, `points` or `check`.
        var failed: String? = nil
        var form: [String: String] = [:]
        var flash: String? = nil
        var today = ""

        func error(of name: String) -> AppError? { failed == name ? error : nil }
        func values(of name: String) -> [String: String] { failed == name ? form : [:] }
    }

    static func listName(_ raw: String, _ lang: Lang) -> String {
        switch raw {
        case "problem": T("问题清单", "Problems")(lang)
        case "resource": T("资源清单", "Resources")(lang)
        case "project": T("项目清单", "Projects")(lang)
        default: raw
        }
    }

    static func coBuilding(_ m: CoBuildingModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let c = m.file
        return Layout.render(
            ctx, title: c.unit.name, status: status,
            .p(.a(.href(SiteURL.dual(.index).path), .text(T("← 双报到", "← Dual registration")(lang)))),
            .h1(.text(T("共建档案：\(c.unit.name)", "Co-building: \(c.unit.name)")(lang))),
            PageParts.errorBox(m.error, lang, id: "cobuilding-error"),
            flash(m.flash, lang),
            .h2(.text(T("清单", "Lists")(lang))),
            c.items.isEmpty
                ? .p(.class("muted"), .id("items"), .text(T("暂无清单。", "No lists yet.")(lang)))
                : .ul(
                    .class("rows"), .id("items"),
                    .forEach(c.items) { i in
                        .li(
                            .span(.class("badge"), .text(listName(i.list_kind, lang))), .text(" "), .strong(.text(i.title)),
                            .if(!i.detail.isEmpty, .group(.br(), .span(.class("muted"), .text(i.detail)))))
                    }),
            itemForm(m, ctx: ctx),
            .h2(.text(T("共建契约", "Contracts")(lang))),
            .ul(.class("rows"), .id("contracts"), .forEach(c.contracts) { contractRow($0, ctx: ctx) }),
            contractForm(m, ctx: ctx),
            .h2(.text(T("积分", "Points")(lang))),
            .p(.id("points-total"), .strong(.text(T("合计 \(c.points_total) 分", "Total \(c.points_total) points")(lang)))),
            .ul(
                .class("rows"), .id("points"),
                .forEach(c.points) { p in
                    .li(
                        .strong(.text("\(p.points > 0 ? "+" : "")\(p.points)")), .text(" · \(p.earned_on) · \(p.explanation)"), .br(),
                        .span(.class("muted"), .text(p.reason)))
                }),
            pointsForm(m, ctx: ctx))
    }

    /// A contract with its commitments; an unchecked one has the two buttons of its check.
    static func contractRow(_ k: CoBuildContractRow, ctx: PageContext) -> Node<HTML.ListContext> {
        let lang = ctx.lang
        return .li(
            .strong(.text(k.title)), .text(" · \(k.community) · \(k.starts_on) – \(k.ends_on)"),
            .ul(
                .forEach(k.commitments) { m in
                    .li(
                        .class("commitment"), .id("commitment-\(m.id.uuidString)".attributeSafe),
                        .text((m.side == "unit" ? T("单位承诺：", "Unit: ") : T("社区承诺：", "Community: "))(lang) + m.content + " · \(m.due_on) "),
                        .span(
                            .class(m.delivered == nil ? "badge" : (m.delivered == true ? "badge ok" : "badge bad")),
                            .text(
                                m.delivered == nil
                                    ? T("待核验", "To check")(lang)
                                    : (m.delivered == true ? T("已兑现", "Delivered")(lang) : T("未兑现", "Missed")(lang)))),
                        .if(
                            m.delivered == nil,
                            .form(
                                .class("inline"), .method(.post),
                                .action(SiteURL.cobuilding(.commitmentCheck(.value(m.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                                .button(
                                    .type(.submit), .class("small"), .name("delivered"), .value("true"),
                                    .id("delivered-\(m.id.uuidString)".attributeSafe), .text(T("已兑现", "Delivered")(lang))),
                                .button(
                                    .type(.submit), .class("small"), .name("delivered"), .value("false"),
                                    .id("missed-\(m.id.uuidString)".attributeSafe), .text(T("未兑现", "Missed")(lang))))))
                }))
    }

    static func itemForm(_ m: CoBuildingModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.error(of: "item")
        let v = m.values(of: "item")
        let lists = OrganisationsService.listKinds.map { ($0, listName($0, lang)) }
        return .form(
            .id("item-add"), .class("stack"), .method(.post), .action(SiteURL.cobuilding(.items(.value(m.file.unit.id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h3(.text(T("加入清单", "Add to a list")(lang))),
            choice("list_kind", T("清单", "List"), lang, error: error, idPrefix: "item-", options: lists, selected: v["list_kind"] ?? ""),
            input("title", T("标题", "Title"), lang, error: error, idPrefix: "item-", value: v["title"] ?? "", required: true, maxLength: 200),
            textArea("detail", T("内容（可选）", "Details (optional)"), lang, error: error, idPrefix: "item-", value: v["detail"] ?? ""),
            communityField(m, error: error, idPrefix: "item-", selected: v["node"] ?? "", lang: lang),
            .button(.type(.submit), .id("item-add-submit"), .text(T("加入", "Add")(lang))))
    }

    static func communityField(_ m: CoBuildingModel, error: AppError?, idPrefix: String, selected: String, lang: Lang) -> Node<HTML.FormContext> {
        nodeField(
            "node", T("社区（默认本级）", "Community (default your own)"), lang, error: error, idPrefix: idPrefix, nodes: m.nodes,
            limit: m.nodeLimit, selected: selected, first: T("（本级）", "(your own)")(lang))
    }

    /// The contract's title, community and period, then up to `commitmentRows` commitments (who
    /// commits, what, by when); the errors of a row stand beside it.
    static func contractForm(_ m: CoBuildingModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.error(of: "contract")
        let v = m.values(of: "contract")
        let sides = [("unit", T("驻区单位", "The unit")(lang)), ("community", T("社区", "The community")(lang))]
        return .form(
            .id("contract-add"), .class("stack"), .method(.post),
            .action(SiteURL.cobuilding(.contracts(.value(m.file.unit.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
            .h3(.text(T("签订共建契约", "Sign a contract")(lang))),
            input("title", T("契约名称", "Title"), lang, error: error, idPrefix: "contract-", value: v["title"] ?? "", required: true, maxLength: 200),
            communityField(m, error: error, idPrefix: "contract-", selected: v["node"] ?? "", lang: lang),
            input(
                "starts_on", T("开始日期（默认今天）", "Starts on (default today)"), lang, error: error, idPrefix: "contract-", type: .date,
                value: v["starts_on"] ?? ""),
            input(
                "ends_on", T("结束日期（默认一年）", "Ends on (default a year)"), lang, error: error, idPrefix: "contract-", type: .date,
                value: v["ends_on"] ?? ""),
            .forEach(0..<commitmentRows) { n in
                .fieldset(
                    .class("commitment-row"), .id("commitment-row-\(n)"),
                    .element(named: "legend", text: T("承诺 \(n + 1)", "Commitment \(n + 1)")(lang)),
                    choice(
                        "side_\(n)", T("承诺方", "Who commits"), lang, error: nil, idPrefix: "contract-", options: sides,
                        selected: v["side_\(n)"] ?? (n == 0 ? "unit" : "community")),
                    input(
                        "content_\(n)", T("承诺内容", "What"), lang, error: nil, idPrefix: "contract-", value: v["content_\(n)"] ?? "",
                        required: n == 0, maxLength: 500),
                    input(
                        "due_on_\(n)", T("兑现期限（默认契约结束）", "Due (default the contract's end)"), lang, error: nil, idPrefix: "contract-",
                        type: .date, value: v["due_on_\(n)"] ?? ""),
                    PageParts.fieldError(error, "commitments[\(n)]", lang: lang))
            },
            .button(.type(.submit), .id("contract-add-submit"), .text(T("签订", "Sign")(lang))))
    }

    /// Points under a published rule, to the unit itself or one of its registered members.
    static func pointsForm(_ m: CoBuildingModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.error(of: "points")
        let v = m.values(of: "points")
        let holders =
            [("", T("本单位：\(m.file.unit.name)", "The unit: \(m.file.unit.name)")(lang))]
            + m.registrations.map { ($0.id.uuidString, T("报到党员：", "Member: ")(lang) + "\($0.member_name) · \($0.community_name)") }
        let rules = CoBuildingPoints.rules.map { r in
            (r.code, lang == .zh ? "\(r.nameZH)（\(r.points) 分，\(r.perZH)）" : "\(r.nameEN) (\(r.points), \(r.perEN))")
        }
        return .form(
            .id("points-add"), .class("stack"), .method(.post), .action(SiteURL.cobuilding(.points(.value(m.file.unit.id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h3(.text(T("记积分", "Award points")(lang))),
            choice("registration_id", T("记给", "To"), lang, error: error, idPrefix: "points-", options: holders, selected: v["registration_id"] ?? ""),
            PageParts.fieldError(error, "service_unit_id", lang: lang),
            choice("rule", T("积分规则", "Rule"), lang, error: error, idPrefix: "points-", options: rules, selected: v["rule"] ?? ""),
            input(
                "quantity", T("数量", "Quantity"), lang, error: error, idPrefix: "points-", type: .number, value: v["quantity"] ?? "1", required: true),
            input("reason", T("事由", "Reason"), lang, error: error, idPrefix: "points-", value: v["reason"] ?? "", required: true, maxLength: 500),
            input(
                "earned_on", T("日期（默认今天）", "Date (default today)"), lang, error: error, idPrefix: "points-", type: .date,
                value: v["earned_on"] ?? ""),
            .button(.type(.submit), .id("points-add-submit"), .text(T("记入", "Record")(lang))))
    }
}
