import Foundation
import MinqingDomain
import Plot
import Vapor

/// The members and posts of the organisation page: each current member with the buttons to end
/// the membership (on a date, default today) and to record the 亮身份 choice; the form to add a
/// member found by name; the posts and the form to set one up. Managers of an open organisation
/// see the forms.
extension OrganisationsViews {
    static func membersBlock(_ m: DetailModel, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard let members = m.members else {
            return .p(
                .class("muted"), .id("members-hidden"),
                .text(
                    T(
                        "党组织成员属于敏感个人信息（个人信息保护法第二十八条），您的角色无权查看。",
                        "Party membership is sensitive personal information (PIPL art. 28); your role may not see it.")(lang)))
        }
        return .group(
            members.isEmpty
                ? .p(.class("muted"), .id("members"), .text(T("暂无成员。", "No members.")(lang)))
                : .ul(
                    .class("rows"), .id("members"),
                    .forEach(members) { p in
                        .li(
                            .class(p.ends_on == nil ? "member" : "member ended"), .id("member-\(p.id.uuidString)".attributeSafe),
                            .strong(.text(p.name)), .text(" · \(p.role.name(lang)) · \(p.starts_on)" + (p.ends_on.map { " – \($0)" } ?? "")),
                            .if(
                                p.shows_identity,
                                .span(.class("badge ok"), .text(T("亮身份", "Shows identity")(lang) + (p.shows_identity_on.map { " \($0)" } ?? "")))),
                            .if(m.manager && p.ends_on == nil, memberActions(m, p, organisation: organisation, ctx: ctx)))
                    }),
            .if(m.manager && m.detail.open, memberAddForm(m, organisation: organisation, ctx: ctx)))
    }

