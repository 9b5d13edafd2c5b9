import Foundation
import MinqingDomain
import Plot
import Vapor

/// The compound, shop and project pages of 6543 oversight, each with its forms.
extension OversightViews {
    static func back(_ lang: Lang) -> Node<HTML.BodyContext> {
        .p(.a(.href(SiteURL.oversight(.index).path), .text(T("← 6543 小区治理", "← 6543 governance")(lang))))
    }

    // MARK: compound

    /// A compound's checklist with a status form per measure, and its owners' committee (or the form recording one).
    static func compound(_ c: ChecklistRow, committee: UUID?, ctx: PageContext, posted: Posted?, flash code: String?) -> Response {
        let lang = ctx.lang
        let statuses = MeasureStatus.allCases.map { (value: $0.rawValue, label: name($0.nameZH, $0.nameEN, lang)) }
        let elected = FormState("committee", posted, lang)
        return Layout.render(
            ctx, title: c.compound_name, status: posted?.error.status ?? .ok,
            back(lang),
            .h1(.text(c.compound_name)),
            PageParts.errorBox(posted?.error, lang, id: "oversight-error"),
            flash(code, lang),
            .p(
                .class("muted"),
                .text(
                    (CompoundType(rawValue: c.compound_type).map { name($0.nameZH, $0.nameEN, lang) } ?? c.compound_type)
                        + T(" · 目标：", " · goal: ")(lang) + CompoundType.goal(of: c.compound_type, fallback: c.goal_zh, lang)
                        + T(" · 主线：", " · main line: ")(lang) + CompoundType.mainLine(of: c.compound_type, fallback: c.main_line_zh, lang))),
            .p(
                .id("progress"),
                .text(
                    T("进度 \(c.done)/\(c.total)（\(c.percent)%）", "Progress \(c.done)/\(c.total) (\(c.percent) %)")(lang)
                        + (c.lead_department.map { " · " + T("牵头：", "Lead: ")(lang) + $0 + " " + (c.leader_name ?? "") } ?? ""))),
            .h2(.text(T("分类治理清单", "Checklist")(lang))),
            .ul(
                .class("rows"), .id("measures"),
                .forEach(c.measures) { m in
                    .li(
                        .class("measure"), .id("measure-\(m.code)".attributeSafe),
                        .strong(.text(name(m.name_zh, m.name_en, lang))), .text(" · "),
                        .span(
                            .class("measure-status"), .text(name(m.status.nameZH, m.status.nameEN, lang))),
                        .unwrap(m.updated_on) { .span(.class("muted"), .text(T(" · \($0) 更新", " · updated \($0)")(lang))) },
                        .if(!m.note.isEmpty, .group(.br(), .span(.class("muted"), .text(m.note)))),
                        measureForm(m, compound: c.compound_id, statuses: statuses, posted: posted, ctx: ctx))
                }),
            .h2(.text(T("业委会", "Owners' committee")(lang))),
            committee.map { id -> Node<HTML.BodyContext> in
                .p(
                    .a(
                        .id("committee-link"), .href(SiteURL.oversight(.committee(.value(id))).path.attributeSafe),
                        .text(T("查看业委会", "Open the committee")(lang))))
            }
                ?? postForm(
                    "committee-form", action: SiteURL.oversight(.committees).path, csrf: ctx.csrf, submit: T("登记业委会", "Record the committee")(lang),
                    .input(.type(.hidden), .name("compound_id"), .value(c.compound_id.uuidString.attributeSafe)),
                    field(elected, "elected_on", T("选举日期（默认今天）", "Elected (default today)")(lang), type: .date),
                    field(elected, "term_ends_on", T("任期届满（默认五年）", "Term ends (default five years)")(lang), type: .date)))
    }

