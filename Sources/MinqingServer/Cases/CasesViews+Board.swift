import Foundation
import MinqingDomain
import Plot
import Vapor

/// The list each role works from: staff the dispatcher's board (派单台) with its filters, search,
/// count and pages; a department its inbox (the same filters); everybody else their own requests.
extension CasesViews {
    /// Everything the list page shows, as plain values.
    struct BoardModel {
        var role: Role
        /// The filters as typed, kept in the form and in every page link.
        var params: CaseBoardParams
        var page = 1
        var total = 0
        var cases: [CaseSummary] = []
        /// The filter selects' choices (staff and departments only).
        var categories: [CaseCategoryRecord] = []
        var areas: [CaseArea] = []
        var department: CaseDepartment?
        /// A filter that could not be read: the page says why beside it and lists nothing.
        var error: AppError?

        var showsFilters: Bool { role.isGridStaff || role == .departmentHandler }
    }

    static func board(_ m: BoardModel, ctx: PageContext, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        let role = m.role
        let title: T =
            role.isGridStaff
            ? T("派单台", "Dispatcher's board")
            : role == .departmentHandler ? T("部门收件箱", "Department inbox") : T("我的诉求", "My requests")
        return Layout.render(
            ctx, title: title(lang), status: status,
            .h1(.text(title(lang))),
            .unwrap(m.department) { .p(.class("muted"), .id("my-department"), .text(name($0.name_zh, $0.name_en, lang))) },
            .p(
                .class("actions"),
                .a(
                    .class("button"), .id("new-case"), .href(SiteURL.cases(.new).path),
                    .text(role.isGridStaff ? T("登记案件", "Take in a case")(lang) : T("要留言", "Leave a message")(lang))),
                .if(
                    role.isGridStaff,
                    .group(
                        .text(" "), .a(.href(SiteURL.cases(.supervision).path), .text(T("督办与超期", "Supervision and overdue")(lang))),
                        .text(" · "), .a(.href(SiteURL.cases(.indicators).path), .text(T("指标", "Indicators")(lang))),
                        .text(" · "), .a(.id("projects-link"), .href(SiteURL.cases(.projects).path), .text(T("民生实事项目", "Projects")(lang))))),
                .if(
                    CasesQueries.supervisors.contains(role),
                    .group(
                        .text(" · "),
                        .a(.id("catalogue-link"), .href(SiteURL.cases(.catalogue).path), .text(T("类别与部门", "Categories and departments")(lang)))))),
            .nav(
                .class("subnav"),
                .forEach(tabs(for: role)) { tab in
                    .a(.href((SiteURL.cases(.index).path + (tab.query.isEmpty ? "" : "?" + tab.query)).attributeSafe), .text(tab.text(lang)))
                }),
            PageParts.errorBox(m.error, lang, id: "board-error"),
            .if(m.showsFilters, filterForm(m, lang)),
            .p(.class("muted"), .id("case-total"), .text(T("共 \(m.total) 件", "\(m.total) case\(m.total == 1 ? "" : "s")")(lang))),
            list(m.cases, id: "cases", lang),
            PageParts.pager(id: "cases-pager", page: m.page, pageSize: CasesBoard.pageSize, total: m.total, lang: lang) { number in
                SiteURL.cases(.index).path(m.params.linkPairs + [("page", number > 1 ? "\(number)" : "")])
            })
    }

