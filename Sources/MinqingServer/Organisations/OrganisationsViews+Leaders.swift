import Foundation
import MinqingDomain
import Plot
import Vapor

/// `/organisations/building-group-leaders`: the current building-group leaders (楼组长) in scope,
/// narrowed to a grid area, and the form to record one: find the person by name, choose them,
/// the start date. Grid staff, as the API's rule. See OrganisationsWritePages.
extension OrganisationsViews {
    struct LeadersModel {
        var leaders: [LeaderRow]
        /// The most rows shown (`leaders` holds one more when there are more).
        var limit: Int
        /// The grid areas to narrow the list to (down to micro-grids).
        var areas: [OrganisationsQueries.NodeChoice]
        var area: String
        var candidates: [OrganisationsQueries.PersonChoice]?
        var search: String?
        var error: AppError? = nil
        var form: [String: String] = [:]
        var flash: String? = nil
    }

    static func leaders(_ m: LeadersModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let shown = Array(m.leaders.prefix(m.limit))
        return Layout.render(
            ctx, title: T("楼组长", "Building-group leaders")(lang), status: status,
            .p(.a(.href(SiteURL.organisations(.index).path), .text(T("← 组织力工程", "← Organisations")(lang)))),
            .h1(.text(T("楼组长", "Building-group leaders")(lang))),
            PageParts.errorBox(m.error, lang, id: "leaders-error"),
            flash(m.flash, lang),
            .form(
                .id("leaders-filter"), .class("stack"), .method(.get), .action(SiteURL.organisations(.buildingGroupLeaders).path),
                choice(
                    "node", T("网格", "Grid area"), lang, error: nil, idPrefix: "filter-",
                    options: nodeOptions(Array(m.areas.prefix(m.limit)), first: T("（全部）", "(all)")(lang), lang: lang), selected: m.area),
                .button(.type(.submit), .class("small"), .text(T("查看", "Show")(lang)))),
            shown.isEmpty
                ? .p(.class("muted"), .id("leaders"), .text(T("暂无楼组长。", "No building-group leaders.")(lang)))
                : .ul(
                    .class("rows"), .id("leaders"),
                    .forEach(shown) { l in
                        .li(
                            .class("leader"), .strong(.text(l.name)),
                            .text(" · \(l.grid_name) · " + T("自 \(l.starts_on)", "since \(l.starts_on)")(lang)))
                    }),
            .if(
                m.leaders.count > m.limit,
                .p(
                    .class("muted"), .id("leaders-more"),
                    .text(T("只列出前 \(m.limit) 位，请选择网格缩小范围。", "Only the first \(m.limit) are listed; choose a grid area to narrow it.")(lang)))),
            leaderForm(m, ctx: ctx))
    }

    static func leaderForm(_ m: LeadersModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let found = m.candidates ?? []
        let search: Node<HTML.BodyContext> = .form(
            .class("stack"), .id("leader-search"), .method(.get), .action(SiteURL.organisations(.buildingGroupLeaders).path),
            .label(.for("who"), .text(T("按姓名查找人口库中的居民", "Find a person of the register by name")(lang))),
            .input(.id("who"), .name("who"), .type(.search), .value((m.search ?? "").attributeSafe), .attribute(named: "maxlength", value: "20")),
            .button(.type(.submit), .class("small"), .id("leader-search-submit"), .text(T("查找", "Find")(lang))))
        let body: Node<HTML.BodyContext>
        if m.candidates == nil && m.error == nil {
            body = .p(.class("muted"), .id("leader-hint"), .text(T("先按姓名查找，再选择居民登记为楼组长。", "Find the person by name first, then record them.")(lang)))
        } else if found.isEmpty && m.error == nil {
            body = .p(.class("muted"), .id("no-leader-candidates"), .text(T("没有找到可登记的居民。", "Nobody found to record.")(lang)))
        } else {
            body = .form(
                .id("leader-add"), .class("stack"), .method(.post), .action(SiteURL.organisations(.buildingGroupLeaders).path),
                Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("who"), .value((m.search ?? "").attributeSafe)),
                choice(
                    "person_id", T("居民（就任其所在楼组）", "Person (leads their own building group)"), lang, error: m.error, idPrefix: "leader-",
                    options: [("", T("请选择", "Choose")(lang))] + found.map { ($0.id.uuidString, "\($0.name) · \($0.grid_name)") },
                    selected: m.form["person_id"] ?? ""),
                input(
                    "starts_on", T("开始日期（默认今天）", "Starts on (default today)"), lang, error: m.error, idPrefix: "leader-", type: .date,
                    value: m.form["starts_on"] ?? ""),
                .button(.type(.submit), .id("leader-add-submit"), .text(T("登记", "Record")(lang))))
        }
        return .group(.h2(.text(T("登记楼组长", "Record a building-group leader")(lang))), search, body)
    }
}
