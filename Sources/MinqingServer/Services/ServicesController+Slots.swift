import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The JSON side of 约空间's slots, the same as the pages offer: staff see a resource's week,
/// generate its slots for the weeks ahead, and open, close or block a slot; residents and
/// organisations see what they may book on the coming days.
extension ServicesController {
    func bootSlots(staff: any RoutesBuilder, bookers: any RoutesBuilder) {
        staff.get("resources", ":id", "week", use: week)
        staff.post("resources", ":id", "generate", use: generate)
        staff.post("slots", ":id", ":action", use: slotAction)
        bookers.get("open-slots", use: available)
    }

    /// A local date from the query (`name`), or nil when absent; 422 when unreadable.
    static func queryDate(_ req: Request, _ name: String) throws -> CivilDate? {
        guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
        do { return try CivilDate(parsing: text) } catch {
            throw AppError.validation(name, zh: "日期格式应为 YYYY-MM-DD", en: "Write the date as YYYY-MM-DD")
        }
    }

    @Sendable func week(req: Request) async throws -> ServiceSlotWeek {
        let date = try Self.queryDate(req, "date") ?? CivilDate(req.now, in: .shanghai)
        return try await SlotService.week(
            try req.pathID(), holding: date, for: try req.requireActor(), now: req.now, calendar: req.services.calendar, on: req.db)
    }

    @Sendable func generate(req: Request) async throws -> SlotsGenerated {
        try await SlotService.generate(
            try req.pathID(), try req.content.decode(SlotGenerateInput.self), writer: try Self.writer(req),
            calendar: req.services.calendar, on: req.db)
    }

    @Sendable func slotAction(req: Request) async throws -> ManagedSlotRow {
        guard let action = SlotService.Action(rawValue: req.parameters.get("action") ?? "") else { throw AppError.notFound() }
        let input = (try? req.content.decode(SlotActionInput.self)) ?? SlotActionInput(reason: nil)
        return try await SlotService.act(try req.pathID(notFound: SlotService.notFound), action, input, writer: try Self.writer(req), on: req.db)
    }

    @Sendable func available(req: Request) async throws -> OpenSlotsView {
        let page = min(max((try? req.query.get(Int.self, at: "page")) ?? 1, 1), 1_000)
        return try await SlotService.available(
            for: try req.requireActor(), date: try Self.queryDate(req, "date"), category: req.query[String.self, at: "category"],
            page: page, pageSize: 20, now: req.now, calendar: req.services.calendar, on: req.db)
    }
}
