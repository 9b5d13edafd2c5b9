import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the case loop: plain values in, HTML out. Phone first; every value placed in an
/// attribute goes through `attributeSafe`.
enum CasesViews {
    static func state(_ state: CaseState, _ lang: Lang) -> String {
        lang == .zh ? state.nameZH : state.nameEN
    }

    static func name(_ zh: String?, _ en: String?, _ lang: Lang) -> String { (lang == .zh ? zh : en) ?? zh ?? "" }

    /// The tabs of each role's list.
    static func tabs(for role: Role) -> [(query: String, text: T)] {
        if role.isGridStaff {
            return [
                ("state=reported", T("受理台", "Intake desk")), ("state=filed,returned", T("待派遣", "To dispatch")),
                ("state=dispatched,in_progress,extension_requested,suspended", T("处置中", "Being handled")),
                ("state=handled,verifying", T("待核查", "To verify")), ("status=closed", T("已办结", "Finished"))
            ]
        }
        if role == .departmentHandler {
            return [
                ("state=dispatched", T("待签收", "To accept")), ("state=in_progress,extension_requested,suspended", T("处置中", "In hand")),
                ("status=closed", T("已办结", "Finished"))
            ]
        }
        return [("", T("全部", "All")), ("status=open", T("办理中", "Open")), ("status=closed", T("已办结", "Finished"))]
    }

    static func row(_ c: CaseSummary, _ lang: Lang) -> Node<HTML.ListContext> {
        .li(
            .class("case-row"),
            .a(
                .href(SiteURL.cases(.detail(.value(c.id))).path.attributeSafe), .span(.class("mono"), .text(c.number)), .text(" "), .text(c.title)),
            .text(" "), .span(.class("badge"), .text(state(c.state, lang))),
            .if(c.overdue, .span(.class("badge bad"), .text(T("超期", "Overdue")(lang)))),
            .if(c.supervised, .span(.class("badge bad"), .text(T("督办", "Supervised")(lang)))), .br(),
            .span(
                .class("muted"),
                .text(
                    [
                        name(c.category_name_zh, c.category_name_en, lang), c.node_name,
                        name(c.department_name_zh, c.department_name_en, lang),
                        LocalTime.short(c.reported_at, year: true)
                    ].filter { !$0.isEmpty }.joined(separator: " · "))))
    }

    static func list(_ cases: [CaseSummary], id: String, _ lang: Lang) -> Node<HTML.BodyContext> {
        cases.isEmpty
            ? .p(.class("muted"), .id(id), .text(T("没有案件。", "No cases.")(lang)))
            : .ul(.class("rows"), .id(id), .forEach(cases) { row($0, lang) })
    }

    // MARK: new

