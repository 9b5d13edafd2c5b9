import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the 组织力工程 pages (see OrganisationsPages). Phone-first: one column of cards.
enum OrganisationsViews {
    static func field(
        _ id: String, _ label: T, _ lang: Lang, type: HTMLInputType = .text, value: String = "", required: Bool = false,
        placeholder: String = ""
    ) -> Node<HTML.FormContext> {
        .group(
            .label(.for(id), .text(label(lang))),
            required
                ? .input(.id(id), .name(id), .type(type), .value(value.attributeSafe), .placeholder(placeholder.attributeSafe), .required(true))
                : .input(.id(id), .name(id), .type(type), .value(value.attributeSafe), .placeholder(placeholder.attributeSafe)))
    }

    static func flash(_ code: String?, _ lang: Lang) -> Node<HTML.BodyContext> {
        .unwrap(code) { code in
            let text: T =
                switch code {
                case "member": T("成员已加入。", "Member added.")
                case "changed": T("变更已记录。", "Change recorded.")
                case "term": T("换届已记录，新一届任期开始。", "Re-election recorded; the new term has begun.")
                case "registered": T("报到成功。", "You are registered with your community.")
                case "claimed": T("认领成功。", "Post claimed.")
                case "recorded": T("服务已记录。", "Service recorded.")
                case "post": T("岗位已设立。", "Post set up.")
                case "ended": T("该成员的任职已结束，记录保留。", "The membership has ended; its record stays.")
                case "shown": T("已记录：该成员亮明身份。", "Recorded: the member shows their identity.")
                case "hidden": T("已记录：该成员不再亮明身份。", "Recorded: the member no longer shows their identity.")
                case "leader": T("楼组长已登记。", "Building-group leader recorded.")
                case "item": T("清单事项已加入。", "Added to the list.")
                case "contract": T("共建契约已签订。", "Contract recorded.")
                case "checked": T("承诺核验已记录。", "Commitment check recorded.")
                case "points": T("积分已记入。", "Points recorded.")
                default: T("已处理。", "Done.")
                }
            return .div(.class("flash-ok"), .id("org-done"), .attribute(named: "role", value: "status"), .text(text(lang)))
        }
    }

    struct HomeModel {
        var figures: OrganisationFigures
        var kind: OrganisationKind?
        var organisations: [OrganisationRow]
        var manager: Bool
        var error: AppError?
        var page = 1
        var pageSize = 50
        var total = 0
        var openOnly = false
        /// Which form failed (`create` or `export`): its errors and values are shown there only.
        var failed: String? = nil
        /// What the failed form held.
        var form: [String: String] = [:]
        /// The grid areas in scope (one more than `nodeLimit` when there are too many for a select).
        var nodes: [OrganisationsQueries.NodeChoice] = []
        var nodeLimit = 1_000
        /// The grid areas down to micro-grids, for the export.
        var areas: [OrganisationsQueries.NodeChoice] = []
        /// The organisations a new one may stand under.
        var parents: [OrganisationsQueries.OrganisationChoice] = []
        /// Whether the role may export party organisations' members (with a purpose).
        var exportsSensitive = false
    }

    /// `/organisations` with the filters kept (kind, open only) and a page.
    static func homeLink(kind: OrganisationKind?, openOnly: Bool, page: Int = 1) -> String {
        SiteURL.organisations(.index).path([
            ("kind", kind?.rawValue ?? ""), ("open", openOnly ? "1" : ""), ("page", page > 1 ? "\(page)" : "")
        ])
    }

    static func stat(_ n: Int, _ label: T, _ lang: Lang, id: String) -> Node<HTML.BodyContext> {
        .div(.class("stat"), .id(id.attributeSafe), .div(.class("n"), .text("\(n)")), .div(.class("l"), .text(label(lang))))
    }

