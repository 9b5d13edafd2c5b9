import Foundation
import MinqingDomain
import Plot
import Vapor

/// 走访设置: the 十必访 frequencies and the quotas by role (forms for administrators, the values
/// for other staff), the postings of the staff in a manager's scope, and one staff member's
/// posting form. A form that failed shows what was typed and its reason beside the field; the
/// other forms on the page keep the stored values.
extension VisitsViews {
    /// The settings form that failed: its id on the page (`category-<code>`, `quota-<role>`),
    /// what was typed by input name, and why.
    struct SettingsFailure {
        var form: String
        var typed: [String: String]
        var error: AppError
    }

    struct SettingsModel {
        var role: Role
        var categories: [MustVisitQueries.CategoryRow]
        var quotas: [VisitSettingsService.QuotaRow]
        /// The staff whose postings the caller sets (empty for those who set none).
        var staff: [VisitsQueries.PostingRow]
        var page: Int
        var pageSize: Int
        var saved: String?
        var failure: SettingsFailure?

        var editsPlatform: Bool { VisitSettingsService.setsPlatformSettings(role) }
        var editsPostings: Bool { VisitSettingsService.setsPostings(role) }

        /// The error of the form `id`, when it is the one that failed.
        func error(_ id: String) -> AppError? { failure?.form == id ? failure?.error : nil }

        /// What the form `id` shows in `name`: what was typed when it failed, else `stored`.
        func value(_ id: String, _ name: String, stored: String) -> String {
            guard let failure, failure.form == id else { return stored }
            return failure.typed[name] ?? stored
        }
    }

    static func roleName(_ role: Role, _ lang: Lang) -> String { lang == .zh ? role.nameZH : role.nameEN }

    /// A member of staff as pages name them: `王建国（网格员）`, `Wang Jianguo (Grid worker)`.
    static func staffName(_ name: String, _ role: Role, _ lang: Lang) -> String {
        lang == .zh ? "\(name)（\(role.nameZH)）" : "\(name) (\(role.nameEN))"
    }

