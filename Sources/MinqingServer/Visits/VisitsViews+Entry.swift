import Foundation
import MinqingDomain
import Plot
import Vapor

/// The phone-first visit entry (走访登记): find the household by address, then one form with
/// big touch targets — met or nobody home, how, why, what was found (needs as chips, optionally
/// filed as a help request), and optionally a tag added or ended — saved in one tap. Works
/// without JavaScript. The form itself is in VisitsViews+EntryForm.swift.
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
        /// The usernames of the staff who came along (ticked from the list of those covering the household).
        var visitors: [String]?
        /// `met` or `nobody_home` (`VisitOutcome`); met when absent.
        var outcome: String?

        /// The form opened from a list with its kind and category chosen (a 十必访 household on
        /// the overdue list: `kind=must_visit&category=serious_illness`); nil when the link names
        /// no kind the form offers.
        static func prefilled(kind: String?, category: String?) -> EntryForm? {
            guard let kind, let chosen = VisitKind(rawValue: kind), chosen != .booked else { return nil }
            return EntryForm(kind: kind, category: chosen == .mustVisit ? category : nil)
        }

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
            let names = (visitors ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
                person_updates: [], outcome: outcome)
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
        /// The staff who may come along (their scope holds the household), by name and role.
        var coVisitors: [VisitsQueries.StaffChoice] = []
        var booking: BookingQueries.BookingRow?
        /// The form as posted, when shown again with an error (or as a list's link prefilled it).
        var form: EntryForm?
        var error: AppError?

        /// The household's last visit that met it (a nobody-home attempt is no visit).
        var lastVisit: VisitListRow? { recent.first { $0.outcome.countsAsVisit } }
        /// The newest attempt nobody answered, when it came after the last visit.
        var lastAttempt: VisitListRow? {
            guard let attempt = recent.first, !attempt.outcome.countsAsVisit else { return nil }
            return attempt
        }
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
                        .text("\(LocalTime.span(b.starts_at, b.ends_at)) · \(place(b.place, lang)) · \(b.resident_name)")),
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
                        .unwrap(m.lastVisit) { last in
                            .p(
                                .class("muted"), .id("entry-last-visit"),
                                .text(T("上次走访：", "Last visit: ")(lang) + LocalTime.short(last.visited_at, year: true)))
                        },
                        .unwrap(m.lastAttempt) { attempt in
                            .p(
                                .class("muted"), .id("entry-last-attempt"),
                                .text(T("最近一次上门无人在家：", "Nobody home on the last call: ")(lang) + LocalTime.short(attempt.visited_at, year: true)))
                        }),
                    entryForm(m, household: household, ctx: ctx))
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
}
