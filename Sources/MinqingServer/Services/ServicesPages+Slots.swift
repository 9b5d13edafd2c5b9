import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The staff's slot pages (`/services/resources/{id}/week`): a resource's week one day at a time,
/// each slot opened, closed or blocked with a reason, a day opened from the opening hours, and the
/// slots of the next weeks generated. Plain forms with the CSRF token, through `SlotService` as
/// the JSON API; a refusal shows the week again with the sentence, and beside the field.
extension ServicesPages {
    struct GenerateForm: Content { var weeks: String?; var date: String? }
    struct SlotForm: Content { var reason: String? }

    func bootSlots(_ pages: any RoutesBuilder) {
        let staff = pages.grouped(RequireRole(ServicesController.staff))
        staff.get(.services(.resourceWeek(.key)), use: week)
        staff.post(.services(.resourceGenerate(.key)), use: generate)
        staff.post(.services(.slotAction(.key, .key)), use: slotAction)
    }

    @Sendable func week(req: Request) async throws -> Response {
        let date = req.query[String.self, at: "date"].flatMap { try? CivilDate(parsing: $0) }
        return try await renderWeek(req, id: try req.pathID(), date: date, error: nil, failedSlot: nil, values: [:])
    }

    /// The week holding `date` (today by default), showing that day's slots.
    func renderWeek(
        _ req: Request, id: UUID, date: CivilDate?, error: AppError?, failedSlot: UUID?, values: [String: String]
    ) async throws -> Response {
        let actor = try req.requireActor()
        guard let resource = try await ServicesQueries.resource(id, for: actor, on: req.db) else { throw ServicesService.resourceNotFound }
        let today = CivilDate(req.now, in: .shanghai)
        let day = date ?? today
        let week = try await SlotService.week(id, holding: day, for: actor, now: req.now, calendar: req.services.calendar, on: req.db)
        let model = ServicesViews.WeekModel(
            resource: resource, week: week, day: day.iso8601, today: today.iso8601, now: req.now, error: error,
            failedSlot: failedSlot, values: values, flash: req.query[String.self, at: "done"],
            created: req.query[Int.self, at: "created"])
        return ServicesViews.week(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    /// Generates the next weeks' slots, or (with `date`) opens that one day from the opening hours,
    /// a holiday too.
    @Sendable func generate(req: Request) async throws -> Response {
        let id = try req.pathID()
        let form = try req.content.decode(GenerateForm.self)
        let writer = try ServicesController.writer(req)
        let date = form.date.flatMap { $0.isEmpty ? nil : $0 }
        do {
            if let date {
                _ = try await ServicesService.openSlots(id, SlotsInput(date: date), writer: writer, on: req.db)
                return req.redirect(to: SiteURL.services(.resourceWeek(.value(id))).path([("date", date), ("done", "opened")]), redirectType: .normal)
            }
            let typed = (form.weeks ?? "").trimmingCharacters(in: .whitespaces)
            let weeks = typed.isEmpty ? nil : (Int(typed) ?? 0)
            let done = try await SlotService.generate(
                id, SlotGenerateInput(weeks: weeks), writer: writer, calendar: req.services.calendar, on: req.db)
            return req.redirect(
                to: SiteURL.services(.resourceWeek(.value(id))).path([("done", "generated"), ("created", String(done.created))]),
                redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderWeek(
                req, id: id, date: date.flatMap { try? CivilDate(parsing: $0) }, error: error, failedSlot: nil,
                values: ["weeks": form.weeks ?? ""])
        }
    }

    /// Opens, closes or blocks a slot, then shows its day; a refusal (booked, begun, no reason)
    /// shows the day again with the sentence and the typed reason.
    @Sendable func slotAction(req: Request) async throws -> Response {
        guard let action = SlotService.Action(rawValue: req.parameters.get("action") ?? "") else { throw AppError.notFound() }
        let id = try req.pathID(notFound: SlotService.notFound)
        let form = (try? req.content.decode(SlotForm.self)) ?? SlotForm(reason: nil)
        let actor = try req.requireActor()
        do {
            let slot = try await SlotService.act(
                id, action, SlotActionInput(reason: form.reason), writer: try ServicesController.writer(req), on: req.db)
            return req.redirect(
                to: SiteURL.services(.resourceWeek(.value(slot.resource_id))).path([("date", slot.local_date), ("done", action.rawValue)]),
                redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            guard let slot = try await ServicesQueries.managedSlot(id, for: actor, on: req.db) else { throw SlotService.notFound }
            return try await renderWeek(
                req, id: slot.resource_id, date: try? CivilDate(parsing: slot.local_date), error: error, failedSlot: id,
                values: ["reason": form.reason ?? ""])
        }
    }
}
