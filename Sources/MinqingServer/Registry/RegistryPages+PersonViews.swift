import Foundation
import MinqingDomain
import Plot
import Vapor

extension RegistryViews {
    // MARK: a person

    struct PersonModel {
        struct Revealed { var field: String; var value: String }
        var person: RegistryQueries.PersonRow
        var household: RegistryQueries.HouseholdRow?
        var crumbs: [GridNodeSummary]
        /// Current and ended assignments, sensitive ones already left out for roles that may not see them.
        var tags: [RegistryQueries.TagRow]
        var aid: RegistryQueries.AidTotals
        var today: CivilDate
        var mayReveal: Bool
        /// The plain number just shown (this response only).
        var revealed: Revealed? = nil
        /// The reveal form's errors and values when it is shown again.
        var errors: [FieldError] = []
        var field: String = "id_number"
        var purpose: String = ""
        var purposeDetail: String = ""
        /// The person's ID number was found to belong to someone else (an identity hold).
        var unverified = false
        /// The tags the role may give (sensitive ones only for roles that may see them).
        var catalogue: [RegistryQueries.CatalogueRow] = []
        /// The give-a-tag form's values and errors when it is shown again.
        var tagForm = TagForm()
        /// The end form that failed, and why.
        var endFailure: (assignment: UUID, errors: [FieldError])? = nil
        /// What the last tag action did (after its redirect).
        var flash: T? = nil
        /// Set once the person has moved out or died.
        var departure: RegistryRecords.Departure? = nil
        /// The person's help requests, newest first.
        var helpRequests: [RegistryQueries.HelpRequestRow] = []
        /// The aid programmes the role may see, offered by name on the aid form.
        var programmes: [AidProgrammes.Row] = []
        /// The record forms (departure, help, aid) as posted when one failed.
        var forms = PersonForms()
        /// What the last record form did (after its redirect).
        var recordFlash: T? = nil
    }

    struct TagForm {
        var code = ""
        var startsOn = ""
        var source = "manual"
        var errors: [FieldError] = []
    }

    static func person(_ m: PersonModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let p = m.person
        var trail: [Node<HTML.ListContext>] = []
        if let household = m.household {
            trail.append(.li(.a(.href(SiteURL.registry(.household(.value(household.id))).path.attributeSafe), .text(household.address))))
        }
        trail.append(.li(.text(p.name)))
        let today = m.today.iso8601
        let current = m.tags.filter { ($0.ends_on ?? "9999-12-31") > today }
        func fact(_ label: T, _ value: Node<HTML.BodyContext>, id: String? = nil) -> Node<HTML.TableContext> {
            .tr(.th(.text(label(lang))), .td(.unwrap(id) { .id($0) }, value))
        }
        return Layout.render(
            ctx, title: pageTitle(p.name, title(lang)), status: status,
            crumbs(m.crumbs, current: nil, then: trail),
            .h1(.id("person-name"), .text(p.name)),
            .unwrap(m.recordFlash) { .p(.class("flash-ok"), .id("record-flash"), .attribute(named: "role", value: "status"), .text($0(lang))) },
            .unwrap(m.revealed) { revealed($0, lang: lang) },
            .if(
                m.unverified,
                .p(
                    .class("flash-error"), .id("number-unverified"),
                    .text(
                        T(
                            "身份证号码未通过核验：它属于另一条登记记录。请与本人核对证件后更正。",
                            "The ID number did not pass the check: it belongs to another record. Check it against the resident's document and correct it."
                        )(lang)))),
            .div(
                .class("card table-wrap"),
                .table(
                    .id("person"),
                    .tbody(
                        fact(T("性别", "Sex"), .text(RegisterFormat.sex(p.sex, lang))),
                        fact(p.birth_date == nil ? T("出生年份", "Year of birth") : T("出生日期", "Born"), .text(RegisterFormat.born(p, lang: lang))),
                        fact(T("年龄", "Age"), .text(RegisterFormat.age(p, today: m.today, lang: lang))),
                        fact(T("身份证号码", "ID number"), .span(.class("mono"), .text(p.id_masked)), id: "person-id-number"),
                        fact(T("手机号码", "Mobile"), .span(.class("mono"), .text(p.phone_masked ?? "—")), id: "person-phone"),
                        fact(T("与户主关系", "Relation to head"), .text(RegisterFormat.relation(p.relation, lang))),
                        fact(T("居住状态", "Residence"), .text(RegisterFormat.residence(p.residence_status, lang))),
                        fact(
                            T("户", "Household"),
                            .unwrap(
                                m.household,
                                {
                                    .a(
                                        .id("person-household"), .href(SiteURL.registry(.household(.value($0.id))).path.attributeSafe),
                                        .text($0.address))
                                }, else: .text("—"))),
                        fact(T("网格", "Grid"), .a(.href(SiteURL.registry(.node(.value(p.grid_code))).path.attributeSafe), .text(p.grid_name)))))),
            .if(m.mayReveal, revealForm(m, ctx: ctx)),
            departureSection(m, ctx: ctx),
            .h2(.id("tags"), .text(T("当前标签", "Current tags")(lang))),
            .unwrap(m.flash) { .p(.class("flash-ok"), .id("tag-flash"), .attribute(named: "role", value: "status"), .text($0(lang))) },
            current.isEmpty
                ? .p(.class("muted"), .id("no-current-tags"), .text(T("没有当前有效的标签。", "No current tags.")(lang)))
                : .ul(.id("current-tags"), .forEach(current) { tag in .li(tagLabel(tag, lang: lang)) }),
            giveTagForm(m, ctx: ctx),
            .h2(.text(T("标签记录", "Tag history")(lang))),
            m.tags.isEmpty
                ? .p(.class("muted"), .text(T("没有标签记录。", "No tag records.")(lang)))
                : tagHistory(m, ctx: ctx),
            helpSection(m, ctx: ctx),
            .h2(.id("aid-received"), .text(T("累计救助", "Aid received in all")(lang))),
            aidTable(m.aid, lang: lang),
            aidSection(m, ctx: ctx))
    }

