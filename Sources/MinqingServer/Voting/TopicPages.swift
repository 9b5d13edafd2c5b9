import Fluent
import Foundation
import MinqingDomain
import Plot
import SQLKit
import Vapor

/// 议事厅 pages: the topic board of the caller's residential area (propose, support, discuss),
/// and for staff in scope moderation, meetings with minutes, taking a topic to a poll or a
/// ballot, and the decision. A refused action shows the page again with the reason.
struct TopicPages: RouteCollection {
    struct ProposeForm: Content { var title: String?; var body: String?; var area: String? }
    struct CommentForm: Content { var body: String? }
    struct ModerateForm: Content { var decision: String?; var reason: String? }
    struct MeetingForm: Content { var kind: String?; var held_on: String?; var place: String?; var attendees: String?; var minutes: String? }
    struct LinkForm: Content { var target: String? }
    struct DecisionForm: Content { var outcome: String?; var text: String? }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let viewers = pages.grouped(RequireRole(VotingQueries.viewers))
        let organisers = pages.grouped(RequireRole(VotingQueries.organisers))
        viewers.get(.voting(.topics), use: index)
        viewers.post(.voting(.topics), use: propose)
        viewers.get(.voting(.topic(.key)), use: topic)
        viewers.post(.voting(.topicSupport(.key)), use: support)
        viewers.post(.voting(.topicComments(.key)), use: comment)
        organisers.post(.voting(.topicCommentModerate(.key, .key)), use: moderate)
        organisers.post(.voting(.topicMeetings(.key)), use: meeting)
        organisers.post(.voting(.topicLink(.key)), use: link)
        organisers.post(.voting(.topicDecision(.key)), use: decision)
    }

    typealias AreaChoice = TopicQueries.AreaChoice

    @Sendable func index(req: Request) async throws -> Response { try await renderIndex(req, form: nil, error: nil) }

    func renderIndex(_ req: Request, form: ProposeForm?, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let topics = try await TopicQueries.list(for: actor, on: req.db)
        // Staff bound above a residential area choose one of theirs.
        let areas = try await TopicQueries.areaChoices(for: actor, on: req.db)
        return TopicViews.index(topics, areas: areas, form: form, error: error, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func propose(req: Request) async throws -> Response {
        let form = try req.content.decode(ProposeForm.self)
        do {
            let id = try await TopicService.propose(
                title: form.title, body: form.body, area: form.area, writer: .init(try req.requireActor(), req), on: req.db)
            return req.redirect(to: SiteURL.voting(.topic(.value(id))))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderIndex(req, form: form, error: error)
        }
    }

    @Sendable func topic(req: Request) async throws -> Response { try await renderTopic(req, error: nil, posted: .init()) }

    func renderTopic(_ req: Request, error: AppError?, posted: TopicViews.Posted) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await TopicQueries.detail(try req.pathID(notFound: TopicService.notFound), for: actor, on: req.db) else {
            throw TopicService.notFound
        }
        let targets = try await TopicQueries.linkTargets(for: actor, topic: detail, on: req.db)
        return TopicViews.topic(detail, targets: targets, error: error, posted: posted, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// Runs a page action; a refused one shows the topic again with the reason, the form that
    /// failed (`posted`) as typed.
    func act(_ req: Request, posted: TopicViews.Posted, _ body: (WriteContext, UUID) async throws -> Void) async throws -> Response {
        let id = try req.pathID(notFound: TopicService.notFound)
        do {
            try await body(.init(try req.requireActor(), req), id)
            return req.redirect(to: SiteURL.voting(.topic(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderTopic(req, error: error, posted: posted)
        }
    }

    @Sendable func support(req: Request) async throws -> Response {
        try await act(req, posted: .init()) { writer, id in try await TopicService.support(id, writer: writer, on: req.db) }
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let form = try req.content.decode(CommentForm.self)
        return try await act(req, posted: .init(comment: form)) { writer, id in
            _ = try await TopicService.comment(id, body: form.body, writer: writer, on: req.db)
        }
    }

    @Sendable func moderate(req: Request) async throws -> Response {
        let form = try req.content.decode(ModerateForm.self)
        let comment = try req.pathID("comment", notFound: TopicService.notFound)
        return try await act(req, posted: .init(moderated: comment, moderation: form)) { writer, id in
            try await TopicService.moderate(id, comment: comment, decision: form.decision, reason: form.reason, writer: writer, on: req.db)
        }
    }

    @Sendable func meeting(req: Request) async throws -> Response {
        let f = try req.content.decode(MeetingForm.self)
        return try await act(req, posted: .init(meeting: f)) { writer, id in
            try await TopicService.recordMeeting(
                id, .init(kind: f.kind, held_on: f.held_on, place: f.place, attendees: f.attendees, minutes: f.minutes),
                writer: writer, on: req.db)
        }
    }

    @Sendable func link(req: Request) async throws -> Response {
        let form = try req.content.decode(LinkForm.self)
        let parts = (form.target ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        let uuid = parts.count == 2 ? UUID(uuidString: parts[1]) : nil
        return try await act(req, posted: .init(link: form)) { writer, id in
            try await TopicService.link(
                id, poll: parts.first == "poll" ? uuid : nil, ballot: parts.first == "ballot" ? uuid.map { BallotID($0) } : nil,
                writer: writer, on: req.db)
        }
    }

    @Sendable func decision(req: Request) async throws -> Response {
        let form = try req.content.decode(DecisionForm.self)
        return try await act(req, posted: .init(decision: form)) { writer, id in
            try await TopicService.conclude(id, outcome: form.outcome, text: form.text, writer: writer, on: req.db)
        }
    }
}
