import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// 协商室 pages: the list of ballots and polls, the ballot page (vote on a phone, live turnout,
/// the published result with every legal figure and the per-owner record), the staff's set-up
/// form, and the poll page. Every form carries the CSRF token; a refused vote shows the page
/// again with the reason.
struct VotingPages: RouteCollection {
    struct BallotForm: Content {
        var compound_id: String?; var building_id: String?; var stairwell: String?; var title: String?; var description: String?
        var rule_code: String?; var closes_at: String?; var results_live: String?
    }
    struct VoteForm: Content { var choice: String?; var elector_id: UUID? }
    struct PollVoteForm: Content { var option_id: UUID? }

    /// What a refused form of the ballot page posted: the page shows it again as typed, its
    /// problems beside its fields.
    struct BallotPosted: Sendable {
        var vote: VoteForm?
        var entry: VotingStaffPages.EntryForm?
    }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let viewers = pages.grouped(RequireRole(VotingQueries.viewers))
        let organisers = pages.grouped(RequireRole(VotingQueries.organisers))
        viewers.get(.voting(.index), use: index)
        organisers.get(.voting(.newBallot), use: newBallot)
        organisers.post(.voting(.newBallot), use: createBallot)
        viewers.get(.voting(.ballot(.key)), use: ballot)
        viewers.post(.voting(.ballotVote(.key)), use: vote)
        organisers.post(.voting(.ballotClose(.key)), use: close)
        viewers.get(.voting(.poll(.key)), use: poll)
        viewers.post(.voting(.pollVote(.key)), use: votePoll)
        try PollPages().boot(routes: routes)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let ballots = try await VotingQueries.list(for: actor, on: req.db)
        let polls = try await PollService.list(for: actor, on: req.db)
        return VotingViews.index(ballots: ballots, polls: polls, organiser: VotingQueries.organisers.contains(actor.role), ctx: req.pageContext)
    }

    // MARK: set-up

    typealias CompoundChoice = VotingQueries.CompoundChoice
    typealias BuildingChoice = VotingQueries.BuildingChoice

    @Sendable func newBallot(req: Request) async throws -> Response {
        try await renderNew(req, form: nil, error: nil)
    }

    func renderNew(_ req: Request, form: BallotForm?, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let compounds = try await VotingQueries.compoundChoices(for: actor, on: req.db)
        let buildings = try await VotingQueries.buildingChoices(for: actor, on: req.db)
        return VotingViews.newBallot(
            compounds: compounds, buildings: buildings, form: form, error: error, now: req.now,
            ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func createBallot(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(BallotForm.self)
        let input = NewBallotInput(
            compound_id: form.compound_id.flatMap(UUID.init(uuidString:)),
            building_id: form.building_id.flatMap(UUID.init(uuidString:)),
            stairwell: form.stairwell, title: form.title, description: form.description, rule_code: form.rule_code,
            closes_at: LocalTime.parse(form.closes_at), results_live: form.results_live == "on")
        do {
            let writer = WriteContext(actor, req)
            let id = try await VotingService.create(input, writer: writer, on: req.db)
            try await VotingService.open(id, writer: writer, on: req.db)
            return req.redirect(to: SiteURL.voting(.ballot(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderNew(req, form: form, error: error)
        }
    }

    // MARK: ballot

    @Sendable func ballot(req: Request) async throws -> Response {
        try await renderBallot(req, error: nil, posted: .init())
    }

    func renderBallot(_ req: Request, error: AppError?, posted: BallotPosted) async throws -> Response {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID(notFound: VotingService.notFound))
        guard let detail = try await VotingQueries.detail(id, for: actor, on: req.db)?.noting(req.application.services.calendar) else {
            throw VotingService.notFound
        }
        let organiser = VotingQueries.organisers.contains(actor.role)
        // Staff enter paper and proxy votes only on ballots they run (in scope), not where they are owners.
        let waiting = try await VotingQueries.entryElectors(ballot: id, for: actor, now: req.now, on: req.db) ?? []
        let topics = try await TopicQueries.linked(ballot: id, poll: nil, for: actor, on: req.db)
        return VotingViews.ballot(
            detail, organiser: organiser, now: req.now, error: error, posted: posted, waiting: waiting, topics: topics,
            ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func vote(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID())
        let form = try req.content.decode(VoteForm.self)
        do {
            _ = try await VotingService.cast(
                id, CastInput(choice: form.choice, elector_id: form.elector_id, channel: "online"),
                writer: .init(actor, req), queue: req.application.voteCastQueue, on: req.db)
            return req.redirect(to: SiteURL.voting(.ballot(.value(id))).path([("voted", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .forbidden].contains(error.status) {
            return try await renderBallot(req, error: error, posted: .init(vote: form))
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = BallotID(try req.pathID())
        do {
            _ = try await VotingService.close(id, writer: .init(actor, req), calendar: req.application.services.calendar, on: req.db)
            return req.redirect(to: SiteURL.voting(.ballot(.value(id))))
        } catch let error as AppError where error.status == .conflict {
            return try await renderBallot(req, error: error, posted: .init())
        }
    }

    // MARK: polls

    @Sendable func poll(req: Request) async throws -> Response {
        try await renderPoll(req, error: nil, posted: nil)
    }

    /// The poll page; `posted` is the option a refused vote chose, shown chosen again.
    func renderPoll(_ req: Request, error: AppError?, posted: UUID?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await PollService.detail(try req.pathID(notFound: PollService.notFound), for: actor, now: req.now, on: req.db) else {
            throw PollService.notFound
        }
        let topics = try await TopicQueries.linked(ballot: nil, poll: detail.poll.id, for: actor, on: req.db)
        // Organisers close the open polls of their own subtree (not those above it that they only see).
        var closes = VotingQueries.organisers.contains(actor.role) && detail.poll.status == .open
        if closes { closes = try await PollQueries.inScope(detail.poll.id, for: actor, on: req.db) }
        return PollViews.poll(
            detail, error: error, posted: posted, closes: closes, topics: topics, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func votePoll(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.pathID(notFound: PollService.notFound)
        let option = try req.content.decode(PollVoteForm.self).option_id
        do {
            try await PollService.vote(id, PollVoteInput(option_id: option), writer: .init(actor, req), on: req.db)
            return req.redirect(to: SiteURL.voting(.poll(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderPoll(req, error: error, posted: option)
        }
    }
}
