import Foundation
import MinqingDomain
import Plot
import Vapor

/// The register pages' models (plain values from the scoped queries) and views. Numbers appear
/// only in their masked form, except the one value a reveal has just shown.
enum RegistryViews {
    static let title = T("居民库", "Register")

    /// "王建国 · 居民库": the page's own subject first, then where it sits.
    static func pageTitle(_ parts: String...) -> String {
        parts.joined(separator: " · ")
    }

    // MARK: a grid node

    struct NodeModel {
        struct Child { var node: GridNodeSummary; var households: Int; var persons: Int }
        var node: GridNodeSummary
        var crumbs: [GridNodeSummary]
        var summary: RegistryQueries.Summary
        var children: [Child]
        /// One page of households, for micro-grids and building groups.
        var households: RegistryQueries.HouseholdPage?
        var page: Int
        var pageSize: Int
        /// The export form offers plain numbers only to roles that may reveal them.
        var mayRevealNumbers = false
        /// The export form as posted when it failed, and why.
        var export = ExportFields()
        var exportError: AppError? = nil
    }

    static func node(_ m: NodeModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let s = m.summary
        var figures: [(id: String, label: T, value: Int)] = [
            ("households", T("户", "Households"), s.households),
            ("persons", T("居民", "Residents"), s.persons)
        ]
        for kind in TagKind.allCases {
            figures.append(("tags-\(kind.rawValue)", T("\(kind.nameZH)标签", "\(kind.nameEN) tags"), s.tags[kind.rawValue] ?? 0))
        }
        figures.append(("help-requests", T("求助", "Help requests"), s.help_requests))
        figures.append(("aid-records", T("救助记录", "Aid records"), s.aid_records))
        let smartGroupLink = SiteURL.registry(.smartGroups).path([("node", m.node.code)])
        return Layout.render(
            ctx, title: pageTitle(m.node.name, title(lang)), status: status,
            crumbs(m.crumbs, current: m.node.id),
            .h1(.text(m.node.name), .text(" "), .span(.class("badge"), .text(RegisterFormat.level(m.node.level, lang)))),
            .p(
                .class("muted"),
                .span(.class("mono"), .text(m.node.code)), .text(" · "),
                .a(.id("node-smart-group"), .href(smartGroupLink.attributeSafe), .text(T("筛选此范围的居民", "Filter residents here")(lang))),
                .text(" · "),
                .a(.href(SiteURL.grid(.node(.value(m.node.code))).path.attributeSafe), .text(T("网格信息", "Grid details")(lang))),
                .text(" · "),
                .a(
                    .id("node-compounds"), .href((SiteURL.registry(.compounds).path + "?node=\(m.node.code)").attributeSafe),
                    .text(T("小区与房屋", "Compounds and dwellings")(lang))),
                .text(" · "),
                .a(.id("node-tags"), .href(SiteURL.registry(.tags).path), .text(T("标签管理", "Tags")(lang))),
                .text(" · "),
                .a(.id("node-import"), .href(SiteURL.registry(.import).path), .text(T("导入 CSV", "Import CSV")(lang))),
                .if(
                    m.node.level >= NewHouseholdModel.lowestListingLevel,
                    .group(
                        .text(" · "),
                        .a(
                            .id("node-new-household"), .href(SiteURL.registry(.nodeNewHousehold(.value(m.node.code))).path.attributeSafe),
                            .text(T("新增住户", "New household")(lang)))))),
            // The search box first, open: on a phone, finding one person is the usual errand.
            .details(
                .class("card"), .id("node-search"), .attribute(named: "open", value: "open"),
                .summary(.text(searchTitle(lang))),
                searchForm(q: "", building: "", error: nil, ctx: ctx)),
            .div(
                .class("grid-cards"), .id("registry-figures"),
                .forEach(figures) { figure in
                    .div(
                        .class("stat"), .id("fig-\(figure.id)"),
                        .div(.class("n"), .text(RegisterFormat.count(figure.value))),
                        .div(.class("l"), .text(figure.label(lang))))
                }),
            .p(
                .class("muted"),
                .text(
                    T(
                        "标签为当前有效的人次；求助和救助为累计条数。",
                        "Tags count current assignments; help requests and aid records count all entries.")(lang))),
            .if(!m.children.isEmpty, childTable(m.children, lang: lang)),
            .unwrap(m.households) { households(m, $0, lang: lang) },
            exportForm(m, ctx: ctx)
        )
    }

