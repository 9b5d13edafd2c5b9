import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of 协商室: plain values in, HTML out. Phone first; every value placed in an attribute
/// goes through `attributeSafe`.
enum VotingViews {
    static func area(_ cm2: Int64) -> String { FloorArea(squareCentimetres: cm2).squareMetresText + " m²" }
    static func heads(_ n: Int64, _ lang: Lang) -> String { lang == .zh ? "\(n) 人" : "\(n) owner\(n == 1 ? "" : "s")" }

    static func status(_ status: BallotStatus, _ lang: Lang) -> String {
        lang == .zh ? status.nameZH : status.nameEN
    }

    static func outcome(_ outcome: OwnersVoteTally.Outcome?, _ lang: Lang) -> String? {
        outcome.map { lang == .zh ? $0.nameZH : $0.nameEN }
    }

    static func choice(_ choice: OwnersVoteChoice?, _ lang: Lang) -> String {
        guard let choice else { return T("未投票", "Did not vote")(lang) }
        return lang == .zh ? choice.nameZH : choice.nameEN
    }

    static func scope(_ b: BallotSummary, _ lang: Lang) -> String {
        let kind = b.scope_kind
        var place = b.compound_name
        if let building = b.building_name { place += " " + building }
        if let stairwell = b.stairwell { place += lang == .zh ? " \(stairwell) 单元" : " stairwell \(stairwell)" }
        return "\(place) · \(lang == .zh ? kind.nameZH : kind.nameEN)"
    }

    // MARK: index