    /// The intake form: staff take a case in for somebody (channel, grid code, who reported it,
    /// the source's reference), everybody else leaves a message (要留言). A failed form comes back
    /// with what was typed, the phone too, and each problem beside its field.
    static func newCase(
        categories: [CaseCategoryRecord], staff: Bool, proxies: [Proxies.Link] = [], form: CasesPages.CaseForm?, error: AppError?,
        ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        var fields: [Node<HTML.FormContext>] = [Layout.csrfField(ctx.csrf)]
        if !proxies.isEmpty {
            // 代办: the message may be left for an elderly member the resident acts for.
            let chosen = form?.on_behalf_of ?? ""
            let options: [Node<HTML.SelectContext>] =
                [.option(.value(""), .label(T("本人", "Myself")(lang)), .isSelected(chosen.isEmpty))]
                + proxies.map { p in
                    .option(
                        .value(p.person_id.uuidString), .label(T("代 \(p.name) 反映", "For \(p.name)")(lang).attributeSafe),
                        .isSelected(chosen == p.person_id.uuidString))
                }
            fields.append(.label(.for("on_behalf_of"), .text(T("为谁反映", "Who is it for")(lang))))
            fields.append(.select(.id("on_behalf_of"), .attribute(named: "name", value: "on_behalf_of"), .group(options)))
            fields.append(PageParts.fieldError(error, "on_behalf_of", lang: lang))
        }
        if staff {
            let channels: [Node<HTML.SelectContext>] = CaseChannel.allCases.map { ch in
                .option(
                    .value(ch.rawValue), .label(lang == .zh ? ch.nameZH : ch.nameEN), .isSelected((form?.channel ?? "grid_patrol") == ch.rawValue))
            }
            fields.append(.label(.for("channel"), .text(T("来源渠道", "Channel")(lang))))
            fields.append(.select(.id("channel"), .attribute(named: "name", value: "channel"), .group(channels)))
            fields.append(PageParts.fieldError(error, "channel", lang: lang))
        }
        fields.append(.label(.for("category_code"), .text(T("问题类别", "What kind of problem")(lang))))
        fields.append(
            .select(
                .id("category_code"), .attribute(named: "name", value: "category_code"),
                .group(categoryOptions(categories, selected: form?.category_code, lang))))
        fields.append(PageParts.fieldError(error, "category_code", lang: lang))
        fields.append(.label(.for("description"), .text(T("问题描述", "Describe the problem")(lang))))
        fields.append(.textarea(.id("description"), .name("description"), .attribute(named: "rows", value: "4"), .text(form?.description ?? "")))
        fields.append(PageParts.fieldError(error, "description", "title", lang: lang))
        fields.append(textField("address", T("地点（门牌、楼道等）", "Where (address, stairwell …)"), form?.address, error, lang))
        if staff {
            fields.append(textField("node", T("网格编码（可不填）", "Grid code (optional)"), form?.node, error, lang))
            fields.append(textField("submitter_name", T("反映人（可不填）", "Who reported it (optional)"), form?.submitter_name, error, lang))
            fields.append(textField("source_ref", T("来源编号（如 12345 工单号）", "Source reference (e.g. 12345 order)"), form?.source_ref, error, lang))
        }
        fields.append(.label(.for("submitter_phone"), .text(T("联系电话（可不填，加密保存）", "Phone (optional, stored encrypted)")(lang))))
        fields.append(
            .input(
                .id("submitter_phone"), .name("submitter_phone"), .type(.tel), .attribute(named: "autocomplete", value: "tel"),
                .value((form?.submitter_phone ?? "").attributeSafe)))
        fields.append(PageParts.fieldError(error, "submitter_phone", lang: lang))
        fields.append(.button(.type(.submit), .id("submit-case"), .text(T("提交", "Submit")(lang))))
        let title = staff ? T("登记案件", "Take in a case") : T("要留言", "Leave a message")
        return Layout.render(
            ctx, title: title(lang), status: status,
            .p(.a(.href(SiteURL.cases(.index).path), .text(T("← 返回列表", "← Back to the list")(lang)))),
            .h1(.text(title(lang))),
            PageParts.errorBox(error, lang, id: "case-error"),
            .form(.id("case-form"), .class("stack card"), .method(.post), .action(SiteURL.cases(.new).path), .group(fields)))
    }

    /// A one-line text input with its label, the typed value and its error beside it.
    static func textField(_ name: String, _ title: T, _ value: String?, _ error: AppError?, _ lang: Lang) -> Node<HTML.FormContext> {
        .group(
            .label(.for(name), .text(title(lang))),
            .input(.id(name), .name(name), .type(.text), .value((value ?? "").attributeSafe)),
            PageParts.fieldError(error, name, lang: lang))
    }

