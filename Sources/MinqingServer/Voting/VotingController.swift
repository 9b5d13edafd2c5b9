import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON API of 协商室 and owners' voting under `/api/v1/voting`: rule sets, owners' ballots
/// (set up, open, cast, close, detail with turnout, the result and the per-owner record; the
/// electors still to vote, for staff entering paper and proxy votes), the owner search and the
/// binding of resident accounts to owner records, resident polls, and (`TopicController`) the
/// topic board. Each read answers what the matching page shows, through the same query.
struct VotingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "voting").grouped(RequireSignIn())
        let viewers = api.grouped(RequireRole(VotingQueries.viewers))
        let organisers = api.grouped(RequireRole(VotingQueries.organisers))
        viewers.get("rule-sets", use: ruleSets)
        viewers.get("ballots", use: ballots)
        organisers.post("ballots", use: create)
        viewers.get("ballots", ":id", use: ballot)
        organisers.get("ballots", ":id", "electors", use: electors)
        organisers.post("ballots", ":id", "open", use: open)
        viewers.post("ballots", ":id", "votes", use: cast)
        organisers.post("ballots", ":id", "close", use: close)
        let staff = api.grouped(RequireRole(Set(Role.allCases.filter(\.isGridStaff))))
        staff.put("owner-accounts", ":username", use: linkOwner)
        staff.get("owners", use: owners)
        viewers.get("polls", use: polls)
        organisers.post("polls", use: createPoll)
        viewers.get("polls", ":id", use: poll)
        viewers.post("polls", ":id", "votes", use: votePoll)
        organisers.post("polls", ":id", "close", use: closePoll)
        try TopicController().boot(routes: routes)
    }

    @Sendable func ruleSets(req: Request) async throws -> [OwnersVoteRuleSet] { OwnersVoteRuleSet.catalogue }

    @Sendable func ballots(req: Request) async throws -> [BallotSummary] {
        try await VotingQueries.list(for: try req.requireActor(), on: req.db)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let id = try await VotingService.create(
            try req.content.decode(NewBallotInput.self),
            writer: .init(try req.requireActor(), req), on: req.db)
        return try await Created(id: id.rawValue).encodeResponse(status: .created, for: req)
    }

    @Sendable func ballot(req: Request) async throws -> BallotDetail {
        guard let detail = try await VotingQueries.detail(BallotID(try req.pathID()), for: try req.requireActor(), on: req.db) else {
            throw VotingService.notFound
        }
        return detail.noting(req.application.services.calendar)
    }

    /// The electors of an open ballot the caller runs who have not voted yet, as the ballot page's
    /// entry form lists them (names only, first 2,000); empty once it is closed; 404 when the
    /// caller does not run it.
    @Sendable func electors(req: Request) async throws -> [VotingQueries.ElectorChoice] {
        let id = BallotID(try req.pathID(notFound: VotingService.notFound))
        guard let electors = try await VotingQueries.entryElectors(ballot: id, for: try req.requireActor(), now: req.now, on: req.db) else {
            throw VotingService.notFound
        }
        return electors
    }

    /// The owner-binding page's data: owners in scope whose name contains `q`, and the newest bindings.
    @Sendable func owners(req: Request) async throws -> OwnerSearch {
        let q = (try? req.query.get(String.self, at: "q"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return try await VotingQueries.ownerSearch(q, for: try req.requireActor(), on: req.db)
    }

    @Sendable func open(req: Request) async throws -> BallotDetail {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID())
        try await VotingService.open(id, writer: .init(actor, req), on: req.db)
        guard let detail = try await VotingQueries.detail(id, for: actor, on: req.db) else { throw VotingService.notFound }
        return detail
    }

    @Sendable func cast(req: Request) async throws -> Response {
        let id = try await VotingService.cast(
            BallotID(try req.pathID()), try req.content.decode(CastInput.self),
            writer: .init(try req.requireActor(), req), queue: req.application.voteCastQueue, on: req.db)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func close(req: Request) async throws -> OwnersVoteTally {
        try await VotingService.close(
            BallotID(try req.pathID()), writer: .init(try req.requireActor(), req),
            calendar: req.application.services.calendar, on: req.db)
    }

    @Sendable func linkOwner(req: Request) async throws -> HTTPStatus {
        let input = try req.content.decode(OwnerLinkInput.self)
        try await VotingService.linkOwner(
            username: req.parameters.get("username") ?? "", owner: input.owner_id.map { OwnerID($0) }, proof: input.proof,
            writer: .init(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func polls(req: Request) async throws -> [PollSummary] {
        try await PollService.list(for: try req.requireActor(), on: req.db)
    }

    @Sendable func createPoll(req: Request) async throws -> Response {
        let id = try await PollService.create(try req.content.decode(NewPollInput.self), writer: .init(try req.requireActor(), req), on: req.db)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func poll(req: Request) async throws -> PollDetail {
        guard let detail = try await PollService.detail(try req.pathID(), for: try req.requireActor(), now: req.now, on: req.db) else {
            throw PollService.notFound
        }
        return detail
    }

    @Sendable func votePoll(req: Request) async throws -> HTTPStatus {
        try await PollService.vote(
            try req.pathID(), try req.content.decode(PollVoteInput.self), writer: .init(try req.requireActor(), req), on: req.db)
        return .created
    }

    @Sendable func closePoll(req: Request) async throws -> HTTPStatus {
        try await PollService.close(try req.pathID(), writer: .init(try req.requireActor(), req), on: req.db)
        return .noContent
    }
}
