import Foundation
import MinqingDomain
import Plot
import Vapor

/// The household page's form (a person moving in, or a birth) and the node page's export form.
extension RegistryViews {
    /// The add-a-person form as posted (kept as typed when it fails).
    struct MemberFields: Content {
        var joined: String?
        var name: String?
        var id_number: String?
        var phone: String?
        var relation: String?
        var residence_status: String?
        var moved_in_on: String?

        /// The API's body: sex and birth date come from the ID number.
        var input: RegistryService.NewPerson {
            RegistryService.NewPerson(
                name: name, id_number: id_number, phone: phone, relation: relation, residence_status: residence_status,
                joined: joined, moved_in_on: moved_in_on)
        }
    }

    /// Add a person to the household: born into it (出生) or moving in (迁入), their name, ID
    /// number, mobile, relation to the head and residence. Folded unless it failed.
    static func addMemberForm(_ m: HouseholdModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.memberForm
        let e = m.error
        let joinings = RegistryService.Joining.allCases.map { Choice(value: $0.rawValue, label: $0.name(lang)) }
        return .details(
            .class("card"), .id("add-member"), .if(e != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("添加成员 · 登记出生", "Add a person · record a birth")(lang))),
            .component(PageParts.errorBox(e, lang, id: "add-member-error")),
            .form(
                .id("add-member-form"), .class("stack"), .method(.post),
                .action(SiteURL.registry(.householdMembers(.value(m.household.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                radioField(
                    T("怎样加入本户", "How they joined")(lang), id: "member-joined", name: "joined", choices: joinings,
                    selected: f.joined ?? RegistryService.Joining.movedIn.rawValue, error: e, lang: lang),
                inputField(
                    T("姓名", "Name")(lang), id: "member-name", name: "name", value: f.name ?? "", error: e, lang: lang,
                    .attribute(named: "maxlength", value: "40"), .attribute(named: "autocomplete", value: "off")),
                inputField(
                    T("身份证号码", "ID number")(lang), id: "member-id-number", name: "id_number", value: f.id_number ?? "", error: e,
                    lang: lang, .attribute(named: "maxlength", value: "20"), .attribute(named: "autocomplete", value: "off")),
                .p(.class("muted"), .text(T("性别和出生日期按身份证号码登记。", "Sex and birth date are taken from the ID number.")(lang))),
                inputField(
                    T("手机号码（可不填）", "Mobile (optional)")(lang), id: "member-phone", name: "phone", value: f.phone ?? "", type: .tel,
                    error: e, lang: lang, .attribute(named: "inputmode", value: "numeric"), .attribute(named: "autocomplete", value: "off")),
                selectField(
                    T("与户主关系", "Relation to the head")(lang), id: "member-relation", name: "relation", choices: relationChoices(lang),
                    selected: f.relation ?? "", prompt: T("请选择", "Choose")(lang), error: e, lang: lang),
                selectField(
                    T("居住状态", "Residence")(lang), id: "member-residence", name: "residence_status", choices: residenceChoices(lang),
                    selected: f.residence_status ?? ResidenceStatus.registered.rawValue, error: e, lang: lang),
                inputField(
                    T("迁入日期（出生的不用填；不填为今天）", "Moved in on (not for a birth; today if empty)")(lang), id: "member-moved-in",
                    name: "moved_in_on", value: f.moved_in_on ?? "", type: .date, error: e, lang: lang,
                    .attribute(named: "max", value: m.today.iso8601)),
                .button(.type(.submit), .class("wide"), .text(T("添加", "Add")(lang)))))
    }

    /// The export form as posted.
    struct ExportFields: Content {
        var plain: String?
        var purpose: String?
        var purpose_detail: String?
        var lang: String?
    }

    /// The residents under this node as CSV, as `POST /api/v1/registry/export/persons` gives
    /// them: masked numbers, audited. Roles that may reveal numbers have a second form for the
    /// plain numbers, which asks the purpose as the smart group's export does.
    static func exportForm(_ m: NodeModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.export
        let chosen = f.lang ?? (lang == .en ? "en" : "zh")
        let action = SiteURL.registry(.nodeExport(.value(m.node.code))).path
        func languages(_ id: String) -> Node<HTML.FormContext> {
            selectField(
                T("表头和选项的语言", "Language of the headings and labels")(lang), id: id, name: "lang",
                choices: [Choice(value: "zh", label: "中文"), Choice(value: "en", label: "English")], selected: chosen,
                error: m.exportError, lang: lang)
        }
        return .details(
            .class("card"), .id("export-persons"), .if(m.exportError != nil, .attribute(named: "open", value: "open")),
            .summary(.text(T("导出本范围居民（CSV）", "Export the residents here (CSV)")(lang))),
            .component(PageParts.errorBox(m.exportError, lang, id: "export-error")),
            .form(
                .id("export-persons-form"), .class("stack"), .method(.post), .action(action.attributeSafe),
                Layout.csrfField(ctx.csrf),
                languages("export-lang"),
                .button(.type(.submit), .id("export-masked"), .text(T("导出 CSV（号码已遮蔽，记入审计）", "Export CSV (numbers masked, audited)")(lang)))),
            .if(
                m.mayRevealNumbers,
                .form(
                    .id("export-plain-form"), .class("stack"), .method(.post), .action(action.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    .input(.type(.hidden), .name("plain"), .value("1")),
                    .h3(.text(T("导出完整号码", "Export with the full numbers")(lang))),
                    .p(
                        .class("muted"),
                        .text(
                            T(
                                "仅在工作需要时导出完整的身份证和手机号码，并写明用途；每次导出都记入审计日志。",
                                "Only when your work needs the full ID and mobile numbers, with the purpose stated; every export is written to the audit trail."
                            )(lang))),
                    languages("export-plain-lang"),
                    PurposeFields.render(
                        purpose: f.purpose ?? "", detail: f.purpose_detail ?? "", errors: m.exportError?.fields ?? [], idPrefix: "export",
                        lang: lang),
                    .button(.type(.submit), .id("export-plain"), .text(T("导出完整号码", "Export the full numbers")(lang))))))
    }
}
