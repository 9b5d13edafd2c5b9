import Foundation
import MinqingDomain
import Vapor

/// JSON API of the topic board (议事) under `/api/v1/voting/topics`: what its pages show and do,
/// through the same queries and service functions, for the same roles and scope (a topic out of
/// reach answers 404, as on the page). Booted by `VotingController`.
struct TopicController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "voting", "topics").grouped(RequireSignIn())
        let viewers = api.grouped(RequireRole(VotingQueries.viewers))
        let organisers = api.grouped(RequireRole(VotingQueries.organisers))
        viewers.get(use: board)
        viewers.post(use: propose)
        viewers.get(":id", use: topic)
        viewers.post(":id", "support", use: support)
        viewers.post(":id", "comments", use: comment)
        organisers.post(":id", "comments", ":comment", "moderate", use: moderate)
        organisers.post(":id", "meetings", use: meeting)
        organisers.post(":id", "link", use: link)
        organisers.post(":id", "decision", use: decision)
    }

    @Sendable func board(req: Request) async throws -> TopicBoard {
        let actor = try req.requireActor()
        return TopicBoard(
            topics: try await TopicQueries.list(for: actor, on: req.db), areas: try await TopicQueries.areaChoices(for: actor, on: req.db))
    }

    @Sendable func propose(req: Request) async throws -> Response {
        let input = try req.content.decode(TopicPages.ProposeForm.self)
        let id = try await TopicService.propose(
            title: input.title, body: input.body, area: input.area, writer: .init(try req.requireActor(), req), on: req.db)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func topic(req: Request) async throws -> TopicPage {
        let actor = try req.requireActor()
        guard let detail = try await TopicQueries.detail(try req.pathID(notFound: TopicService.notFound), for: actor, on: req.db) else {
            throw TopicService.notFound
        }
        return TopicPage(detail, targets: try await TopicQueries.linkTargets(for: actor, topic: detail, on: req.db))
    }

    @Sendable func support(req: Request) async throws -> HTTPStatus {
        try await TopicService.support(try req.pathID(notFound: TopicService.notFound), writer: .init(try req.requireActor(), req), on: req.db)
        return .created
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let input = try req.content.decode(TopicPages.CommentForm.self)
        let id = try await TopicService.comment(
            try req.pathID(notFound: TopicService.notFound), body: input.body, writer: .init(try req.requireActor(), req), on: req.db)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func moderate(req: Request) async throws -> HTTPStatus {
        let input = try req.content.decode(TopicPages.ModerateForm.self)
        try await TopicService.moderate(
            try req.pathID(notFound: TopicService.notFound), comment: try req.pathID("comment", notFound: TopicService.notFound),
            decision: input.decision, reason: input.reason, writer: .init(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func meeting(req: Request) async throws -> HTTPStatus {
        let f = try req.content.decode(TopicPages.MeetingForm.self)
        try await TopicService.recordMeeting(
            try req.pathID(notFound: TopicService.notFound),
            .init(kind: f.kind, held_on: f.held_on, place: f.place, attendees: f.attendees, minutes: f.minutes),
            writer: .init(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func link(req: Request) async throws -> HTTPStatus {
        let input = try req.content.decode(TopicLinkInput.self)
        try await TopicService.link(
            try req.pathID(notFound: TopicService.notFound), poll: input.poll_id, ballot: input.ballot_id.map { BallotID($0) },
            writer: .init(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func decision(req: Request) async throws -> HTTPStatus {
        let input = try req.content.decode(TopicPages.DecisionForm.self)
        try await TopicService.conclude(
            try req.pathID(notFound: TopicService.notFound), outcome: input.outcome, text: input.text,
            writer: .init(try req.requireActor(), req), on: req.db)
        return .noContent
    }
}
