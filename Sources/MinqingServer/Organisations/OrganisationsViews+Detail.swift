import Foundation
import MinqingDomain
import Plot
import Vapor

/// The organisation page (`/organisations/{id}`): details, members with their forms, posts,
/// sub-organisations, history, terms and the change form. See OrganisationsPages.
extension OrganisationsViews {
    struct DetailModel {
        var detail: OrganisationDetail
        var members: [MemberRow]?
        var manager: Bool
        var error: AppError?
        var flash: String?
        /// Which form failed: `member`, `post`, `change`, `term`, or `end:<member id>`: its errors and
        /// the values it held are shown in it only.
        var failed: String? = nil
        var form: [String: String] = [:]
        /// The organisation's posts (示范岗, 责任区, 突击队).
        var posts: [PostRow] = []
        /// Persons found by name for the member form (nil before a search).
        var candidates: [OrganisationsQueries.PersonChoice]? = nil
        var search: String? = nil
        /// The grid areas at and below the organisation's, for the post form.
        var nodes: [OrganisationsQueries.NodeChoice] = []
        var nodeLimit = 1_000
        /// The organisations it may be moved under.
        var parents: [OrganisationsQueries.OrganisationChoice] = []
        /// Today (Asia/Shanghai), the default of the end-membership forms.
        var today = ""

        /// The error of the form `name` when it is the one that failed.
        func error(of name: String) -> AppError? { failed == name ? error : nil }
        /// What the form `name` held when it failed.
        func values(of name: String) -> [String: String] { failed == name ? form : [:] }
    }

    static func actionName(_ raw: String, _ lang: Lang) -> String {
        switch raw {
        case "created": T("成立", "Created")(lang)
        case "renamed": T("更名", "Renamed")(lang)
        case "moved": T("调整隶属", "Parent changed")(lang)
        case "closed": T("撤销", "Closed")(lang)
        case "new_term": T("换届", "New term")(lang)
        default: raw
        }
    }

    static func detail(_ m: DetailModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let o = m.detail.organisation
        return Layout.render(
            ctx, title: o.name, status: status,
            .p(.a(.href(SiteURL.organisations(.index).path), .text(T("← 组织力工程", "← Organisations")(lang)))),
            .h1(.text(o.name)),
            PageParts.errorBox(m.error, lang, id: "organisations-error"),
            flash(m.flash, lang),
            .div(
                .class("card"), .id("org-info"),
                .p(.text("\(o.kind.name(lang)) · \(o.basis.name(lang)) · \(o.grid_name) (\(o.grid_code))")),
                .unwrap(o.parent_name) { .p(.text(T("上级：", "Parent: ")(lang) + $0)) },
                .unwrap(o.unit_name) { .p(.text(T("单位：", "Unit: ")(lang) + $0)) },
                .if(!o.purpose.isEmpty, .p(.text(T("目的：", "Purpose: ")(lang) + o.purpose))),
                .p(
                    .text(
                        T("成立：", "Since: ")(lang) + o.starts_on
                            + (o.ends_on.map { " · " + T("计划结束：", "planned end: ")(lang) + $0 } ?? "")
                            + (o.term_ends_on.map { " · " + T("本届任期至：", "term ends: ")(lang) + $0 } ?? ""))),
                .p(
                    .id("org-state"),
                    .span(
                        .class(m.detail.open ? "badge ok" : "badge bad"),
                        .text(m.detail.open ? T("运行中", "Open")(lang) : T("已撤销", "Closed")(lang) + (o.closed_on.map { " \($0)" } ?? ""))))),
            .h2(.text(T("成员", "Members")(lang))),
            membersBlock(m, organisation: o.id, ctx: ctx),
            postsBlock(m, organisation: o.id, ctx: ctx),
            .if(
                !m.detail.children.isEmpty,
                .group(
                    .h2(.text(T("下级组织", "Sub-organisations")(lang))),
                    .ul(
                        .class("rows"), .id("children"),
                        .forEach(m.detail.children) { c in
                            .li(
                                .a(.href(SiteURL.organisations(.detail(.value(c.id))).path.attributeSafe), .text(c.name)),
                                .text(" · \(c.kind.name(lang))"))
                        }))),
            .h2(.text(T("变更记录", "History")(lang))),
            .ul(
                .class("rows"), .id("history"),
                .forEach(m.detail.history) { h in
                    .li(
                        .strong(.text(actionName(h.action, lang))),
                        .text(" · \(LocalTime.short(h.created_at)) · \(h.actor_name)"), .br(),
                        .span(.class("muted"), .text([h.old_value, h.new_value].compactMap { $0 }.joined(separator: " → ") + " · " + h.reason)))
                }),
            termsBlock(m, organisation: o.id, ctx: ctx),
            .if(m.manager && m.detail.open, changeForm(m, organisation: o.id, ctx: ctx)))
    }

