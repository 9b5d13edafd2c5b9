import Foundation
import MinqingDomain
import Plot
import Vapor

/// A case's page: what it is, where it stands, its deadline, the forms the caller may use, and
/// the timeline of every transition with the people who took each step, by name.
extension CasesViews {
    /// A form on the case page that failed: which one (an action's word, `recategorise`, `report`,
    /// `supervise`, `followup`), what was typed, and why. Only that form shows the errors beside
    /// its fields and keeps the typed values.
    struct FormFailure: Sendable {
        var form: String
        var values: [String: String]
        var error: AppError

        /// The error for the form `name`, nil for every other form.
        func error(for name: String) -> AppError? { form == name ? error : nil }
        /// What was typed in `field` of the form `name`, if it is the one that failed.
        func value(_ field: String, of name: String) -> String { form == name ? values[field] ?? "" : "" }
    }

    /// What the case page shows besides the case.
    struct DetailExtras {
        var duplicates: [CaseSummary] = []
        var departments: [CaseDepartment] = []
        /// The 小类 a dispatcher may move an open case to (empty: no form).
        var categories: [CaseCategoryRecord] = []
        var coReportPending = false
        var failure: FormFailure?
        /// The projects a dispatcher may put the case into (empty: no form), and the one it is in.
        var projects: [CasesQueries.ProjectChoice] = []
        var project: UUID?
    }

    static func detail(_ d: CaseDetail, role: Role, extras x: DetailExtras, ctx: PageContext, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        let s = d.summary
        let actions = d.actions
        let failure = x.failure
        return Layout.render(
            ctx, title: "\(s.number) \(s.title)", status: status,
            .p(.a(.href(SiteURL.cases(.index).path), .text(T("← 返回列表", "← Back to the list")(lang)))),
            .h1(.id("case-title"), .span(.class("mono"), .text(s.number)), .text(" "), .text(s.title)),
            .p(
                .span(.class("badge"), .id("case-state"), .text(state(s.state, lang))),
                .if(s.overdue, .span(.class("badge bad"), .id("case-overdue"), .text(T("超期", "Overdue")(lang)))),
                .if(
                    s.supervised,
                    .span(.class("badge bad"), .text(T("督办", "Supervised")(lang) + (s.escalation_level > 0 ? " L\(s.escalation_level)" : ""))))),
            .p(.id("case-description"), .text(s.description)),
            .unwrap(d.on_behalf_of) { act in
                .p(
                    .class("badge"), .id("case-proxy"),
                    .text(T("家属代办：\(act.by_name) 代 \(act.person_name) 反映", "Left by \(act.by_name) for \(act.person_name) (family)")(lang)))
            },
            .dl(.class("facts"), .forEach(facts(d, role: role, lang)) { fact in .group(.dt(.text(fact.0(lang))), .dd(.text(fact.1))) }),
            PlatformCalendar.derivedWarningNode(d.derived_calendar_years, lang: lang),
            PageParts.errorBox(failure?.error, lang, id: "case-error"),
            .if(!x.duplicates.isEmpty, duplicatesBox(x.duplicates, canMerge: actions.contains(.merge), id: s.id, failure: failure, ctx: ctx)),
            .group(
                actions.filter { $0 != .merge && $0 != .evaluate && $0 != .reopen }.map {
                    actionForm($0, id: s.id, departments: x.departments, failure: failure, ctx: ctx)
                }),
            .if(actions.contains(.evaluate), ratingForm(id: s.id, failure: failure, ctx: ctx)),
            .if(!x.categories.isEmpty, recategoriseForm(s, categories: x.categories, failure: failure, ctx: ctx)),
            .if(!x.projects.isEmpty, projectForm(s.id, projects: x.projects, current: x.project, failure: failure, ctx: ctx)),
            .if(
                x.coReportPending,
                noteForm(
                    path: "report", action: .cases(.report(.value(s.id))), field: "report", label: T("协办情况", "What your department did"),
                    button: T("提交协办报告", "File the co-handler's report"), failure: failure, ctx: ctx)),
            .if(
                CasesQueries.supervisors.contains(role) && s.state.isOpen,
                noteForm(
                    path: "supervise", action: .cases(.supervise(.value(s.id))), field: "note",
                    label: T("督办要求", "What the supervision asks for"), button: T("督办", "Supervise"), failure: failure, ctx: ctx)),
            .if(role.isGridStaff && [.closed, .evaluated].contains(s.state), followUpForm(id: s.id, failure: failure, ctx: ctx)),
            assignmentsList(d, lang),
            timeline(d, lang),
            records(d, lang))
    }

