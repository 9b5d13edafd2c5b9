import Fluent
import Foundation
import MinqingDomain
import Plot
import SQLKit
import Vapor

/// Staff pages of owners' voting: binding a resident's login to an owner record (绑定业主身份,
/// with the proof checked, audited), and entering paper ballots (the scanned sheet's reference)
/// and proxy votes (the written authorisation's reference) on an open ballot. Both go through
/// the same service functions as the JSON API.
struct VotingStaffPages: RouteCollection {
    struct BindForm: Content { var username: String?; var owner_id: String?; var proof: String?; var q: String? }
    struct EntryForm: Content {
        var elector_id: String?; var channel: String?; var choice: String?
        var paper_ref: String?; var proxy_name: String?; var authorisation_ref: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let staff = pages.grouped(RequireRole(Set(Role.allCases.filter(\.isGridStaff))))
        staff.get(.voting(.owners), use: owners)
        staff.post(.voting(.bindOwner), use: bind)
        pages.grouped(RequireRole(VotingQueries.organisers)).post(.voting(.ballotEnter(.key)), use: enter)
    }

    // MARK: binding

    typealias OwnerHit = VotingQueries.OwnerHit
    typealias Binding = VotingQueries.OwnerBinding

    @Sendable func owners(req: Request) async throws -> Response {
        let q = (try? req.query.get(String.self, at: "q"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return try await renderOwners(req, q: q, form: nil, error: nil, bound: (try? req.query.get(String.self, at: "bound")) != nil)
    }

    func renderOwners(_ req: Request, q: String, form: BindForm?, error: AppError?, bound: Bool) async throws -> Response {
        let actor = try req.requireActor()
        let hits = q.isEmpty ? [] : try await VotingQueries.searchOwners(q, for: actor, on: req.db)
        let list = try await VotingQueries.bindings(for: actor, on: req.db)
        return Self.ownersView(
            q: q, hits: hits, bindings: list, form: form, error: error, bound: bound, ctx: req.pageContext,
            status: error?.status ?? .ok)
    }

    @Sendable func bind(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(BindForm.self)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            guard !username.isEmpty else { throw AppError.validation("username", zh: "请填写居民的登录账号", en: "Give the resident's username") }
            try await VotingService.linkOwner(
                username: username, owner: form.owner_id.flatMap { OwnerID(uuidString: $0) }, proof: form.proof,
                writer: .init(actor, req), on: req.db)
            return req.redirect(to: SiteURL.voting(.owners).path([("bound", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .notFound].contains(error.status) {
            return try await renderOwners(req, q: form.q ?? "", form: form, error: error, bound: false)
        }
    }

    static func ownersView(
        q: String, hits: [OwnerHit], bindings: [Binding], form: BindForm?, error: AppError?, bound: Bool,
        ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let search: Node<HTML.BodyContext> = .form(
            .class("stack card"), .id("owner-search"), .method(.get), .action(SiteURL.voting(.owners).path),
            .label(.for("q"), .text(T("业主姓名", "Owner's name")(lang))),
            .input(.type(.search), .name("q"), .id("q"), .value(q.attributeSafe)),
            .button(.type(.submit), .text(T("查找", "Search")(lang))))
        let proofLabel = T(
            "核验凭证（房产证或购房合同、本人到场或授权委托书；勿填身份证号）",
            "Proof checked (certificate or contract, owner present or authorisation; no ID numbers)")(lang)
        let hitNodes: [Node<HTML.BodyContext>] = hits.map { hit in
            let again = form?.owner_id == hit.id.uuidString
            let username: String = again ? (form?.username ?? "") : ""
            let proof: String = again ? (form?.proof ?? "") : ""
            let place: String = " · " + (hit.places ?? "")
            return .form(
                .class("stack card bind-form"), .method(.post), .action(SiteURL.voting(.bindOwner).path), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("owner_id"), .value(hit.id.uuidString.attributeSafe)),
                .input(.type(.hidden), .name("q"), .value(q.attributeSafe)),
                .p(.strong(.text(hit.name)), .text(place)),
                .label(
                    .text(T("居民登录账号", "Resident's username")(lang)),
                    .input(.type(.text), .name("username"), .required(true), .value(username.attributeSafe))),
                .label(.text(proofLabel), .input(.type(.text), .name("proof"), .required(true), .value(proof.attributeSafe))),
                .button(.type(.submit), .text(T("绑定", "Bind")(lang))))
        }
        let rows: [Node<HTML.ListContext>] = bindings.map { b in
            .li(
                .strong(.text(b.username)), .text(" → " + b.owner_name), .br(),
                .span(
                    .class("muted"),
                    .text(
                        T("凭证：", "Proof: ")(lang) + (b.proof ?? T("（未记录）", "(not recorded)")(lang))
                            + " · " + (b.created_by ?? "") + " " + (b.created_at.map(DisplayTime.format) ?? ""))))
        }
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
            .if(!q.isEmpty && hits.isEmpty, .p(.class("muted"), .text(T("范围内没有这个业主。", "No such owner in your scope.")(lang)))),
            .div(.id("owner-hits"), .group(hitNodes)),
            .h2(.text(T("已绑定", "Bound accounts")(lang))),
            bindings.isEmpty ? .p(.class("muted"), .text(T("还没有绑定。", "None yet.")(lang))) : .ul(.class("rows"), .id("bindings"), .group(rows)))
    }

    // MARK: paper and proxy votes

    @Sendable func enter(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID())
        let form = try req.content.decode(EntryForm.self)
        let input = CastInput(
            choice: form.choice, elector_id: form.elector_id.flatMap(UUID.init(uuidString:)), channel: form.channel ?? "paper",
            proxy_name: form.proxy_name, authorisation_ref: form.authorisation_ref, paper_ref: form.paper_ref)
        do {
            guard input.channel == VoteChannel.paper.rawValue || input.channel == VoteChannel.proxy.rawValue else {
                throw AppError.validation("channel", zh: "请选择纸质表决票或委托代理", en: "Choose paper ballot or proxy")
            }
            _ = try await VotingService.cast(id, input, writer: .init(actor, req), queue: req.application.voteCastQueue, on: req.db)
            return req.redirect(to: SiteURL.voting(.ballot(.value(id))).path([("entered", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await VotingPages().renderBallot(req, error: error)
        }
    }

    typealias ElectorChoice = VotingQueries.ElectorChoice

    /// The staff's entry form on an open ballot's page.
    static func entryForm(ballot: BallotID, waiting: [ElectorChoice], ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        guard !waiting.isEmpty else { return .empty }
        let electors: [Node<HTML.SelectContext>] = waiting.map { .option(.value($0.id.uuidString.attributeSafe), .label($0.label.attributeSafe)) }
        let choices: [Node<HTML.FormContext>] = OwnersVoteChoice.allCases.map { c in
            .label(
                .class("choice"), .input(.type(.radio), .name("choice"), .value(c.rawValue), .required(true)),
                .text(" " + (lang == .zh ? c.nameZH : c.nameEN)))
        }
        return .form(
            .class("stack card"), .id("entry-form"), .method(.post), .action(SiteURL.voting(.ballotEnter(.value(ballot))).path.attributeSafe),
            Layout.csrfField(ctx.csrf),
            .h2(.text(T("录入纸质表决票或委托投票", "Enter a paper ballot or a proxy vote")(lang))),
            .label(.for("entry-elector"), .text(T("业主", "Owner")(lang))),
            .select(.attribute(named: "name", value: "elector_id"), .id("entry-elector"), .group(electors)),
            .fieldset(
                .element(named: "legend", text: T("方式", "Channel")(lang)),
                .label(
                    .class("choice"), .input(.type(.radio), .name("channel"), .value("paper"), .required(true), .id("channel-paper")),
                    .text(" " + T("纸质表决票", "Paper ballot")(lang))),
                .label(
                    .class("choice"), .input(.type(.radio), .name("channel"), .value("proxy"), .id("channel-proxy")),
                    .text(" " + T("委托代理", "Proxy")(lang)))),
            .fieldset(.element(named: "legend", text: T("意见", "Vote")(lang)), .group(choices)),
            .label(
                .text(T("纸质表决票扫描件编号（纸质票必填）", "Scanned sheet reference (paper)")(lang)),
                .input(.type(.text), .name("paper_ref"), .id("paper-ref"))),
            .label(.text(T("代理人姓名（委托必填）", "Proxy's name (proxy)")(lang)), .input(.type(.text), .name("proxy_name"), .id("proxy-name"))),
            .label(
                .text(T("授权委托书编号或扫描件位置（委托必填）", "Authorisation reference (proxy)")(lang)),
                .input(.type(.text), .name("authorisation_ref"), .id("authorisation-ref"))),
            .button(.type(.submit), .id("enter-vote"), .text(T("录入", "Enter")(lang))))
    }
}