    static func settings(_ m: SettingsModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("走访设置", "Visit settings")(lang), status: status,
            subnav(ctx),
            .h1(.text(T("走访设置", "Visit settings")(lang))),
            .if(
                m.saved != nil,
                .div(
                    .class("flash-ok"), .id("settings-saved"), .attribute(named: "role", value: "status"),
                    .text(T("已保存。", "Saved.")(lang)))),
            PageParts.errorBox(m.failure?.error, lang, id: "settings-error"),
            categorySection(m, ctx: ctx),
            quotaSection(m, ctx: ctx),
            .if(m.editsPostings, postingSection(m, ctx: ctx)))
    }

    // MARK: 十必访 frequencies

    private static func categorySection(_ m: SettingsModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let note =
            m.editsPlatform
            ? T("每类人群至少多少天走访一次；逾期名单按此计算。", "How often each group must be visited at least; the overdue list counts from it.")
            : T("由系统管理员设置。", "Set by the administrators.")
        return .section(
            .id("categories"),
            .h2(.text(T("十必访走访频次", "Must-visit frequencies")(lang))),
            .p(.class("muted"), .text(note(lang))),
            .ul(
                .class("rows"),
                .forEach(m.categories) { c in
                    let id = "category-\(c.code)"
                    let every: Node<HTML.BodyContext> = .span(
                        .class("muted"), .text(T("每 \(c.frequency_days) 天", "every \(c.frequency_days) days")(lang)))
                    return .li(
                        .id(id.attributeSafe), .strong(.text(lang == .zh ? c.name_zh : c.name_en)), .text(" "),
                        m.editsPlatform ? frequencyForm(c, m, id: id, ctx: ctx) : every)
                }))
    }

    private static func frequencyForm(
        _ c: MustVisitQueries.CategoryRow, _ m: SettingsModel, id: String, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let input = "frequency-\(c.code)"
        return .form(
            .class("stack"), .method(.post), .action(SiteURL.visits(.settingsCategory(.value(c.code))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .label(.for(input.attributeSafe), .text(T("每几天至少走访一次", "Visit at least every … days")(lang))),
            .input(
                .type(.number), .id(input.attributeSafe), .name("frequency_days"),
                .value(m.value(id, "frequency_days", stored: String(c.frequency_days)).attributeSafe),
                .attribute(named: "min", value: "1"), .attribute(named: "max", value: "366"),
                .attribute(named: "inputmode", value: "numeric")),
            PageParts.fieldError(m.error(id), "frequency_days", lang: lang),
            .button(.type(.submit), .class("small"), .id("save-\(id)".attributeSafe), .text(T("保存", "Save")(lang))))
    }

    // MARK: quotas

    private static func quotaSection(_ m: SettingsModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let roles = Role.allCases.filter(\.isGridStaff)
        return .section(
            .id("quotas"),
            .h2(.text(T("走访指标", "Visit quotas")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "每个角色每周或每个工作日至少走访的户数；完成情况按此计算。",
                        "The households each role visits at least a week or a working day; the compliance report counts from it.")(lang))),
            .ul(
                .class("rows"),
                .forEach(roles) { role in
                    let quota = m.quotas.first { $0.role == role }
                    let current: String =
                        quota.map { q in
                            lang == .zh ? "\(q.period.nameZH) \(q.households) 户" : "\(q.households) households \(q.period.nameEN)"
                        } ?? T("未设指标", "No quota")(lang)
                    return .li(
                        .id("quota-\(role.rawValue)"), .strong(.text(roleName(role, lang))), .text(" "),
                        .span(.class("muted"), .text(current)),
                        .if(m.editsPlatform, quotaForm(role, quota, m, ctx: ctx)))
                }))
    }

    private static func quotaForm(_ role: Role, _ quota: VisitSettingsService.QuotaRow?, _ m: SettingsModel, ctx: PageContext)
        -> Node<HTML.BodyContext>
    {
        let lang = ctx.lang
        let id = "quota-\(role.rawValue)"
        let period = m.value(id, "period", stored: quota?.period.rawValue ?? VisitQuota.Period.workingDay.rawValue)
        let periods: [Node<HTML.SelectContext>] = VisitQuota.Period.allCases.map { item in
            .option(.value(item.rawValue), .label(lang == .zh ? item.nameZH : item.nameEN), .isSelected(period == item.rawValue))
        }
        return .form(
            .class("stack"), .method(.post), .action(SiteURL.visits(.settingsQuota(.value(role.rawValue))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .label(.for("households-\(role.rawValue)"), .text(T("至少走访户数", "Households at least")(lang))),
            .input(
                .type(.number), .id("households-\(role.rawValue)"), .name("households"),
                .value(m.value(id, "households", stored: quota.map { String($0.households) } ?? "").attributeSafe),
                .attribute(named: "min", value: "\(VisitQuota.householdRange.lowerBound)"),
                .attribute(named: "max", value: "\(VisitQuota.householdRange.upperBound)"),
                .attribute(named: "inputmode", value: "numeric")),
            PageParts.fieldError(m.error(id), "households", lang: lang),
            .label(.for("period-\(role.rawValue)"), .text(T("按", "Counted")(lang))),
            .select(
                .attribute(named: "id", value: "period-\(role.rawValue)"), .attribute(named: "name", value: "period"), .group(periods)),
            PageParts.fieldError(m.error(id), "period", lang: lang),
            .button(.type(.submit), .class("small"), .id("save-\(id)"), .text(T("保存", "Save")(lang))))
    }

    // MARK: postings

    private static func postingSection(_ m: SettingsModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let list: Node<HTML.BodyContext> =
            m.staff.isEmpty
            ? .p(.class("muted"), .id("posting-list"), .text(T("管辖范围内没有其他工作人员。", "No other staff in your scope.")(lang)))
            : .ul(
                .class("rows"), .id("posting-list"),
                .forEach(m.staff) { p in
                    .li(
                        .id("posting-\(p.username)".attributeSafe),
                        .a(.href(SiteURL.visits(.settingsPosting(.value(p.username))).path.attributeSafe), .text(p.display_name)),
                        .text(" · \(roleName(p.role, lang))"), .br(),
                        .span(.class("muted"), .text("\(p.grid_name) · \(postingText(p, lang))")))
                })
        return .section(
            .id("postings"),
            .h2(.text(T("在岗情况", "Postings")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "兼职比例、到岗和离岗日期按比例减少该人员的走访指标。",
                        "A part-time share and the first and last day in post lower what the quota asks of the person.")(lang))),
            list,
            PageParts.pager(id: "posting-pager", page: m.page, pageSize: m.pageSize, total: m.staff.first?.total ?? 0, lang: lang) { n in
                SiteURL.visits(.settings).path([("page", String(n))]) + "#postings"
            })
    }

    /// `工作量 50% · 到岗 2026-03-01`: a posting in words (full time when none is set).
    static func postingText(_ p: VisitsQueries.PostingRow, _ lang: Lang) -> String {
        let percent = p.workload_percent ?? 100
        var parts = [T("工作量 \(percent)%", "workload \(percent)%")(lang)]
        if let first = p.first_day { parts.append(T("到岗 \(first)", "in post from \(first)")(lang)) }
        if let last = p.last_day { parts.append(T("离岗 \(last)", "in post until \(last)")(lang)) }
        return parts.joined(separator: " · ")
    }

    struct PostingModel {
        var account: VisitsQueries.PostingRow
        /// The caller's own account: set by someone above them, so no form.
        var own: Bool
        var form: VisitsPages.PostingForm?
        var error: AppError?
        var saved: Bool
    }

    static func posting(_ m: PostingModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let a = m.account
        let body: Node<HTML.BodyContext> =
            m.own
            ? .p(.class("muted"), .id("posting-own"), .text(T("自己的在岗情况由上级设置。", "Your own posting is set by someone above you.")(lang)))
            : postingForm(m, ctx: ctx)
        return Layout.render(
            ctx, title: T("在岗情况", "Posting")(lang), status: status,
            subnav(ctx),
            .p(.a(.href(SiteURL.visits(.settings).path + "#postings"), .text(T("‹ 走访设置", "‹ Visit settings")(lang)))),
            .h1(.text(T("在岗情况：\(a.display_name)", "Posting: \(a.display_name)")(lang))),
            .p(.class("muted"), .id("posting-who"), .text("\(roleName(a.role, lang)) · \(a.grid_name) · \(postingText(a, lang))")),
            .if(
                m.saved,
                .div(
                    .class("flash-ok"), .id("posting-saved"), .attribute(named: "role", value: "status"),
                    .text(T("已保存。", "Saved.")(lang)))),
            PageParts.errorBox(m.error, lang, id: "posting-error"),
            body)
    }

    private static func postingForm(_ m: PostingModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let a = m.account
        let percent = m.form?.workload_percent ?? a.workload_percent.map(String.init) ?? "100"
        return .form(
            .id("posting-form"), .class("stack"), .method(.post), .action(SiteURL.visits(.settingsPosting(.value(a.username))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .label(.for("workload_percent"), .text(T("工作量比例（%，全职为 100）", "Workload share (%, 100 for full time)")(lang))),
            .input(
                .type(.number), .id("workload_percent"), .name("workload_percent"), .value(percent.attributeSafe),
                .attribute(named: "min", value: "1"), .attribute(named: "max", value: "100"), .attribute(named: "inputmode", value: "numeric")),
            PageParts.fieldError(m.error, "workload_percent", lang: lang),
            .label(.for("first_day"), .text(T("到岗日期（可不填）", "First day in post (optional)")(lang))),
            .input(.type(.date), .id("first_day"), .name("first_day"), .value((m.form?.first_day ?? a.first_day ?? "").attributeSafe)),
            PageParts.fieldError(m.error, "first_day", lang: lang),
            .label(.for("last_day"), .text(T("离岗日期（可不填）", "Last day in post (optional)")(lang))),
            .input(.type(.date), .id("last_day"), .name("last_day"), .value((m.form?.last_day ?? a.last_day ?? "").attributeSafe)),
            PageParts.fieldError(m.error, "last_day", "until", lang: lang),
            .button(.type(.submit), .id("save-posting"), .class("wide"), .text(T("保存", "Save")(lang))))
    }
}
