import Foundation
import MinqingDomain
import Plot
import Vapor

/// The staff's activity and team pages (see ServicesPages+Volunteers): one column, a big button
/// per person, people by their (masked) names.
extension ServicesViews {
    struct ActivityModel {
        var activity: VolunteerService.Row
        var signups: [ServicesQueries.Signup]
        var query: String
        var error: AppError?
        /// The person whose check-in was refused.
        var failed: String?
        var flash: String?
    }

    /// A search box by name that keeps the page (`action`), phone-sized.
    static func nameSearch(_ action: String, query: String, id: String, lang: Lang) -> Node<HTML.BodyContext> {
        .form(
            .id(id.attributeSafe), .class("stack"), .method(.get), .action(action.attributeSafe),
            .label(.for("\(id)-q".attributeSafe), .text(T("按姓名查找", "Find by name")(lang))),
            .input(.id("\(id)-q".attributeSafe), .name("q"), .type(.search), .value(query.attributeSafe)),
            .button(.type(.submit), .class("small"), .text(T("查找", "Search")(lang))))
    }

    /// The activity, then each person signed up with a check-in button until they are checked in.
    static func activity(_ m: ActivityModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let a = m.activity
        let path = SiteURL.services(.activity(.value(a.id))).path
        let waiting = m.signups.filter { $0.status == "signed_up" }.count
        return Layout.render(
            ctx, title: a.title, status: status,
            .p(.a(.href(SiteURL.services(.index).path), .text(T("← 约空间与志愿服务", "← Spaces and volunteering")(lang)))),
            .h1(.text(a.title)),
            .p(
                .class("muted"),
                .text(
                    "\(a.team) · \(LocalTime.span(a.starts_at, a.ends_at)) · \(a.place) · "
                        + T("每人记 \(amountText(Int64(a.minutes), .minutes, lang))", "\(amountText(Int64(a.minutes), .minutes, lang)) each")(lang))),
            .p(.id("activity-counts"), .text(T("已报名 \(a.signed_up) 人，待签到 \(waiting) 人", "\(a.signed_up) signed up, \(waiting) to check in")(lang))),
            .unwrap(m.flash) { _ in
                .div(
                    .class("flash-ok"), .id("activity-done"), .attribute(named: "role", value: "status"),
                    .text(T("已签到，时长已记入。", "Checked in; the time is credited.")(lang)))
            },
            PageParts.errorBox(m.error, lang, id: "activity-error"),
            nameSearch(path, query: m.query, id: "signup-search", lang: lang),
            m.signups.isEmpty
                ? .p(.class("muted"), .id("signups"), .text(T("还没有人报名。", "Nobody has signed up.")(lang)))
                : .ul(
                    .class("rows"), .id("signups"),
                    .forEach(m.signups) { s in signupRow(s, m, ctx: ctx) }))
    }

