import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the 6543 oversight pages (see OversightPages). Phone-first: one column of cards;
/// the credit ledger is a list whose every line shows the points, the reason and the date.
enum OversightViews {
    static func name(_ zh: String, _ en: String, _ lang: Lang) -> String { lang == .zh ? zh : en }

    static func standingBadge(_ standing: ListStanding, _ lang: Lang, id: String? = nil) -> Node<HTML.BodyContext> {
        let css = standing == .redList ? "badge ok" : (standing == .blackList ? "badge warn" : "badge")
        return .span(
            .class(css), .unwrap(id) { .id($0.attributeSafe) },
            .text(name(standing.nameZH, standing.nameEN, lang)))
    }

    static func points(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }

    static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let v = abs(fen)
        return "\(sign)¥\(v / 100).\(String(format: "%02d", Int(v % 100)))"
    }

    static func sourceName(_ source: CreditSource, _ lang: Lang) -> String {
        name(source.nameZH, source.nameEN, lang)
    }

    static func flash(_ code: String?, _ lang: Lang) -> Node<HTML.BodyContext> {
        .unwrap(code) { code in
            let text = flashText(code)
            return .div(.class("flash-ok"), .id("oversight-done"), .attribute(named: "role", value: "status"), .text(text(lang)))
        }
    }

    // MARK: overview

    struct OverviewModel {
        var companies: [CompanyRow]
        var committees: [CommitteeRow]
        var partyShare: OversightQueries.PartyShareSummary?
        var checklists: [ChecklistRow]
        var programmes: [ProgrammeRow]
        var shops: [ShopRow]
        var shopCounts: OversightQueries.ShopCounts
    }

    static func overview(_ m: OverviewModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("6543 小区治理", "6543 compound governance")(lang),
            .h1(.text(T("6543 小区治理", "6543 compound governance")(lang))),
            .h2(.text(T("物业公司红黑榜", "Property companies: red and black list")(lang))),
            m.companies.isEmpty
                ? .p(.class("muted"), .id("companies"), .text(T("暂无物业公司。", "No property companies yet.")(lang)))
                : .ul(
                    .class("rows"), .id("companies"),
                    .forEach(m.companies) { c in
                        .li(
                            .class("company"), .id("company-\(c.id.uuidString)".attributeSafe),
                            .a(.href(SiteURL.oversight(.company(.value(c.id))).path.attributeSafe), .strong(.text(c.name))), .text(" "),
                            standingBadge(c.standing, lang), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    T("信用分 \(c.score) · 服务 \(c.compounds) 个小区 · ", "Score \(c.score) · \(c.compounds) compounds · ")(lang)
                                        + name(c.standing_reason_zh, c.standing_reason_en, lang))))
                    }),
            .h2(.text(T("业委会", "Owners' committees")(lang))),
            .unwrap(m.partyShare) { s in
                .p(
                    .id("party-share-summary"),
                    .text(
                        T(
                            "党员比例达到 50% 的业委会：\(s.meeting_target)/\(s.committees)（成员 \(s.members) 人，其中党员 \(s.party_members) 人）",
                            "Committees meeting the 50 % party-member target: \(s.meeting_target)/\(s.committees) (\(s.party_members) of \(s.members) members)"
                        )(lang)))
            },
            .ul(
                .class("rows"), .id("committees"),
                .forEach(m.committees.prefix(30)) { c in
                    .li(
                        .a(.href(SiteURL.oversight(.committee(.value(c.id))).path.attributeSafe), .text(c.compound_name)),
                        .span(
                            .class("muted"),
                            .text(" · " + T("成员 \(c.members) 人 · 任期至 \(c.term_ends_on)", "\(c.members) members · term to \(c.term_ends_on)")(lang))))
                }),
            .h2(.text(T("五大关切", "The five concerns")(lang))),
            .ul(
                .class("rows"), .id("programmes"),
                .forEach(m.programmes) { p in
                    .li(
                        .class("programme"), .strong(.text(name(p.name_zh, p.name_en, lang))), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                T(
                                    "项目 \(p.projects) 个 · 预算 \(yuan(p.budget_fen)) · 已支出 \(yuan(p.spent_fen)) · 节点 \(p.milestones_done)/\(p.milestones)",
                                    "\(p.projects) projects · budget \(yuan(p.budget_fen)) · spent \(yuan(p.spent_fen)) · milestones \(p.milestones_done)/\(p.milestones)"
                                )(lang))),
                        .ul(
                            .forEach(p.items.prefix(5)) { item in
                                .li(
                                    .a(.href(SiteURL.oversight(.project(.value(item.id))).path.attributeSafe), .text(item.name)),
                                    .text(" · \(item.department) · \(item.leader_name)"))
                            }))
                }),
            .h2(.text(T("分类治理清单", "Checklists by compound type")(lang))),
            .ul(
                .class("rows"), .id("checklists"),
                .forEach(m.checklists) { c in
                    .li(
                        .class("checklist"),
                        .a(.href(SiteURL.oversight(.compound(.value(c.compound_id))).path.attributeSafe), .strong(.text(c.compound_name))),
                        .text(" · "),
                        .text(CompoundType(rawValue: c.compound_type).map { name($0.nameZH, $0.nameEN, lang) } ?? c.compound_type),
                        .text(" · " + T("目标：", "Goal: ")(lang) + c.goal_zh), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                T("进度 \(c.done)/\(c.total)（\(c.percent)%）", "Progress \(c.done)/\(c.total) (\(c.percent) %)")(lang)
                                    + (c.lead_department.map { " · " + T("牵头：", "Lead: ")(lang) + $0 + " " + (c.leader_name ?? "") } ?? ""))),
                        .ul(
                            .forEach(c.measures) { measure in
                                .li(
                                    .text(
                                        "\(name(measure.name_zh, measure.name_en, lang))："
                                            + name(measure.status.nameZH, measure.status.nameEN, lang)))
                            }))
                }),
            .h2(.text(T("一店一档 · 门责制", "Shop files · frontage pledges")(lang))),
            .p(
                .id("shop-counts"),
                .text(
                    T(
                        "商户 \(m.shopCounts.shops) 家，已签门责制 \(m.shopCounts.pledged) 家 · ",
                        "\(m.shopCounts.shops) shops, \(m.shopCounts.pledged) pledged · ")(lang)),
                .a(.id("all-shops"), .href(SiteURL.oversight(.shops).path), .text(T("全部商户、建档", "All shops, register one")(lang)))),
            .ul(
                .class("rows"), .id("shops"),
                .forEach(m.shops) { s in
                    .li(
                        .a(.href(SiteURL.oversight(.shop(.value(s.id))).path.attributeSafe), .strong(.text(s.name))),
                        .text(" · \(s.category) · \(s.address)"), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                "\(s.contact_name) \(s.phone_masked ?? "") · \(s.grid_name)"
                                    + (s.pledged_on.map { " · " + T("门责制 \($0)", "pledged \($0)")(lang) } ?? ""))))
                }))
    }

    // MARK: company

    struct CompanyModel {
        var detail: CompanyDetail
        var categories: [CaseCategoryRecord]
        var error: AppError?
        var flash: String?
        /// Grid staff see the write forms; a property-company account reads only.
        var staffForms = true
        /// Compounds in scope, for the contract form.
        var compounds: [OversightQueries.Choice] = []
        /// For managers: the property-company accounts linked (nil: the section is not shown).
        var linkedAccounts: [String]?
        /// The staff form's find-by-name text and the persons it found (staff only; nil before a search).
        var staffSearch: String?
        var staffCandidates: [OversightQueries.Choice]?
    }

    static func company(_ m: CompanyModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let c = m.detail.company
        return Layout.render(
            ctx, title: c.name, status: status,
            .p(.a(.href(SiteURL.oversight(.index).path), .text(T("← 6543 小区治理", "← 6543 governance")(lang)))),
            .h1(.text(c.name)),
            PageParts.errorBox(m.error, lang, id: "visit-error"),
            flash(m.flash, lang),
            companyCredit(m.detail, lang),
            companyRectifications(m, ctx: ctx),
            inspectionForm(m, ctx: ctx),
            companyRecords(m.detail, lang),
            companyStaff(m, ctx: ctx),
            companyForms(m, ctx: ctx))
    }

    /// The standing card and the credit file: the base score and every entry with its reason.
    private static func companyCredit(_ d: CompanyDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        let c = d.company
        return .group(
            .div(
                .class("card"), .id("standing"),
                .p(
                    .text(T("信用分：", "Credit score: ")(lang)), .strong(.id("score"), .text("\(c.score)")), .text(" "),
                    standingBadge(c.standing, lang, id: "standing-badge")),
                .p(.id("standing-reason"), .text(name(c.standing_reason_zh, c.standing_reason_en, lang))),
                .p(
                    .class("muted"),
                    .text(T("统一社会信用代码 \(c.licence_code) · 负责人 \(c.manager_name)", "Licence \(c.licence_code) · manager \(c.manager_name)")(lang)))),
            .h2(.text(T("信用档案（每一分的来由）", "Credit file (why every point)")(lang))),
            .p(
                .class("muted"), .id("score-sum"),
                .text(
                    T(
                        "基础分 \(d.base) + 各项合计 \(points(d.entries.reduce(0) { $0 + $1.points })) = \(c.score)",
                        "Base \(d.base) + entries \(points(d.entries.reduce(0) { $0 + $1.points })) = \(c.score)")(lang))),
            .ol(
                .class("rows"), .id("ledger"),
                .forEach(d.entries) { e in
                    .li(
                        .class("entry"), .id("entry-\(e.id.uuidString)".attributeSafe),
                        .strong(.class(e.points < 0 ? "minus" : "plus"), .text(points(e.points))), .text(" · \(e.entry_date) · "),
                        .text(name(e.reason_zh, e.reason_en, lang)),
                        .span(.class("muted"), .text(" · \(sourceName(e.source, lang)) · \(e.rule_code)")))
                }))
    }

    /// The rectifications, open and completed; staff close an open one with a note on what was done.
    private static func companyRectifications(_ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let d = m.detail
        return .group(
            .h2(.text(T("整改", "Rectifications")(lang))),
            d.rectifications.isEmpty
                ? .p(.class("muted"), .id("rectifications"), .text(T("无整改。", "None.")(lang)))
                : .ul(
                    .class("rows"), .id("rectifications"),
                    .forEach(d.rectifications) { r in
                        .li(
                            .class("rectification"), .text(name(r.reason_zh, r.reason_en, lang)), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    T("\(r.opened_on) 起，限 \(r.due_on) 前 · ", "from \(r.opened_on), due \(r.due_on) · ")(lang)
                                        + (r.status == "open"
                                            ? T("整改中", "open")(lang) : T("已完成 \(r.closed_on ?? "")", "completed \(r.closed_on ?? "")")(lang)))),
                            .if(
                                r.status == "open" && m.staffForms,
                                .form(
                                    .class("stack"), .method(.post),
                                    .action(SiteURL.oversight(.rectificationClose(.value(r.id))).path.attributeSafe),
                                    Layout.csrfField(ctx.csrf),
                                    .input(
                                        .type(.text), .name("note"), .required(true), .attribute(named: "maxlength", value: "1000"),
                                        .attribute(named: "aria-label", value: T("整改情况", "What was done")(lang)),
                                        .placeholder(T("整改情况", "What was done")(lang))),
                                    .button(.type(.submit), .class("small"), .text(T("销号", "Close")(lang))))))
                    }))
    }

    /// Staff record an inspection of a compound under contract; a finding may open a case. Nothing
    /// for a property-company account.
    private static func inspectionForm(_ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        guard m.staffForms else { return .empty }
        let lang = ctx.lang
        let d = m.detail, c = d.company
        let outcomes: [Node<HTML.SelectContext>] = InspectionOutcome.allCases.map {
            .option(.value($0.rawValue), .label(name($0.nameZH, $0.nameEN, lang)))
        }
        let compounds: [Node<HTML.SelectContext>] = d.contracts.map {
            .option(.value($0.compound_id.uuidString.attributeSafe), .label($0.compound_name.attributeSafe))
        }
        let categories: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("不立案", "No case")(lang)))]
            + m.categories.filter { $0.parent_code != nil }.map {
                .option(.value($0.code.attributeSafe), .label("\($0.code) \(name($0.name_zh, $0.name_en, lang))".attributeSafe))
            }
        return .group(
            .h2(.text(T("记录检查", "Record an inspection")(lang))),
            d.contracts.isEmpty
                ? .p(.class("muted"), .text(T("该公司没有服务合同。", "The company has no contract.")(lang)))
                : .form(
                    .class("stack"), .id("inspection-form"), .method(.post),
                    .action(SiteURL.oversight(.companyInspections(.value(c.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    .label(.for("compound_id"), .text(T("小区", "Compound")(lang))),
                    .select(.id("compound_id"), .attribute(named: "name", value: "compound_id"), .group(compounds)),
                    .label(.for("outcome"), .text(T("检查结果", "Outcome")(lang))),
                    .select(.id("outcome"), .attribute(named: "name", value: "outcome"), .group(outcomes)),
                    .label(.for("finding"), .text(T("发现的问题", "Finding")(lang))),
                    .textarea(
                        .id("finding"), .name("finding"), .attribute(named: "rows", value: "3"), .attribute(named: "maxlength", value: "2000"),
                        .text("")),
                    .label(.for("case_category"), .text(T("转为案件（选择小类）", "Open a case (sub-category)")(lang))),
                    .select(.id("case_category"), .attribute(named: "name", value: "case_category"), .group(categories)),
                    .button(.type(.submit), .id("inspect"), .text(T("记录检查", "Record")(lang)))))
    }

    /// What is on file: inspections (with the cases they opened), contracts, the latest surveys and
    /// the complaints.
    private static func companyRecords(_ d: CompanyDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(T("检查记录", "Inspections")(lang))),
            .ul(
                .class("rows"), .id("inspections"),
                .forEach(d.inspections) { i in
                    .li(
                        .class("inspection"),
                        .text(
                            "\(i.inspected_on) · \(i.compound_name ?? "") · "
                                + name(i.outcome.nameZH, i.outcome.nameEN, lang) + " · \(i.finding)"),
                        .unwrap(i.case_id) { caseID in
                            .group(
                                .text(" · "),
                                .a(
                                    .class("case-link"), .href(SiteURL.cases(.detail(.value(CaseID(caseID)))).path.attributeSafe),
                                    .text(T("案件 ", "Case ")(lang) + (i.case_number ?? ""))))
                        })
                }),
            .h2(.text(T("服务合同", "Contracts")(lang))),
            .ul(
                .class("rows"), .id("contracts"),
                .forEach(d.contracts) { k in
                    .li(
                        .text(
                            "\(k.compound_name) · \(k.starts_on)–\(k.ends_on) · "
                                + T("物业费 \(yuan(Int64(k.fee_fen_per_m2)))/㎡·月", "fee \(yuan(Int64(k.fee_fen_per_m2)))/m²·month")(lang)))
                }),
            .h2(.text(T("满意度测评", "Satisfaction surveys")(lang))),
            .ul(
                .class("rows"), .id("surveys"),
                .forEach(d.surveys.prefix(20)) { s in
                    .li(
                        .text(
                            "\(s.surveyed_on) · \(s.compound_name) · "
                                + T("满意 \(s.satisfied)/\(s.respondents)", "\(s.satisfied) of \(s.respondents) satisfied")(lang)))
                }),
            .h2(.text(T("投诉", "Complaints")(lang))),
            .ul(
                .class("rows"), .id("complaints"),
                .forEach(d.complaints) { q in
                    .li(
                        .a(.href(SiteURL.cases(.detail(.value(CaseID(q.case_id)))).path.attributeSafe), .text(q.case_number)),
                        .text(" · " + (q.upheld ? T("属实", "upheld")(lang) : T("不属实", "not upheld")(lang))))
                }))
    }

    // MARK: committee

    /// Yuan typed with at most two decimals ("1234.5") as integer fen, without floating point.
    static func fen(fromYuan text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole < 100_000_000_000 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int64(digits) else { return nil }
            cents = digits.count == 1 ? value * 10 : value
        }
        return whole * 100 + cents
    }

    static func committee(
        _ d: CommitteeDetail, ctx: PageContext, error: AppError? = nil, flash code: String? = nil, status: HTTPStatus = .ok,
        candidates: [OversightQueries.Choice]? = nil, search: String? = nil
    ) -> Response {
        let lang = ctx.lang
        let kinds: [Node<HTML.SelectContext>] = OversightService.disclosureKinds.sorted { $0.key < $1.key }.map {
            .option(.value($0.key.attributeSafe), .label(name($0.value.0, $0.value.1, lang)))
        }
        return Layout.render(
            ctx, title: d.committee.compound_name + T(" 业委会", " owners' committee")(lang), status: status,
            .p(.a(.href(SiteURL.oversight(.index).path), .text(T("← 6543 小区治理", "← 6543 governance")(lang)))),
            .h1(.text(d.committee.compound_name + T(" 业委会", " owners' committee")(lang))),
            PageParts.errorBox(error, lang, id: "visit-error"),
            flash(code, lang),
            .p(
                .class("muted"),
                .text(
                    T(
                        "选举 \(d.committee.elected_on) · 任期至 \(d.committee.term_ends_on)",
                        "Elected \(d.committee.elected_on) · term to \(d.committee.term_ends_on)")(lang))),
            .unwrap(d.party_share) { s in
                .p(
                    .id("party-share"), .class(s.meets_target ? "badge ok" : "badge warn"),
                    .text(
                        T(
                            "党员 \(s.party_members)/\(s.members)（\(s.percent)%），目标 ≥ 50%：" + (s.meets_target ? "已达到" : "未达到"),
                            "Party members \(s.party_members)/\(s.members) (\(s.percent) %), target ≥ 50 %: " + (s.meets_target ? "met" : "not met"))(
                                lang)))
            },
            .h2(.text(T("成员", "Members")(lang))),
            .ul(
                .class("rows"), .id("members"),
                .forEach(d.members) { mbr in
                    .li(
                        .class(mbr.ended_on == nil ? "member" : "member ended"),
                        .text(
                            "\(mbr.name) · " + (OversightService.memberRoles[mbr.role].map { name($0.0, $0.1, lang) } ?? mbr.role)
                                + " · \(mbr.term_starts_on)–\(mbr.term_ends_on)"
                                + (mbr.ended_on.map { T(" · \($0) 退出", " · left \($0)")(lang) } ?? "")),
                        .if(mbr.party_member == true, .span(.class("badge"), .text(T("党员", "Party member")(lang)))))
                }),
            .h2(.text(T("纠错与退出", "Corrections and exits")(lang))),
            .ul(
                .class("rows"), .id("records"),
                .forEach(d.records) { r in
                    .li(
                        .text(
                            "\(r.recorded_on) · " + (OversightService.recordKinds[r.kind].map { name($0.0, $0.1, lang) } ?? r.kind) + " · \(r.reason)"
                        ))
                }),
            .unwrap(candidates) { committeeForms(d, candidates: $0, search: search, ctx: ctx) },
            .h2(.text(T("信息公开", "Disclosures")(lang))),
            .form(
                .class("stack"), .id("disclosure-form"), .method(.post),
                .action(SiteURL.oversight(.committeeDisclosures(.value(d.committee.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
                .label(.for("kind"), .text(T("类别", "Kind")(lang))),
                .select(.id("kind"), .attribute(named: "name", value: "kind"), .group(kinds)),
                .label(.for("title"), .text(T("标题", "Title")(lang))),
                .input(.id("title"), .name("title"), .type(.text), .required(true), .attribute(named: "maxlength", value: "120")),
                .label(.for("body"), .text(T("内容", "Text")(lang))),
                .textarea(.id("body"), .name("body"), .attribute(named: "rows", value: "3"), .required(true), .text("")),
                .label(.for("amount_yuan"), .text(T("金额（元，可选）", "Amount (yuan, optional)")(lang))),
                .input(.id("amount_yuan"), .name("amount_yuan"), .type(.text), .attribute(named: "inputmode", value: "decimal")),
                .button(.type(.submit), .id("publish"), .text(T("公示", "Publish")(lang)))),
            disclosureList(d.disclosures, lang: lang))
    }

    static func disclosureList(_ rows: [DisclosureRow], lang: Lang) -> Node<HTML.BodyContext> {
        rows.isEmpty
            ? .p(.class("muted"), .id("disclosures"), .text(T("暂无公示。", "Nothing published yet.")(lang)))
            : .ul(
                .class("rows"), .id("disclosures"),
                .forEach(rows) { r in
                    .li(
                        .class("disclosure"), .id("disclosure-\(r.id.uuidString)".attributeSafe),
                        .strong(.text(r.title)),
                        .text(" · " + (OversightService.disclosureKinds[r.kind].map { name($0.0, $0.1, lang) } ?? r.kind) + " · \(r.published_on)"),
                        .unwrap(r.amount_fen) { .text(" · \(yuan($0))") }, .br(),
                        .span(.class("muted"), .text(r.body)))
                })
    }

    // MARK: resident

    static func myCompound(_ compounds: [MyCompound], ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("我的小区", "My compound")(lang),
            .h1(.text(T("我的小区", "My compound")(lang))),
            compounds.isEmpty
                ? .p(
                    .class("muted"), .id("no-compound"),
                    .text(T("您的账号尚未关联住户，请联系居委会。", "Your account is not linked to a household yet; ask the residents' committee.")(lang)))
                : .group(
                    compounds.map { c in
                        .div(
                            .class("card compound"), .id("compound-\(c.compound_id.uuidString)".attributeSafe),
                            .h2(.text(c.compound_name)),
                            .p(
                                .class("muted"),
                                .text(
                                    (CompoundType(rawValue: c.compound_type).map { name($0.nameZH, $0.nameEN, lang) } ?? c.compound_type)
                                        + T(" · 治理目标：", " · goal: ")(lang) + c.goal_zh)),
                            .h3(.text(T("物业公司", "Property company")(lang))),
                            .ul(
                                .class("rows"), .id("my-companies"),
                                .forEach(c.companies) { co in
                                    .li(
                                        .strong(.text(co.name)), .text(" "), standingBadge(co.standing, lang), .br(),
                                        .span(
                                            .class("muted"),
                                            .text(
                                                T("信用分 \(co.score) · ", "Score \(co.score) · ")(lang)
                                                    + name(co.standing_reason_zh, co.standing_reason_en, lang))))
                                }),
                            .h3(.text(T("业委会信息公开", "Owners' committee disclosures")(lang))),
                            disclosureList(c.disclosures, lang: lang))
                    }))
    }
}