    private static func revealed(_ revealed: PersonModel.Revealed, lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("flash-ok"), .id("revealed"), .attribute(named: "role", value: "status"),
            .p(
                .strong(.text(RegisterFormat.numberField(revealed.field, lang) + T("：", ": ")(lang))),
                .code(.class("mono"), .id("revealed-value"), .text(revealed.value))),
            .p(
                .text(
                    T(
                        "本次查看已记入审计日志。完整号码只在这一页显示一次，刷新或离开后不再显示。",
                        "This view has been written to the audit trail. The full number is shown on this page once; it is gone when you reload or leave."
                    )(lang))))
    }

    private static func revealForm(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        var fields = ["id_number"]
        if m.person.phone_masked != nil { fields.append("phone") }
        let options: [Node<HTML.SelectContext>] = fields.map { field in
            .option(.value(field), .label(RegisterFormat.numberField(field, lang)), .isSelected(m.field == field))
        }
        return .div(
            .class("card"), .id("reveal"),
            .h2(.text(T("查看完整号码", "Show a full number")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "仅在工作需要时查看，并写明用途；每次查看都记入审计日志。",
                        "Only when your work needs it, with the purpose stated; every view is written to the audit trail.")(lang))),
            .form(
                .id("reveal-form"), .class("stack"), .method(.post),
                .action(SiteURL.registry(.personReveal(.value(m.person.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .label(.for("reveal-field"), .text(T("号码", "Number")(lang))),
                .select(.attribute(named: "id", value: "reveal-field"), .attribute(named: "name", value: "field"), .group(options)),
                fieldErrors(m.errors, "field", lang: lang),
                PurposeFields.render(purpose: m.purpose, detail: m.purposeDetail, errors: m.errors, idPrefix: "reveal", lang: lang),
                .button(.type(.submit), .text(T("查看", "Show")(lang)))))
    }

    private static func tagLabel(_ tag: RegistryQueries.TagRow, lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .text(lang == .zh ? tag.name_zh : tag.name_en), .text(" "),
            .span(.class("badge"), .text(RegisterFormat.kind(tag.kind, lang))),
            .if(tag.sensitive, .group(.text(" "), sensitiveBadge(lang))))
    }

    static func sensitiveBadge(_ lang: Lang) -> Node<HTML.BodyContext> {
        .span(.class("badge bad sensitive"), .text(T("敏感", "Sensitive")(lang)))
    }

    /// Every assignment, current and ended, with who gave and who ended it; a current one
    /// without an end date has a small form to end it (on a date, today by default).
    private static func tagHistory(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return PageParts.table(
            id: "tag-history",
            headers: [
                .init(T("标签", "Tag")(lang)), .init(T("开始 · 结束", "From · until")(lang)), .init(T("来源", "Source")(lang)),
                .init(T("结束标签", "End")(lang))
            ],
            rows: m.tags
        ) { tag in
            let failed = m.endFailure?.assignment == tag.id ? m.endFailure?.errors ?? [] : []
            return .tr(
                .id("assignment-\(tag.id.uuidString)"),
                .td(tagLabel(tag, lang: lang)),
                .td(
                    .span(.class("mono"), .text(tag.starts_on)), .br(),
                    .span(.class("mono"), .text(tag.ends_on ?? T("至今", "now")(lang)))),
                .td(
                    .text(RegisterFormat.source(tag.source, lang)),
                    .unwrap(tag.created_by) { .span(.class("muted"), .text(" · " + $0)) },
                    .unwrap(tag.ended_by) { .group(.br(), .span(.class("muted"), .text(T("结束：", "ended by ")(lang) + $0))) }),
                .td(
                    .if(
                        tag.ends_on == nil,
                        .form(
                            .class("inline-end"), .method(.post),
                            .action(SiteURL.registry(.personTagEnd(.value(m.person.id), .value(tag.id))).path.attributeSafe),
                            Layout.csrfField(ctx.csrf),
                            .input(
                                .type(.date), .name("ends_on"), .value(m.today.iso8601),
                                .attribute(named: "aria-label", value: T("结束日期", "End date")(lang).attributeSafe)),
                            .button(.type(.submit), .text(T("结束", "End")(lang))))),
                    .forEach(failed) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) }))
        }
    }

    /// Give the person a tag from the catalogue, chosen by its name (grouped by kind; sensitive
    /// tags only for the roles that see them, marked), from a date (today by default), with where
    /// it came from.
    private static func giveTagForm(_ m: PersonModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.tagForm
        let sources: [(String, T)] = [
            ("manual", T("手工登记", "Entered by hand")), ("visit", T("走访", "Visit")),
            ("self_report", T("本人申报", "Reported by the person"))
        ]
        let sourceOptions: [Node<HTML.SelectContext>] = sources.map { value, label in
            .option(.value(value), .label(label(lang)), .isSelected(f.source == value))
        }
        return .details(
            .class("card"), .id("give-tag"), .if(!f.errors.isEmpty, .attribute(named: "open", value: "open")),
            .summary(.text(T("添加标签", "Give a tag")(lang))),
            .form(
                .id("give-tag-form"), .class("stack"), .method(.post),
                .action(SiteURL.registry(.personTags(.value(m.person.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .label(.for("give-tag-code"), .text(T("标签", "Tag")(lang))),
                // By name only (the code is what the form sends); `tagSelect` shows a code only
                // where two tags share a name.
                tagSelect(
                    m.catalogue, names: TagNames(catalogue: m.catalogue), id: "give-tag-code", name: "code", selected: f.code,
                    required: true, lang: lang),
                RegistryViews.fieldErrors(f.errors, "code", lang: lang),
                .label(.for("give-tag-start"), .text(T("开始日期", "From")(lang))),
                .input(
                    .type(.date), .id("give-tag-start"), .name("starts_on"), .value((f.startsOn.isEmpty ? m.today.iso8601 : f.startsOn).attributeSafe)
                ),
                RegistryViews.fieldErrors(f.errors, "starts_on", lang: lang),
                .label(.for("give-tag-source"), .text(T("来源", "Source")(lang))),
                .select(.attribute(named: "id", value: "give-tag-source"), .attribute(named: "name", value: "source"), .group(sourceOptions)),
                RegistryViews.fieldErrors(f.errors, "source", lang: lang),
                RegistryViews.fieldErrors(f.errors, "tag", lang: lang),
                .button(.type(.submit), .text(T("添加", "Give")(lang)))))
    }
}
