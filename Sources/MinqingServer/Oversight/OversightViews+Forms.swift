import Foundation
import MinqingDomain
import Plot
import Vapor

/// The oversight pages' write forms: small builders (a label above its field, phone-first), the
/// company page's contract, survey, complaint and account forms, and the committee page's member
/// and record forms. Every form carries the session's CSRF token; ids are prefixed per form so
/// two forms on one page never share an id.
extension OversightViews {
    /// A form that failed: which one (its id prefix, e.g. `contract`), the error, and what was typed,
    /// by input name. The page shows that form again as it was sent, each problem as a sentence
    /// beside its field; every other form on the page stays as it was.
    struct Posted {
        var form: String
        var error: AppError
        var values: [String: String]
    }

    /// One form as its fields need it: the id prefix, and — only when it is the form that failed —
    /// its problems and what was typed; and the page's language for the sentences.
    struct FormState {
        var form: String
        var error: AppError?
        var values: [String: String]?
        var lang: Lang

        init(_ form: String, _ posted: Posted?, _ lang: Lang) {
            self.form = form
            self.lang = lang
            if let posted, posted.form == form {
                error = posted.error
                values = posted.values
            }
        }

        /// What was typed into `name` when this form failed, else `fallback` (the stored value or the default).
        func value(_ name: String, or fallback: String = "") -> String { values?[name] ?? fallback }

        /// Whether `name` has a problem (its input then points at the sentence beside it).
        func fails(_ name: String) -> Bool { error?.fields.contains { $0.field == name } == true }

        /// The sentence(s) beside the field `name` (`p.field-error#error-<name>`), nothing when it passed.
        func problem(_ name: String) -> Node<HTML.FormContext> { PageParts.fieldError(error, name, lang: lang) }
    }

    /// A labelled input that keeps what was typed, with its problem beside it.
    static func field(
        _ f: FormState, _ name: String, _ label: String, type: HTMLInputType = .text, value: String = "", required: Bool = false,
        inputMode: String = "", placeholder: String = "", maxLength: Int? = nil
    ) -> Node<HTML.FormContext> {
        let id = "\(f.form)-\(name)"
        return .group(
            .label(.for(id), .text(label)),
            .input(
                .id(id), .name(name), .type(type), .value(f.value(name, or: value).attributeSafe), .required(required),
                .attribute(named: "inputmode", value: inputMode), .attribute(named: "placeholder", value: placeholder.attributeSafe),
                .attribute(named: "maxlength", value: maxLength.map(String.init) ?? ""),
                .attribute(named: "aria-describedby", value: f.fails(name) ? "error-\(name)" : "")),
            f.problem(name))
    }

    /// A labelled select that keeps what was chosen, with its problem beside it.
    static func choice(
        _ f: FormState, _ name: String, _ label: String, _ options: [(value: String, label: String)], selected: String? = nil,
        blank: String? = nil
    ) -> Node<HTML.FormContext> {
        let id = "\(f.form)-\(name)"
        let chosen = f.values?[name] ?? selected
        var nodes: [Node<HTML.SelectContext>] = blank.map { [.option(.value(""), .label($0.attributeSafe))] } ?? []
        nodes += options.map { .option(.value($0.value.attributeSafe), .label($0.label.attributeSafe), .isSelected($0.value == chosen)) }
        return .group(
            .label(.for(id), .text(label)),
            .select(
                .id(id), .attribute(named: "name", value: name),
                .attribute(named: "aria-describedby", value: f.fails(name) ? "error-\(name)" : ""), .group(nodes)),
            f.problem(name))
    }

    /// A labelled text area that keeps what was typed, with its problem beside it.
    static func area(
        _ f: FormState, _ name: String, _ label: String, required: Bool = false, rows: Int = 3, maxLength: Int = 2000,
        value: String = ""
    ) -> Node<HTML.FormContext> {
        let id = "\(f.form)-\(name)"
        return .group(
            .label(.for(id), .text(label)),
            .textarea(
                .id(id), .name(name), .attribute(named: "rows", value: String(rows)), .required(required),
                .attribute(named: "maxlength", value: String(maxLength)),
                .attribute(named: "aria-describedby", value: f.fails(name) ? "error-\(name)" : ""), .text(f.value(name, or: value))),
            f.problem(name))
    }

    static func postForm(_ id: String, action: String, csrf: String, submit: String, _ fields: Node<HTML.FormContext>...) -> Node<HTML.BodyContext> {
        .form(
            .class("stack"), .id(id), .method(.post), .action(action.attributeSafe), Layout.csrfField(csrf), .group(fields),
            .button(.type(.submit), .id("\(id)-submit"), .text(submit)))
    }

