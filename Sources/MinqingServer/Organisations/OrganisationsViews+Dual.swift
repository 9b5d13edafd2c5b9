import Foundation
import MinqingDomain
import Plot
import Vapor

/// The 双报到 pages (`/dual`, `/dual/units/{id}/report`). See OrganisationsPages.
extension OrganisationsViews {
    struct DualModel {
        var member: Bool
        var registration: DualRegistrationRow?
        var posts: [PostRow]
        var claimed: Set<UUID>
        var records: [ServiceRecordRow]
        var units: [UnitRow]
        var registrations: [DualRegistrationRow]
        var error: AppError?
        var flash: String?
        var today: String
        /// What the failed form held.
        var form: [String: String] = [:]
    }

    static func dual(_ m: DualModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("双报到", "Dual registration")(lang), status: status,
            .h1(.text(T("双报到 · 双报告", "Dual registration and reports")(lang))),
            PageParts.errorBox(m.error, lang, id: "organisations-error"),
            flash(m.flash, lang),
            m.member ? memberSection(m, ctx: ctx) : staffSection(m, ctx: ctx))
    }

    static func memberSection(_ m: DualModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard let reg = m.registration else {
            return .group(
                .p(
                    .text(
                        T(
                            "在职党员向居住地社区报到，认领岗位、参与服务；社区定期向工作单位反馈（双报告）。",
                            "In-service party members register with the community they live in, take on posts and serve; the community reports back to their work unit."
                        )(lang))),
                .form(
                    .id("dual-register"), .class("stack"), .method(.post), .action(SiteURL.dual(.register).path), Layout.csrfField(ctx.csrf),
                    choice(
                        "service_unit_id", T("工作单位", "Work unit"), lang, error: m.error, options: m.units.map { ($0.id.uuidString, $0.name) },
                        selected: m.form["service_unit_id"] ?? ""),
                    .label(
                        .class("choice"), .for("shows_identity"),
                        .input(
                            .type(.checkbox), .id("shows_identity"), .name("shows_identity"), .value("true"),
                            .checked(m.form["shows_identity"] == "true")),
                        .text(T("我愿意亮明党员身份", "I choose to show my identity as a party member")(lang))),
                    .button(.type(.submit), .id("dual-register-submit"), .text(T("报到", "Register")(lang)))))
        }
        return .group(
            .div(
                .class("card"), .id("dual-registration"),
                .p(.strong(.text(reg.member_name)), .text(" · \(reg.community_name) · \(reg.unit_name)")),
                .p(
                    .text(
                        T("报到日期：", "Registered on: ")(lang) + reg.registered_on + " · "
                            + T("累计服务 \(reg.minutes) 分钟", "\(reg.minutes) minutes served")(lang)))),
            .h2(.text(T("社区岗位", "Posts in the community")(lang))),
            m.posts.isEmpty
                ? .p(.class("muted"), .id("posts"), .text(T("暂无岗位。", "No posts yet.")(lang)))
                : .ul(
                    .class("rows"), .id("posts"),
                    .forEach(m.posts) { p in
                        .li(
                            .class("post"),
                            .strong(.text(p.name)), .text(" · \(p.kind.name(lang)) · \(p.grid_name)"),
                            .if(!p.mission.isEmpty, .group(.br(), .span(.class("muted"), .text(p.mission)))),
                            .div(
                                .class("actions"),
                                m.claimed.contains(p.id)
                                    ? .span(.class("badge ok"), .id("claimed-\(p.id.uuidString)".attributeSafe), .text(T("已认领", "Claimed")(lang)))
                                    : .form(
                                        .class("inline"), .method(.post), .action(SiteURL.dual(.claims).path), Layout.csrfField(ctx.csrf),
                                        .input(.type(.hidden), .name("post_id"), .value(p.id.uuidString.attributeSafe)),
                                        .button(
                                            .type(.submit), .class("small"), .id("claim-\(p.id.uuidString)".attributeSafe),
                                            .text(T("认领", "Claim")(lang))))))
                    }),
            .h2(.text(T("记录服务", "Record service")(lang))),
            .form(
                .id("dual-service"), .class("stack"), .method(.post), .action(SiteURL.dual(.service).path), Layout.csrfField(ctx.csrf),
                choice(
                    "post_id", T("岗位", "Post"), lang, error: m.error,
                    options: [("", T("（不限岗位）", "(no particular post)")(lang))]
                        + m.posts.filter { m.claimed.contains($0.id) }.map { ($0.id.uuidString, $0.name) },
                    selected: m.form["post_id"] ?? ""),
                input("served_on", T("服务日期", "Date"), lang, error: m.error, type: .date, value: m.form["served_on"] ?? m.today, required: true),
                input("minutes", T("时长（分钟）", "Minutes"), lang, error: m.error, type: .number, value: m.form["minutes"] ?? "", required: true),
                input(
                    "description", T("服务内容", "What you did"), lang, error: m.error, value: m.form["description"] ?? "", required: true,
                    maxLength: 500),
                .button(.type(.submit), .id("dual-service-submit"), .text(T("记录", "Record")(lang)))),
            .h2(.text(T("我的服务记录", "My service")(lang))),
            m.records.isEmpty
                ? .p(.class("muted"), .id("records"), .text(T("暂无记录。", "Nothing recorded yet.")(lang)))
                : .ul(
                    .class("rows"), .id("records"),
                    .forEach(m.records) { r in
                        .li(
                            .class("record"), .strong(.text(r.served_on)),
                            .text(" · " + T("\(r.minutes) 分钟", "\(r.minutes) min")(lang) + " · \(r.description)"),
                            .unwrap(r.post_name) { .span(.class("muted"), .text(" · \($0)")) })
                    }))
    }

    static func staffSection(_ m: DualModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("驻区单位 · 双报告", "Units · reports")(lang))),
            .ul(
                .class("rows"), .id("units"),
                .forEach(m.units) { u in
                    .li(
                        .a(
                            .href(SiteURL.dual(.unitReport(.value(u.id))).path.attributeSafe), .id("report-\(u.id.uuidString)".attributeSafe),
                            .text(u.name)),
                        .text(" · \(DataNames.unitKind(u.unit_kind, lang)) · "),
                        .a(.href(SiteURL.cobuilding(.unit(.value(u.id))).path.attributeSafe), .text(T("共建档案", "Co-building file")(lang))))
                }),
            .h2(.text(T("报到的在职党员", "Registered in-service members")(lang))),
            m.registrations.isEmpty
                ? .p(.class("muted"), .id("registrations"), .text(T("暂无报到。", "Nobody registered yet.")(lang)))
                : .ul(
                    .class("rows"), .id("registrations"),
                    .forEach(m.registrations) { r in
                        .li(
                            .strong(.text(r.member_name)),
                            .text(" · \(r.community_name) · \(r.unit_name) · " + T("\(r.minutes) 分钟", "\(r.minutes) min")(lang)),
                            .if(r.shows_identity, .span(.class("badge ok"), .text(T("亮身份", "Shows identity")(lang)))))
                    }))
    }

    static func report(_ r: UnitReport, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("双报告", "Report to the unit")(lang),
            .p(.a(.href(SiteURL.dual(.index).path), .text(T("← 双报到", "← Dual registration")(lang)))),
            .h1(.text(T("双报告：\(r.unit_name)", "Report to \(r.unit_name)")(lang))),
            .form(
                .class("inline"), .method(.get), .action(SiteURL.dual(.unitReport(.value(r.unit_id))).path.attributeSafe),
                .label(.for("from"), .text(T("从", "From")(lang))), .input(.id("from"), .name("from"), .type(.date), .value(r.from.attributeSafe)),
                .label(.for("to"), .text(T("到", "To")(lang))), .input(.id("to"), .name("to"), .type(.date), .value(r.to.attributeSafe)),
                .button(.type(.submit), .class("small"), .text(T("查看", "Show")(lang)))),
            .p(
                .id("report-total"),
                .text(
                    T(
                        "\(r.from) 至 \(r.to)：\(r.lines.count) 人，\(r.records) 次，共 \(r.minutes) 分钟",
                        "\(r.from) to \(r.to): \(r.lines.count) people, \(r.records) records, \(r.minutes) minutes")(lang))),
            .div(
                .class("table-wrap"),
                .table(
                    .id("report"),
                    .tr(
                        .th(.text(T("党员", "Member")(lang))), .th(.text(T("社区", "Community")(lang))), .th(.text(T("次数", "Records")(lang))),
                        .th(.text(T("分钟", "Minutes")(lang)))),
                    .forEach(r.lines) { l in
                        .tr(
                            .class("line"), .td(.text(l.member_name)), .td(.text(l.community_name)), .td(.class("num"), .text("\(l.records)")),
                            .td(.class("num"), .text("\(l.minutes)")))
                    })))
    }
}
