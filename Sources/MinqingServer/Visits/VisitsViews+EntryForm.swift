import Foundation
import MinqingDomain
import Plot
import Vapor

/// The visit entry form itself (`VisitsViews.entry` shows it under the household): what happened
/// at the door (见到了 / 无人在家, two big choices), how and why, what was found, the tags, who came
/// along. Shown again after a failed save, every field keeps what was typed and each problem
/// stands beside its field (`PageParts.fieldError`), under the error box above the form.
extension VisitsViews {
    static func entryForm(_ m: EntryModel, household: RegistryQueries.HouseholdRow, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let hidden: Node<HTML.FormContext> = .group(
            Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("household"), .value(household.id.uuidString.attributeSafe)),
            .unwrap(m.booking) { .input(.type(.hidden), .name("booking"), .value($0.id.uuidString.attributeSafe)) },
            .unwrap(m.lastVisit) { .input(.type(.hidden), .name("follow_up_of"), .value($0.id.uuidString.attributeSafe)) },
            PageParts.fieldError(m.error, "households", lang: lang))
        let others: Node<HTML.FormContext> = .group(
            coVisitorChoice(m, lang: lang),
            .button(.type(.submit), .id("save-visit"), .class("wide"), .text(T("保存走访", "Save the visit")(lang))))
        return .form(
            .id("visit-form"), .class("stack entry"), .method(.post), .action(SiteURL.visits(.new).path),
            hidden, outcomeChoice(m, lang: lang), howAndWhy(m, lang: lang), whatWasFound(m, lang: lang), tagSection(m, lang: lang), others)
    }

    /// Who came along: the staff whose scope holds the household, ticked by name and role (the
    /// service takes their usernames, as the API does); folded away unless ticked or failed.
    private static func coVisitorChoice(_ m: EntryModel, lang: Lang) -> Node<HTML.FormContext> {
        let ticked = Set(m.form?.visitors ?? [])
        let failed = m.error?.fields.contains { $0.field == "visitors" } ?? false
        guard !m.coVisitors.isEmpty || failed else { return .empty }
        return .element(
            named: "details",
            nodes: [
                .attribute(named: "id", value: "co-visitors"),
                .if(failed || !ticked.isEmpty, .attribute(named: "open", value: "open")),
                .element(named: "summary", text: T("同行人员（可选）", "Others who came (optional)")(lang)),
                .div(
                    .class("chips"), .id("visitors"),
                    .forEach(m.coVisitors) { person in
                        chip(
                            .checkbox, name: "visitors[]", value: person.username, label: staffName(person.display_name, person.role, lang),
                            checked: ticked.contains(person.username), id: "visitor-\(person.username)")
                    }),
                PageParts.fieldError(m.error, "visitors", lang: lang)
            ])
    }

    /// 见到了 or 无人在家, the first thing a visitor knows at the door. A booked visit is always one
    /// that met the resident (a booking nobody kept is moved or cancelled instead).
    private static func outcomeChoice(_ m: EntryModel, lang: Lang) -> Node<HTML.FormContext> {
        guard m.booking == nil else { return .empty }
        let chosen = m.form?.outcome ?? VisitOutcome.met.rawValue
        return .fieldset(
            .class("choices"), .id("outcome"),
            .element(named: "legend", text: T("走访结果", "What happened")(lang)),
            .forEach(VisitOutcome.allCases) { item in
                .label(
                    .class("choice"), .for("outcome-\(item.rawValue)"),
                    .input(
                        .type(.radio), .id("outcome-\(item.rawValue)"), .name("outcome"), .value(item.rawValue),
                        .checked(chosen == item.rawValue)),
                    .span(.strong(.text(item.name(lang))), .br(), .span(.class("muted"), .text(outcomeHint(item)(lang)))))
            },
            PageParts.fieldError(m.error, "outcome", lang: lang))
    }

    /// What each outcome means for the figures, said where the visitor chooses it.
    private static func outcomeHint(_ outcome: VisitOutcome) -> T {
        switch outcome {
        case .met:
            T("写下走访情况或诉求；计入走访指标，十必访按此次算已访。", "Write what you found or the needs; counts toward the quota and as a must-visit.")
        case .nobodyHome:
            T(
                "只记下这次上门：不算走访，不计入指标，十必访仍算未访。",
                "Only notes the call: not a visit, not counted toward the quota, the must-visit stays owed.")
        }
    }

    /// How (method chips), why (kind and 十必访 category, unless it is a booking) and when.
    private static func howAndWhy(_ m: EntryModel, lang: Lang) -> Node<HTML.FormContext> {
        let f = m.form
        let method = f?.method ?? VisitMethod.home.rawValue
        let kind = f?.kind ?? VisitKind.routine.rawValue
        let methods: Node<HTML.FormContext> = .fieldset(
            .element(named: "legend", text: T("方式", "How")(lang)),
            .div(
                .class("chips"),
                .forEach(VisitMethod.allCases) { item in
                    chip(
                        .radio, name: "method", value: item.rawValue, label: item.name(lang), checked: method == item.rawValue,
                        id: "method-\(item.rawValue)")
                }),
            PageParts.fieldError(m.error, "method", lang: lang))
        let kindOptions: [Node<HTML.SelectContext>] = [VisitKind.routine, .mustVisit, .followUp].map { item in
            .option(.value(item.rawValue), .label(item.name(lang)), .isSelected(kind == item.rawValue))
        }
        let categoryOptions: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label("—"))]
            + m.categories.map { c in
                .option(.value(c.code.attributeSafe), .label((lang == .zh ? c.name_zh : c.name_en).attributeSafe), .isSelected(f?.category == c.code))
            }
        let why: Node<HTML.FormContext> =
            m.booking != nil
            ? .empty
            : .group(
                .label(.for("kind"), .text(T("类型", "Kind")(lang))),
                .select(.attribute(named: "id", value: "kind"), .attribute(named: "name", value: "kind"), .group(kindOptions)),
                PageParts.fieldError(m.error, "kind", "follow_up_of", lang: lang),
                .label(.for("category"), .text(T("十必访类别（类型为十必访时）", "Must-visit category (for a must-visit)")(lang))),
                .select(.attribute(named: "id", value: "category"), .attribute(named: "name", value: "category"), .group(categoryOptions)),
                PageParts.fieldError(m.error, "category", lang: lang))
        return .group(
            methods, why,
            .label(.for("visited_at"), .text(T("时间", "When")(lang))),
            .input(.id("visited_at"), .name("visited_at"), .type(.datetimeLocal), .value((f?.visited_at ?? LocalTime.value(m.now)).attributeSafe)),
            PageParts.fieldError(m.error, "visited_at", lang: lang))
    }

    /// The summary, the needs found (chips) and whether they become help requests, and for whom.
    private static func whatWasFound(_ m: EntryModel, lang: Lang) -> Node<HTML.FormContext> {
        let f = m.form
        let needs = Set(f?.needs ?? [])
        return .group(
            .label(.for("summary"), .text(T("走访情况", "What you found")(lang))),
            .textarea(
                .attribute(named: "id", value: "summary"), .attribute(named: "name", value: "summary"), .rows(3),
                .attribute(named: "maxlength", value: "2000"),
                .placeholder(T("如：老人身体尚好，独自居住，子女每周来一次。", "e.g. in good health, lives alone, children visit weekly.")(lang)),
                .text(f?.summary ?? "")),
            PageParts.fieldError(m.error, "summary", lang: lang),
            .fieldset(
                .element(named: "legend", text: T("诉求（可多选）", "Needs (any)")(lang)),
                .div(
                    .class("chips"),
                    .forEach(VisitNeed.allCases) { item in
                        chip(
                            .checkbox, name: "needs[]", value: item.rawValue, label: item.name(lang), checked: needs.contains(item.rawValue),
                            id: "need-\(item.rawValue)")
                    })),
            .label(.for("need_note"), .text(T("诉求说明", "About the needs")(lang))),
            .input(
                .id("need_note"), .name("need_note"), .type(.text), .value((f?.need_note ?? "").attributeSafe),
                .attribute(named: "maxlength", value: "500")),
            .label(
                .class("check"), .for("help"),
                .input(.type(.checkbox), .id("help"), .name("help"), .value("1"), .checked(f?.help == "1")),
                .span(.text(T("所选诉求转为求助登记", "File the needs as help requests")(lang)))),
            .label(.for("help_person"), .text(T("求助人", "Who asks for help")(lang))),
            .select(
                .attribute(named: "id", value: "help_person"), .attribute(named: "name", value: "help_person"),
                .group(people(m, selected: f?.help_person))),
            PageParts.fieldError(m.error, "findings", lang: lang))
    }

    /// The household's members as options, the one chosen before selected.
    private static func people(_ m: EntryModel, selected: String?) -> [Node<HTML.SelectContext>] {
        m.members.map { member in
            .option(
                .value(member.person.id.uuidString.attributeSafe), .label(member.person.name.attributeSafe),
                .isSelected(selected == member.person.id.uuidString))
        }
    }

    /// A tag to add and current tags to end, folded away unless used or failed.
    private static func tagSection(_ m: EntryModel, lang: Lang) -> Node<HTML.FormContext> {
        let f = m.form
        let ending = Set(f?.end ?? [])
        let lists = ["tags_added", "tags_ended", "person_updates"]
        let failed = m.error?.fields.contains { field in lists.contains { field.field.hasPrefix($0) } } ?? false
        let codes: Node<HTML.FormContext> = .element(
            named: "datalist",
            nodes: [
                .attribute(named: "id", value: "tag-codes"),
                .forEach(m.tags) { tag in
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: tag.code.attributeSafe),
                            .text(lang == .zh ? tag.name_zh : tag.name_en)
                        ])
                }
            ])
        let ends: Node<HTML.FormContext> = .div(
            .class("chips"), .id("end-tags"),
            .forEach(m.members) { member in
                .forEach(member.tags) { tag in
                    .component(
                        chipComponent(
                            name: "end[]", value: "\(member.person.id.uuidString):\(tag.assignment.uuidString)",
                            label: "\(member.person.name) · \(tag.name(lang))", id: "end-\(tag.assignment.uuidString)",
                            checked: ending.contains("\(member.person.id.uuidString):\(tag.assignment.uuidString)")))
                }
            })
        return .element(
            named: "details",
            nodes: [
                .if(failed || !(f?.tag_code ?? "").isEmpty || !ending.isEmpty, .attribute(named: "open", value: "open")),
                .element(named: "summary", text: T("更新标签（可选）", "Update tags (optional)")(lang)),
                .label(.for("tag_person"), .text(T("新增标签给", "Add a tag to")(lang))),
                .select(
                    .attribute(named: "id", value: "tag_person"), .attribute(named: "name", value: "tag_person"),
                    .group(people(m, selected: f?.tag_person))),
                .label(.for("tag_code"), .text(T("标签编码", "Tag code")(lang))),
                .input(
                    .id("tag_code"), .name("tag_code"), .type(.text), .attribute(named: "list", value: "tag-codes"),
                    .value((f?.tag_code ?? "").attributeSafe), .placeholder("id.elderly.alone")),
                codes,
                PageParts.fieldError(m.error, "tags_added", lang: lang) as Node<HTML.FormContext>,
                .p(.text(T("结束当前标签：", "End a current tag:")(lang))),
                ends,
                PageParts.fieldError(m.error, "tags_ended", "person_updates", lang: lang) as Node<HTML.FormContext>
            ])
    }

    private static func chip<C: HTML.BodyContext>(_ type: HTMLInputType, name: String, value: String, label: String, checked: Bool, id: String)
        -> Node<C>
    {
        .label(
            .class("chip"), .for(id),
            .input(.type(type), .id(id), .name(name), .value(value.attributeSafe), .checked(checked)),
            .span(.text(label)))
    }

    /// A checkbox chip as a component (usable in any context).
    private static func chipComponent(name: String, value: String, label: String, id: String, checked: Bool) -> Component {
        Node<HTML.BodyContext>.label(
            .class("chip"), .for(id),
            .input(.type(.checkbox), .id(id), .name(name), .value(value.attributeSafe), .checked(checked)),
            .span(.text(label)))
    }
}