    /// One measure's status form (`m-<code>`), keeping what was typed when it is the one that failed.
    private static func measureForm(
        _ m: MeasureRow, compound: UUID, statuses: [(value: String, label: String)], posted: Posted?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = FormState("m-\(m.code)", posted, lang)
        return postForm(
            "m-\(m.code)", action: SiteURL.oversight(.compoundMeasure(.value(compound), .value(m.code))).path, csrf: ctx.csrf,
            submit: T("更新", "Update")(lang),
            choice(f, "status", T("状态", "Status")(lang), statuses, selected: m.status.rawValue),
            field(f, "note", T("说明", "Note")(lang), value: m.note, maxLength: 1000))
    }

    // MARK: shops

    struct ShopsModel {
        var rows: [ShopRow]
        var total: Int
        var page: Int
        var perPage: Int
        var search: String?
        var defaultNode: String
        /// The registration form when it failed: shown again as it was sent (the phone too).
        var posted: Posted?
        var flash: String?
    }

    static func shops(_ m: ShopsModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let f = FormState("shop", m.posted, lang)
        let pages = max(1, (m.total + m.perPage - 1) / m.perPage)
        return Layout.render(
            ctx, title: T("一店一档", "Shop files")(lang), status: m.posted?.error.status ?? .ok,
            back(lang),
            .h1(.text(T("一店一档 · 门责制", "Shop files · frontage pledges")(lang))),
            PageParts.errorBox(m.posted?.error, lang, id: "oversight-error"),
            flash(m.flash, lang),
            .form(
                .class("stack"), .id("shop-search"), .method(.get), .action(SiteURL.oversight(.shops).path),
                .label(.for("q"), .text(T("名称或地址", "Name or address")(lang))),
                .input(.id("q"), .name("q"), .type(.search), .value((m.search ?? "").attributeSafe)),
                .button(.type(.submit), .class("small"), .text(T("查找", "Search")(lang)))),
            .p(
                .class("muted"), .id("shop-total"),
                .text(T("共 \(m.total) 家 · 第 \(m.page)/\(pages) 页", "\(m.total) shops · page \(m.page) of \(pages)")(lang))),
            .ul(
                .class("rows"), .id("shops"),
                .forEach(m.rows) { s in
                    .li(
                        .class("shop"), .a(.href(SiteURL.oversight(.shop(.value(s.id))).path.attributeSafe), .strong(.text(s.name))),
                        .text(" · \(s.category) · \(s.address)"), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                "\(s.contact_name) \(s.phone_masked ?? "") · \(s.grid_name)"
                                    + (s.pledged_on.map { " · " + T("门责制 \($0)", "pledged \($0)")(lang) } ?? ""))))
                }),
            PageParts.pager(id: "shops-pager", page: m.page, pageSize: m.perPage, total: m.total, lang: lang) {
                SiteURL.oversight(.shops).path([("page", "\($0)"), ("q", m.search ?? "")])
            },
            .h2(.text(T("新建商户档案", "Register a shop")(lang))),
            postForm(
                "shop-form", action: SiteURL.oversight(.shops).path, csrf: ctx.csrf, submit: T("建档", "Register")(lang),
                field(f, "name", T("店名", "Name")(lang), required: true, maxLength: 100),
                field(f, "licence_code", T("营业执照号", "Licence code")(lang), required: true, maxLength: 40),
                field(f, "category", T("业态（如 零售、餐饮）", "Category (e.g. retail, food)")(lang), required: true, maxLength: 40),
                field(f, "address", T("地址", "Address")(lang), required: true, maxLength: 200),
                field(f, "contact_name", T("联系人", "Contact")(lang), maxLength: 50),
                field(f, "phone", T("联系电话（加密保存，仅显示掩码）", "Phone (sealed, shown masked)")(lang), type: .tel, inputMode: "tel", maxLength: 20),
                field(
                    f, "node", T("所在网格编码（楼组或微网格）", "Grid node code (building group or micro-grid)")(lang), value: m.defaultNode,
                    required: true, maxLength: 60)))
    }

    struct ShopModel {
        var shop: ShopRow
        var inspections: [InspectionRow]
        var categories: [CaseCategoryRecord]
        var posted: Posted?
        var flash: String?
    }

    static func shop(_ m: ShopModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let s = m.shop
        let pledge = FormState("pledge", m.posted, lang), inspection = FormState("shop-inspection", m.posted, lang)
        return Layout.render(
            ctx, title: s.name, status: m.posted?.error.status ?? .ok,
            .p(.a(.href(SiteURL.oversight(.shops).path), .text(T("← 一店一档", "← Shop files")(lang)))),
            .h1(.text(s.name)),
            PageParts.errorBox(m.posted?.error, lang, id: "oversight-error"),
            flash(m.flash, lang),
            .div(
                .class("card"), .id("shop-file"),
                .p(.text("\(s.category) · \(s.address) · \(s.grid_name)")),
                .p(
                    .class("muted"),
                    .text(
                        T(
                            "营业执照 \(s.licence_code) · 联系人 \(s.contact_name) \(s.phone_masked ?? "")",
                            "Licence \(s.licence_code) · contact \(s.contact_name) \(s.phone_masked ?? "")")(lang))),
                .p(
                    .id("pledge"),
                    .text(
                        s.pledged_on.map { T("门责制承诺 \($0)：", "Pledged \($0): ")(lang) + (s.duties ?? "") }
                            ?? T("尚未签订门责制承诺。", "No frontage pledge yet.")(lang)))),
            .h2(.text(T("签订门责制", "Record a frontage pledge")(lang))),
            postForm(
                "pledge-form", action: SiteURL.oversight(.shopPledges(.value(s.id))).path, csrf: ctx.csrf,
                submit: T("登记承诺", "Record the pledge")(lang),
                field(pledge, "signed_by", T("签订人", "Signed by")(lang), value: s.contact_name, required: true, maxLength: 50),
                field(pledge, "signed_on", T("签订日期（默认今天）", "Signed on (default today)")(lang), type: .date),
                area(
                    pledge, "duties", T("责任（每行一项，留空为门前环境卫生、秩序、绿化、安全）", "Duties (one a line; blank: the four defaults)")(lang),
                    rows: 4, maxLength: 1300)),
            .h2(.text(T("记录检查", "Record an inspection")(lang))),
            postForm(
                "shop-inspection-form", action: SiteURL.oversight(.shopInspections(.value(s.id))).path, csrf: ctx.csrf,
                submit: T("记录检查", "Record")(lang),
                choice(inspection, "outcome", T("检查结果", "Outcome")(lang), outcomeOptions(lang)),
                area(inspection, "finding", T("发现的问题", "Finding")(lang)),
                choice(
                    inspection, "case_category", T("转为案件（选择小类）", "Open a case (sub-category)")(lang),
                    categoryOptions(m.categories, lang), blank: T("不立案", "No case")(lang)),
                field(inspection, "inspected_on", T("检查日期（默认今天）", "Date (default today)")(lang), type: .date)),
            .h2(.text(T("检查记录", "Inspections")(lang))),
            m.inspections.isEmpty
                ? .p(.class("muted"), .id("shop-inspections"), .text(T("暂无检查。", "No inspections yet.")(lang)))
                : .ul(
                    .class("rows"), .id("shop-inspections"),
                    .forEach(m.inspections) { i in
                        .li(
                            .class("inspection"),
                            .text(
                                "\(i.inspected_on) · "
                                    + name(i.outcome.nameZH, i.outcome.nameEN, lang)
                                    + " · \(i.finding) · \(i.inspector_name)"),
                            .unwrap(i.case_id) { caseID in
                                .group(
                                    .text(" · "),
                                    .a(
                                        .class("case-link"), .href(SiteURL.cases(.detail(.value(CaseID(caseID)))).path.attributeSafe),
                                        .text(T("案件 ", "Case ")(lang) + (i.case_number ?? ""))))
                            })
                    }))
    }

    // MARK: project

    static func projectStatusName(_ code: String, _ lang: Lang) -> String {
        OversightService.projectStatuses.first { $0.code == code }.map { name($0.zh, $0.en, lang) } ?? code
    }

    static func yuanField(_ fen: Int64) -> String { "\(fen / 100).\(String(format: "%02d", Int(fen % 100)))" }

    static func project(_ p: ProjectRow, ctx: PageContext, posted: Posted?, flash code: String?) -> Response {
        let lang = ctx.lang
        let concern = p.concern
        let statuses = OversightService.projectStatuses.map { (value: $0.code, label: name($0.zh, $0.en, lang)) }
        let edit = FormState("project", posted, lang), milestone = FormState("milestone", posted, lang)
        return Layout.render(
            ctx, title: p.name, status: posted?.error.status ?? .ok,
            back(lang),
            .h1(.text(p.name)),
            PageParts.errorBox(posted?.error, lang, id: "oversight-error"),
            flash(code, lang),
            .div(
                .class("card"), .id("project"),
                .p(
                    .text(
                        name(concern.nameZH, concern.nameEN, lang)
                            + (p.compound_name.map { " · \($0)" } ?? T(" · 全街道", " · subdistrict-wide")(lang)))),
                .p(.id("project-status"), .text(T("状态：", "Status: ")(lang) + projectStatusName(p.status, lang))),
                .p(
                    .id("project-money"),
                    .text(T("预算 \(yuan(p.budget_fen)) · 已支出 \(yuan(p.spent_fen))", "Budget \(yuan(p.budget_fen)) · spent \(yuan(p.spent_fen))")(lang))
                ),
                .p(
                    .id("project-lead"),
                    .text(T("牵头部门 \(p.department) · 负责人 \(p.leader_name)", "Lead department \(p.department) · leader \(p.leader_name)")(lang)))),
            .h2(.text(T("更新项目", "Update the project")(lang))),
            postForm(
                "project-form", action: SiteURL.oversight(.project(.value(p.id))).path, csrf: ctx.csrf, submit: T("保存", "Save")(lang),
                choice(edit, "status", T("状态", "Status")(lang), statuses, selected: p.status),
                field(edit, "spent_yuan", T("已支出（元）", "Spent (yuan)")(lang), value: yuanField(p.spent_fen), inputMode: "decimal"),
                field(edit, "leader_name", T("负责人", "Leader")(lang), value: p.leader_name, required: true, maxLength: 50),
                field(edit, "department", T("牵头部门", "Lead department")(lang), value: p.department, required: true, maxLength: 60)),
            .h2(.text(T("节点", "Milestones")(lang))),
            .ul(
                .class("rows"), .id("milestones"),
                .forEach(p.milestones) { m in
                    .li(
                        .class(m.done_on == nil ? "milestone" : "milestone done"), .id("milestone-\(m.id.uuidString)".attributeSafe),
                        .strong(.text(m.name)),
                        .text(
                            T(" · 期限 \(m.due_on)", " · due \(m.due_on)")(lang)
                                + (m.done_on.map { T(" · \($0) 完成", " · done \($0)")(lang) } ?? "")),
                        .if(
                            m.done_on == nil,
                            .form(
                                .class("inline"), .method(.post), .action(SiteURL.oversight(.milestoneDone(.value(m.id))).path.attributeSafe),
                                Layout.csrfField(ctx.csrf),
                                .button(.type(.submit), .class("small"), .text(T("标记完成", "Mark done")(lang))))))
                }),
            .h2(.text(T("添加节点", "Add a milestone")(lang))),
            postForm(
                "milestone-form", action: SiteURL.oversight(.projectMilestones(.value(p.id))).path, csrf: ctx.csrf, submit: T("添加", "Add")(lang),
                field(milestone, "name", T("节点名称", "Name")(lang), required: true, maxLength: 100),
                field(milestone, "due_on", T("完成期限", "Due")(lang), type: .date, required: true)))
    }
}
