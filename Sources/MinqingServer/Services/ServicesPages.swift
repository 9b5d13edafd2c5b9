import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The phone pages of 智慧临小二 services: 约空间 (resources, a day's slots, book), volunteer
/// activities (sign up), my bookings and my balances; staff see the bookings of resources in
/// their scope with approve / reject / attended / no-show. Reads go through the scoped queries;
/// writes through the same services as the JSON API; forms carry the CSRF token.
struct ServicesPages: RouteCollection {
    struct BookForm: Content { var slot_id: UUID?; var purpose: String?; var organisation: String?; var attendees: Int? }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn()).grouped(RequireRole(ServicesController.users))
        let bookers = pages.grouped(RequireRole(ServicesController.bookers))
        pages.get(.services(.index), use: home)
        pages.get(.services(.resource(.key)), use: resource)
        bookers.post(.services(.bookings), use: book)
        pages.post(.services(.bookingAction(.key, .key)), use: act)
        bookers.post(.services(.activitySignup(.key)), use: signUp)
        pages.grouped(RequireRole(.resident)).post(.services(.campaignReserve(.key)), use: reserve)
        bootCampaigns(pages)
        bootManage(pages)
    }

    @Sendable func home(req: Request) async throws -> Response {
        try await renderHome(req, error: nil)
    }

    func renderHome(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let model = ServicesViews.HomeModel(
            staff: actor.role.isGridStaff, booker: ServicesController.bookers.contains(actor.role),
            resources: try await ServicesQueries.resources(for: actor, category: nil, limit: 200, on: req.db),
            bookings: try await ServicesQueries.bookings(for: actor, limit: 50, on: req.db),
            activities: try await VolunteerService.list(for: actor, after: req.now, on: req.db),
            campaigns: try await CampaignService.open(for: actor, on: req.db),
            forms: actor.role.isGridStaff || actor.role == .resident
                ? try await CampaignService.list(for: actor, kinds: [.registration, .checkin], openOnly: true, on: req.db) : [],
            ledger: try await LedgerService.mine(actor, on: req.db),
            error: error,
            flash: req.query[String.self, at: "done"])
        return ServicesViews.home(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func resource(req: Request) async throws -> Response {
        try await renderResource(req, id: try req.pathID(), error: nil)
    }

    func renderResource(_ req: Request, id: UUID, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        guard let row = try await ServicesQueries.resource(id, for: actor, on: req.db) else { throw ServicesService.resourceNotFound }
        let today = CivilDate(req.now, in: .shanghai)
        let date = req.query[String.self, at: "date"].flatMap { try? CivilDate(parsing: $0) } ?? (try? today.adding(days: 1)) ?? today
        let model = ServicesViews.ResourceModel(
            resource: row, date: date.iso8601, now: req.now,
            slots: try await ServicesQueries.slots(id, on: date.iso8601, for: actor, on: req.db),
            booker: ServicesController.bookers.contains(actor.role), organisation: actor.role != .resident,
            error: error)
        return ServicesViews.resource(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func book(req: Request) async throws -> Response {
        let form = try req.content.decode(BookForm.self)
        do {
            _ = try await ServicesService.book(
                .init(
                    slot_id: form.slot_id, purpose: form.purpose, organisation: form.organisation,
                    attendees: form.attendees), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.index).path([("done", "booked")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            return try await renderHome(req, error: error)
        }
    }

    @Sendable func act(req: Request) async throws -> Response {
        guard let action = ServicesService.Action(rawValue: req.parameters.get("action") ?? "") else { throw AppError.notFound() }
        do {
            try await ServicesService.act(try req.pathID(), action, writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.index).path([("done", action.rawValue)]), redirectType: .normal)
        } catch let error as AppError where error.status == .conflict {
            return try await renderHome(req, error: error)
        }
    }

    @Sendable func signUp(req: Request) async throws -> Response {
        do {
            _ = try await VolunteerService.signUp(try req.pathID(), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.index).path([("done", "signed")]), redirectType: .normal)
        } catch let error as AppError where error.status == .conflict {
            return try await renderHome(req, error: error)
        }
    }

    @Sendable func reserve(req: Request) async throws -> Response {
        do {
            _ = try await CampaignService.reserve(
                try req.pathID(), try req.content.decode(ReserveInput.self),
                writer: try ServicesController.writer(req), queue: req.application.reservationQueue, on: req.db)
            return req.redirect(to: SiteURL.services(.index).path([("done", "reserved")]), redirectType: .normal)
        } catch let error as AppError where [.conflict, .unprocessableEntity].contains(error.status) {
            return try await renderHome(req, error: error)
        }
    }
}
