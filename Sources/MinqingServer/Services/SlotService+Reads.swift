import Fluent
import Foundation
import MinqingDomain
import Vapor

/// What the 约空间 pages and API read of the slots: a resource's week for the staff who manage
/// it, and what one may book on the coming days. Both top the slots up first (`topUp`).
extension SlotService {
    /// The local dates Monday…Sunday of the ISO week holding `date`.
    static func week(of date: CivilDate) -> (first: CivilDate, last: CivilDate) {
        let monday = date.weekStart
        return (monday, (try? monday.adding(days: 6)) ?? monday)
    }

    /// Staff: a resource's slots over the week holding `date`, each with the booking holding it.
    static func week(
        _ resource: UUID, holding date: CivilDate, for actor: Actor, now: Date, calendar: WorkingCalendar, on db: any Database
    ) async throws -> ServiceSlotWeek {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        guard try await ServicesQueries.resourceHours(resource, for: actor, on: db) != nil else { throw ServicesService.resourceNotFound }
        try await topUp(for: actor, resource: resource, now: now, calendar: calendar, on: db)
        guard let hours = try await ServicesQueries.resourceHours(resource, for: actor, on: db) else { throw ServicesService.resourceNotFound }
        let (first, last) = week(of: date)
        let slots = try await ServicesQueries.managedSlots(resource, from: first.iso8601, through: last.iso8601, for: actor, on: db)
        return ServiceSlotWeek(
            resource_id: resource, starts_on: first.iso8601, ends_on: last.iso8601, slots_through: hours.slots_through, slots: slots)
    }

    /// The `bookers` values that admit the actor's role (empty for staff and departments).
    static func bookerValues(_ actor: Actor) -> [String] {
        ServiceBookers.allCases.filter { $0.admits(actor.role) }.map(\.rawValue)
    }

    /// Residents and organisations: the coming seven days with how many slots each has to book,
    /// and on `date` (or the first of those days with any) the resources with open slots, of
    /// `category` when given, `pageSize` a page, each with its open slots that day.
    static func available(
        for actor: Actor, date: CivilDate?, category: String?, page: Int, pageSize: Int, now: Date, calendar: WorkingCalendar,
        on db: any Database
    ) async throws -> OpenSlotsView {
        let roles = bookerValues(actor)
        guard !roles.isEmpty else { throw AppError.forbidden }
        try await topUp(for: actor, now: now, calendar: calendar, on: db)
        let today = CivilDate(now, in: .shanghai)
        let dates = (0..<7).compactMap { try? today.adding(days: $0).iso8601 }
        let counts = Dictionary(
            try await ServicesQueries.openDayCounts(dates, by: actor, roles: roles, now: now, on: db).map { ($0.local_date, $0.n) },
            uniquingKeysWith: +)
        let days = dates.map { OpenDay(date: $0, open: counts[$0] ?? 0) }
        let chosen = date?.iso8601 ?? days.first { $0.open > 0 }?.date ?? today.iso8601
        let category = category.flatMap { $0.isEmpty ? nil : $0 }
        let page = min(max(1, page), 10_000)
        let heads = try await ServicesQueries.openResources(
            on: chosen, category: category, by: actor, roles: roles, now: now, limit: pageSize, offset: (page - 1) * pageSize, on: db)
        let total = try await ServicesQueries.openResourceCount(on: chosen, category: category, by: actor, roles: roles, now: now, on: db)
        let slots = try await ServicesQueries.openSlots(of: heads.map(\.id), on: chosen, by: actor, roles: roles, now: now, on: db)
        let byResource = Dictionary(grouping: slots, by: \.resource_id)
        let resources = heads.map { h in
            OpenResourceRow(
                id: h.id, name: h.name, unit_name: h.unit_name, place: h.place, category: h.category, capacity: h.capacity,
                needs_approval: h.needs_approval, open_count: h.open_count,
                slots: (byResource[h.id] ?? []).map { OpenSlot(id: $0.id, starts_at: $0.starts_at, ends_at: $0.ends_at) })
        }
        return OpenSlotsView(
            date: chosen, category: category, days: days,
            categories: try await ServicesQueries.bookableCategories(by: actor, roles: roles, on: db),
            total: total, page: page, page_size: pageSize, resources: resources)
    }
}