    /// The case's facts: category, place, channel, times, department, deadline, and the phone for staff.
    static func facts(_ d: CaseDetail, role: Role, _ lang: Lang) -> [(T, String)] {
        let s = d.summary
        var facts: [(T, String)] = [
            (T("类别", "Category"), name(s.category_name_zh, s.category_name_en, lang)),
            (T("地点", "Place"), [s.node_name, s.address].filter { !$0.isEmpty }.joined(separator: " · ")),
            (T("来源", "Channel"), lang == .zh ? s.channel.nameZH : s.channel.nameEN),
            (T("受理时间", "Reported"), LocalTime.short(s.reported_at, year: true))
        ]
        if let department = s.department_name_zh {
            facts.append((T("牵头部门", "Lead department"), lang == .zh ? department : s.department_name_en ?? department))
        }
        if let due = s.due_at { facts.append((T("处置期限", "Deadline"), LocalTime.short(due, year: true))) }
        if let stage = CaseStage(state: s.state), stage.isDispatchers, let due = d.stage_due_at {
            facts.append((T(stage.deadlineNameZH, stage.deadlineNameEN), LocalTime.short(due, year: true)))
        }
        if let phone = d.submitter_phone_masked, role.isGridStaff || role == .departmentHandler { facts.append((T("联系电话", "Phone"), phone)) }
        return facts
    }

    /// A person who acted, as people are shown: the name (the query masks a resident's) and the role.
    static func person(_ name: String?, role: String?, _ lang: Lang) -> String {
        guard let name, !name.isEmpty else { return "" }
        let roleName: String? =
            role.flatMap(Role.init(rawValue:)).map { lang == .zh ? $0.nameZH : $0.nameEN }
            ?? (role == "open311_client" ? T("Open311 客户端", "Open311 client")(lang) : nil)
        return roleName.map { T("\(name)（\($0)）", "\(name) (\($0))")(lang) } ?? name
    }

    static func assignmentsList(_ d: CaseDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        .if(
            !d.assignments.isEmpty,
            .group(
                .h2(.text(T("处置部门", "Departments")(lang))),
                .ul(
                    .class("rows"), .id("assignments"),
                    .forEach(d.assignments.filter(\.active)) { a in
                        .li(
                            .text(name(a.department_name_zh, a.department_name_en, lang)), .text(" "),
                            .span(.class("badge"), .text(a.lead ? T("牵头", "Lead")(lang) : T("协办", "Co-handler")(lang))),
                            .unwrap(a.report) { .group(.br(), .span(.class("muted"), .text($0))) })
                    })))
    }

    /// Every step: what was done, to which state (or from which category to which), when, by whom, why.
    static func timeline(_ d: CaseDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(T("办理过程", "Timeline")(lang))),
            .ol(
                .class("rows"), .id("timeline"),
                .forEach(d.transitions) { timelineRow($0, lang) }))
    }

    static func timelineRow(_ t: CaseTransitionRecord, _ lang: Lang) -> Node<HTML.ListContext> {
        let recategorised = t.action == CasesService.recategoriseAction
        let title: String =
            recategorised
            ? T("改类别", "Category changed")(lang)
            : CaseAction(rawValue: t.action).map { lang == .zh ? $0.nameZH : $0.nameEN } ?? T("受理", "Reported")(lang)
        let change: String =
            recategorised
            ? T("：", ": ")(lang) + name(t.from_category_zh, t.from_category_en, lang) + " → " + name(t.to_category_zh, t.to_category_en, lang)
            : " → " + state(t.to_state, lang)
        return .li(
            .class(recategorised ? "recategorised" : "step"),
            .strong(.text(title)), .text(change), .br(),
            .span(.class("muted actor"), .text(LocalTime.short(t.at, year: true) + " · " + person(t.actor_name, role: t.actor_role, lang))),
            .if(!t.reason.isEmpty, .group(.br(), .text(t.reason))))
    }

    /// The supervision marks and the follow-up calls, each with who made it.
    static func records(_ d: CaseDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        func by(_ name: String?, _ role: String?) -> String {
            let who = person(name, role: role, lang)
            return who.isEmpty ? "" : " · " + who
        }
        return .group(
            .if(
                !d.supervisions.isEmpty,
                .group(
                    .h2(.text(T("督办记录", "Supervision")(lang))),
                    .ul(
                        .class("rows"), .id("supervisions"),
                        .forEach(d.supervisions) { m in
                            .li(
                                .text("L\(m.level) · \(m.note)"), .br(),
                                .span(.class("muted"), .text(LocalTime.short(m.at, year: true) + by(m.actor_name, m.actor_role))))
                        }))),
            .if(
                !d.followups.isEmpty,
                .group(
                    .h2(.text(T("回访记录", "Follow-up calls")(lang))),
                    .ul(
                        .class("rows"), .id("followups"),
                        .forEach(d.followups) { f in
                            .li(
                                .text(f.note.isEmpty ? f.method : f.note), .br(),
                                .span(
                                    .class("muted"),
                                    .text(
                                        LocalTime.short(f.at, year: true)
                                            + (f.verdict.map { " · " + (lang == .zh ? $0.nameZH : $0.nameEN) } ?? "")
                                            + by(f.actor_name, f.actor_role))))
                        }))))
    }
}