    /// A current member's two forms: end the membership on a date; show or stop showing the identity.
    static func memberActions(_ m: DetailModel, _ p: MemberRow, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let key = p.id.uuidString
        let error = m.error(of: "end:\(key)")
        let v = m.values(of: "end:\(key)")
        return .div(
            .class("actions"),
            .form(
                .class("inline"), .id("end-\(key)".attributeSafe), .method(.post),
                .action(SiteURL.organisations(.memberEnd(.value(organisation), .value(p.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                .label(.for("ends_on-\(key)".attributeSafe), .text(T("结束日期", "Ends on")(lang))),
                .input(.id("ends_on-\(key)".attributeSafe), .name("ends_on"), .type(.date), .value((v["ends_on"] ?? m.today).attributeSafe)),
                .button(.type(.submit), .class("small"), .id("end-submit-\(key)".attributeSafe), .text(T("结束任职", "End membership")(lang))),
                PageParts.fieldError(error, "ends_on", lang: lang)),
            .form(
                .class("inline"), .id("identity-\(key)".attributeSafe), .method(.post),
                .action(SiteURL.organisations(.memberIdentity(.value(organisation), .value(p.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("shows"), .value(p.shows_identity ? "false" : "true")),
                .button(
                    .type(.submit), .class("small"), .id("identity-submit-\(key)".attributeSafe),
                    .text(
                        p.shows_identity
                            ? T("不再亮身份", "Stop showing identity")(lang) : T("亮明身份（本人同意）", "Show identity (member's choice)")(lang)))))
    }

    /// Find a person of the register by name (a GET keeping the page), then add the one chosen.
    static func memberAddForm(_ m: DetailModel, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.error(of: "member")
        let v = m.values(of: "member")
        let roles = MemberRole.allCases.map { ($0.rawValue, $0.name(lang)) }
        let found = m.candidates ?? []
        let people = found.map { ($0.id.uuidString, "\($0.name) · \($0.grid_name)") }
        let search: Node<HTML.BodyContext> = .form(
            .class("stack"), .id("member-search"), .method(.get),
            .action(SiteURL.organisations(.detail(.value(organisation))).path.attributeSafe),
            .label(.for("who"), .text(T("按姓名查找人口库中的居民", "Find a person of the register by name")(lang))),
            .input(.id("who"), .name("who"), .type(.search), .value((m.search ?? "").attributeSafe), .attribute(named: "maxlength", value: "20")),
            .button(.type(.submit), .class("small"), .id("member-search-submit"), .text(T("查找", "Find")(lang))))
        if m.candidates == nil && error == nil {
            return .group(
                .h3(.text(T("加入成员", "Add a member")(lang))), search,
                .p(.class("muted"), .id("member-hint"), .text(T("先按姓名查找，再选择居民加入。", "Find the person by name first, then add them.")(lang))))
        }
        if found.isEmpty && error == nil {
            return .group(
                .h3(.text(T("加入成员", "Add a member")(lang))), search,
                .p(.class("muted"), .id("no-member-candidates"), .text(T("没有找到可加入的居民。", "Nobody found to add.")(lang))))
        }
        return .group(
            .h3(.text(T("加入成员", "Add a member")(lang))), search,
            .form(
                .id("member-add"), .class("stack"), .method(.post),
                .action(SiteURL.organisations(.members(.value(organisation))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("who"), .value((m.search ?? "").attributeSafe)),
                choice(
                    "person_id", T("居民", "Person"), lang, error: error, idPrefix: "member-",
                    options: [("", T("请选择", "Choose")(lang))] + people, selected: v["person_id"] ?? ""),
                choice("role", T("职务", "Role"), lang, error: error, idPrefix: "member-", options: roles, selected: v["role"] ?? "member"),
                input(
                    "starts_on", T("开始日期（默认今天）", "Starts on (default today)"), lang, error: error, idPrefix: "member-", type: .date,
                    value: v["starts_on"] ?? ""),
                .label(
                    .class("choice"), .for("member-shows_identity"),
                    .input(
                        .type(.checkbox), .id("member-shows_identity"), .name("shows_identity"), .value("true"),
                        .checked(v["shows_identity"] == "true")),
                    .text(T("本人同意亮明身份", "The member chooses to show their identity")(lang))),
                .button(.type(.submit), .id("member-add-submit"), .text(T("加入", "Add")(lang)))))
    }

    /// The organisation's posts and, for managers of an open organisation, the form to set one up
    /// at its grid area or one below.
    static func postsBlock(_ m: DetailModel, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.error(of: "post")
        let v = m.values(of: "post")
        let kinds = OrganisationPostKind.allCases.map { ($0.rawValue, $0.name(lang)) }
        return .group(
            .h2(.text(T("岗位（示范岗、责任区、突击队）", "Posts (model posts, responsibility areas, commando teams)")(lang))),
            m.posts.isEmpty
                ? .p(.class("muted"), .id("posts"), .text(T("暂无岗位。", "No posts yet.")(lang)))
                : .ul(
                    .class("rows"), .id("posts"),
                    .forEach(m.posts) { t in
                        .li(
                            .class("post"), .strong(.text(t.name)), .text(" · \(t.kind.name(lang)) · \(t.grid_name) · \(t.starts_on)"),
                            .text(t.ends_on.map { " – \($0)" } ?? ""),
                            .text(" · " + T("认领 \(t.claims)", "\(t.claims) claimed")(lang)),
                            .if(!t.mission.isEmpty, .group(.br(), .span(.class("muted"), .text(t.mission)))))
                    }),
            .if(
                m.manager && m.detail.open,
                .form(
                    .id("post-add"), .class("stack"), .method(.post),
                    .action(SiteURL.organisations(.posts(.value(organisation))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                    choice("kind", T("类型", "Kind"), lang, error: error, idPrefix: "post-", options: kinds, selected: v["kind"] ?? ""),
                    input(
                        "name", T("岗位名称", "Name of the post"), lang, error: error, idPrefix: "post-", value: v["name"] ?? "", required: true,
                        maxLength: 100),
                    textArea(
                        "mission", T("任务（突击队必填）", "Mission (required for a commando team)"), lang, error: error, idPrefix: "post-",
                        value: v["mission"] ?? ""),
                    nodeField(
                        "node", T("所在网格", "Grid area"), lang, error: error, idPrefix: "post-", nodes: m.nodes, limit: m.nodeLimit,
                        selected: v["node"] ?? m.detail.organisation.grid_code),
                    input(
                        "starts_on", T("开始日期（默认今天）", "Starts on (default today)"), lang, error: error, idPrefix: "post-", type: .date,
                        value: v["starts_on"] ?? ""),
                    input(
                        "ends_on", T("结束日期（可选）", "Ends on (optional)"), lang, error: error, idPrefix: "post-", type: .date,
                        value: v["ends_on"] ?? ""),
                    .button(.type(.submit), .id("post-add-submit"), .text(T("设立岗位", "Set up the post")(lang))))))
    }
}
