import Foundation
import MinqingDomain
import Plot
import Vapor

/// A property company's page: the standing and the credit file line by line, the rectifications
/// (staff close them; the company's own account reports on them), the inspection form, what is on
/// file (inspections, contracts, surveys, complaints with the company's replies), the staff, and
/// the staff's and managers' forms. A form that failed shows again as it was sent, each problem
/// beside its field.
extension OversightViews {
    struct CompanyModel {
        var detail: CompanyDetail
        var categories: [CaseCategoryRecord]
        /// The form that failed, if one did (nil: the page as it is).
        var posted: Posted?
        var flash: String?
        /// Grid staff see the write forms; a property-company account does not.
        var staffForms = true
        /// The company's own account: its report on each open rectification, its reply to each complaint.
        var answerForms = false
        /// Compounds in scope, for the contract form.
        var compounds: [OversightQueries.Choice] = []
        /// For managers: the property-company accounts linked (nil: the section is not shown).
        var linkedAccounts: [String]?
        /// The staff form's find-by-name text and the persons it found (staff only; nil before a search).
        var staffSearch: String?
        var staffCandidates: [OversightQueries.Choice]?
    }

    static func company(_ m: CompanyModel, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let c = m.detail.company
        return Layout.render(
            ctx, title: c.name, status: m.posted?.error.status ?? .ok,
            .if(m.staffForms, back(lang)),
            .h1(.text(c.name)),
            PageParts.errorBox(m.posted?.error, lang, id: "oversight-error"),
            flash(m.flash, lang),
            companyCredit(m.detail, lang),
            companyRectifications(m, ctx: ctx),
            inspectionForm(m, ctx: ctx),
            companyRecords(m, ctx: ctx),
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

    /// The rectifications, open and completed, each with the company's reports; staff close an open
    /// one with a note on what was done, the company's own account reports on it.
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
                            .class("rectification"), .id("rectification-\(r.id.uuidString)".attributeSafe),
                            .text(name(r.reason_zh, r.reason_en, lang)), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    T("\(r.opened_on) 起，限 \(r.due_on) 前 · ", "from \(r.opened_on), due \(r.due_on) · ")(lang)
                                        + (r.status == "open"
                                            ? T("整改中", "open")(lang) : T("已完成 \(r.closed_on ?? "")", "completed \(r.closed_on ?? "")")(lang)))),
                            answerList(d.answers.filter { $0.rectification_id == r.id }, lang: lang),
                            .if(r.status == "open" && m.staffForms, closeForm(r, m, ctx: ctx)),
                            .if(r.status == "open" && m.answerForms, rectificationAnswerForm(r, m, ctx: ctx)))
                    }))
    }

    /// Staff close an open rectification with a note on what was done.
    private static func closeForm(_ r: RectificationRow, _ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return postForm(
            "close-\(r.id.uuidString)-form", action: SiteURL.oversight(.rectificationClose(.value(r.id))).path, csrf: ctx.csrf,
            submit: T("销号", "Close")(lang),
            field(
                FormState("close-\(r.id.uuidString)", m.posted, lang), "note", T("整改情况", "What was done")(lang), required: true,
                maxLength: 1000))
    }

    /// Staff record an inspection of a compound under contract; a finding may open a case. Nothing
    /// for a property-company account.
    private static func inspectionForm(_ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        guard m.staffForms else { return .empty }
        let lang = ctx.lang
        let d = m.detail, c = d.company
        let f = FormState("inspection", m.posted, lang)
        let outcome = f.value("outcome"), compound = f.value("compound_id"), category = f.value("case_category")
        let outcomes: [Node<HTML.SelectContext>] = InspectionOutcome.allCases.map {
            .option(.value($0.rawValue), .label(name($0.nameZH, $0.nameEN, lang)), .isSelected($0.rawValue == outcome))
        }
        let compounds: [Node<HTML.SelectContext>] = d.contracts.map {
            .option(
                .value($0.compound_id.uuidString.attributeSafe), .label($0.compound_name.attributeSafe),
                .isSelected($0.compound_id.uuidString == compound))
        }
        let categories: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("不立案", "No case")(lang)))]
            + m.categories.filter { $0.parent_code != nil }.map {
                .option(
                    .value($0.code.attributeSafe), .label("\($0.code) \(name($0.name_zh, $0.name_en, lang))".attributeSafe),
                    .isSelected($0.code == category))
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
                    f.problem("compound_id"),
                    .label(.for("outcome"), .text(T("检查结果", "Outcome")(lang))),
                    .select(.id("outcome"), .attribute(named: "name", value: "outcome"), .group(outcomes)),
                    f.problem("outcome"),
                    .label(.for("finding"), .text(T("发现的问题", "Finding")(lang))),
                    .textarea(
                        .id("finding"), .name("finding"), .attribute(named: "rows", value: "3"), .attribute(named: "maxlength", value: "2000"),
                        .text(f.value("finding"))),
                    f.problem("finding"),
                    .label(.for("case_category"), .text(T("转为案件（选择小类）", "Open a case (sub-category)")(lang))),
                    .select(.id("case_category"), .attribute(named: "name", value: "case_category"), .group(categories)),
                    f.problem("case_category"),
                    .button(.type(.submit), .id("inspect"), .text(T("记录检查", "Record")(lang)))))
    }

    /// What is on file: inspections (with the cases they opened), contracts, the latest surveys and
    /// the complaints with the company's replies (and, for its own account, the reply form).
    private static func companyRecords(_ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let d = m.detail
        return .group(
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
                        .class("complaint"), .id("complaint-\(q.id.uuidString)".attributeSafe),
                        // The company answers from here; the case page (with the submitter) is staff's.
                        m.answerForms
                            ? .strong(.text(q.case_number))
                            : .a(.href(SiteURL.cases(.detail(.value(CaseID(q.case_id)))).path.attributeSafe), .text(q.case_number)),
                        .text(" · " + (q.upheld ? T("属实", "upheld")(lang) : T("不属实", "not upheld")(lang))),
                        .p(.class("complaint-text"), .text(q.case_description)),
                        answerList(d.answers.filter { $0.complaint_id == q.id }, lang: lang),
                        .if(m.answerForms, complaintAnswerForm(q, m, ctx: ctx)))
                }))
    }
}
