import Foundation
import MinqingDomain
import Plot
import Vapor

/// The forms on a case's page. Each posts to its own address and comes back to the case; when it
/// fails, the case page is shown again with that form's errors beside its fields and what was typed.
extension CasesViews {
    static func duplicatesBox(
        _ duplicates: [CaseSummary], canMerge: Bool, id: CaseID, failure: FormFailure?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .div(
            .class("card"), .id("duplicates"),
            .h2(.text(T("疑似重复", "Possible duplicates")(lang))),
            PageParts.fieldError(failure?.error(for: CaseAction.merge.rawValue), "primary_id", lang: lang),
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

    static func actionForm(
        _ action: CaseAction, id: CaseID, departments: [CaseDepartment], failure: FormFailure?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = action.rawValue
        let error = failure?.error(for: form)
        func typed(_ field: String) -> String { failure?.value(field, of: form) ?? "" }
        var fields: [Node<HTML.FormContext>] = [Layout.csrfField(ctx.csrf)]
        let field = "\(action.rawValue)-"
        if action == .dispatch || action == .transfer {
            let chosen = typed("department")
            let options: [Node<HTML.SelectContext>] =
                [.option(.value(""), .label(T("按类别默认部门", "The category's default department")(lang)))]
                + departments.map {
                    .option(.value($0.code.attributeSafe), .label(name($0.name_zh, $0.name_en, lang).attributeSafe), .isSelected($0.code == chosen))
                }
            fields.append(.label(.for(field + "department"), .text(T("牵头部门", "Lead department")(lang))))
            fields.append(.select(.id(field + "department"), .attribute(named: "name", value: "department"), .group(options)))
            fields.append(PageParts.fieldError(error, "department", lang: lang))
            if action == .dispatch {
                fields.append(.p(.class("hint"), .text(T("吹哨：协办部门（可多选）", "吹哨: co-handling departments (any)")(lang))))
                let co = Set(typed("co_departments").split(separator: ",").map(String.init))
                for d in departments {
                    fields.append(
                        .label(
                            .class("check"),
                            .input(
                                .type(.checkbox), .name("co_departments[]"), .value(d.code.attributeSafe),
                                .id("co-\(d.code)".attributeSafe), .checked(co.contains(d.code))),
                            .text(" " + name(d.name_zh, d.name_en, lang))))
                }
                fields.append(PageParts.fieldError(error, "co_departments", lang: lang))
            }
        }
        if action == .requestExtension || action == .approveExtension {
            fields.append(.label(.for(field + "days"), .text(T("延期工作日数", "Working days of extension")(lang))))
            fields.append(
                .input(
                    .id(field + "days"), .name("days"), .type(.number), .attribute(named: "min", value: "1"),
                    .attribute(named: "max", value: "30"), .required(action == .requestExtension), .value(typed("days").attributeSafe)))
            fields.append(PageParts.fieldError(error, "days", lang: lang))
        }
        if action.needsReason {
            fields.append(.label(.for(field + "reason"), .text(T("理由", "Reason")(lang))))
            fields.append(
                .textarea(.id(field + "reason"), .name("reason"), .attribute(named: "rows", value: "2"), .required(true), .text(typed("reason"))))
            fields.append(PageParts.fieldError(error, "reason", lang: lang))
        }
        fields.append(.button(.type(.submit), .id("action-\(action.rawValue)"), .text(lang == .zh ? action.nameZH : action.nameEN)))
        return .form(
            .class(fields.count > 2 ? "stack card" : "inline"), .method(.post),
            .action(SiteURL.cases(.action(.value(id), .value(action.rawValue))).path.attributeSafe), .group(fields))
    }

    static func ratingForm(id: CaseID, failure: FormFailure?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = CaseAction.evaluate.rawValue
        let error = failure?.error(for: form)
        let verdict = failure?.value("verdict", of: form) ?? ""
        return .form(
            .class("stack card"), .id("rating-form"), .method(.post),
            .action(SiteURL.cases(.action(.value(id), .value(form))).path.attributeSafe), Layout.csrfField(ctx.csrf),
            .h2(.text(T("评价办理结果", "Rate how it was handled")(lang))),
            .forEach(CaseVerdict.allCases) { v in
                .label(
                    .class("choice"),
                    .input(
                        .type(.radio), .name("verdict"), .value(v.rawValue), .id("verdict-\(v.rawValue)"), .required(true),
                        .checked(verdict == v.rawValue)),
                    .text(" " + (lang == .zh ? v.nameZH : v.nameEN)))
            },
            PageParts.fieldError(error, "verdict", lang: lang),
            .label(
                .class("check"), .input(.type(.checkbox), .name("resolved"), .value("yes"), .checked(true)),
                .text(T(" 问题已解决", " The problem is solved")(lang))),
            .label(.for("rating-reason"), .text(T("意见（可不填）", "Comments (optional)")(lang))),
            .textarea(.id("rating-reason"), .name("reason"), .attribute(named: "rows", value: "2"), .text(failure?.value("reason", of: form) ?? "")),
            PageParts.fieldError(error, "reason", lang: lang),
            .button(.type(.submit), .id("rate"), .text(T("提交评价", "Send my rating")(lang))))
    }

    /// 改类别: a select of the 小类 by name (the case's own chosen) and the reason, both required.
    static func recategoriseForm(
        _ s: CaseSummary, categories: [CaseCategoryRecord], failure: FormFailure?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = CasesService.recategoriseAction
        let error = failure?.error(for: form)
        let chosen = failure?.value("category_code", of: form).nilIfEmpty ?? s.category_code
        return .form(
            .class("stack card"), .id("recategorise-form"), .method(.post), .action(SiteURL.cases(.category(.value(s.id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("改类别", "Change the category")(lang))),
            .p(
                .class("hint"),
                .text(
                    T(
                        "已派遣的案件保留原处置期限；尚未派遣的，派遣时按新类别的时限计算。",
                        "A dispatched case keeps its deadline; one not yet dispatched gets the new category's time limits when dispatched.")(lang))),
            .label(.for("recategorise-category"), .text(T("新的问题类别", "The new category")(lang))),
            .select(
                .id("recategorise-category"), .attribute(named: "name", value: "category_code"), .attribute(named: "required", value: "required"),
                .group(categoryOptions(categories, selected: chosen, lang))),
            PageParts.fieldError(error, "category_code", lang: lang),
            .label(.for("recategorise-reason"), .text(T("理由", "Reason")(lang))),
            .textarea(
                .id("recategorise-reason"), .name("reason"), .attribute(named: "rows", value: "2"), .required(true),
                .text(failure?.value("reason", of: form) ?? "")),
            PageParts.fieldError(error, "reason", lang: lang),
            .button(.type(.submit), .id("recategorise-submit"), .text(T("改类别", "Change the category")(lang))))
    }

    static func noteForm(
        path: String, action: SiteURL, field: String, label: T, button: T, failure: FormFailure?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .form(
            .class("stack card"), .method(.post), .action(action.path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .label(.for("\(path)-\(field)"), .text(label(lang))),
            .textarea(
                .id("\(path)-\(field)"), .name(field), .attribute(named: "rows", value: "2"), .required(true),
                .text(failure?.value(field, of: path) ?? "")),
            PageParts.fieldError(failure?.error(for: path), field, lang: lang),
            .button(.type(.submit), .id("\(path)-submit"), .text(button(lang))))
    }

    static func followUpForm(id: CaseID, failure: FormFailure?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = "followup"
        let error = failure?.error(for: form)
        let verdict = failure?.value("verdict", of: form) ?? ""
        let verdicts: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("未评价", "No verdict")(lang)))]
            + CaseVerdict.allCases.map {
                .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN), .isSelected(verdict == $0.rawValue))
            }
        return .form(
            .class("stack card"), .id("followup-form"), .method(.post), .action(SiteURL.cases(.followup(.value(id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("回访", "Follow-up call")(lang))),
            .label(.class("check"), .input(.type(.checkbox), .name("reached"), .value("yes"), .checked(true)), .text(T(" 已联系上", " Reached")(lang))),
            .label(.for("followup-verdict"), .text(T("反映人评价", "The requester's verdict")(lang))),
            .select(.id("followup-verdict"), .attribute(named: "name", value: "verdict"), .group(verdicts)),
            PageParts.fieldError(error, "verdict", lang: lang),
            .label(.class("check"), .input(.type(.checkbox), .name("resolved"), .value("yes")), .text(T(" 问题已解决", " Solved")(lang))),
            .label(.for("followup-note"), .text(T("回访记录", "Notes")(lang))),
            .textarea(.id("followup-note"), .name("note"), .attribute(named: "rows", value: "2"), .text(failure?.value("note", of: form) ?? "")),
            PageParts.fieldError(error, "note", "method", lang: lang),
            .button(.type(.submit), .id("followup-submit"), .text(T("记录回访", "Record the call")(lang))))
    }
}
