import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the topic board: plain values in, HTML out; phone first; attribute values through
/// `attributeSafe`.
enum TopicViews {
    /// What a refused form of the topic page posted: that form comes back as typed, its problems
    /// beside its fields (the other forms stay empty).
    struct Posted: Sendable {
        var comment: TopicPages.CommentForm?
        /// The comment whose moderation was refused.
        var moderated: UUID?
        var moderation: TopicPages.ModerateForm?
        var meeting: TopicPages.MeetingForm?
        var link: TopicPages.LinkForm?
        var decision: TopicPages.DecisionForm?
    }

    static func status(_ status: TopicStatus, _ lang: Lang) -> String {
        lang == .zh ? status.nameZH : status.nameEN
    }

    /// "From the topic …" on a ballot's or poll's page.
    static func linkedFrom(_ topics: [TopicLink], _ lang: Lang) -> Node<HTML.BodyContext> {
        guard !topics.isEmpty else { return .empty }
        return .p(
            .id("from-topics"), .text(T("来自议题：", "From the topic: ")(lang)),
            .group(
                topics.map { t in
                    .a(.href(SiteURL.voting(.topic(.value(t.id))).path.attributeSafe), .text(t.title + " (" + status(t.status, lang) + ") "))
                }))
    }

    static func index(
        _ topics: [TopicSummary], areas: [TopicPages.AreaChoice], form: TopicPages.ProposeForm?, error: AppError?,
        ctx: PageContext, status code: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let areaField: Node<HTML.FormContext> =
            areas.isEmpty
            ? .empty
            : .group(
                .label(.for("topic-area"), .text(T("居民区", "Residential area")(lang))),
                .select(
                    .attribute(named: "name", value: "area"), .id("topic-area"),
                    .group(
                        areas.map { a in
                            .option(.value(a.code.attributeSafe), .label(a.name.attributeSafe), .isSelected(form?.area == a.code))
                        })),
                PageParts.fieldError(error, "area", lang: lang))
        return Layout.render(
            ctx, title: T("议事厅", "Topic board")(lang), status: code,
            .p(.a(.href(SiteURL.voting(.index).path), .text(T("← 协商室", "← Consultation room")(lang)))),
            .h1(.text(T("议事厅：自治议题征集", "Topic board: residents' topics")(lang))),
            PageParts.errorBox(error, lang, id: "voting-error"),
            .ul(
                .class("rows"), .id("topics"),
                .group(
                    topics.map { t in
                        .li(
                            .a(.href(SiteURL.voting(.topic(.value(t.id))).path.attributeSafe), .text(t.title)), .text(" "),
                            .span(.class("badge"), .text(status(t.status, lang))), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    "\(t.area_name) · \(t.proposer_name) · \(T("支持", "support")(lang)) \(t.supports) · \(LocalTime.short(t.created_at, year: true))"
                                )))
                    })),
            .if(topics.isEmpty, .p(.class("muted"), .text(T("还没有议题。", "No topics yet.")(lang)))),
            .form(
                .class("stack card"), .id("propose-form"), .method(.post), .action(SiteURL.voting(.topics).path), Layout.csrfField(ctx.csrf),
                .h2(.text(T("提出议题", "Propose a topic")(lang))),
                areaField,
                .if(areas.isEmpty, PageParts.fieldError(error, "area", lang: lang)),
                .label(.for("topic-title"), .text(T("标题", "Title")(lang))),
                .input(.type(.text), .name("title"), .id("topic-title"), .required(true), .value((form?.title ?? "").attributeSafe)),
                PageParts.fieldError(error, "title", lang: lang),
                .label(.for("topic-body"), .text(T("内容", "What it is about")(lang))),
                .textarea(.name("body"), .id("topic-body"), .attribute(named: "rows", value: "5"), .text(form?.body ?? "")),
                PageParts.fieldError(error, "body", lang: lang),
                .button(.type(.submit), .id("propose"), .text(T("提交议题", "Propose")(lang)))))
    }

    static func topic(
        _ d: TopicDetail, targets: [TopicQueries.LinkTarget], error: AppError?, posted: Posted = .init(), ctx: PageContext,
        status code: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let t = d.topic
        let state = t.status
        return Layout.render(
            ctx, title: t.title, status: code,
            .p(.a(.href(SiteURL.voting(.topics).path), .text(T("← 议事厅", "← Topic board")(lang)))),
            .h1(.id("topic-title"), .text(t.title)),
            .p(.span(.class("badge"), .id("topic-status"), .text(status(t.status, lang))), .text(" \(t.area_name) · \(t.proposer_name)")),
            .p(.text(d.body)),
            PageParts.errorBox(error, lang, id: "voting-error"),
            .p(.id("supports"), .text(T("支持人数：", "Supporters: ")(lang) + "\(t.supports)")),
            .if(
                state.isOpen && !d.i_support && ctx.user?.role == .resident,
                topicForm(
                    .topicSupport(.value(t.id)), id: "support-form", csrf: ctx.csrf,
                    .button(.type(.submit), .id("support"), .text(T("我支持这个议题", "I support this topic")(lang))))),
            .if(d.i_support, .p(.class("muted"), .id("i-support"), .text(T("您已支持。", "You support this topic.")(lang)))),
            takenTo(d, lang),
            meetingList(d, lang),
            .h2(.text(T("讨论", "Discussion")(lang))),
            commentList(d, posted: posted, error: error, ctx: ctx),
            .if(
                state.isOpen,
                topicForm(
                    .topicComments(.value(t.id)), id: "comment-form", csrf: ctx.csrf,
                    .label(
                        .for("comment-body"), .text(T("发表意见（居民的评论经审核后公开）", "Your comment (residents' comments are published after moderation)")(lang))
                    ),
                    .textarea(.name("body"), .id("comment-body"), .attribute(named: "rows", value: "3"), .text(posted.comment?.body ?? "")),
                    PageParts.fieldError(posted.comment == nil ? nil : error, "body", lang: lang),
                    .button(.type(.submit), .id("post-comment"), .text(T("发表", "Post")(lang))))),
            meetingForm(d, posted: posted.meeting, error: posted.meeting == nil ? nil : error, ctx: ctx),
            linkForm(d, targets: targets, posted: posted.link, error: posted.link == nil ? nil : error, ctx: ctx),
            decisionForm(d, posted: posted.decision, error: posted.decision == nil ? nil : error, ctx: ctx))
    }

    /// A form of the topic's page, posting to `action` with the CSRF token.
    private static func topicForm(_ action: SiteURL.Voting, id: String, csrf: String, _ nodes: Node<HTML.FormContext>...) -> Node<HTML.BodyContext> {
        .form(
            .class("stack card"), .id(id), .method(.post), .action(SiteURL.voting(action).path.attributeSafe), Layout.csrfField(csrf),
            .group(nodes))
    }

    /// Where the topic went: the owners' ballot or resident poll it was taken to, and its conclusion.
    private static func takenTo(_ d: TopicDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        let t = d.topic
        return .group(
            .unwrap(d.ballot) { b in
                .p(
                    .id("topic-ballot"), .text(T("已提交业主表决：", "Taken to an owners' ballot: ")(lang)),
                    .a(.href(SiteURL.voting(.ballot(.value(b.id))).path.attributeSafe), .text(b.title)),
                    .text(" (" + VotingViews.status(b.status, lang) + (VotingViews.outcome(b.outcome, lang).map { " · " + $0 } ?? "") + ")"))
            },
            .unwrap(d.poll) { p in
                .p(
                    .id("topic-poll"), .text(T("已提交居民投票：", "Taken to a resident poll: ")(lang)),
                    .a(.href(SiteURL.voting(.poll(.value(p.id))).path.attributeSafe), .text(p.title)),
                    .text(" (" + VotingViews.status(p.status, lang) + ")"))
            },
            .unwrap(d.outcome) { o in
                .div(
                    .class("card"), .id("topic-outcome"), .h2(.text(status(t.status, lang))), .p(.text(o)),
                    .p(.class("muted"), .text((d.decided_by ?? "") + " " + (d.decided_at.map(DisplayTime.format) ?? ""))))
            })
    }

    /// The meetings held on the topic (三会), with attendees and minutes.
    private static func meetingList(_ d: TopicDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        let meetings: [Node<HTML.BodyContext>] = d.meetings.map { m in
            return .div(
                .class("card meeting"),
                .h3(.text((lang == .zh ? m.kind.nameZH : m.kind.nameEN) + " · " + m.held_on + " · " + m.place)),
                .p(.strong(.text(T("参会人员：", "Attendees: ")(lang))), .text(m.attendees)),
                .p(.strong(.text(T("会议纪要：", "Minutes: ")(lang))), .text(m.minutes)),
                .p(.class("muted"), .text(T("记录人 ", "Recorded by ")(lang) + m.recorded_by)))
        }
        return .if(!meetings.isEmpty, .group(.h2(.text(T("会议", "Meetings")(lang))), .div(.id("meetings"), .group(meetings))))
    }

    /// The discussion: each comment with its state, and the moderation buttons for a manager.
    private static func commentList(_ d: TopicDetail, posted: Posted, error: AppError?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let t = d.topic
        let comments: [Node<HTML.ListContext>] = d.comments.map { c in
            let cs = c.status
            // The refused moderation of this comment: its reason as typed, its problem beside it.
            let refused = posted.moderated == c.id ? posted.moderation : nil
            let problem: Node<HTML.FormContext> = refused == nil ? .empty : PageParts.fieldError(error, "reason", "decision", lang: lang)
            let moderation: Node<HTML.BodyContext> =
                !d.manages
                ? .empty
                : .group(
                    TopicModeration.allCases.filter { cs.after($0) != nil }.map { m in
                        .form(
                            .class("inline"), .method(.post),
                            .action(SiteURL.voting(.topicCommentModerate(.value(t.id), .value(c.id))).path.attributeSafe),
                            Layout.csrfField(ctx.csrf),
                            .input(.type(.hidden), .name("decision"), .value(m.rawValue)),
                            .if(
                                m == .hide,
                                .input(
                                    .type(.text), .name("reason"), .required(true), .placeholder(T("隐藏理由", "Reason")(lang).attributeSafe),
                                    .value((refused?.reason ?? "").attributeSafe))),
                            .if(m == .hide, problem),
                            .button(
                                .type(.submit), .class("moderate-\(m.rawValue)"),
                                .text(m == .publish ? T("公开", "Publish")(lang) : T("隐藏", "Hide")(lang))))
                    })
            return .li(
                .class("comment comment-\(cs.rawValue)"),
                .strong(.text(c.author_name)), .text(" "), .span(.class("badge"), .text(lang == .zh ? cs.nameZH : cs.nameEN)), .br(),
                cs == .hidden ? .span(.class("muted"), .text(T("已隐藏，理由：", "Hidden, reason: ")(lang) + (c.reason ?? ""))) : .empty,
                c.body.isEmpty ? .empty : .p(.text(c.body)), moderation)
        }
        return .ul(.class("rows"), .id("comments"), .group(comments))
    }

    /// A manager records a meeting held on the topic (三会).
    private static func meetingForm(
        _ d: TopicDetail, posted f: TopicPages.MeetingForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let t = d.topic
        let state = t.status
        func problem(_ name: String) -> Node<HTML.FormContext> { PageParts.fieldError(error, name, lang: lang) }
        let kindOptions: [Node<HTML.SelectContext>] = TopicMeetingKind.allCases.map {
            .option(.value($0.rawValue), .label(lang == .zh ? $0.nameZH : $0.nameEN), .isSelected(f?.kind == $0.rawValue))
        }
        return .if(
            d.manages && state.after(.takeToMeeting) != nil,
            topicForm(
                .topicMeetings(.value(t.id)), id: "meeting-form", csrf: ctx.csrf,
                .h2(.text(T("记录会议（三会）", "Record a meeting")(lang))),
                .label(.for("meeting-kind"), .text(T("会议类型", "Kind of meeting")(lang))),
                .select(.attribute(named: "name", value: "kind"), .id("meeting-kind"), .group(kindOptions)),
                problem("kind"),
                .label(
                    .text(T("日期", "Date")(lang)),
                    .input(.type(.date), .name("held_on"), .id("meeting-date"), .required(true), .value((f?.held_on ?? "").attributeSafe))),
                problem("held_on"),
                .label(
                    .text(T("地点", "Place")(lang)),
                    .input(.type(.text), .name("place"), .id("meeting-place"), .required(true), .value((f?.place ?? "").attributeSafe))),
                problem("place"),
                .label(
                    .text(T("参会人员", "Attendees")(lang)),
                    .textarea(.name("attendees"), .id("meeting-attendees"), .attribute(named: "rows", value: "2"), .text(f?.attendees ?? ""))),
                problem("attendees"),
                .label(
                    .text(T("会议纪要", "Minutes")(lang)),
                    .textarea(.name("minutes"), .id("meeting-minutes"), .attribute(named: "rows", value: "4"), .text(f?.minutes ?? ""))),
                problem("minutes"),
                .button(.type(.submit), .id("record-meeting"), .text(T("保存会议记录", "Save the meeting")(lang)))))
    }

    /// A manager takes the topic to one of the polls or ballots it may link to.
    private static func linkForm(
        _ d: TopicDetail, targets: [TopicQueries.LinkTarget], posted: TopicPages.LinkForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let t = d.topic
        let state = t.status
        let targetOptions: [Node<HTML.SelectContext>] = targets.map {
            .option(
                .value($0.value.attributeSafe), .label($0.title.attributeSafe),
                .isSelected(posted?.target?.lowercased() == $0.value.lowercased()))
        }
        return .if(
            d.manages && !targets.isEmpty && state.after(.linkVote) != nil,
            topicForm(
                .topicLink(.value(t.id)), id: "link-form", csrf: ctx.csrf,
                .h2(.text(T("提交投票或表决", "Take to a poll or a ballot")(lang))),
                .select(.attribute(named: "name", value: "target"), .id("link-target"), .group(targetOptions)),
                PageParts.fieldError(error, "target", "ballot_id", "poll_id", lang: lang),
                .button(.type(.submit), .id("link-vote"), .text(T("关联", "Link")(lang)))))
    }

    /// A manager concludes the open topic: decided (once its state allows) or declined.
    private static func decisionForm(
        _ d: TopicDetail, posted: TopicPages.DecisionForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let t = d.topic
        let state = t.status
        return .if(
            d.manages && state.isOpen,
            topicForm(
                .topicDecision(.value(t.id)), id: "decision-form", csrf: ctx.csrf,
                .h2(.text(T("结论", "Conclusion")(lang))),
                .fieldset(
                    .if(
                        state.after(.decide) != nil,
                        .label(
                            .class("choice"),
                            .input(
                                .type(.radio), .name("outcome"), .value("decided"), .required(true), .id("outcome-decided"),
                                .checked(posted?.outcome == "decided")),
                            .text(" " + T("形成决定", "Decided")(lang)))),
                    .label(
                        .class("choice"),
                        .input(.type(.radio), .name("outcome"), .value("declined"), .id("outcome-declined"), .checked(posted?.outcome == "declined")),
                        .text(" " + T("不予采纳", "Declined")(lang)))),
                PageParts.fieldError(error, "outcome", lang: lang),
                .label(
                    .text(T("决定内容或理由", "The decision or the reason")(lang)),
                    .textarea(.name("text"), .id("decision-text"), .attribute(named: "rows", value: "3"), .text(posted?.text ?? ""))),
                PageParts.fieldError(error, "text", lang: lang),
                .button(.type(.submit), .id("conclude"), .text(T("公布结论", "Publish the conclusion")(lang)))))
    }
}
