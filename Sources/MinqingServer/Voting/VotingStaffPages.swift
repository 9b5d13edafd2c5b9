import Fluent
import Foundation
import MinqingDomain
import Plot
import SQLKit
import Vapor

/// Staff pages of owners' voting: binding a resident's login to an owner record (绑定业主身份,
/// with the proof checked, audited), entering paper ballots (the scanned sheet's reference)
/// and proxy votes (the written authorisation's reference) on an open ballot, and opening a
/// drafted ballot (its electorate snapshot taken then). All go through the same service
/// functions as the JSON API.
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
        let organisers = pages.grouped(RequireRole(VotingQueries.organisers))
        organisers.post(.voting(.ballotEnter(.key)), use: enter)
        organisers.get(.voting(.ballotOpen(.key)), use: openPage)
        organisers.post(.voting(.ballotOpen(.key)), use: open)
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
        var found = try await VotingQueries.ownerSearch(q, for: actor, on: req.db)
        // The owner whose form was refused stays on the page with what was typed, even when the search has moved on.
        if let id = form?.owner_id.flatMap({ OwnerID(uuidString: $0) }), !found.owners.contains(where: { $0.id == id }),
            let hit = try await VotingQueries.ownerHit(id, for: actor, on: req.db)
        {
            found.owners.insert(hit, at: 0)
        }
        return VotingStaffViews.owners(found, form: form, error: error, bound: bound, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func bind(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(BindForm.self)
        do {
            try await VotingService.linkOwner(
                username: (form.username ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                owner: form.owner_id.flatMap { OwnerID(uuidString: $0) }, proof: form.proof,
                writer: .init(actor, req), on: req.db)
            return req.redirect(to: SiteURL.voting(.owners).path([("bound", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .notFound].contains(error.status) {
            return try await renderOwners(req, q: form.q ?? "", form: form, error: error, bound: false)
        }
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
                throw AppError.validation("channel", zh: "请选择纸质表决票或委托代理", en: "Choose a paper ballot or a proxy vote.")
            }
            _ = try await VotingService.cast(id, input, writer: .init(actor, req), queue: req.application.voteCastQueue, on: req.db)
            return req.redirect(to: SiteURL.voting(.ballot(.value(id))).path([("entered", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await VotingPages().renderBallot(req, error: error, posted: .init(entry: form))
        }
    }

    // MARK: opening a drafted ballot

    @Sendable func openPage(req: Request) async throws -> Response {
        try await renderOpen(req, error: nil)
    }

    /// The organiser's page of a ballot they run (inside their scope, as opening it asks): what is
    /// put to the vote, and while it is a draft the button that opens it; 404 for any other ballot.
    func renderOpen(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID(notFound: VotingService.notFound))
        guard try await VotingQueries.ballotState(id, for: actor, online: false, on: req.db) != nil,
            let detail = try await VotingQueries.detail(id, for: actor, on: req.db)
        else { throw VotingService.notFound }
        var ctx = req.pageContext
        ctx.path = SiteURL.voting(.ballotOpen(.value(id))).path
        return VotingStaffViews.openBallot(detail, error: error, ctx: ctx, status: error?.status ?? .ok)
    }

    /// Opens the ballot through `VotingService.open` (as `POST /api/v1/voting/ballots/{id}/open`) and
    /// goes to its page; a ballot no longer a draft (409) or past its closing time (422) comes back
    /// with the reason.
    @Sendable func open(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID(notFound: VotingService.notFound))
        do {
            try await VotingService.open(id, writer: .init(actor, req), on: req.db)
            return req.redirect(to: SiteURL.voting(.ballot(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderOpen(req, error: error)
        }
    }
}
