import Foundation
import MinqingDomain
import Plot
import Vapor

/// The phone-first visit entry (走访登记): find the household by address, then one form with
/// big touch targets — how, why, what was found (needs as chips, optionally filed as a help
/// request), and optionally a tag added or ended — saved in one tap. Works without JavaScript.
extension VisitsViews {
    /// The form as posted. Ids that may come empty from a select stay text until checked.
    struct EntryForm: Content, Sendable {
        var household: UUID?
        var booking: UUID?
        var follow_up_of: String?
        var visited_at: String?
        var method: String?
        var kind: String?
        var category: String?
        var summary: String?
        var needs: [String]?
        var need_note: String?
        var help: String?
        var help_person: String?
        var tag_person: String?
        var tag_code: String?
        var end: [String]?
        var visitors: String?

        /// The API's input: empty fields left out; an unreadable time becomes one the check refuses.
        func input(now: Date) -> VisitInput {
            func id(_ raw: String?) -> UUID? { raw.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) } }
            var time: Date?
            if let raw = visited_at, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                time = LocalTime.parse(raw) ?? Date(timeIntervalSince1970: 0)
            }
            let helpPerson = id(help_person)
            let note = (need_note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let code = (tag_code ?? "").trimmingCharacters(in: .whitespaces)
            let names = (visitors ?? "").split(whereSeparator: { " ,，、;；".contains($0) }).map(String.init)
            return VisitInput(
                households: household.map { [$0] }, visitors: names, visited_at: time, method: method, kind: kind,
                category: kind == VisitKind.mustVisit.rawValue ? category : nil, follow_up_of: id(follow_up_of),
                summary: summary,
                findings: (needs ?? []).map { VisitInput.Finding(need: $0, note: note, person_id: helpPerson, help_request: help == "1") },
                tags_added: code.isEmpty ? [] : [VisitInput.TagAdded(person_id: id(tag_person), code: code)],
                tags_ended: (end ?? []).compactMap { pair in
                    let parts = pair.split(separator: ":")
                    guard parts.count == 2 else { return nil }
                    return VisitInput.TagEnded(person_id: UUID(uuidString: String(parts[0])), assignment_id: UUID(uuidString: String(parts[1])))
                },
                person_updates: [])
        }
    }

    struct EntryModel {
        var now: Date
        var categories: [MustVisitQueries.CategoryRow]
        /// The tags the role may give.
        var tags: [RegistryQueries.CatalogueRow]
        var query = ""
        var hits: [VisitsQueries.HouseholdHit]?
        var household: RegistryQueries.HouseholdRow?
        var members: [VisitsQueries.MemberTags] = []
        var recent: [VisitListRow] = []
        var booking: BookingQueries.BookingRow?
        /// The form as posted, when shown again with an error.
        var form: EntryForm?
        var error: AppError?
    }

    static func entry(_ m: EntryModel, ctx: PageContext, status: HTTPStatus = .ok) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("记一次走访", "Record a visit")(lang), status: status,
            subnav(ctx),
            .h1(.text(T("记一次走访", "Record a visit")(lang))),
            PageParts.errorBox(m.error, lang, id: "visit-error"),
            .unwrap(m.booking) { b in
                .div(
                    .class("card"), .id("entry-booking"),
                    .p(
                        .strong(.text(T("预约走访：", "Booked visit: ")(lang))),
                        .text("\(LocalTime.span(b.starts_at, b.ends_at)) · \(b.place) · \(b.resident_name)")),
                    .if(!b.note.isEmpty, .p(.class("muted"), .text(b.note))))
            },
            .if(m.household == nil || m.hits != nil, search(m, lang: lang)),
            .unwrap(m.household) { household in
                .group(
                    .div(
                        .class("card"), .id("entry-household"),
                        .p(.strong(.text(household.address))), .p(.class("muted"), .text(household.grid_name)),
                        .p(
                            .class("muted"),
                            .text(
                                m.members.map { "\($0.person.name)（\(RegisterFormat.relation($0.person.relation, lang))）" }
                                    .joined(separator: "、"))),
                        .unwrap(m.recent.first) { last in
                            .p(
                                .class("muted"), .id("entry-last-visit"),
                                .text(T("上次走访：", "Last visit: ")(lang) + LocalTime.short(last.visited_at, year: true)))
                        }),
                    form(m, household: household, ctx: ctx))
            })
    }

    private static func search(_ m: EntryModel, lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("card"),
            .form(
                .id("household-search"), .class("stack"), .method(.get), .action(SiteURL.visits(.new).path),
                .unwrap(m.booking) { .input(.type(.hidden), .name("booking"), .value($0.id.uuidString.attributeSafe)) },
                .label(.for("q"), .text(T("按地址找户", "Find the household by address")(lang))),
                .input(
                    .id("q"), .name("q"), .type(.search), .value(m.query.attributeSafe), .required(true),
                    .placeholder(T("如：临汾路 101 室", "e.g. 临汾路 101室")(lang))),
                .button(.type(.submit), .text(T("查找", "Search")(lang)))),
            .unwrap(m.hits) { hits in
                hits.isEmpty
                    ? .p(.class("muted"), .id("search-empty"), .text(T("没有找到，换个地址试试。", "Nothing found; try another address.")(lang)))
                    : .ul(
                        .class("rows"), .id("search-results"),
                        .forEach(hits) { hit in
                            .li(
                                .a(
                                    .class("pick"),
                                    .href(
                                        SiteURL.visits(.new).path(
                                            [
                                                ("household", hit.id.uuidString),
                                                ("booking", m.booking?.id.uuidString ?? "")
                                            ]
                                        ).attributeSafe),
                                    .text(hit.address)), .br(),
                                .span(
                                    .class("muted"),
                                    .text(
                                        [hit.head_name, hit.grid_name].compactMap { $0 }.joined(separator: " · ")
                                            + T(" · 上次走访 \(hit.last_visit ?? "无")", " · last visit \(hit.last_visit ?? "none")")(lang))))
                        })
            })
    }

    private static func chip<C: HTML.BodyContext>(_ type: HTMLInputType, name: String, value: String, label: String, checked: Bool, id: String)
        -> Node<C>
    {
        .label(
            .class("chip"), .for(id),
            .input(.type(type), .id(id), .name(name), .value(value.attributeSafe), .checked(checked)),
            .span(.text(label)))
    }

    private static func form(_ m: EntryModel, household: RegistryQueries.HouseholdRow, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = m.form
        let method = f?.method ?? VisitMethod.home.rawValue
        let kind = f?.kind ?? VisitKind.routine.rawValue
        let needs = Set(f?.needs ?? [])
        let people: [Node<HTML.SelectContext>] = m.members.map { member in
            .option(.value(member.person.id.uuidString.attributeSafe), .label(member.person.name.attributeSafe))
        }
        let kinds: [VisitKind] = [.routine, .mustVisit, .followUp]
        let hidden: Node<HTML.FormContext> = .group(
            Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("household"), .value(household.id.uuidString.attributeSafe)),
            .unwrap(m.booking) { .input(.type(.hidden), .name("booking"), .value($0.id.uuidString.attributeSafe)) },
            .unwrap(m.recent.first) { .input(.type(.hidden), .name("follow_up_of"), .value($0.id.uuidString.attributeSafe)) })
        let methods: Node<HTML.FormContext> = .fieldset(
            .element(named: "legend", text: T("方式", "How")(lang)),
            .div(
                .class("chips"),
                .forEach(VisitMethod.allCases) { item in
                    chip(
                        .radio, name: "method", value: item.rawValue, label: item.name(lang), checked: method == item.rawValue,
                        id: "method-\(item.rawValue)")
                }))
        let kindOptions: [Node<HTML.SelectContext>] = kinds.map { item in
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
                .label(.for("category"), .text(T("十必访类别（类型为十必访时）", "Must-visit category (for a must-visit)")(lang))),
                .select(.attribute(named: "id", value: "category"), .attribute(named: "name", value: "category"), .group(categoryOptions)))
        let when: Node<HTML.FormContext> = .group(
            .label(.for("visited_at"), .text(T("时间", "When")(lang))),
            .input(.id("visited_at"), .name("visited_at"), .type(.datetimeLocal), .value((f?.visited_at ?? LocalTime.value(m.now)).attributeSafe)))
        let summary: Node<HTML.FormContext> = .group(
            .label(.for("summary"), .text(T("走访情况", "What you found")(lang))),
            .textarea(
                .attribute(named: "id", value: "summary"), .attribute(named: "name", value: "summary"), .rows(3),
                .attribute(named: "maxlength", value: "2000"),
                .placeholder(T("如：老人身体尚好，独自居住，子女每周来一次。", "e.g. in good health, lives alone, children visit weekly.")(lang)),
                .text(f?.summary ?? "")))
        let needChips: Node<HTML.FormContext> = .fieldset(
            .element(named: "legend", text: T("诉求（可多选）", "Needs (any)")(lang)),
            .div(
                .class("chips"),
                .forEach(VisitNeed.allCases) { item in
                    chip(
                        .checkbox, name: "needs[]", value: item.rawValue, label: item.name(lang), checked: needs.contains(item.rawValue),
                        id: "need-\(item.rawValue)")
                }))
        let help: Node<HTML.FormContext> = .group(
            .label(.for("need_note"), .text(T("诉求说明", "About the needs")(lang))),
            .input(
                .id("need_note"), .name("need_note"), .type(.text), .value((f?.need_note ?? "").attributeSafe),
                .attribute(named: "maxlength", value: "500")),
            .label(
                .class("check"), .for("help"),
                .input(.type(.checkbox), .id("help"), .name("help"), .value("1"), .checked(f?.help == "1")),
                .span(.text(T("所选诉求转为求助登记", "File the needs as help requests")(lang)))),
            .label(.for("help_person"), .text(T("求助人", "Who asks for help")(lang))),
            .select(.attribute(named: "id", value: "help_person"), .attribute(named: "name", value: "help_person"), .group(people)))
        let others: Node<HTML.FormContext> = .group(
            .label(.for("visitors"), .text(T("同行人员（用户名，可选）", "Others who came (usernames, optional)")(lang))),
            .input(.id("visitors"), .name("visitors"), .type(.text), .value((f?.visitors ?? "").attributeSafe), .autocomplete(false)),
            .button(.type(.submit), .id("save-visit"), .class("wide"), .text(T("保存走访", "Save the visit")(lang))))
        return .form(
            .id("visit-form"), .class("stack entry"), .method(.post), .action(SiteURL.visits(.new).path),
            hidden, methods, why, when, summary, needChips, help, tagSection(m, people: people, lang: lang), others)
    }

    private static func tagSection(_ m: EntryModel, people: [Node<HTML.SelectContext>], lang: Lang) -> Node<HTML.FormContext> {
        let f = m.form
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
                            label: "\(member.person.name) · \(tag.name(lang))", id: "end-\(tag.assignment.uuidString)"))
                }
            })
        return .element(
            named: "details",
            nodes: [
                .element(named: "summary", text: T("更新标签（可选）", "Update tags (optional)")(lang)),
                .label(.for("tag_person"), .text(T("新增标签给", "Add a tag to")(lang))),
                .select(.attribute(named: "id", value: "tag_person"), .attribute(named: "name", value: "tag_person"), .group(people)),
                .label(.for("tag_code"), .text(T("标签编码", "Tag code")(lang))),
                .input(
                    .id("tag_code"), .name("tag_code"), .type(.text), .attribute(named: "list", value: "tag-codes"),
                    .value((f?.tag_code ?? "").attributeSafe), .placeholder("id.elderly.alone")),
                codes,
                .p(.text(T("结束当前标签：", "End a current tag:")(lang))),
                ends
            ])
    }

    /// An unchecked checkbox chip as a component (usable in any context).
    private static func chipComponent(name: String, value: String, label: String, id: String) -> Component {
        Node<HTML.BodyContext>.label(
            .class("chip"), .for(id),
            .input(.type(.checkbox), .id(id), .name(name), .value(value.attributeSafe)),
            .span(.text(label)))
    }
}
