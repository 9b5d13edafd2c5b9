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
            PageParts.errorBox(m.error, lang, id: "visit-error"),
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
                            .text("\(lang == .zh ? kind.nameZH : kind.nameEN) \(byKind[kind] ?? 0)")))
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
            .if(m.manager, createForm(ctx)))
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

    static func createForm(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("新建组织", "New organisation")(lang))),
            .form(
                .id("org-create"), .class("stack"), .method(.post), .action(SiteURL.organisations(.index).path), Layout.csrfField(ctx.csrf),
                field("name", T("名称", "Name"), lang, required: true),
                .label(.for("kind"), .text(T("类型", "Kind")(lang))),
                .select(
                    .attribute(named: "id", value: "kind"), .attribute(named: "name", value: "kind"),
                    .forEach(OrganisationKind.allCases) { .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN)) }),
                .label(.for("basis"), .text(T("组建方式", "Built by")(lang))),
                .select(
                    .attribute(named: "id", value: "basis"), .attribute(named: "name", value: "basis"),
                    .forEach(OrganisationBasis.allCases) { .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN)) }),
                field("node", T("网格编码", "Grid code"), lang, placeholder: ctx.user.map { _ in "310106019-1-01" } ?? ""),
                field("parent_id", T("上级组织编号（可选）", "Parent organisation id (optional)"), lang),
                field("purpose", T("组建目的 / 项目", "Purpose / project"), lang),
                field("starts_on", T("成立日期", "Starts on"), lang, type: .date),
                field("ends_on", T("结束日期（仅临时党支部）", "Ends on (temporary branches only)"), lang, type: .date),
                .button(.type(.submit), .id("org-create-submit"), .text(T("建立", "Create")(lang)))))
    }

    struct DetailModel {
        var detail: OrganisationDetail
        var members: [MemberRow]?
        var manager: Bool
        var error: AppError?
        var flash: String?
    }

    static func actionName(_ raw: String, _ lang: Lang) -> String {
        switch raw {
        case "created": T("成立", "Created")(lang)
        case "renamed": T("更名", "Renamed")(lang)
        case "moved": T("调整隶属", "Parent changed")(lang)
        case "closed": T("撤销", "Closed")(lang)
        case "new_term": T("换届", "New term")(lang)
        default: raw
        }
    }

    static func detail(_ m: DetailModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let o = m.detail.organisation
        return Layout.render(
            ctx, title: o.name, status: status,
            .p(.a(.href(SiteURL.organisations(.index).path), .text(T("← 组织力工程", "← Organisations")(lang)))),
            .h1(.text(o.name)),
            PageParts.errorBox(m.error, lang, id: "visit-error"),
            flash(m.flash, lang),
            .div(
                .class("card"), .id("org-info"),
                .p(.text("\(o.kind.name(lang)) · \(o.basis.name(lang)) · \(o.grid_name) (\(o.grid_code))")),
                .unwrap(o.parent_name) { .p(.text(T("上级：", "Parent: ")(lang) + $0)) },
                .unwrap(o.unit_name) { .p(.text(T("单位：", "Unit: ")(lang) + $0)) },
                .if(!o.purpose.isEmpty, .p(.text(T("目的：", "Purpose: ")(lang) + o.purpose))),
                .p(
                    .text(
                        T("成立：", "Since: ")(lang) + o.starts_on
                            + (o.ends_on.map { " · " + T("计划结束：", "planned end: ")(lang) + $0 } ?? "")
                            + (o.term_ends_on.map { " · " + T("本届任期至：", "term ends: ")(lang) + $0 } ?? ""))),
                .p(
                    .id("org-state"),
                    .span(
                        .class(m.detail.open ? "badge ok" : "badge bad"),
                        .text(m.detail.open ? T("运行中", "Open")(lang) : T("已撤销", "Closed")(lang) + (o.closed_on.map { " \($0)" } ?? ""))))),
            .h2(.text(T("成员", "Members")(lang))),
            membersBlock(m, organisation: o.id, ctx: ctx),
            .if(
                !m.detail.children.isEmpty,
                .group(
                    .h2(.text(T("下级组织", "Sub-organisations")(lang))),
                    .ul(
                        .class("rows"), .id("children"),
                        .forEach(m.detail.children) { c in
                            .li(
                                .a(.href(SiteURL.organisations(.detail(.value(c.id))).path.attributeSafe), .text(c.name)),
                                .text(" · \(c.kind.name(lang))"))
                        }))),
            .h2(.text(T("变更记录", "History")(lang))),
            .ul(
                .class("rows"), .id("history"),
                .forEach(m.detail.history) { h in
                    .li(
                        .strong(.text(actionName(h.action, lang))),
                        .text(" · \(LocalTime.short(h.created_at)) · \(h.actor_name)"), .br(),
                        .span(.class("muted"), .text([h.old_value, h.new_value].compactMap { $0 }.joined(separator: " → ") + " · " + h.reason)))
                }),
            termsBlock(m, organisation: o.id, ctx: ctx),
            .if(m.manager && m.detail.open, changeForm(o.id, ctx: ctx)))
    }

    /// The terms (换届) so far and, for managers of an open organisation with terms, the form to
    /// elect the next: the day, a note, and the role of each current member in the new term.
    static func termsBlock(_ m: DetailModel, organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let o = m.detail.organisation
        let hasTerms = o.kind.termYears != nil
        guard hasTerms else { return .empty }
        let current = (m.members ?? []).filter { $0.ends_on == nil }
        let errors = m.error?.fields ?? []
        return .group(
            .h2(.text(T("任期与换届", "Terms and re-election")(lang))),
            m.detail.terms.isEmpty
                ? .p(
                    .class("muted"), .id("terms"),
                    .text(
                        T("第 1 届：\(o.starts_on) 起", "Term 1: from \(o.starts_on)")(lang)
                            + (o.term_ends_on.map { T("，至 \($0)", ", to \($0)")(lang) } ?? "")))
                : .ul(
                    .class("rows"), .id("terms"),
                    .forEach(m.detail.terms) { t in
                        .li(
                            .class(t.closed_on == nil ? "term current" : "term"),
                            .strong(.text(T("第 \(t.seq) 届", "Term \(t.seq)")(lang))),
                            .text(" · \(t.starts_on) – " + (t.closed_on ?? t.ends_on ?? "")),
                            .if(t.closed_on == nil, .span(.class("badge ok"), .text(T("本届", "Current")(lang)))), .br(),
                            .span(.class("muted"), .text("\(t.reason) · \(t.created_by)")))
                    }),
            .if(
                m.manager && m.detail.open,
                .form(
                    .id("org-term"), .class("stack"), .method(.post), .action(SiteURL.organisations(.terms(.value(organisation))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    StaffDevelopmentViews.field("elected_on", T("换届选举日期", "Election day"), lang, errors: errors, type: .date, required: true),
                    StaffDevelopmentViews.field("reason", T("说明（可选）", "Note (optional)"), lang, errors: errors),
                    .if(
                        !current.isEmpty && current.count <= 60,
                        .group(
                            .p(
                                .class("muted"),
                                .text(
                                    T(
                                        "新一届职务（未选者：书记、副书记、委员转为成员，其余不变）",
                                        "Roles in the new term (if left empty: secretaries and committee members become members, others keep theirs)")(
                                            lang))),
                            .forEach(current) { p in
                                .group(
                                    .label(.for("role-\(p.id.uuidString)".attributeSafe), .text("\(p.name) · \(p.role.name(lang))")),
                                    .select(
                                        .attribute(named: "id", value: "role-\(p.id.uuidString)".attributeSafe),
                                        .attribute(named: "name", value: "role[\(p.id.uuidString)]".attributeSafe),
                                        .option(.value(""), .label(T("（按默认）", "(default)")(lang))),
                                        .forEach(MemberRole.allCases) { .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN)) }))
                            },
                            RegistryViews.fieldErrors(errors, "roles", lang: lang))),
                    .button(.type(.submit), .id("org-term-submit"), .text(T("记录换届", "Record the re-election")(lang))))))
    }

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
                            .class(p.ends_on == nil ? "member" : "member ended"),
                            .strong(.text(p.name)), .text(" · \(p.role.name(lang)) · \(p.starts_on)" + (p.ends_on.map { " – \($0)" } ?? "")),
                            .if(
                                p.shows_identity,
                                .span(.class("badge ok"), .text(T("亮身份", "Shows identity")(lang) + (p.shows_identity_on.map { " \($0)" } ?? "")))))
                    }),
            .if(
                m.manager && m.detail.open,
                .form(
                    .id("member-add"), .class("stack"), .method(.post),
                    .action(SiteURL.organisations(.members(.value(organisation))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    field("person_id", T("居民编号", "Person id"), lang, required: true),
                    .label(.for("role"), .text(T("职务", "Role")(lang))),
                    .select(
                        .attribute(named: "id", value: "role"), .attribute(named: "name", value: "role"),
                        .forEach(MemberRole.allCases) {
                            .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN), .isSelected($0 == .member))
                        }),
                    field("starts_on", T("开始日期", "Starts on"), lang, type: .date),
                    .label(
                        .class("choice"), .for("shows_identity"),
                        .input(.type(.checkbox), .id("shows_identity"), .name("shows_identity"), .value("true")),
                        .text(T("本人同意亮明身份", "The member chooses to show their identity")(lang))),
                    .button(.type(.submit), .id("member-add-submit"), .text(T("加入", "Add")(lang))))))
    }

    static func changeForm(_ organisation: UUID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("变更", "Change")(lang))),
            .form(
                .id("org-change"), .class("stack"), .method(.post),
                .action(SiteURL.organisations(.changes(.value(organisation))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                .label(.for("action"), .text(T("变更类型", "Change")(lang))),
                .select(
                    .attribute(named: "id", value: "action"), .attribute(named: "name", value: "action"),
                    .option(.value("rename"), .label(T("更名", "Rename")(lang))),
                    .option(.value("move"), .label(T("调整隶属", "Change parent")(lang))),
                    .option(.value("close"), .label(T("撤销", "Close")(lang)))),
                field("name", T("新名称", "New name"), lang),
                field("parent_id", T("新上级组织编号", "New parent id"), lang),
                field("closed_on", T("撤销日期", "Closed on"), lang, type: .date),
                field("reason", T("原因", "Reason"), lang, required: true),
                .button(.type(.submit), .id("org-change-submit"), .text(T("记录变更", "Record the change")(lang)))))
    }

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
    }

    static func dual(_ m: DualModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("双报到", "Dual registration")(lang), status: status,
            .h1(.text(T("双报到 · 双报告", "Dual registration and reports")(lang))),
            PageParts.errorBox(m.error, lang, id: "visit-error"),
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
                    .label(.for("service_unit_id"), .text(T("工作单位", "Work unit")(lang))),
                    .select(
                        .attribute(named: "id", value: "service_unit_id"), .attribute(named: "name", value: "service_unit_id"),
                        .forEach(m.units) { .option(.value($0.id.uuidString.attributeSafe), .label($0.name.attributeSafe)) }),
                    .label(
                        .class("choice"), .for("shows_identity"),
                        .input(.type(.checkbox), .id("shows_identity"), .name("shows_identity"), .value("true")),
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
                .label(.for("post_id"), .text(T("岗位", "Post")(lang))),
                .select(
                    .attribute(named: "id", value: "post_id"), .attribute(named: "name", value: "post_id"),
                    .option(.value(""), .label(T("（不限岗位）", "(no particular post)")(lang))),
                    .forEach(m.posts.filter { m.claimed.contains($0.id) }) {
                        .option(.value($0.id.uuidString.attributeSafe), .label($0.name.attributeSafe))
                    }),
                field("served_on", T("服务日期", "Date"), lang, type: .date, value: m.today, required: true),
                field("minutes", T("时长（分钟）", "Minutes"), lang, type: .number, required: true),
                field("description", T("服务内容", "What you did"), lang, required: true),
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
                        .text(" · \(u.unit_kind) · "),
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

    static func listName(_ raw: String, _ lang: Lang) -> String {
        switch raw {
        case "problem": T("问题清单", "Problems")(lang)
        case "resource": T("资源清单", "Resources")(lang)
        case "project": T("项目清单", "Projects")(lang)
        default: raw
        }
    }

    static func coBuilding(_ c: UnitCoBuilding, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: c.unit.name,
            .p(.a(.href(SiteURL.dual(.index).path), .text(T("← 双报到", "← Dual registration")(lang)))),
            .h1(.text(T("共建档案：\(c.unit.name)", "Co-building: \(c.unit.name)")(lang))),
            .h2(.text(T("清单", "Lists")(lang))),
            c.items.isEmpty
                ? .p(.class("muted"), .id("items"), .text(T("暂无清单。", "No lists yet.")(lang)))
                : .ul(
                    .class("rows"), .id("items"),
                    .forEach(c.items) { i in
                        .li(
                            .span(.class("badge"), .text(listName(i.list_kind, lang))), .text(" "), .strong(.text(i.title)),
                            .if(!i.detail.isEmpty, .group(.br(), .span(.class("muted"), .text(i.detail)))))
                    }),
            .h2(.text(T("共建契约", "Contracts")(lang))),
            .ul(
                .class("rows"), .id("contracts"),
                .forEach(c.contracts) { k in
                    .li(
                        .strong(.text(k.title)), .text(" · \(k.community) · \(k.starts_on) – \(k.ends_on)"),
                        .ul(
                            .forEach(k.commitments) { m in
                                .li(
                                    .text(
                                        (m.side == "unit" ? T("单位承诺：", "Unit: ") : T("社区承诺：", "Community: "))(lang) + m.content + " · \(m.due_on) "),
                                    .span(
                                        .class(m.delivered == nil ? "badge" : (m.delivered == true ? "badge ok" : "badge bad")),
                                        .text(
                                            m.delivered == nil
                                                ? T("待核验", "To check")(lang)
                                                : (m.delivered == true ? T("已兑现", "Delivered")(lang) : T("未兑现", "Missed")(lang)))))
                            }))
                }),
            .h2(.text(T("积分", "Points")(lang))),
            .p(.id("points-total"), .strong(.text(T("合计 \(c.points_total) 分", "Total \(c.points_total) points")(lang)))),
            .ul(
                .class("rows"), .id("points"),
                .forEach(c.points) { p in
                    .li(
                        .strong(.text("\(p.points > 0 ? "+" : "")\(p.points)")), .text(" · \(p.earned_on) · \(p.explanation)"), .br(),
                        .span(.class("muted"), .text(p.reason)))
                }))
    }
}