    static func home(_ m: HomeModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let f = m.figures
        var byKind: [OrganisationKind: Int] = [:]
        for row in f.by_kind { byKind[row.kind, default: 0] += row.open }
        return Layout.render(
            ctx, title: T("组织力工程", "Organisations")(lang), status: status,
            .h1(.text(T("组织力工程", "Organisations")(lang))),
            PageParts.errorBox(m.error, lang, id: "organisations-error"),
            .div(
                .class("grid-cards"), .id("org-figures"),
                stat(
                    f.by_kind.filter { $0.kind.isParty }.reduce(0) { $0 + $1.open },
                    T("党组织", "Party organisations"), lang, id: "fig-party"),
                stat(f.party_members, T("党员（组织内）", "Members in branches"), lang, id: "fig-members"),
                stat(f.households_showing_identity, T("亮身份党员家庭", "Member households showing identity"), lang, id: "fig-households"),
                stat(f.micro_grids_covered, T("有党组织的微网格 / \(f.micro_grids)", "Micro-grids covered / \(f.micro_grids)"), lang, id: "fig-grids"),
                stat(f.compounds_covered, T("有党组织的小区 / \(f.compounds)", "Compounds covered / \(f.compounds)"), lang, id: "fig-compounds"),
                stat(f.dual_registered, T("双报到在职党员", "In-service members registered"), lang, id: "fig-dual"),
                stat(f.model_posts, T("党员示范岗", "Model posts"), lang, id: "fig-posts"),
                stat(f.responsibility_areas, T("党员责任区", "Responsibility areas"), lang, id: "fig-areas"),
                stat(f.building_group_leaders, T("楼组长", "Building-group leaders"), lang, id: "fig-leaders")),
            .unwrap(f.owners_committees) { committeeShares($0, lang) },
            .unwrap(f.property_companies) { companyShares($0, lang) },
            .p(
                .a(.href(SiteURL.dual(.index).path), .text(T("双报到 · 双报告 →", "Dual registration and reports →")(lang))), .text(" · "),
                .a(.href(SiteURL.staff(.index).path), .text(T("干部培训与挂职 →", "Staff training and rotations →")(lang)))),
            .h2(.text(T("按类型", "By kind")(lang))),
            .ul(
                .class("chips"), .id("kinds"),
                .li(
                    .a(
                        .href(homeLink(kind: nil, openOnly: m.openOnly).attributeSafe), .class(m.kind == nil ? "active" : ""),
                        .text(T("全部", "All")(lang)))),
                .forEach(OrganisationKind.allCases) { kind in
                    .li(
                        .a(
                            .href(homeLink(kind: kind, openOnly: m.openOnly).attributeSafe), .class(kind == m.kind ? "active" : ""),
                            .text("\(kind.name(lang)) \(byKind[kind] ?? 0)")))
                }),
            .p(
                .id("open-filter"),
                m.openOnly
                    ? .a(.href(homeLink(kind: m.kind, openOnly: false).attributeSafe), .text(T("显示全部（含已撤销）", "Show all, closed ones too")(lang)))
                    : .a(.href(homeLink(kind: m.kind, openOnly: true).attributeSafe), .text(T("只看运行中的", "Open ones only")(lang))),
                .span(.class("muted"), .id("org-total"), .text(T(" · 共 \(m.total) 个", " · \(m.total) in all")(lang)))),
            m.organisations.isEmpty
                ? .p(.class("muted"), .id("organisations"), .text(T("没有组织。", "No organisations.")(lang)))
                : .ul(
                    .class("rows"), .id("organisations"),
                    .forEach(m.organisations) { o in
                        .li(
                            .class("organisation"),
                            .a(.href(SiteURL.organisations(.detail(.value(o.id))).path.attributeSafe), .strong(.text(o.name))),
                            .text(" · \(o.kind.name(lang)) · \(o.basis.name(lang))"), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    "\(o.grid_name) · " + T("成员 \(o.members)", "\(o.members) members")(lang)
                                        + (o.closed_on.map { " · " + T("已撤销 \($0)", "closed \($0)")(lang) } ?? ""))))
                    }),
            PageParts.pager(id: "org-pager", page: m.page, pageSize: m.pageSize, total: m.total, lang: lang) {
                homeLink(kind: m.kind, openOnly: m.openOnly, page: $0)
            },
            .p(
                .a(
                    .href(SiteURL.organisations(.buildingGroupLeaders).path), .id("leaders-link"),
                    .text(T("楼组长 →", "Building-group leaders →")(lang)))),
            .if(m.manager, createForm(m, ctx: ctx)),
            exportForm(m, ctx: ctx))
    }

    /// Item 7: each owners' committee's party-member share (target: at least half). Only built
    /// for roles that may see sensitive tags.
    static func committeeShares(_ s: OwnersCommitteeShares, _ lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(T("业委会党员占比", "Party members on owners' committees")(lang))),
            .p(
                .id("committee-summary"),
                .text(
                    T(
                        "\(s.committees) 个业委会，\(s.meeting_target) 个达到党员占比 50% 的目标；委员 \(s.members) 人，其中党员 \(s.party_members) 人。",
                        "\(s.committees) committees, \(s.meeting_target) meet the 50 % party-member target; \(s.members) members, \(s.party_members) of them party members."
                    )(lang))),
            .if(
                !s.rows.isEmpty,
                PageParts.table(
                    id: "committee-shares",
                    headers: [
                        .init(T("小区", "Compound")(lang)), .num(T("委员", "Members")(lang)), .num(T("党员", "Party members")(lang)),
                        .num(T("占比", "Share")(lang))
                    ],
                    rows: s.rows
                ) { r in
                    .tr(
                        .class(r.meets_target ? "committee ok" : "committee short"),
                        .td(.text(r.compound_name)), .td(.class("num"), .text("\(r.members)")),
                        .td(.class("num"), .text("\(r.party_members)")),
                        .td(.class("num"), .span(.class(r.meets_target ? "badge ok" : "badge bad"), .text("\(r.percent)%"))))
                }))
    }

    /// Item 7: each property company's staff party-member share (same target). Only built for
    /// roles that may see sensitive tags.
    static func companyShares(_ s: CompanyPartyShares, _ lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(T("物业公司从业人员党员占比", "Party members among property companies' staff")(lang))),
            .p(
                .id("company-summary"),
                .text(
                    T(
                        "\(s.companies) 家物业公司，\(s.meeting_target) 家达到党员占比 50% 的目标；从业人员 \(s.staff) 人，其中党员 \(s.party_members) 人。",
                        "\(s.companies) companies, \(s.meeting_target) meet the 50 % party-member target; \(s.staff) staff, \(s.party_members) of them party members."
                    )(lang))),
            .if(
                !s.rows.isEmpty,
                PageParts.table(
                    id: "company-shares",
                    headers: [
                        .init(T("物业公司", "Company")(lang)), .num(T("从业人员", "Staff")(lang)), .num(T("党员", "Party members")(lang)),
                        .num(T("占比", "Share")(lang))
                    ],
                    rows: s.rows
                ) { r in
                    .tr(
                        .class(r.meets_target ? "company ok" : "company short"),
                        .td(.a(.href(SiteURL.oversight(.company(.value(r.company_id))).path.attributeSafe), .text(r.company_name))),
                        .td(.class("num"), .text("\(r.staff)")), .td(.class("num"), .text("\(r.party_members)")),
                        .td(.class("num"), .span(.class(r.meets_target ? "badge ok" : "badge bad"), .text("\(r.percent)%"))))
                }))
    }

    static func createForm(_ m: HomeModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.failed == "create" ? m.error : nil
        let v = m.failed == "create" ? m.form : [:]
        let kinds = OrganisationKind.allCases.map { ($0.rawValue, $0.name(lang)) }
        let bases = OrganisationBasis.allCases.map { ($0.rawValue, $0.name(lang)) }
        let parents = [("", T("（无上级）", "(none)")(lang))] + m.parents.map { ($0.id.uuidString, "\($0.name)（\($0.kind.name(lang))）") }
        return .group(
            .h2(.text(T("新建组织", "New organisation")(lang))),
            .form(
                .id("org-create"), .class("stack"), .method(.post), .action(SiteURL.organisations(.index).path), Layout.csrfField(ctx.csrf),
                input("name", T("名称", "Name"), lang, error: error, value: v["name"] ?? "", required: true, maxLength: 100),
                choice("kind", T("类型", "Kind"), lang, error: error, options: kinds, selected: v["kind"] ?? ""),
                choice("basis", T("组建方式", "Built by"), lang, error: error, options: bases, selected: v["basis"] ?? ""),
                nodeField(
                    "node", T("所在网格（默认本级）", "Grid area (default your own)"), lang, error: error, nodes: m.nodes, limit: m.nodeLimit,
                    selected: v["node"] ?? "", first: T("（本级）", "(your own)")(lang)),
                choice("parent_id", T("上级组织", "Parent organisation"), lang, error: error, options: parents, selected: v["parent_id"] ?? ""),
                input("purpose", T("组建目的 / 项目", "Purpose / project"), lang, error: error, value: v["purpose"] ?? "", maxLength: 500),
                input("starts_on", T("成立日期", "Starts on"), lang, error: error, type: .date, value: v["starts_on"] ?? ""),
                input("ends_on", T("结束日期（仅临时党支部）", "Ends on (temporary branches only)"), lang, error: error, type: .date, value: v["ends_on"] ?? ""),
                PageParts.fieldError(error, "service_unit_id", "compound_id", lang: lang),
                .button(.type(.submit), .id("org-create-submit"), .text(T("建立", "Create")(lang)))))
    }

    /// The CSV of the organisations at or below a grid area, without party organisations'
    /// members; for roles that may see them, a second form adds them with a stated purpose
    /// (audited like the API's export). A failed export shows its errors in that second form.
    static func exportForm(_ m: HomeModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let error = m.failed == "export" ? m.error : nil
        let v = m.failed == "export" ? m.form : [:]
        return .group(
            .h2(.text(T("导出组织名册", "Export the organisations")(lang))),
            .form(
                .id("org-export"), .class("stack"), .method(.post), .action(SiteURL.organisations(.export).path), Layout.csrfField(ctx.csrf),
                nodeField(
                    "node", T("网格（默认本级）", "Grid area (default your own)"), lang, error: nil, idPrefix: "export-", nodes: m.areas,
                    limit: m.nodeLimit, selected: "", first: T("（本级）", "(your own)")(lang)),
                .p(.class("muted"), .text(T("不含党组织成员名单。", "Without party organisations' members.")(lang))),
                .button(.type(.submit), .id("org-export-submit"), .text(T("下载 CSV", "Download CSV")(lang)))),
            .if(
                m.exportsSensitive,
                .form(
                    .id("org-export-sensitive"), .class("stack"), .method(.post), .action(SiteURL.organisations(.export).path),
                    Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("sensitive"), .value("true")),
                    .p(
                        .text(
                            T(
                                "含党组织成员名单（敏感个人信息，个人信息保护法第二十八条）：须说明用途，导出留痕。",
                                "With party organisations' members (sensitive personal information, PIPL art. 28): state the purpose; the export is recorded."
                            )(lang))),
                    nodeField(
                        "node", T("网格（默认本级）", "Grid area (default your own)"), lang, error: error, idPrefix: "exports-", nodes: m.areas,
                        limit: m.nodeLimit, selected: v["node"] ?? "", first: T("（本级）", "(your own)")(lang)),
                    PurposeFields.render(
                        purpose: v["purpose"] ?? "", detail: v["purpose_detail"] ?? "", errors: error?.fields ?? [], idPrefix: "export",
                        lang: lang),
                    .button(.type(.submit), .id("org-export-sensitive-submit"), .text(T("下载含成员的 CSV", "Download CSV with members")(lang))))))
    }
}