    /// The 小类 a case can be given, each under its 大类's name ("市容环境 · 暴露垃圾"), after a "Choose" line.
    static func categoryOptions(_ categories: [CaseCategoryRecord], selected: String?, _ lang: Lang) -> [Node<HTML.SelectContext>] {
        let majors = Dictionary(categories.filter { $0.parent_code == nil }.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        return [.option(.value(""), .label(T("请选择", "Choose")(lang)))]
            + categories.filter { $0.parent_code != nil }.map { c in
                let major = c.parent_code.flatMap { majors[$0] }.map { name($0.name_zh, $0.name_en, lang) + " · " } ?? ""
                return .option(
                    .value(c.code.attributeSafe), .label((major + name(c.name_zh, c.name_en, lang)).attributeSafe),
                    .isSelected(selected == c.code))
            }
    }

    // MARK: supervision and indicators

    static func supervision(overdue: [CaseSummary], supervised: [CaseSummary], ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("督办与超期", "Supervision and overdue")(lang),
            .p(.a(.href(SiteURL.cases(.index).path), .text(T("← 派单台", "← Dispatcher's board")(lang)))),
            .h1(.text(T("督办与超期", "Supervision and overdue")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "超过处置时限（按工作日历计算）的案件自动升级一级督办。",
                        "Cases past their deadline (on the working-day calendar) go one level up automatically.")(lang))),
            .h2(.text(T("超期案件", "Overdue")(lang) + " (\(overdue.count))")),
            list(overdue, id: "overdue", lang),
            .h2(.text(T("督办中", "Under supervision")(lang) + " (\(supervised.count))")),
            list(supervised, id: "supervised", lang))
    }

    static func indicators(_ report: CaseIndicatorReport, projects: [CaseProjectProgress], ctx: PageContext) -> Response {
        let lang = ctx.lang
        let columns = CaseIndicators(CaseIndicatorCounts()).all
        func cells(_ row: CaseIndicatorRow) -> Node<HTML.TableContext> {
            .tr(
                .td(.text(name(row.name_zh, row.name_en, lang))), .td(.class("num"), .text("\(row.counts.accepted)")),
                .forEach(row.indicators.all) { item in
                    .td(
                        .class("num"), .attribute(named: "title", value: "\(item.rate.numerator) / \(item.rate.denominator)"),
                        .text(item.rate.percentText))
                },
                .td(.class("num"), .text("\(row.open)")), .td(.class("num"), .text("\(row.overdue)")))
        }
        return Layout.render(
            ctx, title: T("案件指标", "Case indicators")(lang),
            .p(.a(.href(SiteURL.cases(.index).path), .text(T("← 派单台", "← Dispatcher's board")(lang)))),
            .h1(.text(T("案件指标", "Case indicators")(lang) + " \(report.year)")),
            .nav(
                .class("subnav"),
                .forEach(CaseIndicatorGrouping.allCases) { g in
                    let label: T =
                        switch g {
                        case .department: T("按部门", "By department")
                        case .category: T("按类别", "By category")
                        case .node: T("按居民区", "By residential area")
                        case .month: T("按月", "By month")
                        }
                    return .a(
                        .href(SiteURL.cases(.indicators).path([("year", "\(report.year)"), ("by", g.rawValue)]).attributeSafe),
                        .if(g == report.by, .class("active")), .text(label(lang)))
                }),
            .if(
                !report.years_without_calendar.isEmpty,
                .p(.class("flash-error"), .id("calendar-warning"), .text(PlatformCalendar.missingNoticeWarning(report.years_without_calendar)(lang)))),
            .div(
                .class("table-wrap"),
                .table(
                    .id("indicators"),
                    .tr(
                        .th(.text(T("分组", "Group")(lang))), .th(.text(T("受理", "Taken in")(lang))),
                        .forEach(columns) { .th(.attribute(named: "title", value: $0.formula.attributeSafe), .text(lang == .zh ? $0.zh : $0.en)) },
                        .th(.text(T("在办", "Open")(lang))), .th(.text(T("超期", "Overdue")(lang)))),
                    .forEach(report.rows) { cells($0) },
                    cells(report.total))),
            .p(.class("muted small"), .text(columns.map { "\($0.zh) = \($0.formula)" }.joined(separator: "；"))),
            .h2(.text(T("项目清单（民生实事）", "Projects (livelihood projects)")(lang))),
            projects.isEmpty
                ? .p(.class("muted"), .text(T("没有项目。", "No projects.")(lang)))
                : .ul(
                    .class("rows"), .id("projects"),
                    .forEach(projects) { p in
                        .li(
                            .text(name(p.name_zh, p.name_en, lang)), .text(" "), .span(.class("badge"), .text(p.progress.percentText)), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    T("已办结", "closed")(lang)
                                        + " \(p.closed) / \(T("案件", "cases")(lang)) \(p.cases) / \(T("目标", "target")(lang)) \(p.target)")))
                    }))
    }
}
