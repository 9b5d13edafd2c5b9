import Foundation
import MinqingDomain
import Plot
import Vapor

/// 居民账号关联户: the resident accounts in scope (their names masked, those not yet linked first)
/// and one account's page, where the household is picked from those registered at the
/// resident's building group. Phone-first: one column, big choices, no typed ids.
extension VisitsViews {
    struct ResidentsModel {
        var rows: [VisitsQueries.ResidentAccountRow]
        var total: Int
        var page: Int
        var pageSize: Int
        var query: String
        var unlinkedOnly: Bool
    }

    static func residents(_ m: ResidentsModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let list: Node<HTML.BodyContext> =
            m.rows.isEmpty
            ? .p(.class("muted"), .id("resident-list"), .text(T("没有找到居民账号。", "No resident accounts found.")(lang)))
            : .ul(
                .class("rows"), .id("resident-list"),
                .forEach(m.rows) { residentRow($0, lang: lang) })
        return Layout.render(
            ctx, title: T("居民账号关联户", "Residents' households")(lang),
            subnav(ctx),
            .h1(.text(T("居民账号关联户", "Residents' households")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "居民注册账号后，在这里把账号关联到其所在的户；关联后即可预约走访。",
                        "Link a resident's account to their household here; then they can book visits.")(lang))),
            .div(
                .class("card"),
                .form(
                    .id("resident-search"), .class("stack"), .method(.get), .action(SiteURL.visits(.residents).path),
                    .label(.for("q"), .text(T("按姓名或用户名查找", "Find by name or username")(lang))),
                    .input(.id("q"), .name("q"), .type(.search), .value(m.query.attributeSafe)),
                    .label(
                        .class("check"), .for("unlinked"),
                        .input(.type(.checkbox), .id("unlinked"), .name("unlinked"), .value("1"), .checked(m.unlinkedOnly)),
                        .span(.text(T("只看未关联的", "Only those not linked")(lang)))),
                    .button(.type(.submit), .text(T("查找", "Search")(lang))))),
            list,
            PageParts.pager(id: "resident-pager", page: m.page, pageSize: m.pageSize, total: m.total, lang: lang) { n in
                SiteURL.visits(.residents).path([("q", m.query), ("unlinked", m.unlinkedOnly ? "1" : ""), ("page", String(n))])
            })
    }

    /// One resident account: the masked name (to its page), the building group, whether linked.
    private static func residentRow(_ r: VisitsQueries.ResidentAccountRow, lang: Lang) -> Node<HTML.ListContext> {
        let badge: Node<HTML.BodyContext> =
            r.address == nil
            ? .span(.class("badge bad"), .text(T("未关联户", "Not linked")(lang)))
            : .span(.class("badge ok"), .text(T("已关联", "Linked")(lang)))
        return .li(
            .id("resident-\(r.username)".attributeSafe),
            .a(.class("pick"), .href(SiteURL.visits(.resident(.value(r.username))).path.attributeSafe), .text(r.name)),
            .text(" · \(r.grid_name) "), badge,
            .unwrap(r.address) { address in .group(.br(), .span(.class("muted"), .text(address))) })
    }

    struct ResidentModel {
        var account: VisitsQueries.ResidentAccountRow
        var households: [VisitsQueries.GroupHousehold]
        /// The address search within the building group.
        var query: String
        var limit: Int
        /// The household chosen (as posted, else the linked one).
        var chosen: String?
        var error: AppError?
        var saved: Bool
    }

    static func resident(_ m: ResidentModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let a = m.account
        let path = SiteURL.visits(.resident(.value(a.username))).path
        return Layout.render(
            ctx, title: T("关联户", "Link a household")(lang), status: status,
            subnav(ctx),
            .p(.a(.href(SiteURL.visits(.residents).path), .text(T("‹ 居民账号", "‹ Resident accounts")(lang)))),
            .h1(.text(T("关联户：\(a.name)", "Household of \(a.name)")(lang))),
            .if(
                m.saved,
                .div(
                    .class("flash-ok"), .id("resident-saved"), .attribute(named: "role", value: "status"),
                    .text(T("已关联。", "Linked.")(lang)))),
            .div(
                .class("card"), .id("resident-account"),
                .p(.strong(.text(a.name)), .text(" · \(a.grid_name)")),
                .p(
                    .id("resident-household"),
                    .text(T("现关联：", "Linked to: ")(lang) + (a.address ?? T("尚未关联", "nothing yet")(lang))))),
            PageParts.errorBox(m.error, lang, id: "resident-error"),
            .form(
                .id("household-filter"), .class("stack"), .method(.get), .action(path.attributeSafe),
                .label(.for("q"), .text(T("在本楼组按地址查找", "Find in this building group by address")(lang))),
                .input(.id("q"), .name("q"), .type(.search), .value(m.query.attributeSafe), .placeholder(T("如：101 室", "e.g. 101")(lang))),
                .button(.type(.submit), .text(T("查找", "Search")(lang)))),
            householdChoice(m, action: path, ctx: ctx))
    }

    /// The households to choose from as big radio choices, the chosen one checked, and the reason
    /// beside them when the link failed.
    private static func householdChoice(_ m: ResidentModel, action: String, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard !m.households.isEmpty else {
            return .group(
                .p(
                    .class("muted"), .id("household-empty"),
                    .text(T("本楼组没有找到登记的户，请先在居民库登记。", "No household registered here was found; register it first.")(lang))),
                PageParts.fieldError(m.error, "household_id", lang: lang))
        }
        let chosen = m.chosen.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        return .form(
            .id("resident-form"), .class("stack"), .method(.post), .action(action.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .fieldset(
                .class("choices"), .id("household-choices"),
                .element(named: "legend", text: T("选择居民所在的户", "Choose the resident's household")(lang)),
                .forEach(m.households) { h in
                    .label(
                        .class("choice"), .for("household-\(h.id.uuidString)"),
                        .input(
                            .type(.radio), .id("household-\(h.id.uuidString)"), .name("household_id"), .value(h.id.uuidString),
                            .checked(chosen == h.id)),
                        .span(
                            .strong(.text(h.address)), .br(),
                            .span(.class("muted"), .text(h.head_name.map { T("户主 \($0)", "Head: \($0)")(lang) } ?? ""))))
                },
                PageParts.fieldError(m.error, "household_id", lang: lang)),
            .if(
                m.households.count >= m.limit,
                .p(
                    .class("muted"),
                    .text(T("只列出前 \(m.limit) 户，请按地址查找。", "Only the first \(m.limit) are listed; search by address.")(lang)))),
            .button(.type(.submit), .id("link-household"), .class("wide"), .text(T("关联到所选的户", "Link to the chosen household")(lang))))
    }
}