    static func outcomeOptions(_ lang: Lang) -> [(value: String, label: String)] {
        InspectionOutcome.allCases.map { ($0.rawValue, name($0.nameZH, $0.nameEN, lang)) }
    }

    static func categoryOptions(_ categories: [CaseCategoryRecord], _ lang: Lang) -> [(value: String, label: String)] {
        categories.filter { $0.parent_code != nil }.map { ($0.code, "\($0.code) \(name($0.name_zh, $0.name_en, lang))") }
    }

    static func flashText(_ code: String) -> T {
        switch code {
        case "inspected": T("检查已记录。", "The inspection is recorded.")
        case "closed": T("整改已销号。", "The rectification is closed.")
        case "company": T("物业公司已登记。", "The property company is registered.")
        case "contract": T("服务合同已登记。", "The contract is recorded.")
        case "survey": T("满意度测评已记录。", "The survey is recorded.")
        case "complaint": T("投诉案件已关联。", "The complaint case is linked.")
        case "answered": T("整改情况已报告，街道核实后销号。", "Your report is sent; the subdistrict checks it and closes the rectification.")
        case "complaint_answered": T("投诉答复已提交。", "Your reply to the complaint is sent.")
        case "staff": T("员工已添加。", "The staff member is added.")
        case "staff_ended": T("员工已离职。", "The staff member's service is ended.")
        case "linked": T("物业公司账号已关联。", "The property-company account is linked.")
        case "measure": T("措施状态已更新。", "The measure is updated.")
        case "committee": T("业委会已登记。", "The owners' committee is recorded.")
        case "member": T("成员已添加。", "The member is added.")
        case "record": T("记录已保存。", "The record is saved.")
        case "published": T("已公示，本小区居民可见。", "Published to the compound's residents.")
        case "shop": T("商户档案已建立。", "The shop's file is created.")
        case "pledged": T("门责制承诺已登记。", "The pledge is recorded.")
        case "project": T("项目已更新。", "The project is updated.")
        case "milestone": T("节点已添加。", "The milestone is added.")
        case "milestone_done": T("节点已完成。", "The milestone is done.")
        default: T("已处理。", "Done.")
        }
    }

    // MARK: company page

    /// Contracts, surveys and complaints forms for staff; the account link for managers.
    static func companyForms(_ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let c = m.detail.company
        let served = m.detail.contracts.map { (value: $0.compound_id.uuidString, label: $0.compound_name) }
        var seen = Set<String>()
        let servedOnce = served.filter { seen.insert($0.value).inserted }
        let contract = FormState("contract", m.posted, lang), survey = FormState("survey", m.posted, lang)
        let complaint = FormState("complaint", m.posted, lang)
        return .group(
            .if(
                m.staffForms,
                .group(
                    .h2(.text(T("登记服务合同", "Record a service contract")(lang))),
                    postForm(
                        "contract-form", action: SiteURL.oversight(.companyContracts(.value(c.id))).path, csrf: ctx.csrf,
                        submit: T("登记合同", "Record the contract")(lang),
                        choice(contract, "compound_id", T("小区", "Compound")(lang), m.compounds.map { ($0.id.uuidString, $0.name) }),
                        field(contract, "starts_on", T("开始日期（默认今天）", "Starts (default today)")(lang), type: .date),
                        field(contract, "ends_on", T("结束日期（默认三年）", "Ends (default three years)")(lang), type: .date),
                        field(
                            contract, "fee_yuan", T("物业费（元/㎡·月）", "Fee (yuan per m² and month)")(lang), inputMode: "decimal",
                            placeholder: "1.80")),
                    .h2(.text(T("记录满意度测评", "Record a satisfaction survey")(lang))),
                    servedOnce.isEmpty
                        ? .p(.class("muted"), .text(T("该公司没有服务合同。", "The company has no contract.")(lang)))
                        : postForm(
                            "survey-form", action: SiteURL.oversight(.companySurveys(.value(c.id))).path, csrf: ctx.csrf,
                            submit: T("记录测评", "Record the survey")(lang),
                            choice(survey, "compound_id", T("小区", "Compound")(lang), servedOnce),
                            field(survey, "respondents", T("参与人数", "Respondents")(lang), type: .number, required: true, inputMode: "numeric"),
                            field(survey, "satisfied", T("满意人数", "Satisfied")(lang), type: .number, required: true, inputMode: "numeric"),
                            field(survey, "surveyed_on", T("测评日期（默认今天）", "Date (default today)")(lang), type: .date)),
                    .h2(.text(T("关联投诉案件", "Link a complaint case")(lang))),
                    postForm(
                        "complaint-form", action: SiteURL.oversight(.companyComplaints(.value(c.id))).path, csrf: ctx.csrf,
                        submit: T("关联", "Link")(lang),
                        field(complaint, "case_ref", T("案件编号", "Case number")(lang), required: true, placeholder: "2026-000123", maxLength: 40),
                        .label(
                            .class("check"),
                            .input(
                                .type(.checkbox), .id("complaint-upheld"), .name("upheld"), .value("1"),
                                .checked(complaint.values?["upheld"] == "1")),
                            .text(T(" 经核实属实（扣分）", " Upheld after checking (costs points)")(lang))),
                        complaint.problem("upheld")))),
            .unwrap(m.linkedAccounts) { accounts in accountSection(accounts, m, ctx: ctx) })
    }

