import Foundation
import MinqingDomain
import Plot
import Vapor

/// The staff set-up page (see ServicesPages+Manage): one column of plain forms.
extension ServicesViews {
    struct ManageModel {
        var campaigns: [CampaignService.Listed]
        var teams: [TeamService.Row]
        var rewards: [RewardService.Row]
        var error: AppError?
        var form: [String: String]
        var flash: String?
        var rows: Int
        /// The form that was posted (`resources`, `campaigns`, …): only it shows what was typed and its problems.
        var section: String? = nil
        /// Case sub-categories an abnormal check-in may open a case in: (code, label).
        var caseCategories: [(String, String)] = []
    }

    /// The form each input prefix belongs to.
    static let sections = ["c": "campaigns", "r": "resources", "a": "activities", "t": "teams", "w": "rewards"]

    /// What the form of `prefix` shows: what was typed and the problems, when it is the one posted.
    static func posted(_ m: ManageModel, _ prefix: String) -> (values: [String: String], error: AppError?) {
        m.section != nil && m.section == sections[prefix] ? (m.form, m.error) : ([:], nil)
    }

    /// `error` with only the problems of `field` itself, not those of its rows (`field[n]`), which stand by each row.
    static func only(_ error: AppError?, _ field: String) -> AppError? {
        guard var error else { return nil }
        error.fields = error.fields.filter { $0.field == field }
        return error
    }

    /// A labelled input keeping what was typed, its problem beside it.
    static func input(_ name: String, _ label: T, _ m: ManageModel, lang: Lang, type: HTMLInputType = .text, prefix: String) -> Node<HTML.FormContext>
    {
        let id = "\(prefix)-\(name)"
        let (values, error) = posted(m, prefix)
        return .group(
            .label(.for(id.attributeSafe), .text(label(lang))),
            .input(.type(type), .id(id.attributeSafe), .name(name.attributeSafe), .value((values[name] ?? "").attributeSafe)),
            PageParts.fieldError(error, name, lang: lang))
    }

    static func select(_ name: String, _ label: T, _ options: [(String, String)], _ m: ManageModel, lang: Lang, prefix: String) -> Node<
        HTML.FormContext
    > {
        let id = "\(prefix)-\(name)"
        let (values, error) = posted(m, prefix)
        let chosen = values[name]
        let nodes: [Node<HTML.SelectContext>] = options.map { value, text in
            .option(.value(value.attributeSafe), .label(text.attributeSafe), .attribute(named: "selected", value: chosen == value ? "selected" : ""))
        }
        return .group(
            .label(.for(id.attributeSafe), .text(label(lang))),
            .select(.id(id.attributeSafe), .attribute(named: "name", value: name), .group(nodes)),
            PageParts.fieldError(error, name, lang: lang))
    }

    static func manageForm(_ what: String, _ title: T, _ m: ManageModel, ctx: PageContext, _ fields: Node<HTML.FormContext>...) -> Node<
        HTML.BodyContext
    > {
        .details(
            .attribute(named: "open", value: m.section == what && m.error != nil ? "open" : ""),
            .summary(.text(title(ctx.lang))),
            .form(
                .class("stack"), .id("manage-\(what)-form".attributeSafe), .method(.post),
                .action(SiteURL.services(.manageSection(.value(what))).path.attributeSafe), Layout.csrfField(ctx.csrf), .group(fields),
                .button(.type(.submit), .id("create-\(what)".attributeSafe), .text(T("创建", "Create")(ctx.lang)))))
    }