    private static func childTable(_ children: [NodeModel.Child], lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("table-wrap"),
            .table(
                .id("registry-children"),
                .caption(.text(Texts.children(lang) + "（\(children.count)）")),
                .thead(
                    .tr(
                        .th(.text(Texts.name(lang))), .th(.text(Texts.level(lang))),
                        .th(.class("num"), .text(T("户", "Households")(lang))),
                        .th(.class("num"), .text(T("居民", "Residents")(lang))))),
                .tbody(
                    .forEach(children) { child in
                        .tr(
                            .td(.a(.href(SiteURL.registry(.node(.value(child.node.code))).path.attributeSafe), .text(child.node.name))),
                            .td(.text(RegisterFormat.level(child.node.level, lang))),
                            .td(.class("num"), .text(RegisterFormat.count(child.households))),
                            .td(.class("num"), .text(RegisterFormat.count(child.persons))))
                    })))
    }

    private static func households(_ m: NodeModel, _ page: RegistryQueries.HouseholdPage, lang: Lang) -> Node<HTML.BodyContext> {
        let showGroup = m.node.level != .buildingGroup
        var headers: [PageParts.Column] = [.init(T("地址", "Address")(lang)), .init(T("户主", "Head")(lang)), .num(T("人数", "Members")(lang))]
        if showGroup { headers.append(.init(T("楼组", "Building group")(lang))) }
        return .section(
            .id("household-list"),
            .h2(.text(T("住户（共 \(RegisterFormat.count(page.total)) 户）", "Households (\(RegisterFormat.count(page.total)))")(lang))),
            page.items.isEmpty
                ? .p(.class("muted"), .id("no-households"), .text(T("这一页没有住户。", "No households on this page.")(lang)))
                : PageParts.table(id: "households", headers: headers, rows: page.items) { row in
                    .tr(
                        .td(.a(.href(SiteURL.registry(.household(.value(row.id))).path.attributeSafe), .text(row.address))),
                        .td(.text(row.head_name ?? "—")),
                        .td(.class("num"), .text("\(row.members)")),
                        .if(
                            showGroup,
                            .td(.a(.href(SiteURL.registry(.node(.value(row.grid_code))).path.attributeSafe), .text(row.grid_name)))))
                },
            PageParts.pager(id: "households-pager", page: m.page, pageSize: m.pageSize, total: page.total, lang: lang) { number in
                SiteURL.registry(.node(.value(m.node.code))).path([("page", number > 1 ? "\(number)" : "")])
            })
    }

    // MARK: a household

    struct HouseholdModel {
        var household: RegistryQueries.HouseholdRow
        var crumbs: [GridNodeSummary]
        var members: [RegistryQueries.PersonRow]
        var aid: RegistryQueries.AidTotals
        var today: CivilDate
        /// Members who have moved out or died, by person.
        var departures: [PersonID: RegistryRecords.Departure] = [:]
        /// What the last action did (after its redirect).
        var flash: T? = nil
        /// The add-a-person form as posted when it failed, and why.
        var memberForm = MemberFields()
        var error: AppError? = nil
    }

    static func household(_ m: HouseholdModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let h = m.household
        var moves: [String] = []
        if let date = h.moved_in_on { moves.append(T("迁入 \(date)", "moved in \(date)")(lang)) }
        if let date = h.moved_out_on { moves.append(T("迁出 \(date)", "moved out \(date)")(lang)) }
        let notes = m.departures.mapValues { departureText($0, lang: lang) }
        return Layout.render(
            ctx, title: pageTitle(h.address, title(lang)), status: status,
            crumbs(m.crumbs, current: nil, then: [.li(.text(h.address))]),
            .h1(.id("household-address"), .text(h.address)),
            .p(
                .class("muted"),
                .a(.href(SiteURL.registry(.node(.value(h.grid_code))).path.attributeSafe), .text(h.grid_name)), .text(" "),
                .span(.class("mono"), .text(h.grid_code)),
                .if(!moves.isEmpty, .text(" · " + moves.joined(separator: " · ")))),
            .unwrap(m.flash) { .p(.class("flash-ok"), .id("household-flash"), .attribute(named: "role", value: "status"), .text($0(lang))) },
            .h2(.text(T("成员（\(m.members.count) 人）", "Members (\(m.members.count))")(lang))),
            personTable(m.members, id: "members", today: m.today, lang: lang, showGrid: false, notes: notes),
            addMemberForm(m, ctx: ctx),
            .h2(.text(T("累计救助", "Aid received in all")(lang))),
            aidTable(m.aid, lang: lang))
    }

    // MARK: shared parts

    /// The breadcrumb of grid nodes (each a link to its register page except `current`), then `extra`.
    static func crumbs(_ nodes: [GridNodeSummary], current: UUID?, then extra: [Node<HTML.ListContext>] = []) -> Node<HTML.BodyContext> {
        .ol(
            .class("crumbs"),
            .forEach(nodes) { node in
                .li(
                    node.id == current
                        ? .text(node.name)
                        : .a(.href(SiteURL.registry(.node(.value(node.code))).path.attributeSafe), .text(node.name)))
            },
            .group(extra))
    }

    /// Persons with masked numbers only; each name links to the person's page. Related facts
    /// share a cell (name over relation and residence, and the grid node where asked; sex and age
    /// over the birth date; ID over mobile number) so that the table fits a phone's width instead
    /// of squeezing eight columns.
    /// `notes` are set under a person's name (a member who has left: 已迁出 2026-11).
    static func personTable(
        _ rows: [RegistryQueries.PersonRow], id: String, today: CivilDate, lang: Lang, showGrid: Bool, notes: [PersonID: String] = [:]
    ) -> Node<HTML.BodyContext> {
        PageParts.table(
            id: id,
            headers: [.init(T("姓名", "Name")(lang)), .init(T("性别 · 年龄", "Sex · age")(lang)), .init(T("身份证 · 手机", "ID · mobile")(lang))],
            rows: rows
        ) { p in
            let age = RegisterFormat.age(p, today: today, lang: lang)
            return .tr(
                .td(
                    .a(.href(SiteURL.registry(.person(.value(p.id))).path.attributeSafe), .text(p.name)), .br(),
                    .span(
                        .class("muted"),
                        .span(.class("relation"), .text(RegisterFormat.relation(p.relation, lang))), .text(" · "),
                        .span(.class("residence"), .text(RegisterFormat.residence(p.residence_status, lang)))),
                    .unwrap(notes[p.id]) { .group(.br(), .span(.class("badge departed"), .text($0))) },
                    .if(
                        showGrid,
                        .group(
                            .br(),
                            .a(
                                .class("grid-node"), .href(SiteURL.registry(.node(.value(p.grid_code))).path.attributeSafe),
                                .text(p.grid_name))))),
                .td(
                    .text(RegisterFormat.sex(p.sex, lang) + " · " + age), .br(),
                    .span(.class("muted mono birth-date"), .text(RegisterFormat.born(p, lang: lang)))),
                .td(
                    .span(.class("mono id-masked"), .text(p.id_masked)), .br(),
                    .span(.class("mono phone-masked"), .text(p.phone_masked ?? "—"))))
        }
    }

    /// Cumulative aid (累积量): cash in yuan, in-kind by unit, services in hours.
    static func aidTable(_ aid: RegistryQueries.AidTotals, lang: Lang) -> Node<HTML.BodyContext> {
        func label(_ kind: AidKind) -> String { lang == .zh ? kind.nameZH : kind.nameEN }
        return .div(
            .class("table-wrap"),
            .table(
                .id("aid"),
                .tbody(
                    .tr(.th(.text(label(.cash))), .td(.class("num"), .id("aid-cash"), .text(RegisterFormat.yuan(fen: aid.cash_fen)))),
                    .tr(.th(.text(label(.inKind))), .td(.class("num"), .id("aid-in-kind"), .text(RegisterFormat.inKind(aid.in_kind, lang)))),
                    .tr(
                        .th(.text(label(.service))),
                        .td(
                            .class("num"), .id("aid-service"),
                            .text(RegisterFormat.duration(minutes: aid.service_minutes, lang)))),
                    .tr(
                        .th(.text(T("记录", "Records")(lang))),
                        .td(
                            .class("num"), .id("aid-records"),
                            .text(T("\(aid.records) 条", "\(aid.records)")(lang)))))))
    }

    /// The errors of one form field, in the reader's language.
    static func fieldErrors(_ errors: [FieldError], _ field: String, lang: Lang) -> Node<HTML.FormContext> {
        .forEach(errors.filter { $0.field == field }) { error in
            .p(.class("field-error"), .id("error-\(field)"), .text(lang == .zh ? error.messageZH : error.messageEN))
        }
    }
}