    /// The board's filters, sent as a GET so that the address holds them (a link, the pages).
    static func filterForm(_ m: BoardModel, _ lang: Lang) -> Node<HTML.BodyContext> {
        let p = m.params
        let area = p.area?.nilIfEmpty ?? p.node ?? ""
        return .form(
            .id("board-filters"), .class("stack card"), .method(.get), .action(SiteURL.cases(.index).path),
            .label(.for("q"), .text(T("查找（编号、描述、地址）", "Search (number, description, address)")(lang))),
            .input(.id("q"), .name("q"), .type(.search), .value((p.q ?? "").attributeSafe)),
            PageParts.fieldError(m.error, "q", lang: lang),
            .label(.for("state"), .text(T("状态", "State")(lang))),
            .select(.id("state"), .attribute(named: "name", value: "state"), .group(stateOptions(p.state ?? "", lang))),
            PageParts.fieldError(m.error, "state", "status", lang: lang),
            .unwrap(p.status?.nilIfEmpty) { .input(.type(.hidden), .name("status"), .value($0.attributeSafe)) },
            .label(.for("category"), .text(T("问题类别", "Category")(lang))),
            .select(
                .id("category"), .attribute(named: "name", value: "category"), .group(familyOptions(m.categories, selected: p.category ?? "", lang))),
            PageParts.fieldError(m.error, "category", lang: lang),
            .if(
                !m.areas.isEmpty,
                .group(
                    .label(.for("node"), .text(T("居民区", "Residential area")(lang))),
                    .select(.id("node"), .attribute(named: "name", value: "node"), .group(areaOptions(m.areas, selected: area, lang))))),
            PageParts.fieldError(m.error, "node", "area", lang: lang),
            .label(.for("channel"), .text(T("来源渠道", "Channel")(lang))),
            .select(.id("channel"), .attribute(named: "name", value: "channel"), .group(channelOptions(p.channel ?? "", lang))),
            PageParts.fieldError(m.error, "channel", lang: lang),
            .label(
                .class("check"), .input(.type(.checkbox), .id("overdue"), .name("overdue"), .value("1"), .checked(p.overdue == "1")),
                .text(T(" 只看超期", " Overdue only")(lang))),
            PageParts.fieldError(m.error, "overdue", lang: lang),
            .p(
                .class("actions"),
                .button(.type(.submit), .id("board-filter"), .text(T("筛选", "Filter")(lang))), .text(" "),
                .a(.id("board-clear"), .href(SiteURL.cases(.index).path), .text(T("清除筛选", "Clear the filters")(lang)))))
    }

    static func areaOptions(_ areas: [CaseArea], selected: String, _ lang: Lang) -> [Node<HTML.SelectContext>] {
        var options: [Node<HTML.SelectContext>] = [.option(.value(""), .label(T("全部", "All")(lang)))]
        for a in areas {
            options.append(.option(.value(a.code.attributeSafe), .label(a.name.attributeSafe), .isSelected(a.code == selected)))
        }
        return options
    }

    static func channelOptions(_ selected: String, _ lang: Lang) -> [Node<HTML.SelectContext>] {
        var options: [Node<HTML.SelectContext>] = [.option(.value(""), .label(T("全部", "All")(lang)))]
        for ch in CaseChannel.allCases {
            options.append(.option(.value(ch.rawValue), .label(lang == .zh ? ch.nameZH : ch.nameEN), .isSelected(selected == ch.rawValue)))
        }
        return options
    }

    /// Every state by name; a tab's list of states (`filed,returned`) as one more, chosen, line.
    static func stateOptions(_ current: String, _ lang: Lang) -> [Node<HTML.SelectContext>] {
        var options: [Node<HTML.SelectContext>] = [.option(.value(""), .label(T("全部", "All")(lang)))]
        let words = current.split(separator: ",").map(String.init)
        if words.count > 1 {
            let names = words.compactMap(CaseState.init(rawValue:)).map { state($0, lang) }.joined(separator: "、")
            options.append(.option(.value(current.attributeSafe), .label(names.attributeSafe), .isSelected(true)))
        }
        for s in CaseState.allCases {
            options.append(.option(.value(s.rawValue), .label(state(s, lang)), .isSelected(current == s.rawValue)))
        }
        return options
    }

    /// Each 大类 (all its 小类) followed by its 小类, by name.
    static func familyOptions(_ categories: [CaseCategoryRecord], selected: String, _ lang: Lang) -> [Node<HTML.SelectContext>] {
        var options: [Node<HTML.SelectContext>] = [.option(.value(""), .label(T("全部", "All")(lang)))]
        for major in categories where major.parent_code == nil {
            options.append(
                .option(
                    .value(major.code.attributeSafe), .label((name(major.name_zh, major.name_en, lang) + T("（全部）", " (all)")(lang)).attributeSafe),
                    .isSelected(selected == major.code)))
            for minor in categories where minor.parent_code == major.code {
                options.append(
                    .option(
                        .value(minor.code.attributeSafe), .label(("　" + name(minor.name_zh, minor.name_en, lang)).attributeSafe),
                        .isSelected(selected == minor.code)))
            }
        }
        return options
    }
}
