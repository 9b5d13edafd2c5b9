import Foundation
import MinqingDomain
import Plot
import Vapor

/// A case's page: what it is, where it stands, its deadline, the forms the caller may use, and
/// the timeline of every transition.
extension CasesViews {
    static func detail(
        _ d: CaseDetail, role: Role, duplicates: [CaseSummary], departments: [CaseDepartment], coReportPending: Bool,
        error: AppError?, ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let s = d.summary
        let actions = d.actions
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
        if let phone = d.submitter_phone_masked, role.isGridStaff || role == .departmentHandler { facts.append((T("联系电话", "Phone"), phone)) }
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
            .dl(.class("facts"), .forEach(facts) { fact in .group(.dt(.text(fact.0(lang))), .dd(.text(fact.1))) }),
            PageParts.errorBox(error, lang, id: "voting-error"),
            .if(!duplicates.isEmpty, duplicatesBox(duplicates, canMerge: actions.contains(.merge), id: s.id, ctx: ctx)),
            .group(
                actions.filter { $0 != .merge && $0 != .evaluate && $0 != .reopen }.map {
                    actionForm($0, id: s.id, departments: departments, ctx: ctx)
                }),
            .if(actions.contains(.evaluate), ratingForm(id: s.id, ctx: ctx)),
            .if(
                coReportPending,
                noteForm(
                    path: "report", action: .cases(.report(.value(s.id))), field: "report", label: T("协办情况", "What your department did"),
                    button: T("提交协办报告", "File the co-handler's report"), ctx: ctx)),
            .if(
                CasesQueries.supervisors.contains(role) && s.state.isOpen,
                noteForm(
                    path: "supervise", action: .cases(.supervise(.value(s.id))), field: "note",
                    label: T("督办要求", "What the supervision asks for"), button: T("督办", "Supervise"), ctx: ctx)),
            .if(role.isGridStaff && [.closed, .evaluated].contains(s.state), followUpForm(id: s.id, ctx: ctx)),
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
                        }))),
            .h2(.text(T("办理过程", "Timeline")(lang))),
            .ol(
                .class("rows"), .id("timeline"),
                .forEach(d.transitions) { t in
                    .li(
                        .strong(.text(CaseAction(rawValue: t.action).map { lang == .zh ? $0.nameZH : $0.nameEN } ?? T("受理", "Reported")(lang))),
                        .text(" → " + state(t.to_state, lang)), .br(),
                        .span(.class("muted"), .text("\(LocalTime.short(t.at, year: true)) · \(t.actor_name)")),
                        .if(!t.reason.isEmpty, .group(.br(), .text(t.reason))))
                }),
            .if(
                !d.supervisions.isEmpty,
                .group(
                    .h2(.text(T("督办记录", "Supervision")(lang))),
                    .ul(
                        .class("rows"), .id("supervisions"),
                        .forEach(d.supervisions) { m in
                            .li(.text("L\(m.level) · \(m.note)"), .br(), .span(.class("muted"), .text(LocalTime.short(m.at, year: true))))
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
                                            + (f.verdict.map { " · " + (lang == .zh ? $0.nameZH : $0.nameEN) } ?? ""))))
                        }))))
    }

    static func duplicatesBox(_ duplicates: [CaseSummary], canMerge: Bool, id: CaseID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .div(
            .class("card"), .id("duplicates"),
            .h2(.text(T("疑似重复", "Possible duplicates")(lang))),
            .ul(
                .class("rows"),
                .forEach(duplicates) { dup in
                    .li(
                        .a(
                            .href(SiteURL.cases(.detail(.value(dup.id))).path.attributeSafe), .span(.class("mono"), .text(dup.number)), .text(" "),
                            .text(dup.title)),
                        .text(" "), .span(.class("badge"), .text(state(dup.state, lang))),
                        .if(
                            canMerge,
                            .form(
                                .class("inline"), .method(.post),
                                .action(SiteURL.cases(.action(.value(id), .value(CaseAction.merge.rawValue))).path.attributeSafe),
                                Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("primary_id"), .value(dup.id.uuidString.attributeSafe)),
                                .button(.type(.submit), .class("merge"), .text(T("合并到此案件", "Merge into this case")(lang))))))
                }))
    }

    static func actionForm(_ action: CaseAction, id: CaseID, departments: [CaseDepartment], ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        var fields: [Node<HTML.FormContext>] = [Layout.csrfField(ctx.csrf)]
        let field = "\(action.rawValue)-"
        if action == .dispatch || action == .transfer {
            let options: [Node<HTML.SelectContext>] =
                [.option(.value(""), .label(T("按类别默认部门", "The category's default department")(lang)))]
                + departments.map { .option(.value($0.code.attributeSafe), .label(name($0.name_zh, $0.name_en, lang).attributeSafe)) }
            fields.append(.label(.for(field + "department"), .text(T("牵头部门", "Lead department")(lang))))
            fields.append(.select(.id(field + "department"), .attribute(named: "name", value: "department"), .group(options)))
            if action == .dispatch {
                fields.append(.p(.class("hint"), .text(T("吹哨：协办部门（可多选）", "吹哨: co-handling departments (any)")(lang))))
                for d in departments {
                    fields.append(
                        .label(
                            .class("check"),
                            .input(
                                .type(.checkbox), .name("co_departments[]"), .value(d.code.attributeSafe),
                                .id("co-\(d.code)".attributeSafe)),
                            .text(" " + name(d.name_zh, d.name_en, lang))))
                }
            }
        }
        if action == .requestExtension || action == .approveExtension {
            fields.append(.label(.for(field + "days"), .text(T("延期工作日数", "Working days of extension")(lang))))
            fields.append(
                .input(
                    .id(field + "days"), .name("days"), .type(.number), .attribute(named: "min", value: "1"),
                    .attribute(named: "max", value: "30"), .required(action == .requestExtension)))
        }
        if action.needsReason {
            fields.append(.label(.for(field + "reason"), .text(T("理由", "Reason")(lang))))
            fields.append(.textarea(.id(field + "reason"), .name("reason"), .attribute(named: "rows", value: "2"), .required(true), .text("")))
        }
        fields.append(.button(.type(.submit), .id("action-\(action.rawValue)"), .text(lang == .zh ? action.nameZH : action.nameEN)))
        return .form(
            .class(fields.count > 2 ? "stack card" : "inline"), .method(.post),
            .action(SiteURL.cases(.action(.value(id), .value(action.rawValue))).path.attributeSafe), .group(fields))
    }

    static func ratingForm(id: CaseID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .form(
            .class("stack card"), .id("rating-form"), .method(.post),
            .action(SiteURL.cases(.action(.value(id), .value(CaseAction.evaluate.rawValue))).path.attributeSafe), Layout.csrfField(ctx.csrf),
            .h2(.text(T("评价办理结果", "Rate how it was handled")(lang))),
            .forEach(CaseVerdict.allCases) { v in
                .label(
                    .class("choice"), .input(.type(.radio), .name("verdict"), .value(v.rawValue), .id("verdict-\(v.rawValue)"), .required(true)),
                    .text(" " + (lang == .zh ? v.nameZH : v.nameEN)))
            },
            .label(
                .class("check"), .input(.type(.checkbox), .name("resolved"), .value("yes"), .checked(true)),
                .text(T(" 问题已解决", " The problem is solved")(lang))),
            .label(.for("rating-reason"), .text(T("意见（可不填）", "Comments (optional)")(lang))),
            .textarea(.id("rating-reason"), .name("reason"), .attribute(named: "rows", value: "2"), .text("")),
            .button(.type(.submit), .id("rate"), .text(T("提交评价", "Send my rating")(lang))))
    }

    static func noteForm(path: String, action: SiteURL, field: String, label: T, button: T, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .form(
            .class("stack card"), .method(.post), .action(action.path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .label(.for("\(path)-\(field)"), .text(label(lang))),
            .textarea(.id("\(path)-\(field)"), .name(field), .attribute(named: "rows", value: "2"), .required(true), .text("")),
            .button(.type(.submit), .id("\(path)-submit"), .text(button(lang))))
    }

    static func followUpForm(id: CaseID, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let verdicts: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("未评价", "No verdict")(lang)))]
            + CaseVerdict.allCases.map { .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN)) }
        return .form(
            .class("stack card"), .id("followup-form"), .method(.post), .action(SiteURL.cases(.followup(.value(id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("回访", "Follow-up call")(lang))),
            .label(.class("check"), .input(.type(.checkbox), .name("reached"), .value("yes"), .checked(true)), .text(T(" 已联系上", " Reached")(lang))),
            .label(.for("followup-verdict"), .text(T("反映人评价", "The requester's verdict")(lang))),
            .select(.id("followup-verdict"), .attribute(named: "name", value: "verdict"), .group(verdicts)),
            .label(.class("check"), .input(.type(.checkbox), .name("resolved"), .value("yes")), .text(T(" 问题已解决", " Solved")(lang))),
            .label(.for("followup-note"), .text(T("回访记录", "Notes")(lang))),
            .textarea(.id("followup-note"), .name("note"), .attribute(named: "rows", value: "2"), .text("")),
            .button(.type(.submit), .id("followup-submit"), .text(T("记录回访", "Record the call")(lang))))
    }
}
