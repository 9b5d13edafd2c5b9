import Foundation
import MinqingDomain
import Plot
import Vapor

/// Views of the staff's voting pages: the owner binding (绑定业主身份), the entry of paper and
/// proxy votes on a ballot's page, and the organiser's page that opens a drafted ballot. A refused
/// form comes back as typed, each problem as a sentence beside its field.
enum VotingStaffViews {
    typealias OwnerHit = VotingQueries.OwnerHit
    typealias Binding = VotingQueries.OwnerBinding
    typealias ElectorChoice = VotingQueries.ElectorChoice

    // MARK: binding

    static func owners(
        _ found: OwnerSearch, form: VotingStaffPages.BindForm?, error: AppError?, bound: Bool, ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let q = found.q
        let search: Node<HTML.BodyContext> = .form(
            .class("stack card"), .id("owner-search"), .method(.get), .action(SiteURL.voting(.owners).path),
            .label(.for("q"), .text(T("业主姓名", "Owner's name")(lang))),
            .input(.type(.search), .name("q"), .id("q"), .value(q.attributeSafe)),
            .button(.type(.submit), .text(T("查找", "Search")(lang))))
        let hitNodes: [Node<HTML.BodyContext>] = found.owners.map { bindForm($0, q: q, form: form, error: error, ctx: ctx) }
        let rows: [Node<HTML.ListContext>] = found.bindings.map { binding($0, lang) }
        return Layout.render(
            ctx, title: T("绑定业主身份", "Bind owners' accounts")(lang), status: status,
            .p(.a(.href(SiteURL.voting(.index).path), .text(T("← 协商室", "← Consultation room")(lang)))),
            .h1(.text(T("绑定业主身份", "Bind owners' accounts")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "业主凭绑定的账号在线表决。核验产权凭证后绑定，凭证和操作人记入审计日志。",
                        "An owner votes online with the account bound here. Bind after checking the proof of ownership; the proof and who bound it are audited."
                    )(lang))),
            .if(bound, .p(.class("flash-ok"), .id("bound"), .text(T("已绑定。", "Bound.")(lang)))),
            PageParts.errorBox(error, lang, id: "voting-error"),
            search,
            .if(
                !q.isEmpty && found.owners.isEmpty,
                .p(.class("muted"), .text(T("范围内没有这个业主。", "No such owner in your scope.")(lang)))),
            .div(.id("owner-hits"), .group(hitNodes)),
            .h2(.text(T("已绑定", "Bound accounts")(lang))),
            found.bindings.isEmpty
                ? .p(.class("muted"), .text(T("还没有绑定。", "None yet.")(lang))) : .ul(.class("rows"), .id("bindings"), .group(rows)))
    }

    /// The binding form of one owner found; the refused one keeps what was typed and says beside
    /// each field what to change.
    static func bindForm(
        _ hit: OwnerHit, q: String, form: VotingStaffPages.BindForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let again = form?.owner_id?.uppercased() == hit.id.uuidString
        let failed = again ? error : nil
        let username: String = again ? (form?.username ?? "") : ""
        let proof: String = again ? (form?.proof ?? "") : ""
        let proofLabel = T(
            "核验凭证（房产证或购房合同、本人到场或授权委托书；勿填身份证号）",
            "Proof checked (certificate or contract, owner present or authorisation; no ID numbers)")(lang)
        return .form(
            .class("stack card bind-form"), .method(.post), .action(SiteURL.voting(.bindOwner).path), Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("owner_id"), .value(hit.id.uuidString.attributeSafe)),
            .input(.type(.hidden), .name("q"), .value(q.attributeSafe)),
            .p(.strong(.text(hit.name)), .text(" · " + (hit.places ?? ""))),
            PageParts.fieldError(failed, "owner_id", lang: lang),
            .label(
                .text(T("居民登录账号", "Resident's username")(lang)),
                .input(.type(.text), .name("username"), .required(true), .value(username.attributeSafe))),
            PageParts.fieldError(failed, "username", lang: lang),
            .label(.text(proofLabel), .input(.type(.text), .name("proof"), .required(true), .value(proof.attributeSafe))),
            PageParts.fieldError(failed, "proof", lang: lang),
            .button(.type(.submit), .text(T("绑定", "Bind")(lang))))
    }

    /// A binding: the account and who bound it by name (and role), never by username.
    static func binding(_ b: Binding, _ lang: Lang) -> Node<HTML.ListContext> {
        let role = b.created_by_role.map { T("（", " (")(lang) + (lang == .zh ? $0.nameZH : $0.nameEN) + T("）", ")")(lang) } ?? ""
        return .li(
            .strong(.text(b.account_name)), .text(" → " + b.owner_name), .br(),
            .span(
                .class("muted"),
                .text(
                    T("凭证：", "Proof: ")(lang) + (b.proof ?? T("（未记录）", "(not recorded)")(lang))
                        + " · " + (b.created_by ?? "") + role + " " + (b.created_at.map(DisplayTime.format) ?? ""))))
    }

    // MARK: paper and proxy votes

    /// The staff's entry form on an open ballot's page; `posted` is a refused entry, shown again
    /// as typed with its problems beside its fields.
    static func entryForm(
        ballot: BallotID, waiting: [ElectorChoice], posted: VotingStaffPages.EntryForm?, error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard !waiting.isEmpty else { return .empty }
        let failed = posted == nil ? nil : error
        let electors: [Node<HTML.SelectContext>] = waiting.map {
            .option(
                .value($0.id.uuidString.attributeSafe), .label($0.label.attributeSafe),
                .isSelected(posted?.elector_id?.uppercased() == $0.id.uuidString))
        }
        let choices: [Node<HTML.FormContext>] = OwnersVoteChoice.allCases.map { c in
            .label(
                .class("choice"), .input(.type(.radio), .name("choice"), .value(c.rawValue), .required(true), .checked(posted?.choice == c.rawValue)),
                .text(" " + (lang == .zh ? c.nameZH : c.nameEN)))
        }
        func text(_ name: String, id: String, _ label: String) -> Node<HTML.FormContext> {
            let value: String? =
                switch name {
                case "paper_ref": posted?.paper_ref
                case "proxy_name": posted?.proxy_name
                default: posted?.authorisation_ref
                }
            return .group(
                .label(.text(label), .input(.type(.text), .name(name), .id(id), .value((value ?? "").attributeSafe))),
                PageParts.fieldError(failed, name, lang: lang))
        }
        return .form(
            .class("stack card"), .id("entry-form"), .method(.post), .action(SiteURL.voting(.ballotEnter(.value(ballot))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("录入纸质表决票或委托投票", "Enter a paper ballot or a proxy vote")(lang))),
            .label(.for("entry-elector"), .text(T("业主", "Owner")(lang))),
            .select(.attribute(named: "name", value: "elector_id"), .id("entry-elector"), .group(electors)),
            PageParts.fieldError(failed, "elector_id", lang: lang),
            .fieldset(
                .element(named: "legend", text: T("方式", "Channel")(lang)),
                .label(
                    .class("choice"),
                    .input(
                        .type(.radio), .name("channel"), .value("paper"), .required(true), .id("channel-paper"),
                        .checked(posted?.channel == "paper")),
                    .text(" " + T("纸质表决票", "Paper ballot")(lang))),
                .label(
                    .class("choice"),
                    .input(.type(.radio), .name("channel"), .value("proxy"), .id("channel-proxy"), .checked(posted?.channel == "proxy")),
                    .text(" " + T("委托代理", "Proxy")(lang)))),
            PageParts.fieldError(failed, "channel", lang: lang),
            .fieldset(.element(named: "legend", text: T("意见", "Vote")(lang)), .group(choices)),
            PageParts.fieldError(failed, "choice", lang: lang),
            text("paper_ref", id: "paper-ref", T("纸质表决票扫描件编号（纸质票必填）", "Scanned sheet reference (paper)")(lang)),
            text("proxy_name", id: "proxy-name", T("代理人姓名（委托必填）", "Proxy's name (proxy)")(lang)),
            text("authorisation_ref", id: "authorisation-ref", T("授权委托书编号或扫描件位置（委托必填）", "Authorisation reference (proxy)")(lang)),
            .button(.type(.submit), .id("enter-vote"), .text(T("录入", "Enter")(lang))))
    }

    // MARK: opening a drafted ballot

    /// The organiser's page of a ballot: what is put to the vote under which rule, the closing
    /// time, and while it is a draft the button that opens it (the electorate is taken from the
    /// register then). A refusal says why above, and beside the closing time when that is it.
    static func openBallot(_ d: BallotDetail, error: AppError?, ctx: PageContext, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        let b = d.ballot
        let facts: [(T, String)] = [
            (T("表决范围", "Who votes"), VotingViews.scope(b, lang)),
            (T("表决规则", "Rule"), lang == .zh ? d.rule.nameZH : d.rule.nameEN),
            (T("依据", "Basis"), lang == .zh ? d.rule.basisZH : d.rule.basisEN),
            (T("截止时间", "Closes"), LocalTime.short(b.closes_at, year: true))
        ]
        let action: Node<HTML.BodyContext> =
            b.status == .draft
            ? .form(
                .class("stack card"), .id("open-form"), .method(.post), .action(SiteURL.voting(.ballotOpen(.value(b.id))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .p(
                    .text(
                        T(
                            "开始后，系统按房屋登记生成业主名册（专有部分面积和业主人数），业主即可在线表决，工作人员可录入纸质表决票和委托投票。名册生成后不再随登记变化，表决开始后不能撤回。",
                            "Opening takes the electorate from the register (each owner's area and head count); owners can then vote online and staff enter paper and proxy votes. The electorate no longer follows the register, and an opened ballot cannot be taken back."
                        )(lang))),
                .button(.type(.submit), .id("open-ballot"), .text(T("开始表决", "Open the ballot")(lang))))
            : .p(
                .class("muted"), .id("already-open"),
                .text(T("这次表决已经开始或已经结束。", "This ballot has been opened already.")(lang)), .text(" "),
                .a(.href(SiteURL.voting(.ballot(.value(b.id))).path.attributeSafe), .text(T("查看表决", "See the ballot")(lang))))
        return Layout.render(
            ctx, title: T("开始表决", "Open the ballot")(lang) + " · " + b.title, status: status,
            .p(.a(.href(SiteURL.voting(.index).path), .text(T("← 协商室", "← Consultation room")(lang)))),
            .h1(.id("ballot-title"), .text(b.title)),
            .p(.span(.class("badge"), .id("ballot-status"), .text(VotingViews.status(b.status, lang)))),
            PageParts.errorBox(error, lang, id: "voting-error"),
            .dl(.class("facts"), .forEach(facts) { fact in .group(.dt(.text(fact.0(lang))), .dd(.text(fact.1))) }),
            PageParts.fieldError(error, "closes_at", lang: lang),
            .if(!d.description.isEmpty, .p(.id("ballot-description"), .text(d.description))),
            action)
    }
}