    /// One person signed up: their name, and the check-in button or when they checked in.
    static func signupRow(_ s: ServicesQueries.Signup, _ m: ActivityModel, ctx: PageContext) -> Node<HTML.ListContext> {
        let lang = ctx.lang
        let checked = s.status == "checked_in"
        return .li(
            .id("signup-\(s.username)".attributeSafe),
            .strong(.text(s.name)), .text(lang == .zh ? "（\(s.role.nameZH)）· \(s.grid_name)" : " (\(s.role.nameEN)) · \(s.grid_name)"),
            .div(
                .class("actions"),
                checked
                    ? .span(
                        .class("badge ok"),
                        .text(T("已签到", "Checked in")(lang) + (s.checked_in_at.map { " " + LocalTime.short($0) } ?? "")))
                    : .form(
                        .class("inline"), .method(.post), .action(SiteURL.services(.activityCheckIn(.value(m.activity.id))).path.attributeSafe),
                        Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("username"), .value(s.username.attributeSafe)),
                        .input(.type(.hidden), .name("q"), .value(m.query.attributeSafe)),
                        .button(.type(.submit), .id("check-in-\(s.username)".attributeSafe), .text(T("签到", "Check in")(lang))))),
            .if(m.failed == s.username, PageParts.fieldError(m.error, "username", lang: lang)))
    }

    struct TeamModel {
        var team: TeamService.Row
        var members: [ServicesQueries.TeamMemberName]
        /// The residents and volunteers in scope to add, found by name.
        var choices: [ServicesQueries.PersonChoice]
        var query: String
        var error: AppError?
        var form: [String: String]
        /// `add` or `leave:<username>`.
        var failed: String?
        var flash: String?
    }

    static func teamRole(_ role: String, _ lang: Lang) -> String {
        role == "leader" ? T("队长", "Leader")(lang) : T("队员", "Member")(lang)
    }

    /// The team, its current members (each with a leave button), former members, and the form adding one.
    static func team(_ m: TeamModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let current = m.members.filter { $0.left_on == nil }, former = m.members.filter { $0.left_on != nil }
        return Layout.render(
            ctx, title: m.team.name, status: status,
            .p(.a(.href(SiteURL.services(.manage).path), .text(T("← 服务设置", "← Set up services")(lang)))),
            .h1(.text(m.team.name)),
            .p(.class("muted"), .text("\(m.team.kind) · \(m.team.grid_code) · " + T("\(current.count) 人", "\(current.count) members")(lang))),
            .unwrap(m.flash) { code in
                .div(
                    .class("flash-ok"), .id("team-done"), .attribute(named: "role", value: "status"),
                    .text((code == "left" ? T("已退出。", "Left the team.") : T("已加入。", "Added.")).callAsFunction(lang)))
            },
            PageParts.errorBox(m.error, lang, id: "team-error"),
            .h2(.text(T("队员", "Members")(lang))),
            current.isEmpty
                ? .p(.class("muted"), .id("members"), .text(T("还没有队员。", "No members yet.")(lang)))
                : .ul(.class("rows"), .id("members"), .forEach(current) { p in memberRow(p, m, ctx: ctx) }),
            .if(
                !former.isEmpty,
                .details(
                    .summary(.text(T("已退出（\(former.count)）", "Former members (\(former.count))")(lang))),
                    .ul(
                        .class("rows"), .id("former-members"),
                        .forEach(former) { p in
                            .li(.text(p.name + " · " + teamRole(p.role, lang) + " · \(p.joined_on) – \(p.left_on ?? "")"))
                        }))),
            addMemberForm(m, ctx: ctx))
    }

    static func memberRow(_ p: ServicesQueries.TeamMemberName, _ m: TeamModel, ctx: PageContext) -> Node<HTML.ListContext> {
        let lang = ctx.lang
        return .li(
            .id("member-\(p.username)".attributeSafe),
            .strong(.text(p.name)), .text(" · " + teamRole(p.role, lang) + " · " + T("\(p.joined_on) 加入", "joined \(p.joined_on)")(lang)),
            .div(
                .class("actions"),
                button(
                    SiteURL.services(.teamLeave(.value(m.team.id), .value(p.username))).path, T("退出", "Leaves the team"), id: "leave-\(p.username)",
                    ctx: ctx)),
            .if(m.failed == "leave:\(p.username)", PageParts.fieldError(m.error, "username", lang: lang)))
    }

    /// Adding a member: find them by name, choose them from the list, their role and joining day.
    static func addMemberForm(_ m: TeamModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.failed == "add" ? m.error : nil
        let options: [Node<HTML.SelectContext>] = m.choices.map { p in
            .option(
                .value(p.username.attributeSafe), .label(personLabel(p.name, p.role, p.grid_name, lang).attributeSafe),
                .isSelected(m.form["username"] == p.username))
        }
        let roles: [Node<HTML.SelectContext>] = TeamService.roles.map { role in
            .option(.value(role), .label(teamRole(role, lang)), .isSelected((m.form["role"] ?? "member") == role))
        }
        return .div(
            .class("card"),
            .h2(.text(T("加入队员", "Add a member")(lang))),
            nameSearch(SiteURL.services(.team(.value(m.team.id))).path, query: m.query, id: "member-search", lang: lang),
            m.choices.isEmpty
                ? .p(.class("muted"), .id("member-choices"), .text(T("没有找到居民或志愿者。", "No residents or volunteers found.")(lang)))
                : .form(
                    .class("stack"), .id("member-form"), .method(.post),
                    .action(SiteURL.services(.teamMembers(.value(m.team.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                    .input(.type(.hidden), .name("q"), .value(m.query.attributeSafe)),
                    .label(.for("member-person"), .text(T("选择队员", "Whom")(lang))),
                    .select(.id("member-person"), .attribute(named: "name", value: "username"), .group(options)),
                    PageParts.fieldError(error, "username", lang: lang),
                    .label(.for("member-role"), .text(T("角色", "Role")(lang))),
                    .select(.id("member-role"), .attribute(named: "name", value: "role"), .group(roles)),
                    PageParts.fieldError(error, "role", lang: lang),
                    .label(.for("member-joined"), .text(T("加入日期（默认今天）", "Joined on (default today)")(lang))),
                    .input(.type(.date), .id("member-joined"), .name("joined_on"), .value((m.form["joined_on"] ?? "").attributeSafe)),
                    PageParts.fieldError(error, "joined_on", lang: lang),
                    .button(.type(.submit), .id("add-member"), .text(T("加入", "Add")(lang)))))
    }
}