    static func index(ballots: [BallotSummary], polls: [PollSummary], organiser: Bool, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("协商室", "Consultation room")(lang),
            .h1(.text(T("协商室", "Consultation room")(lang))),
            .if(
                organiser,
                .p(
                    .a(
                        .class("button"), .id("new-ballot"), .href(SiteURL.voting(.newBallot).path),
                        .text(T("发起业主表决", "Set up an owners' ballot")(lang))),
                    .text(" "),
                    .a(.class("button"), .id("new-poll"), .href(SiteURL.voting(.newPoll).path), .text(T("发起居民投票", "Start a resident poll")(lang))),
                    .text(" "), .a(.id("owner-binding"), .href(SiteURL.voting(.owners).path), .text(T("绑定业主身份", "Bind owners' accounts")(lang))))),
            .p(.a(.class("button"), .id("topic-board"), .href(SiteURL.voting(.topics).path), .text(T("议事厅：自治议题", "Topic board")(lang)))),
            .h2(.text(T("业主表决", "Owners' ballots")(lang))),
            ballots.isEmpty
                ? .p(.class("muted"), .id("ballots"), .text(T("没有表决。", "No ballots.")(lang)))
                : .ul(
                    .class("rows"), .id("ballots"),
                    .forEach(ballots) { b in
                        .li(
                            .a(.href(SiteURL.voting(.ballot(.value(b.id))).path.attributeSafe), .text(b.title)), .text(" "),
                            .span(.class("badge"), .text(status(b.status, lang))),
                            .unwrap(outcome(b.outcome, lang)) { .span(.class("badge"), .text($0)) }, .br(),
                            .span(
                                .class("muted"), .text("\(scope(b, lang)) · \(T("截止", "closes")(lang)) \(LocalTime.short(b.closes_at, year: true))")))
                    }),
            .h2(.text(T("居民投票（要投票）", "Resident polls")(lang))),
            polls.isEmpty
                ? .p(.class("muted"), .id("polls"), .text(T("没有投票。", "No polls.")(lang)))
                : .ul(
                    .class("rows"), .id("polls"),
                    .forEach(polls) { p in
                        .li(
                            .a(.href(SiteURL.voting(.poll(.value(p.id))).path.attributeSafe), .text(p.title)), .text(" "),
                            .span(.class("badge"), .text(status(p.status, lang))), .br(),
                            .span(
                                .class("muted"),
                                .text(
                                    "\(p.node_name) · \(lang == .zh ? p.secrecy.nameZH : p.secrecy.nameEN) · \(lang == .zh ? p.unit.nameZH : p.unit.nameEN)"
                                )))
                    }))
    }

    // MARK: set-up

    static func newBallot(
        compounds: [VotingPages.CompoundChoice], buildings: [VotingPages.BuildingChoice], form: VotingPages.BallotForm?,
        error: AppError?, now: Date, ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let compoundOptions: [Node<HTML.SelectContext>] = compounds.map { c in
            .option(.value(c.id.uuidString.attributeSafe), .label(c.name.attributeSafe), .isSelected(form?.compound_id == c.id.uuidString))
        }
        let buildingOptions: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("全小区", "The whole compound")(lang)))]
            + buildings.map { b in
                .option(
                    .value(b.id.uuidString.attributeSafe), .label("\(b.compound_name) \(b.name)".attributeSafe),
                    .isSelected(form?.building_id == b.id.uuidString))
            }
        let ruleOptions: [Node<HTML.SelectContext>] = OwnersVoteRuleSet.catalogue.map { r in
            .option(
                .value(r.code.attributeSafe), .label((lang == .zh ? r.nameZH : r.nameEN).attributeSafe),
                .isSelected((form?.rule_code ?? "lift_installation") == r.code))
        }
        let closes = (form?.closes_at ?? LocalTime.value(now.addingTimeInterval(14 * 86_400))).attributeSafe
        func problem(_ name: String) -> Node<HTML.FormContext> { PageParts.fieldError(error, name, lang: lang) }
        var fields: [Node<HTML.FormContext>] = [Layout.csrfField(ctx.csrf)]
        fields.append(.label(.for("title"), .text(T("表决事项标题", "Title")(lang))))
        fields.append(.input(.id("title"), .name("title"), .type(.text), .required(true), .value((form?.title ?? "").attributeSafe)))
        fields.append(problem("title"))
        fields.append(.label(.for("rule_code"), .text(T("表决事项类别（决定表决规则）", "Matter (decides the thresholds)")(lang))))
        fields.append(.select(.id("rule_code"), .attribute(named: "name", value: "rule_code"), .group(ruleOptions)))
        fields.append(problem("rule_code"))
        fields.append(.label(.for("compound_id"), .text(T("小区", "Compound")(lang))))
        fields.append(.select(.id("compound_id"), .attribute(named: "name", value: "compound_id"), .group(compoundOptions)))
        fields.append(problem("compound_id"))
        fields.append(.label(.for("building_id"), .text(T("楼栋（部分业主共有部分）", "Building (a part shared by some owners)")(lang))))
        fields.append(.select(.id("building_id"), .attribute(named: "name", value: "building_id"), .group(buildingOptions)))
        fields.append(problem("building_id"))
        fields.append(.label(.for("stairwell"), .text(T("单元（可不填）", "Stairwell (optional)")(lang))))
        fields.append(.input(.id("stairwell"), .name("stairwell"), .type(.text), .value((form?.stairwell ?? "").attributeSafe)))
        fields.append(problem("stairwell"))
        fields.append(.label(.for("closes_at"), .text(T("截止时间", "Closes at")(lang))))
        fields.append(.input(.id("closes_at"), .name("closes_at"), .type(.datetimeLocal), .value(closes)))
        fields.append(problem("closes_at"))
        fields.append(
            .label(
                .input(.type(.checkbox), .name("results_live"), .checked(form?.results_live == "on")),
                .text(T(" 投票期间公开实时结果", " Show the result while voting is open")(lang))))
        fields.append(.label(.for("description"), .text(T("说明", "Description")(lang))))
        fields.append(.textarea(.id("description"), .name("description"), .text(form?.description ?? "")))
        fields.append(problem("description"))
        fields.append(.button(.type(.submit), .text(T("开始表决（生成表决权人名册）", "Open the ballot (take the electorate)")(lang))))
        let formNode: Node<HTML.BodyContext> = .form(
            .id("ballot-form"), .class("stack card"), .method(.post), .action(SiteURL.voting(.newBallot).path),
            .group(fields))
        return Layout.render(
            ctx, title: T("发起业主表决", "Set up an owners' ballot")(lang), status: status,
            .h1(.text(T("发起业主表决", "Set up an owners' ballot")(lang))),
            PageParts.errorBox(error, lang, id: "voting-error"),
            formNode)
    }

    // MARK: ballot

    static func ballot(
        _ d: BallotDetail, organiser: Bool, now: Date, error: AppError?, posted: VotingPages.BallotPosted = .init(),
        waiting: [VotingStaffViews.ElectorChoice] = [], topics: [TopicLink] = [], ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let b = d.ballot
        let open = b.status == .open && b.closes_at > now
        return Layout.render(
            ctx, title: b.title, status: status,
            .p(.a(.href(SiteURL.voting(.index).path), .text(T("← 协商室", "← Consultation room")(lang)))),
            .h1(.id("ballot-title"), .text(b.title)),
            .p(.span(.class("badge"), .id("ballot-status"), .text(VotingViews.status(b.status, lang))), .text(" "), .text(scope(b, lang))),
            .p(
                .class("muted"), .text(lang == .zh ? d.rule.nameZH : d.rule.nameEN), .br(),
                .text(T("依据：", "Basis: ")(lang) + (lang == .zh ? d.rule.basisZH : d.rule.basisEN)), .br(),
                .text("\(T("截止", "Closes")(lang)) \(LocalTime.short(b.closes_at, year: true))")),
            .if(!d.description.isEmpty, .p(.text(d.description))),
            TopicViews.linkedFrom(topics, lang),
            PageParts.errorBox(error, lang, id: "voting-error"),
            myVotes(d, open: open, posted: posted.vote, error: posted.vote == nil ? nil : error, ctx: ctx),
            .unwrap(d.turnout) { t in
                .div(
                    .class("card"), .id("turnout"),
                    .h2(.text(T("参与情况", "Turnout")(lang))),
                    .p(
                        .text(
                            T("已投票：", "Voted: ")(lang) + "\(heads(t.voted_heads, lang)) / \(heads(t.total_heads, lang))，"
                                + "\(area(t.voted_area_cm2)) / \(area(t.total_area_cm2))")))
            },
            .unwrap(d.tally) { tally in result(tally, d, lang) },
            .if(
                d.tally == nil && b.status != .draft,
                .p(.class("muted"), .id("result-hidden"), .text(T("表决结束前不公开计票结果。", "The result is not shown until the ballot closes.")(lang)))),
            .if(
                organiser && b.status == .draft,
                .p(
                    .a(
                        .class("button"), .id("open-ballot-link"), .href(SiteURL.voting(.ballotOpen(.value(b.id))).path.attributeSafe),
                        .text(T("核对名册并开始表决", "Check the roll and open the ballot")(lang))))),
            .if(
                organiser && b.status == .open,
                .form(
                    .class("inline"), .method(.post), .action(SiteURL.voting(.ballotClose(.value(b.id))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    .button(.type(.submit), .id("close-ballot"), .text(T("结束表决并公布结果", "Close and publish the result")(lang))))),
            VotingStaffViews.entryForm(ballot: b.id, waiting: waiting, posted: posted.entry, error: error, ctx: ctx),
            .unwrap(d.record) { record in recordTable(record, lang) })
    }

    /// The caller's own electors with their vote form; `posted` is a refused vote, whose elector's
    /// form shows its choice again and its problems beside the choices.
    static func myVotes(
        _ d: BallotDetail, open: Bool, posted: VotingPages.VoteForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard !d.my_electors.isEmpty else { return .empty }
        let blocks: [Node<HTML.BodyContext>] = d.my_electors.map { e in
            let mine = posted != nil && (posted?.elector_id == nil || posted?.elector_id == e.elector_id.rawValue)
            return electorBlock(e, ballot: d.ballot.id, open: open, posted: mine ? posted : nil, error: mine ? error : nil, ctx: ctx)
        }
        return .div(.class("card"), .id("my-votes"), .h2(.text(T("我的表决票", "My ballot")(lang))), .group(blocks))
    }

    static func electorBlock(
        _ e: ElectorRecord, ballot: BallotID, open: Bool, posted: VotingPages.VoteForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let place = " · " + e.dwellings.joined(separator: "、") + " · " + area(e.area_cm2)
        let voted: Node<HTML.BodyContext> =
            e.choice == nil
            ? .empty
            : .p(.class("voted"), .text(T("已投票：", "Voted: ")(lang) + choice(e.choice, lang)))
        let form: Node<HTML.BodyContext> =
            (e.choice == nil && open) ? voteForm(e, ballot: ballot, posted: posted, error: error, ctx: ctx) : .empty
        return .div(.class("elector"), .p(.strong(.text(e.label)), .text(place)), voted, form)
    }

    static func voteForm(
        _ e: ElectorRecord, ballot: BallotID, posted: VotingPages.VoteForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let choices: [Node<HTML.FormContext>] = OwnersVoteChoice.allCases.map { c in
            .label(
                .class("choice"),
                .input(
                    .type(.radio), .name("choice"), .value(c.rawValue), .required(true), .id("choice-\(c.rawValue)"),
                    .checked(posted?.choice == c.rawValue)),
                .text(" " + (lang == .zh ? c.nameZH : c.nameEN)))
        }
        return .form(
            .class("stack vote-form"), .method(.post), .action(SiteURL.voting(.ballotVote(.value(ballot))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("elector_id"), .value(e.elector_id.uuidString.attributeSafe)),
            .fieldset(.element(named: "legend", text: T("您的意见", "Your vote")(lang)), .group(choices)),
            PageParts.fieldError(error, "choice", "elector_id", lang: lang),
            .button(.type(.submit), .id("cast-vote"), .text(T("提交表决票", "Cast my vote")(lang))))
    }

    static func result(_ t: OwnersVoteTally, _ d: BallotDetail, _ lang: Lang) -> Node<HTML.BodyContext> {
        func kindName(_ k: OwnersVoteCheck.Kind) -> String {
            switch k {
            case .quorumArea: T("参与表决（面积）", "Turnout by area")(lang)
            case .quorumHeads: T("参与表决（人数）", "Turnout by headcount")(lang)
            case .approvalArea: T("同意（面积）", "Agreement by area")(lang)
            case .approvalHeads: T("同意（人数）", "Agreement by headcount")(lang)
            }
        }
        func figure(_ k: OwnersVoteCheck.Kind, _ v: Int64) -> String {
            k == .quorumArea || k == .approvalArea ? area(v) : heads(v, lang)
        }
        return .div(
            .class("card"), .id("result"),
            .h2(.text(d.ballot.status == .closed ? T("表决结果（已公布）", "Result (published)")(lang) : T("实时结果", "Live result")(lang))),
            .p(.strong(.id("outcome"), .text(lang == .zh ? t.outcome.nameZH : t.outcome.nameEN))),
            .p(
                .text("\(T("总计", "Total")(lang))：\(area(t.total.areaCM2))，\(heads(t.total.heads, lang))"), .br(),
                .text("\(T("参与", "Took part")(lang))：\(area(t.participating.areaCM2))，\(heads(t.participating.heads, lang))"), .br(),
                .text(
                    "\(T("同意", "Agree")(lang))：\(area(t.agree.areaCM2))，\(heads(t.agree.heads, lang))；"
                        + "\(T("反对", "Disagree")(lang))：\(area(t.disagree.areaCM2))，\(heads(t.disagree.heads, lang))；"
                        + "\(T("弃权", "Abstain")(lang))：\(area(t.abstain.areaCM2))，\(heads(t.abstain.heads, lang))")),
            PageParts.table(
                id: "checks",
                headers: [
                    .init(T("项目", "Check")(lang)), .init(T("适用规则", "Rule")(lang)), .init(T("数值", "Figures")(lang)),
                    .init(T("整数比较", "Integer comparison")(lang)), .init(T("结论", "Met")(lang))
                ],
                rows: t.checks
            ) { c in
                .tr(
                    .td(.text(kindName(c.kind))), .td(.text(lang == .zh ? c.ruleZH : c.ruleEN)),
                    .td(.text("\(figure(c.kind, c.part)) / \(figure(c.kind, c.whole))")), .td(.class("mono"), .text(c.formula)),
                    .td(
                        .span(
                            .class(c.passed ? "badge ok" : "badge bad"),
                            .text(c.passed ? T("达到", "met")(lang) : T("未达到", "not met")(lang)))))
            },
            .p(
                .class("muted"),
                .text(
                    T(
                        "面积以平方厘米整数计（登记面积，无则测绘面积，再无则合同面积）；人数按专有部分计，一人拥有多套、开发商未售出或未交付的房屋均按一人计。",
                        "Areas are whole cm² (register, else survey, else contract); heads count one per unit, but one owner of several units, and all the developer's unsold or undelivered units, count once."
                    )(lang))),
            .unwrap(d.published_on) { published in
                .p(
                    .id("published"), .text(T("公布日期：", "Published: ")(lang) + published),
                    .unwrap(d.appeal_deadline) { deadline in
                        .group(
                            .br(),
                            .span(
                                .id("appeal-deadline"),
                                .text(
                                    T(
                                        "业主认为决定侵害其合法权益的，可在 \(deadline) 前请求人民法院撤销（民法典第二百八十条）。",
                                        "An owner may ask a court to revoke the decision until \(deadline) (Civil Code art. 280).")(lang))))
                    })
            },
            PlatformCalendar.derivedWarningNode(d.derived_calendar_years, lang: lang))
    }

    static func recordTable(_ rows: [ElectorRecord], _ lang: Lang) -> Node<HTML.BodyContext> {
        .div(
            .class("card"), .id("record"),
            .h2(.text(T("逐户表决记录（记名）", "Per-owner record (open vote)")(lang))),
            PageParts.table(
                headers: [
                    .init(T("表决权人", "Owner")(lang)), .init(T("房屋", "Dwellings")(lang)), .init(T("面积", "Area")(lang)),
                    .init(T("意见", "Vote")(lang)), .init(T("方式", "Channel")(lang))
                ],
                rows: rows
            ) { r in
                .tr(
                    .td(.text(r.label)), .td(.text(r.dwellings.joined(separator: "、"))), .td(.text(area(r.area_cm2))),
                    .td(.text(choice(r.choice, lang))),
                    .td(.text(r.channel.map { lang == .zh ? $0.nameZH : $0.nameEN } ?? "")))
            })
    }
}
