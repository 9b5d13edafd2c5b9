import Foundation
import MinqingDomain
import Plot
import Vapor

/// The new-household form (新增住户), opened from a node page: the building group chosen by its
/// name, the address, the moving-in day and the members, the head first. Without script, "one
/// more member" sends the form back with an empty row added (nothing is written); rows left
/// empty are dropped.
extension RegistryViews {
    /// One member's row as posted (`members[0][name]`…).
    struct MemberRow: Content, Equatable {
        var name: String?
        var id_number: String?
        var phone: String?
        var relation: String?
        var residence_status: String?

        /// Nothing typed (the selects always send something).
        var isBlank: Bool {
            [name, id_number, phone].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        }

        /// The API's member: sex and birth date come from the ID number.
        var member: RegistryService.NewMember {
            RegistryService.NewMember(name: name, id_number: id_number, phone: phone, relation: relation, residence_status: residence_status)
        }
    }

    /// The form as posted.
    struct NewHouseholdFields: Content {
        var node: String?
        var address: String?
        var moved_in_on: String?
        var members: [MemberRow]?
        /// Set by the "one more member" button.
        var more: String?

        /// The rows with something typed, in order; one empty head row when there is none.
        var rows: [MemberRow] {
            let typed = (members ?? []).filter { !$0.isBlank }
            return typed.isEmpty ? [MemberRow(relation: HouseholdRelation.head.rawValue)] : typed
        }
    }

    struct NewHouseholdModel {
        /// The highest level whose building groups are offered in one list (a residential area
        /// has about a hundred; a block about five hundred, too many for a phone).
        static let lowestListingLevel = GridLevel.residentialArea
        /// The most building groups one list offers.
        static let maxGroups = 200

        var node: GridNodeSummary
        var crumbs: [GridNodeSummary]
        var groups: [RegistryQueries.BuildingGroupChoice]
        var fields = NewHouseholdFields()
        var rows: [MemberRow] = [MemberRow(relation: HouseholdRelation.head.rawValue)]
        var today: CivilDate
        var error: AppError? = nil
    }

    static func newHousehold(_ m: NewHouseholdModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        let title = T("新增住户", "New household")(lang)
        return Layout.render(
            ctx, title: pageTitle(title, m.node.name, RegistryViews.title(lang)), status: status,
            crumbs(m.crumbs, current: nil, then: [.li(.text(title))]),
            .h1(.text(title)),
            m.groups.isEmpty
                ? .p(
                    .class("muted"), .id("no-building-groups"),
                    .text(
                        T(
                            "这里的楼组太多或没有楼组：请先进入居民区或微网格，再新增住户。",
                            "There are too many building groups here, or none: open a residential area or a micro-grid first.")(lang)))
                : .group(
                    PageParts.errorBox(m.error, lang, id: "new-household-error"),
                    newHouseholdForm(m, ctx: ctx)))
    }

    private static func newHouseholdForm(_ m: NewHouseholdModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.fields
        let e = m.error
        let groups = m.groups.map { group in
            Choice(value: group.code, label: group.parent_name.map { "\($0) · \(group.name)" } ?? group.name)
        }
        let chosen = f.node ?? (m.groups.count == 1 ? m.groups[0].code : "")
        let general = e.map { error in AppError.validation(error.fields.filter { $0.field == "members" }) }
        return .form(
            .id("new-household-form"), .class("stack"), .method(.post),
            .action(SiteURL.registry(.nodeNewHousehold(.value(m.node.code))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            selectField(
                T("楼组", "Building group")(lang), id: "household-node", name: "node", choices: groups, selected: chosen,
                prompt: m.groups.count == 1 ? nil : T("请选择", "Choose")(lang), error: e, lang: lang),
            inputField(
                T("地址", "Address")(lang), id: "household-address", name: "address", value: f.address ?? "", error: e, lang: lang,
                .attribute(named: "maxlength", value: "200"), .placeholder(T("如 汾西路 261 弄 3 号 502 室", "e.g. 汾西路 261 弄 3 号 502 室")(lang))),
            inputField(
                T("迁入日期（可不填）", "Moved in on (optional)")(lang), id: "household-moved-in", name: "moved_in_on",
                value: f.moved_in_on ?? "", type: .date, error: e, lang: lang, .attribute(named: "max", value: m.today.iso8601)),
            .h2(.text(T("成员（户主在前）", "Members (the head first)")(lang))),
            .p(.class("muted"), .text(T("性别和出生日期按身份证号码登记。", "Sex and birth date are taken from the ID number.")(lang))),
            .group(m.rows.enumerated().map { memberRow($0.offset, $0.element, error: e, lang: lang) }),
            PageParts.fieldError(general, "members", lang: lang),
            .if(
                m.rows.count < 30,
                .button(
                    .type(.submit), .id("more-members"), .attribute(named: "name", value: "more"), .attribute(named: "value", value: "1"),
                    .attribute(named: "formnovalidate", value: "formnovalidate"), .text(T("再加一名成员", "One more member")(lang)))),
            .button(.type(.submit), .class("wide"), .id("save-household"), .text(T("保存住户", "Save the household")(lang))))
    }

    /// Member `index`'s fields, each with its sentence (`members[1].id_number`) beside it.
    private static func memberRow(_ index: Int, _ row: MemberRow, error e: AppError?, lang: Lang) -> Node<HTML.FormContext> {
        func name(_ field: String) -> String { "members[\(index)][\(field)]" }
        func problem(_ field: String) -> String { "members[\(index)].\(field)" }
        return .fieldset(
            .class("member"), .id("member-\(index)"),
            .element(named: "legend", text: T("成员 \(index + 1)", "Member \(index + 1)")(lang)),
            inputField(
                T("姓名", "Name")(lang), id: "member-\(index)-name", name: name("name"), value: row.name ?? "", error: e,
                errorName: problem("name"), lang: lang, .attribute(named: "maxlength", value: "40"), .attribute(named: "autocomplete", value: "off")),
            inputField(
                T("身份证号码", "ID number")(lang), id: "member-\(index)-id-number", name: name("id_number"), value: row.id_number ?? "",
                error: e, errorName: problem("id_number"), lang: lang, .attribute(named: "maxlength", value: "20"),
                .attribute(named: "autocomplete", value: "off")),
            PageParts.fieldError(e, problem("sex"), problem("birth_date"), lang: lang),
            inputField(
                T("手机号码（可不填）", "Mobile (optional)")(lang), id: "member-\(index)-phone", name: name("phone"), value: row.phone ?? "",
                type: .tel, error: e, errorName: problem("phone"), lang: lang, .attribute(named: "inputmode", value: "numeric"),
                .attribute(named: "autocomplete", value: "off")),
            selectField(
                T("与户主关系", "Relation to the head")(lang), id: "member-\(index)-relation", name: name("relation"),
                choices: relationChoices(lang), selected: row.relation ?? "", prompt: T("请选择", "Choose")(lang), error: e,
                errorName: problem("relation"), lang: lang),
            selectField(
                T("居住状态", "Residence")(lang), id: "member-\(index)-residence", name: name("residence_status"),
                choices: residenceChoices(lang), selected: row.residence_status ?? ResidenceStatus.registered.rawValue, error: e,
                errorName: problem("residence_status"), lang: lang))
    }
}