    /// The terms (换届) so far and, for managers of an open organisation with terms, the form to
    /// elect the next: the day, a note, and the role of each current member in the new term.
    static func termsBlock(_ m: DetailModel, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let o = m.detail.organisation
        let hasTerms = o.kind.termYears != nil
        guard hasTerms else { return .empty }
        let current = (m.members ?? []).filter { $0.ends_on == nil }
        let error = m.error(of: "term")
        let v = m.values(of: "term")
        return .group(
            .h2(.text(T("任期与换届", "Terms and re-election")(lang))),
            m.detail.terms.isEmpty
                ? .p(
                    .class("muted"), .id("terms"),
                    .text(
                        T("第 1 届：\(o.starts_on) 起", "Term 1: from \(o.starts_on)")(lang)
                            + (o.term_ends_on.map { T("，至 \($0)", ", to \($0)")(lang) } ?? "")))
                : .ul(
                    .class("rows"), .id("terms"),
                    .forEach(m.detail.terms) { t in
                        .li(
                            .class(t.closed_on == nil ? "term current" : "term"),
                            .strong(.text(T("第 \(t.seq) 届", "Term \(t.seq)")(lang))),
                            .text(" · \(t.starts_on) – " + (t.closed_on ?? t.ends_on ?? "")),
                            .if(t.closed_on == nil, .span(.class("badge ok"), .text(T("本届", "Current")(lang)))), .br(),
                            .span(.class("muted"), .text("\(t.reason) · \(t.created_by)")))
                    }),
            .if(
                m.manager && m.detail.open,
                .form(
                    .id("org-term"), .class("stack"), .method(.post), .action(SiteURL.organisations(.terms(.value(organisation))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    input(
                        "elected_on", T("换届选举日期", "Election day"), lang, error: error, idPrefix: "term-", type: .date,
                        value: v["elected_on"] ?? m.today, required: true),
                    input("reason", T("说明（可选）", "Note (optional)"), lang, error: error, idPrefix: "term-", value: v["reason"] ?? "", maxLength: 500),
                    .if(
                        !current.isEmpty && current.count <= 60,
                        .group(
                            .p(
                                .class("muted"),
                                .text(
                                    T(
                                        "新一届职务（未选者：书记、副书记、委员转为成员，其余不变）",
                                        "Roles in the new term (if left empty: secretaries and committee members become members, others keep theirs)")(
                                            lang))),
                            .forEach(current) { p in
                                .group(
                                    .label(.for("role-\(p.id.uuidString)".attributeSafe), .text("\(p.name) · \(p.role.name(lang))")),
                                    .select(
                                        .attribute(named: "id", value: "role-\(p.id.uuidString)".attributeSafe),
                                        .attribute(named: "name", value: "role[\(p.id.uuidString)]".attributeSafe),
                                        .option(.value(""), .label(T("（按默认）", "(default)")(lang))),
                                        .forEach(MemberRole.allCases) { role in
                                            .option(
                                                .value(role.rawValue), .label(role.name(lang)),
                                                .isSelected(v["role[\(p.id.uuidString)]"] == role.rawValue))
                                        }))
                            },
                            PageParts.fieldError(error, "roles", lang: lang))),
                    .button(.type(.submit), .id("org-term-submit"), .text(T("记录换届", "Record the re-election")(lang))))))
    }

    /// Rename, move (a new parent chosen by name) or close, with a reason.
    static func changeForm(_ m: DetailModel, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.error(of: "change")
        let v = m.values(of: "change")
        let actions = [("rename", T("更名", "Rename")(lang)), ("move", T("调整隶属", "Change parent")(lang)), ("close", T("撤销", "Close")(lang))]
        let parents =
            [("", T("（无上级）", "(none)")(lang))]
            + m.parents.filter { $0.id != organisation }.map { ($0.id.uuidString, "\($0.name)（\($0.kind.name(lang))）") }
        return .group(
            .h2(.text(T("变更", "Change")(lang))),
            .form(
                .id("org-change"), .class("stack"), .method(.post),
                .action(SiteURL.organisations(.changes(.value(organisation))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                choice("action", T("变更类型", "Change"), lang, error: error, idPrefix: "change-", options: actions, selected: v["action"] ?? ""),
                input("name", T("新名称（更名时）", "New name (to rename)"), lang, error: error, idPrefix: "change-", value: v["name"] ?? "", maxLength: 100),
                choice(
                    "parent_id", T("新上级组织（调整隶属时）", "New parent (to change the parent)"), lang, error: error, idPrefix: "change-",
                    options: parents, selected: v["parent_id"] ?? ""),
                input(
                    "closed_on", T("撤销日期（撤销时，默认今天）", "Closed on (to close; default today)"), lang, error: error, idPrefix: "change-",
                    type: .date, value: v["closed_on"] ?? ""),
                input("reason", T("原因", "Reason"), lang, error: error, idPrefix: "change-", value: v["reason"] ?? "", required: true, maxLength: 500),
                .button(.type(.submit), .id("org-change-submit"), .text(T("记录变更", "Record the change")(lang)))))
    }
}
