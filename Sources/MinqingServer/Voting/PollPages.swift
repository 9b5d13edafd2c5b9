import Foundation
import MinqingDomain
import Vapor

/// Organisers' pages of resident polls (要投票): the form that starts a poll and the button that
/// closes one, through `PollService` as the JSON API (`POST /api/v1/voting/polls`, `…/close`).
/// A form posts, then redirects to the poll (303), or shows itself again with status 422, as
/// typed, each problem beside its field. Booted by `VotingPages`.
struct PollPages: RouteCollection {
    struct PollForm: Content {
        var node: String?; var title: String?; var description: String?
        /// One option a line.
        var options: String?
        var unit: String?; var secrecy: String?; var closes_at: String?; var results_live: String?

        /// The API's input: the options one a line, the `datetime-local` time in Shanghai.
        var input: NewPollInput {
            NewPollInput(
                node: node, title: title, description: description,
                options: (options ?? "").split(whereSeparator: \.isNewline).map(String.init),
                unit: unit, secrecy: secrecy, closes_at: LocalTime.parse(closes_at), results_live: results_live == "on")
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let organisers = routes.grouped(RequireSignIn()).grouped(RequireRole(VotingQueries.organisers))
        organisers.get(.voting(.newPoll), use: newPoll)
        organisers.post(.voting(.newPoll), use: create)
        organisers.post(.voting(.pollClose(.key)), use: close)
    }

    @Sendable func newPoll(req: Request) async throws -> Response {
        try await render(req, form: nil, error: nil)
    }

    func render(_ req: Request, form: PollForm?, error: AppError?) async throws -> Response {
        let nodes = try await PollQueries.nodeChoices(for: try req.requireActor(), on: req.db)
        return PollViews.newPoll(nodes: nodes, form: form, error: error, now: req.now, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.content.decode(PollForm.self)
        do {
            let id = try await PollService.create(form.input, writer: .init(try req.requireActor(), req), on: req.db)
            return req.redirect(to: SiteURL.voting(.poll(.value(id))))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, form: form, error: error)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let id = try req.pathID(notFound: PollService.notFound)
        do {
            try await PollService.close(id, writer: .init(try req.requireActor(), req), on: req.db)
            return req.redirect(to: SiteURL.voting(.poll(.value(id))))
        } catch let error as AppError where error.status == .conflict {
            return try await VotingPages().renderPoll(req, error: error, posted: nil)
        }
    }
}
