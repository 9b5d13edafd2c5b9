import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of resident polls (要投票): the organisers' form that starts one and the poll's page.
/// Plain values in, HTML out; a refused form comes back as typed, each problem as a sentence
/// beside its field.
enum PollViews {
    // MARK: set-up

    static func newPoll(
        nodes: [PollQueries.NodeChoice], form: PollPages.PollForm?, error: AppError?, now: Date, ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        var fields: [Node<HTML.FormContext>] = [Layout.csrfField(ctx.csrf)]
        fields += pollFields(nodes: nodes, form: form, error: error, now: now, lang: lang)
        fields.append(.button(.type(.submit), .id("start-poll"), .text(T("发起投票", "Start the poll")(lang))))
        let formNode: Node<HTML.BodyContext> = .form(
            .id("new-poll-form"), .class("stack card"), .method(.post), .action(SiteURL.voting(.newPoll).path), .group(fields))
        return Layout.render(
            ctx, title: T("发起居民投票", "Start a resident poll")(lang), status: status,
            .p(.a(.href(SiteURL.voting(.index).path), .text(T("← 协商室", "← Consultation room")(lang)))),
            .h1(.text(T("发起居民投票", "Start a resident poll")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "居民投票不具有法律约束力；业主共同决定事项请发起业主表决。",
                        "A resident poll is not binding; owners' joint decisions need an owners' ballot.")(lang))),
            PageParts.errorBox(error, lang, id: "voting-error"),
            formNode)
    }

    /// The poll form's fields, as typed when it comes back, each problem beside its field.
    static func pollFields(
        nodes: [PollQueries.NodeChoice], form: PollPages.PollForm?, error: AppError?, now: Date, lang: Lang
    ) -> [Node<HTML.FormContext>] {
        func problem(_ name: String) -> Node<HTML.FormContext> { PageParts.fieldError(error, name, lang: lang) }
        let nodeOptions: [Node<HTML.SelectContext>] = nodes.map { n in
            .option(
                .value(n.code.attributeSafe), .label("\(n.name)（\(lang == .zh ? n.level.nameZH : n.level.nameEN)）".attributeSafe),
                .isSelected(form?.node == n.code))
        }
        let unitOptions: [Node<HTML.SelectContext>] = ResidentPollRules.Unit.allCases.map { u in
            .option(.value(u.rawValue), .label(lang == .zh ? u.nameZH : u.nameEN), .isSelected((form?.unit ?? "person") == u.rawValue))
        }
        let secrecyOptions: [Node<HTML.SelectContext>] = ResidentPollRules.Secrecy.allCases.map { s in
            .option(.value(s.rawValue), .label(lang == .zh ? s.nameZH : s.nameEN), .isSelected((form?.secrecy ?? "open") == s.rawValue))
        }
        let closes = (form?.closes_at ?? LocalTime.value(now.addingTimeInterval(7 * 86_400))).attributeSafe
        let optionsHint = T(
            "每行一个选项，\(ResidentPollRules.optionCount.lowerBound) 至 \(ResidentPollRules.optionCount.upperBound) 个",
            "One option a line, \(ResidentPollRules.optionCount.lowerBound) to \(ResidentPollRules.optionCount.upperBound) of them")(lang)
        var fields: [Node<HTML.FormContext>] = []
        fields.append(.label(.for("poll-node"), .text(T("谁来投票（网格范围）", "Who votes (part of the grid)")(lang))))
        fields.append(.select(.id("poll-node"), .attribute(named: "name", value: "node"), .group(nodeOptions)))
        fields.append(problem("node"))
        fields.append(.label(.for("title"), .text(T("投票标题", "Title")(lang))))
        fields.append(.input(.id("title"), .name("title"), .type(.text), .required(true), .value((form?.title ?? "").attributeSafe)))
        fields.append(problem("title"))
        fields.append(.label(.for("options"), .text(T("选项", "Options")(lang))))
        fields.append(.p(.class("muted"), .text(optionsHint)))
        fields.append(.textarea(.id("options"), .name("options"), .attribute(named: "rows", value: "4"), .text(form?.options ?? "")))
        fields.append(problem("options"))
        fields.append(.label(.for("unit"), .text(T("计票单位", "Who has a vote")(lang))))
        fields.append(.select(.id("unit"), .attribute(named: "name", value: "unit"), .group(unitOptions)))
        fields.append(problem("unit"))
        fields.append(.label(.for("secrecy"), .text(T("记名与否", "Open or secret")(lang))))
        fields.append(.select(.id("secrecy"), .attribute(named: "name", value: "secrecy"), .group(secrecyOptions)))
        fields.append(problem("secrecy"))
        fields.append(.label(.for("closes_at"), .text(T("截止时间", "Closes at")(lang))))
        fields.append(.input(.id("closes_at"), .name("closes_at"), .type(.datetimeLocal), .value(closes)))
        fields.append(problem("closes_at"))
        fields.append(
            .label(
                .input(.type(.checkbox), .name("results_live"), .checked(form?.results_live == "on")),
                .text(T(" 投票期间公开实时结果", " Show the result while the poll is open")(lang))))
        fields.append(.label(.for("description"), .text(T("说明（可不填）", "Description (optional)")(lang))))
        fields.append(.textarea(.id("description"), .name("description"), .text(form?.description ?? "")))
        fields.append(problem("description"))
        return fields
    }

    // MARK: poll

    /// The poll's page; `posted` is the option a refused vote chose; `closes` shows the organiser's close button.
    static func poll(
        _ d: PollDetail, error: AppError?, posted: UUID? = nil, closes: Bool = false, topics: [TopicLink] = [], ctx: PageContext,
        status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let p = d.poll
        let secrecy = p.secrecy
        let unit = p.unit
        return Layout.render(
            ctx, title: p.title, status: status,
            .p(.a(.href(SiteURL.voting(.index).path), .text(T("← 协商室", "← Consultation room")(lang)))),
            .h1(.id("poll-title"), .text(p.title)),
            TopicViews.linkedFrom(topics, lang),
            .p(
                .class("muted"),
                .text(
                    "\(p.node_name) · \(lang == .zh ? secrecy.nameZH : secrecy.nameEN) · \(lang == .zh ? unit.nameZH : unit.nameEN) · "
                        + T("不具有法律约束力", "not binding")(lang) + " · \(T("截止", "closes")(lang)) \(LocalTime.short(p.closes_at, year: true))")),
            .if(!d.description.isEmpty, .p(.text(d.description))),
            PageParts.errorBox(error, lang, id: "voting-error"),
            .p(.id("poll-voters"), .text(T("已有 \(d.voters) 票", "\(d.voters) voted")(lang))),
            .if(d.i_voted, .p(.class("voted"), .text(T("您已投票。", "You have voted.")(lang)))),
            .if(d.may_vote, voteForm(d, posted: posted, error: error, ctx: ctx)),
            .if(
                d.options.contains { $0.votes != nil },
                .div(
                    .class("card"), .id("poll-result"), .h2(.text(T("结果", "Result")(lang))),
                    .ul(.forEach(d.options) { o in .li(.text("\(o.label)：\(o.votes ?? 0)")) }))),
            .unwrap(d.open_record) { record in
                .div(
                    .class("card"), .id("poll-record"), .h2(.text(T("记名投票记录", "Who voted what")(lang))),
                    .ul(.forEach(record) { r in .li(.text("\(r.voter)：\(r.option)")) }))
            },
            .if(
                closes,
                .form(
                    .class("inline"), .id("close-poll-form"), .method(.post), .action(SiteURL.voting(.pollClose(.value(p.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    .button(.type(.submit), .id("close-poll"), .text(T("结束投票", "Close the poll")(lang))))))
    }

    /// A resident's vote: one option, chosen again after a refused vote, the problem beside the choices.
    static func voteForm(_ d: PollDetail, posted: UUID?, error: AppError?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .form(
            .id("poll-form"), .class("stack card"), .method(.post),
            .action(SiteURL.voting(.pollVote(.value(d.poll.id))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .fieldset(
                .element(named: "legend", text: T("请选择", "Choose")(lang)),
                .forEach(d.options) { o in
                    .label(
                        .class("choice"),
                        .input(
                            .type(.radio), .name("option_id"), .value(o.id.uuidString.attributeSafe), .required(true), .checked(posted == o.id)),
                        .text(" " + o.label))
                }),
            PageParts.fieldError(error, "option_id", "unit", lang: lang),
            .button(.type(.submit), .id("poll-vote"), .text(T("投票", "Vote")(lang))))
    }
}
