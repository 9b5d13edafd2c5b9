import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// The phone pages of 智慧临小二 services: 约空间 (what can be booked on the coming days, a
/// resource's day and its booking form), volunteer activities (sign up), my bookings and my
/// balances; staff see the bookings of resources in their scope with approve / reject / attended /
/// no-show, and each resource's slots (`ServicesPages+Slots`). Reads go through the scoped queries;
/// writes through the same services as the JSON API; forms carry the CSRF token.
struct ServicesPages: RouteCollection {
    /// A booking form: the slot, and the resource page (resource and date) to show again when it fails.
    struct BookForm: Content {
        var slot_id: UUID?
        var purpose: String?
        var organisation: String?
        var attendees: String?
        var resource_id: UUID?
        var date: String?
    }

    /// Past bookings, folded away on the 约空间 page, a page of them.
    static let pastPageSize = 10
    /// Resources with open slots on the chosen day, a page of them.
    static let openPageSize = 8

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
        bootSlots(pages)
        bootLedger(pages)
        bootVolunteers(pages)
    }

    @Sendable func home(req: Request) async throws -> Response {
        try await renderHome(req, error: nil)
    }

    /// 约空间 first: for residents and organisations what they may book on the coming days, then
    /// their bookings to come, then the past ones folded away; for staff the bookings to handle.
    func renderHome(_ req: Request, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let booker = ServicesController.bookers.contains(actor.role)
        let pastPage = min(max(1, req.query[Int.self, at: "past"] ?? 1), 10_000)
        var open: OpenSlotsView?
        if booker {
            open = try await SlotService.available(
                for: actor, date: req.query[String.self, at: "day"].flatMap { try? CivilDate(parsing: $0) },
                category: req.query[String.self, at: "category"], page: req.query[Int.self, at: "page"] ?? 1, pageSize: Self.openPageSize,
                now: req.now, calendar: req.services.calendar, on: req.db)
        }
        let model = ServicesViews.HomeModel(
            staff: actor.role.isGridStaff, booker: booker, open: open,
            resources: try await ServicesQueries.resources(for: actor, category: nil, limit: 500, on: req.db),
            active: try await ServicesQueries.activeBookings(for: actor, now: req.now, limit: 50, on: req.db),
            past: try await ServicesQueries.pastBookings(
                for: actor, now: req.now, limit: Self.pastPageSize, offset: (pastPage - 1) * Self.pastPageSize, on: req.db),
            pastTotal: try await ServicesQueries.pastBookingCount(for: actor, now: req.now, on: req.db), pastPage: pastPage,
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
        let date = req.query[String.self, at: "date"].flatMap { try? CivilDate(parsing: $0) }
        return try await renderResource(req, id: try req.pathID(), date: date, error: nil, form: nil)
    }

    /// A resource and one day's slots (the first of the coming seven days with one to book,
    /// unless asked), with the booking form; `form` is a failed booking to show again.
    func renderResource(_ req: Request, id: UUID, date: CivilDate?, error: AppError?, form: BookForm?) async throws -> Response {
        let actor = try req.requireActor()
        guard let row = try await ServicesQueries.resource(id, for: actor, on: req.db) else { throw ServicesService.resourceNotFound }
        try await SlotService.topUp(for: actor, resource: id, now: req.now, calendar: req.services.calendar, on: req.db)
        let today = CivilDate(req.now, in: .shanghai)
        let dates = (0..<7).compactMap { try? today.adding(days: $0).iso8601 }
        let roles = SlotService.bookerValues(actor)
        var counts: [String: Int] = [:]
        if !roles.isEmpty {
            for day in try await ServicesQueries.openDayCounts(dates, resource: id, by: actor, roles: roles, now: req.now, on: req.db) {
                counts[day.local_date] = day.n
            }
        }
        let days = dates.map { OpenDay(date: $0, open: counts[$0] ?? 0) }
        let day = date?.iso8601 ?? days.first { $0.open > 0 }?.date ?? today.iso8601
        let model = ServicesViews.ResourceModel(
            resource: row, date: day, now: req.now, days: days,
            slots: try await ServicesQueries.slots(id, on: day, for: actor, on: req.db),
            booker: ServicesController.bookers.contains(actor.role), organisation: actor.role != .resident,
            staff: actor.role.isGridStaff, error: error, form: form)
        return ServicesViews.resource(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// Books a slot; a refusal shows the resource's day again with the typed values and each
    /// field's problem beside it (or, without the resource, the 约空间 page with the sentence).
    @Sendable func book(req: Request) async throws -> Response {
        let form = try req.content.decode(BookForm.self)
        let attendees = form.attendees.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        do {
            _ = try await ServicesService.book(
                .init(
                    slot_id: form.slot_id, purpose: form.purpose, organisation: form.organisation,
                    attendees: attendees.map { Int($0) ?? 0 }), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(to: SiteURL.services(.index).path([("done", "booked")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            guard let resource = form.resource_id else { return try await renderHome(req, error: error) }
            let date = form.date.flatMap { try? CivilDate(parsing: $0) }
            return try await renderResource(req, id: resource, date: date, error: error, form: form)
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
