import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 约空间's slots (issue 21): generated weeks ahead from each resource's opening hours, and
/// opened, closed or blocked (活动占用) by the staff who manage the resource.
///
/// Generation writes the slots not there yet (UNIQUE per resource and start), so running it again
/// adds nothing and never reopens a slot staff closed. It skips slots already begun, and public
/// holidays for resources whose hours keep a working week (`ServiceOpeningHours.closesOnHolidays`).
/// It runs when staff ask (`generate`), for every resource from `minqing services slots` and the
/// demo load (`generateAll`), and on its own when a resource or the 约空间 page is viewed and the
/// slots reach less than `defaultWeeks` ahead (`topUp`).
package enum SlotService {
    package static let defaultWeeks = 4
    static let weeks = 1...12

    static let notFound = AppError.notFound("时段不存在或不在您的管辖范围内", "No such slot in your reach")
    static let booked = AppError(
        .conflict, code: "slot_booked",
        zh: "该时段已有人预约，不能关闭或占用。请先与预约人联系，取消该预约后再操作。",
        en: "Someone has booked this slot, so it cannot be closed or blocked. Contact the booker and cancel the booking first.")
    static let begun = AppError(.conflict, code: "slot_begun", zh: "该时段已经开始，不能再更改。", en: "This slot has begun; it can no longer be changed.")

    /// What staff do to a slot, and from which states.
    enum Action: String, CaseIterable, Sendable {
        case open, close, block

        var from: [ServiceSlotState] {
            switch self {
            case .open: [.closed, .blocked]
            case .close: [.open, .blocked]
            case .block: [.open, .closed]
            }
        }
        var to: ServiceSlotState {
            switch self {
            case .open: .open
            case .close: .closed
            case .block: .blocked
            }
        }
    }

    // MARK: Generation

    /// The slots of `resources` from `first` through `last` (local dates), those begun by `now` left out.
    static func plan(
        _ resources: [(hours: ServicesQueries.ResourceHours, first: CivilDate)], through last: CivilDate, now: Date, calendar: WorkingCalendar
    ) -> [ServicesQueries.NewSlot] {
        var slots: [ServicesQueries.NewSlot] = []
        for (row, first) in resources {
            guard let hours = try? ServiceOpeningHours(parsing: row.opening_hours), first <= last else { continue }
            let days = last.daysSince1970 - first.daysSince1970 + 1
            for slot in hours.slots(from: first, days: days, length: row.slot_minutes, calendar: calendar) {
                let midnight = slot.date.startOfDay(in: .shanghai)
                let starts = midnight.addingTimeInterval(Double(slot.start * 60))
                guard starts > now else { continue }
                slots.append(
                    .init(resource: row.id, starts: starts, ends: midnight.addingTimeInterval(Double(slot.end * 60)), date: slot.date.iso8601))
            }
        }
        return slots
    }

    /// Writes the planned slots and how far each resource's slots now reach, inside the caller's transaction; returns how many were new.
    static func write(
        _ resources: [(hours: ServicesQueries.ResourceHours, first: CivilDate)], through last: CivilDate, now: Date, calendar: WorkingCalendar,
        on db: any Database
    ) async throws -> Int {
        let slots = plan(resources, through: last, now: now, calendar: calendar)
        var created = 0
        if !slots.isEmpty { created = try await ServicesQueries.insertGeneratedSlots(slots, on: db) }
        try await ServicesQueries.markSlotsThrough(resources.map(\.hours.id), through: last.iso8601, on: db)
        return created
    }

    /// The last local date of `weeks` weeks from today (today is the first day).
    static func through(weeks: Int, today: CivilDate) -> CivilDate {
        (try? today.adding(days: weeks * 7 - 1)) ?? today
    }

    /// Every resource's slots for `weeks` weeks from today, inside the caller's transaction (the
    /// demo load, `minqing services slots`); returns how many were new.
    package static func generateAll(weeks: Int, now: Date, calendar: WorkingCalendar, on db: any Database) async throws -> Int {
        let today = CivilDate(now, in: .shanghai)
        let resources = try await ServicesQueries.allResourceHours(on: db).map { (hours: $0, first: today) }
        return try await write(resources, through: through(weeks: weeks, today: today), now: now, calendar: calendar, on: db)
    }

    /// The platform's shipped holiday calendar, for callers without a configured application.
    package static func shippedCalendar() -> WorkingCalendar {
        (try? PlatformCalendar.shipped()) ?? WorkingCalendar()
    }

    /// Staff: the slots of a resource they manage for the next `weeks` weeks (1–12, default 4), audited.
    static func generate(
        _ resource: UUID, _ input: SlotGenerateInput, writer: WriteContext, calendar: WorkingCalendar, on db: any Database
    ) async throws -> SlotsGenerated {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        let weeks = input.weeks ?? defaultWeeks
        guard Self.weeks.contains(weeks) else {
            throw AppError.validation("weeks", zh: "周数须为 1 到 12", en: "Generate slots for 1 to 12 weeks ahead")
        }
        guard let hours = try await ServicesQueries.resourceHours(resource, for: writer.actor, on: db) else { throw ServicesService.resourceNotFound }
        let last = through(weeks: weeks, today: writer.today)
        let today = writer.today
        let created = try await db.write { db in
            let n = try await Self.write([(hours: hours, first: today)], through: last, now: writer.now, calendar: calendar, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "service_slots.generated", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "service_resource", targetID: resource.uuidString,
                    detail: ["weeks": String(weeks), "created": String(n)], clientAddress: writer.address),
                at: writer.now, on: db)
            return n
        }
        return SlotsGenerated(created: created, through: last.iso8601)
    }

    /// Keeps `defaultWeeks` of slots ahead for the resources the actor sees (only `resource` when
    /// given): those whose slots reach less far get the missing days. Writes nothing when none lag,
    /// and no audit entry (the platform keeps the weeks ahead; nobody decided anything).
    static func topUp(for actor: Actor, resource: UUID? = nil, now: Date, calendar: WorkingCalendar, on db: any Database) async throws {
        let today = CivilDate(now, in: .shanghai)
        let last = through(weeks: defaultWeeks, today: today)
        let behind = try await ServicesQueries.resourcesBehind(last.iso8601, for: actor, only: resource, on: db)
        guard !behind.isEmpty else { return }
        let resources: [(hours: ServicesQueries.ResourceHours, first: CivilDate)] = behind.map { row in
            let next = row.slots_through.flatMap { try? CivilDate(parsing: $0).adding(days: 1) }
            return (hours: row, first: max(today, next ?? today))
        }
        _ = try await db.write { db in try await Self.write(resources, through: last, now: now, calendar: calendar, on: db) }
    }

    // MARK: Staff actions

    /// Opens, closes or blocks (with a reason) a slot of a resource the writer manages: one
    /// conditional UPDATE, refused while a booking holds the slot or once it has begun.
    static func act(_ slot: UUID, _ action: Action, _ input: SlotActionInput, writer: WriteContext, on db: any Database) async throws
        -> ManagedSlotRow
    {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        var reason: String?
        if action == .block {
            let text = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (2...60).contains(text.count) else {
                throw AppError.validation(
                    "reason", zh: "请写明占用原因（2–60 字），如“活动占用”", en: "Say in 2–60 characters why the slot is taken, e.g. “活动占用” (an event)")
            }
            reason = text
        }
        let why = reason
        try await db.write { db in
            try await ServicesQueries.lockSlot(slot, on: db)
            let changed = try await ServicesQueries.changeSlotState(slot, from: action.from, to: action.to, reason: why, writer: writer, on: db)
            guard !changed.isEmpty else { throw try await refusal(slot, action, writer: writer, on: db) }
            try await AuditLog.append(
                AuditEntry(
                    action: "service_slot.\(action.rawValue)", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "service_slot", targetID: slot.uuidString, detail: why.map { ["reason": $0] } ?? [:],
                    clientAddress: writer.address),
                at: writer.now, on: db)
        }
        guard let row = try await ServicesQueries.managedSlot(slot, for: writer.actor, on: db) else { throw notFound }
        return row
    }

    /// Why a slot did not change: not the writer's (404), begun, booked, or already in that state (409).
    static func refusal(_ slot: UUID, _ action: Action, writer: WriteContext, on db: any Database) async throws -> AppError {
        guard let row = try await ServicesQueries.managedSlot(slot, for: writer.actor, on: db) else { return notFound }
        if row.starts_at <= writer.now { return begun }
        if row.booking_id != nil && action != .open { return booked }
        return AppError(
            .conflict, code: "slot_unchanged", zh: "该时段已是“\(stateName(action.to).zh)”，无需更改。",
            en: "This slot is already \(stateName(action.to).en); nothing changed.")
    }

    /// A state's name in both languages.
    static func stateName(_ state: ServiceSlotState) -> (zh: String, en: String) {
        switch state {
        case .open: ("可预约", "open")
        case .closed: ("已关闭", "closed")
        case .blocked: ("已占用", "blocked")
        }
    }
}