    /// For managers: the property-company accounts linked to the company and the form linking one.
    private static func accountSection(_ accounts: [String], _ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("物业公司账号", "Property-company accounts")(lang))),
            .p(
                .class("muted"), .id("linked-accounts"),
                .text(
                    accounts.isEmpty
                        ? T("尚未关联账号。", "No account linked yet.")(lang)
                        : T("已关联：", "Linked: ")(lang) + accounts.joined(separator: "、"))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "先在“账号管理”中新建角色为“物业公司”的账号，再在此关联；该账号只能看到本公司的信用档案。",
                        "Create an account with the role “Property company” under Accounts first, then link it here; it sees this company's credit file only."
                    )(lang))),
            postForm(
                "account-form", action: SiteURL.oversight(.companyAccounts(.value(m.detail.company.id))).path, csrf: ctx.csrf,
                submit: T("关联账号", "Link the account")(lang),
                field(FormState("account", m.posted, lang), "username", T("用户名", "Username")(lang), required: true, maxLength: 40)))
    }

    static func noCompany(ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("我的物业公司", "My company")(lang),
            .h1(.text(T("我的物业公司", "My company")(lang))),
            .p(
                .class("muted"), .id("no-company"),
                .text(T("您的账号尚未关联物业公司，请联系街道。", "Your account is not linked to a company yet; ask the subdistrict office.")(lang))))
    }

    // MARK: committee page

    static func committeeForms(
        _ d: CommitteeDetail, candidates: [OversightQueries.Choice], search: String?, posted: Posted?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let roles = OversightService.memberRoles.sorted { $0.key < $1.key }.map { (value: $0.key, label: name($0.value.0, $0.value.1, lang)) }
        let kinds = OversightService.recordKinds.sorted { $0.key < $1.key }.map { (value: $0.key, label: name($0.value.0, $0.value.1, lang)) }
        let serving = d.members.filter { $0.ended_on == nil }.map { (value: $0.id.uuidString, label: $0.name) }
        let member = FormState("member", posted, lang), record = FormState("record", posted, lang)
        return .group(
            .h2(.text(T("添加成员", "Add a member")(lang))),
            .form(
                .class("stack"), .id("member-search"), .method(.get),
                .action(SiteURL.oversight(.committee(.value(d.committee.id))).path.attributeSafe),
                .label(.for("who"), .text(T("按姓名查找本小区居民", "Find a resident of the compound by name")(lang))),
                .input(.id("who"), .name("who"), .type(.search), .value((search ?? "").attributeSafe), .attribute(named: "maxlength", value: "20")),
                .button(.type(.submit), .class("small"), .text(T("查找", "Find")(lang)))),
            candidates.isEmpty
                ? .p(.class("muted"), .id("no-candidates"), .text(T("没有可添加的本小区居民。", "Nobody of the compound to add.")(lang)))
                : postForm(
                    "member-form", action: SiteURL.oversight(.committeeMembers(.value(d.committee.id))).path, csrf: ctx.csrf,
                    submit: T("添加", "Add")(lang),
                    .input(.type(.hidden), .name("who"), .value((search ?? "").attributeSafe)),
                    choice(member, "person_id", T("居民（本小区）", "Resident (of the compound)")(lang), candidates.map { ($0.id.uuidString, $0.name) }),
                    choice(member, "role", T("职务", "Role")(lang), roles, selected: "member"),
                    field(member, "term_starts_on", T("任期开始（默认选举日）", "Term starts (default: election)")(lang), type: .date),
                    field(member, "term_ends_on", T("任期结束（默认本届届满）", "Term ends (default: end of term)")(lang), type: .date)),
            .h2(.text(T("记录纠错或退出", "Record a correction or an exit")(lang))),
            postForm(
                "record-form", action: SiteURL.oversight(.committeeRecords(.value(d.committee.id))).path, csrf: ctx.csrf,
                submit: T("保存记录", "Save the record")(lang),
                choice(record, "kind", T("类别", "Kind")(lang), kinds, selected: "correction"),
                choice(record, "member_id", T("成员（退出时必选）", "Member (required for an exit)")(lang), serving, blank: T("—", "—")(lang)),
                area(record, "reason", T("原因", "Reason")(lang), required: true)))
    }
}