    static func manage(_ m: ManageModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("服务设置", "Set up services")(lang), status: status,
            .p(.a(.href(SiteURL.services(.index).path), .text(T("← 约空间与志愿服务", "← Spaces and volunteering")(lang)))),
            .h1(.text(T("服务设置", "Set up services")(lang))),
            PageParts.errorBox(m.error, lang, id: "campaign-error"),
            .unwrap(m.flash) { _ in
                .div(.class("flash-ok"), .id("manage-done"), .attribute(named: "role", value: "status"), .text(T("已创建。", "Created.")(lang)))
            },
            .h2(.text(T("活动", "Campaigns")(lang))),
            m.campaigns.isEmpty
                ? .p(.class("muted"), .id("manage-campaigns"), .text(T("暂无活动。", "No campaigns yet.")(lang)))
                : .ul(
                    .class("rows"), .id("manage-campaigns"),
                    .forEach(m.campaigns) { c in
                        .li(
                            .a(.href(SiteURL.services(.campaign(.value(c.id))).path.attributeSafe), .text(c.title)),
                            .text(" · " + kindName(c.kind, lang) + (c.status == "open" ? "" : T(" · 已结束", " · ended")(lang))))
                    }),
            campaignForm(m, ctx: ctx),
            .h2(.text(T("共享资源、志愿活动、志愿队、奖品", "Resources, activities, teams, rewards")(lang))),
            setupForms(m, ctx: ctx),
            manageLists(m, lang))
    }

    /// The new campaign's registration-form fields: `m.rows` rows of label, type, options and bounds.
    private static func campaignFieldInputs(_ m: ManageModel, lang: Lang) -> [Node<HTML.FormContext>] {
        let types = CampaignForm.FieldType.allCases.map { ($0.rawValue, $0.name(lang)) }
        let (values, error) = posted(m, "c")
        return (0..<m.rows).map { n in
            .fieldset(
                .class("field-row"), .element(named: "legend", text: T("字段 \(n + 1)", "Field \(n + 1)")(lang)),
                PageParts.fieldError(error, "fields[\(n)]", lang: lang),
                input("f\(n)_label", T("名称", "Label"), m, lang: lang, prefix: "c"),
                input("f\(n)_label_en", T("英文名称（可选）", "English label (optional)"), m, lang: lang, prefix: "c"),
                select("f\(n)_type", T("类型", "Type"), types, m, lang: lang, prefix: "c"),
                .label(
                    .class("chip"),
                    .input(
                        .type(.checkbox), .name("f\(n)_required".attributeSafe), .value("1"),
                        .checked(values["f\(n)_required"] != nil || values.isEmpty)), .text(T("必填", "Required")(lang))),
                input("f\(n)_options", T("选项（用逗号或顿号分隔）", "Options (comma-separated)"), m, lang: lang, prefix: "c"),
                input("f\(n)_min", T("最小值", "Minimum"), m, lang: lang, type: .number, prefix: "c"),
                input("f\(n)_max", T("最大值", "Maximum"), m, lang: lang, type: .number, prefix: "c"),
                input(
                    "f\(n)_alert_at_least", T("打卡异常：达到或超过（如体温 37.3）", "Check-in alert at or above (e.g. 37.3 °C)"), m, lang: lang,
                    prefix: "c"),
                input("f\(n)_alert_option", T("打卡异常：选中此项", "Check-in alert when this option is chosen"), m, lang: lang, prefix: "c"))
        }
    }

    /// The limited-stock campaign's pick-up slots (three, each optional).
    private static func campaignSlotInputs(_ m: ManageModel, lang: Lang) -> [Node<HTML.FormContext>] {
        let error = posted(m, "c").error
        return (0..<3).map { n in
            .fieldset(
                .class("field-row"),
                .element(named: "legend", text: T("领取时段 \(n + 1)（限量预约，可选）", "Pick-up slot \(n + 1) (limited stock, optional)")(lang)),
                PageParts.fieldError(error, "pickup_slots[\(n)]", lang: lang),
                input("s\(n)_starts_at", T("开始", "Starts"), m, lang: lang, type: .datetimeLocal, prefix: "c"),
                input("s\(n)_ends_at", T("结束", "Ends"), m, lang: lang, type: .datetimeLocal, prefix: "c"),
                input("s\(n)_capacity", T("容量（份）", "Capacity"), m, lang: lang, type: .number, prefix: "c"),
                input("s\(n)_place", T("地点", "Place"), m, lang: lang, prefix: "c"))
        }
    }

    /// The new campaign form (registration, daily check-in or limited stock), open when it came back
    /// with a problem or for another field row.
    private static func campaignForm(_ m: ManageModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .details(
            .attribute(named: "open", value: m.section == "campaigns" && m.form["kind"] != nil ? "open" : ""),
            .summary(.text(T("新建活动（登记 / 每日打卡 / 限量预约）", "New campaign (registration / daily check-in / limited stock)")(lang))),
            .form(
                .class("stack"), .id("manage-campaigns-form"), .method(.post),
                .action(SiteURL.services(.manageSection(.value("campaigns"))).path), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("rows"), .value("\(m.rows)")),
                select(
                    "kind", T("类型", "Kind"), CampaignKind.allCases.reversed().map { ($0.rawValue, kindName($0, lang)) }, m, lang: lang,
                    prefix: "c"),
                input("title", T("标题", "Title"), m, lang: lang, prefix: "c"),
                input("description", T("说明", "Description"), m, lang: lang, prefix: "c"),
                input("node", T("网格节点编码（默认本级）", "Grid node code (default: yours)"), m, lang: lang, prefix: "c"),
                .h3(.text(T("登记表、打卡表字段", "Registration or check-in form fields")(lang))),
                PageParts.fieldError(only(posted(m, "c").error, "fields"), "fields", lang: lang),
                .group(campaignFieldInputs(m, lang: lang)),
                .button(
                    .type(.submit), .name("add_row"), .value("1"), .class("small"), .id("add-row"), .text(T("添加一行字段", "Add a field row")(lang))),
                .h3(.text(T("每日打卡", "Daily check-in")(lang))),
                input("starts_on", T("开始日期", "Starts on"), m, lang: lang, type: .date, prefix: "c"),
                input("ends_on", T("结束日期", "Ends on"), m, lang: lang, type: .date, prefix: "c"),
                input("roster_node", T("名单：该网格节点下的居民", "Roster: the residents under this grid node"), m, lang: lang, prefix: "c"),
                .label(
                    .class("chip"), .input(.type(.checkbox), .name("self_enrol"), .value("1"), .checked(posted(m, "c").values["self_enrol"] != nil)),
                    .text(T("允许居民自行加入", "Residents may join themselves")(lang))),
                select(
                    "alert_category", T("打卡异常时立案（选择小类）", "Open a case on an abnormal check-in (sub-category)"),
                    [("", T("不立案，只通知网格员", "No case: tell the grid workers only")(lang))] + m.caseCategories, m, lang: lang, prefix: "c"),
                .h3(.text(T("限量预约", "Limited stock")(lang))),
                input("stock", T("库存", "Stock"), m, lang: lang, type: .number, prefix: "c"),
                input("per_household_limit", T("每户限额", "Limit per household"), m, lang: lang, type: .number, prefix: "c"),
                input("pickup_place", T("领取地点", "Pick-up place"), m, lang: lang, prefix: "c"),
                PageParts.fieldError(only(posted(m, "c").error, "pickup_slots"), "pickup_slots", lang: lang),
                .group(campaignSlotInputs(m, lang: lang)),
                .button(.type(.submit), .id("create-campaigns"), .text(T("创建活动", "Create the campaign")(lang)))))
    }

    /// The set-up forms of shared resources, volunteer activities, teams and rewards.
    private static func setupForms(_ m: ManageModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            manageForm(
                "resources", T("登记共享资源", "Register a resource"), m, ctx: ctx,
                input("unit_name", T("驻区单位", "Unit"), m, lang: lang, prefix: "r"),
                input("unit_kind", T("单位类型", "Unit kind"), m, lang: lang, prefix: "r"),
                input("name", T("资源名称", "Name"), m, lang: lang, prefix: "r"), input("category", T("类别", "Category"), m, lang: lang, prefix: "r"),
                input("kind", T("种类", "Kind"), m, lang: lang, prefix: "r"), input("place", T("地点", "Place"), m, lang: lang, prefix: "r"),
                input("node", T("网格节点编码", "Grid node code"), m, lang: lang, prefix: "r"),
                input("capacity", T("容纳人数", "Capacity"), m, lang: lang, type: .number, prefix: "r"),
                input("opening_hours", T("开放时间（如 1-5 09:00-17:00）", "Opening hours (e.g. 1-5 09:00-17:00)"), m, lang: lang, prefix: "r"),
                input("slot_minutes", T("时段长度（分钟）", "Slot length (minutes)"), m, lang: lang, type: .number, prefix: "r"),
                input("rules", T("使用规则", "Rules"), m, lang: lang, prefix: "r"),
                select("bookers", T("可预约对象", "Who may book"), ServiceBookers.allCases.map { ($0.rawValue, $0.rawValue) }, m, lang: lang, prefix: "r"),
                .label(
                    .class("chip"),
                    .input(.type(.checkbox), .name("needs_approval"), .value("1"), .checked(posted(m, "r").values["needs_approval"] != nil)),
                    .text(T("需审批", "Needs approval")(lang)))),
            manageForm(
                "activities", T("发布志愿活动", "Post a volunteer activity"), m, ctx: ctx,
                input("team", T("志愿队", "Team"), m, lang: lang, prefix: "a"), input("title", T("活动名称", "Title"), m, lang: lang, prefix: "a"),
                input("place", T("地点", "Place"), m, lang: lang, prefix: "a"),
                input("node", T("网格节点编码", "Grid node code"), m, lang: lang, prefix: "a"),
                input("starts_at", T("开始", "Starts"), m, lang: lang, type: .datetimeLocal, prefix: "a"),
                input("ends_at", T("结束", "Ends"), m, lang: lang, type: .datetimeLocal, prefix: "a"),
                input("minutes", T("记入时长（分钟）", "Minutes credited"), m, lang: lang, type: .number, prefix: "a"),
                input("capacity", T("名额", "Places"), m, lang: lang, type: .number, prefix: "a")),
            manageForm(
                "teams", T("登记志愿队", "Register a team"), m, ctx: ctx,
                input("name", T("队名", "Name"), m, lang: lang, prefix: "t"),
                input("kind", T("服务类别（如 平安巡逻）", "Kind (e.g. 平安巡逻)"), m, lang: lang, prefix: "t"),
                input("node", T("网格节点编码", "Grid node code"), m, lang: lang, prefix: "t"),
                input("leader", T("队长账号（可选）", "Leader's username (optional)"), m, lang: lang, prefix: "t")),
            manageForm(
                "rewards", T("登记奖品", "List a reward"), m, ctx: ctx,
                input("name", T("奖品", "Reward"), m, lang: lang, prefix: "w"),
                select(
                    "unit", T("兑换单位", "Unit"), [("points", T("积分", "Points")(lang)), ("green", T("绿色账户积分", "Green points")(lang))], m, lang: lang,
                    prefix: "w"),
                input("price", T("所需积分", "Price"), m, lang: lang, type: .number, prefix: "w"),
                input("stock", T("库存", "Stock"), m, lang: lang, type: .number, prefix: "w"),
                input("node", T("网格节点编码", "Grid node code"), m, lang: lang, prefix: "w")))
    }

    /// The teams and rewards on record.
    private static func manageLists(_ m: ManageModel, _ lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(T("志愿队", "Teams")(lang))),
            .ul(
                .class("rows"), .id("manage-teams"),
                .forEach(m.teams) { t in
                    .li(
                        .a(
                            .href(SiteURL.services(.team(.value(t.id))).path.attributeSafe), .id("team-\(t.id.uuidString)".attributeSafe),
                            .strong(.text(t.name))),
                        .text(" · \(t.kind) · \(t.grid_code) · " + T("\(t.members) 人", "\(t.members) members")(lang)))
                }),
            .h2(.text(T("奖品", "Rewards")(lang))),
            .ul(
                .class("rows"), .id("manage-rewards"),
                .forEach(m.rewards) { w in
                    .li(
                        .strong(.text(w.name)),
                        .text(" · \(w.price) \(unitName(w.unit, lang)) · " + T("余 \(w.remaining)/\(w.stock)", "\(w.remaining)/\(w.stock) left")(lang))
                    )
                }))
    }
}
