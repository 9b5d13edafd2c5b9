import Foundation
import MinqingDomain
import Plot
import Vapor

/// A property company's answers on its page: the reports and replies on file under each
/// rectification and complaint (who wrote them by name and role, and when), and for the company's
/// own account the forms that send them — phone-first, the company's staff write them on site.
extension OversightViews {
    /// The answers given to one rectification or complaint, oldest first; nothing when there are none.
    static func answerList(_ answers: [CompanyAnswerRow], lang: Lang) -> Node<HTML.BodyContext> {
        .if(
            !answers.isEmpty,
            .ul(
                .class("answers"),
                .forEach(answers) { a in
                    .li(
                        .class("answer"), .id("answer-\(a.id.uuidString)".attributeSafe),
                        .text(a.body), .br(),
                        .span(
                            .class("muted"),
                            .text(
                                "\(a.answered_by)（\(name(a.answered_by_role.nameZH, a.answered_by_role.nameEN, lang))）· \(a.answered_on)"
                                    + (a.done_on.map { T(" · \($0) 完成", " · done \($0)")(lang) } ?? ""))))
                }))
    }

    /// The company's report on an open rectification: what was done and on which day.
    static func rectificationAnswerForm(_ r: RectificationRow, _ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = FormState("answer-\(r.id.uuidString)", m.posted, lang)
        return postForm(
            "answer-\(r.id.uuidString)-form", action: SiteURL.oversight(.rectificationAnswers(.value(r.id))).path, csrf: ctx.csrf,
            submit: T("提交整改情况", "Send the report")(lang),
            area(f, "body", T("整改情况（做了什么）", "What was done")(lang), required: true, rows: 4, maxLength: 2000),
            field(f, "done_on", T("完成日期（默认今天）", "Done on (default today)")(lang), type: .date))
    }

    /// The company's reply to a complaint linked to it.
    static func complaintAnswerForm(_ q: ComplaintRow, _ m: CompanyModel, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let f = FormState("reply-\(q.id.uuidString)", m.posted, lang)
        return postForm(
            "reply-\(q.id.uuidString)-form", action: SiteURL.oversight(.complaintAnswers(.value(q.id))).path, csrf: ctx.csrf,
            submit: T("提交答复", "Send the reply")(lang),
            area(f, "body", T("答复", "Your reply")(lang), required: true, rows: 4, maxLength: 2000))
    }
}
