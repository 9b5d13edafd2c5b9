import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// 约走访 pages: staff offer slots and handle bookings (confirm, propose another slot, cancel,
/// record the visit); a resident sees their household, the open slots, books one, accepts a
/// proposed slot or cancels. A lost race for a slot shows the page again with the 409 message.
extension VisitsPages {
    struct SlotForm: Content { var starts_at: String?; var ends_at: String?; var place: String?; var node: String? }
    struct ProposeForm: Content { var slot_id: UUID?; var starts_at: String?; var ends_at: String?; var place: String? }
    struct BookForm: Content { var slot_id: UUID?; var note: String? }

    @Sendable func slots(req: Request) async throws -> Response {
        try await renderSlots(req, actor: try req.requireActor())
    }

    func renderSlots(_ req: Request, actor: Actor, form: SlotForm? = nil, error: AppError? = nil) async throws -> Response {
        let slots = try await BookingQueries.slots(in: actor.scope, after: req.now, limit: 100, on: req.db)
        let bookings = try await BookingQueries.bookings(for: actor, active: true, limit: 100, on: req.db)
        let model = VisitsViews.SlotsModel(
            now: req.now, slots: slots, bookings: bookings, form: form, error: error,
            mine: actor.username)
        return VisitsViews.slots(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func offer(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(SlotForm.self)
        let input = BookingService.SlotInput(
            starts_at: LocalTime.parse(form.starts_at), ends_at: LocalTime.parse(form.ends_at),
            place: form.place, node: form.node)
        do {
            _ = try await BookingService.offer(input, writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.visits(.slots))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderSlots(req, actor: actor, form: form, error: error)
        }
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await BookingService.confirm(try req.pathID(), writer: WriteContext(actor, req), on: req.db)
        return req.redirect(to: SiteURL.visits(.slots))
    }

    @Sendable func propose(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(ProposeForm.self)
        let input = BookingService.ProposeInput(
            slot_id: form.slot_id, starts_at: LocalTime.parse(form.starts_at),
            ends_at: LocalTime.parse(form.ends_at), place: form.place)
        do {
            try await BookingService.propose(try req.pathID(), input, writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.visits(.slots))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderSlots(req, actor: actor, error: error)
        }
    }

    /// Cancelled by either side; each goes back to their own page.
    @Sendable func cancel(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await BookingService.cancel(try req.pathID(), writer: WriteContext(actor, req), on: req.db)
        return req.redirect(to: actor.role == .resident ? SiteURL.visits(.booking) : SiteURL.visits(.slots))
    }

    // MARK: the resident's page

    @Sendable func bookingPage(req: Request) async throws -> Response {
        try await renderBooking(req, actor: try req.requireActor())
    }

    func renderBooking(_ req: Request, actor: Actor, error: AppError? = nil, booked: Bool = false) async throws -> Response {
        let model = VisitsViews.BookingModel(
            household: try await BookingQueries.residentHousehold(actor, on: req.db),
            open: try await BookingQueries.openSlots(for: actor, now: req.now, limit: 50, on: req.db),
            mine: try await BookingQueries.bookings(for: actor, active: false, limit: 20, on: req.db),
            error: error, booked: booked || req.query[String.self, at: "booked"] != nil)
        return VisitsViews.booking(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func book(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(BookForm.self)
        do {
            _ = try await BookingService.book(.init(slot_id: form.slot_id, note: form.note), writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.visits(.booking).path([("booked", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .notFound].contains(error.status) {
            return try await renderBooking(req, actor: actor, error: error)
        }
    }

    @Sendable func accept(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await BookingService.accept(try req.pathID(), writer: WriteContext(actor, req), on: req.db)
        return req.redirect(to: SiteURL.visits(.booking))
    }
}
