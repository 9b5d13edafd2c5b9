import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 约走访: a cadre offers slots; a resident books one; the cadre confirms or proposes another
/// slot, which the resident accepts; either side cancels; the cadre records the visit, which
/// closes the booking (kind `booked`).
///
/// Every change of state is one conditional statement (`UPDATE … WHERE status IN (…) RETURNING
/// id`), and a slot is held by `visit_bookings.slot_hold`, whose UNIQUE index lets only one
/// active booking hold a slot: two residents racing for it both try the INSERT, the database
/// takes one, the other gets a 409 saying so. Nothing is read first and written after.
enum BookingService {
    struct SlotInput: Content, Sendable { var starts_at: Date?; var ends_at: Date?; var place: String?; var node: String? }
    struct BookInput: Content, Sendable { var slot_id: UUID?; var note: String? }
    /// Another slot: an offered one (`slot_id`) or a new time (`starts_at`, `ends_at`, `place`).
    struct ProposeInput: Content, Sendable { var slot_id: UUID?; var starts_at: Date?; var ends_at: Date?; var place: String? }

    static let slotTaken = AppError(
        .conflict, code: "slot_taken",
        zh: "该时段刚刚已被其他居民预约，请选择其他时段。",
        en: "This time slot has just been booked by someone else; please choose another.")
    static let notFound = AppError.notFound("预约不存在或不在您的范围内", "No such booking in your reach")
    static let wrongState = AppError.conflict(
        "该预约当前状态不允许此操作（可能已被确认、取消或完成）",
        "The booking's state does not allow this (it may have been confirmed, cancelled or done)")

    struct CheckedSlot: Sendable { var startsAt: Date; var endsAt: Date; var place: String; var node: UUID; var subdistrict: UUID? }

    /// Checks a new slot: it begins in the future (within 90 days), lasts 10 minutes to 4 hours,
    /// and serves a node inside the caller's scope (their own root by default).
    static func check(_ input: SlotInput, actor: Actor, now: Date, on db: any Database) async throws -> CheckedSlot {
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let node = try await GridQueries.nodeNamed(input.node, in: actor.scope, problems: &problems, on: db)
        if let start = input.starts_at {
            if start <= now || start > now.addingTimeInterval(90 * 86_400) {
                problems.append(FieldError(field: "starts_at", messageZH: "开始时间须在今后 90 天之内", messageEN: "starts_at must be within the next 90 days"))
            }
        } else {
            problems.append(FieldError(field: "starts_at", messageZH: "请填写开始时间", messageEN: "starts_at is required"))
        }
        if let start = input.starts_at, let end = input.ends_at {
            let minutes = end.timeIntervalSince(start) / 60
            if minutes < 10 || minutes > 240 {
                problems.append(FieldError(field: "ends_at", messageZH: "时段须为 10 分钟至 4 小时", messageEN: "A slot lasts 10 minutes to 4 hours"))
            }
        } else {
            problems.append(FieldError(field: "ends_at", messageZH: "请填写结束时间", messageEN: "ends_at is required"))
        }
        let place = (input.place ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if place.count > 100 {
            problems.append(FieldError(field: "place", messageZH: "地点最多 100 字", messageEN: "The place has at most 100 characters"))
        }
        guard problems.isEmpty, let start = input.starts_at, let end = input.ends_at, let node else { throw AppError.validation(problems) }
        return CheckedSlot(
            startsAt: start, endsAt: end, place: place.isEmpty ? VisitPlace.atHome : place, node: node.id,
            subdistrict: node.subdistrictID ?? actor.subdistrictID)
    }

    static func insertSlot(_ slot: CheckedSlot, by writer: WriteContext, on db: any Database) async throws -> UUID {
        let id = UUID()
        try await BookingQueries.insertSlot(id, slot, by: writer, on: db)
        try await audit("visit_slot.offered", slot: id, by: writer, on: db)
        return id
    }

    static func offer(_ input: SlotInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let slot = try await check(input, actor: writer.actor, now: writer.now, on: db)
        return try await db.write { db in try await insertSlot(slot, by: writer, on: db) }
    }

    /// A resident books a slot. The INSERT itself checks the slot (offered where they live, not
    /// begun, not withdrawn); the unique `slot_hold` refuses a second active booking.
    static func book(_ input: BookInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 200 else { throw AppError.validation("note", zh: "留言最多 200 字", en: "The note has at most 200 characters") }
        guard let slot = input.slot_id else { throw AppError.validation("slot_id", zh: "请选择时段", en: "Choose a slot") }
        let id = UUID()
        do {
            try await db.write { db in
                guard try await BookingQueries.insertBooking(id, slot: slot, note: note, resident: actor, now: writer.now, on: db) else {
                    throw AppError.notFound("该时段不存在、已过期或不对您开放", "No such open slot for you")
                }
                try await audit("visit_booking.requested", booking: id, by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw slotTaken
        }
        return id
    }

    /// One conditional state change; 404 when the booking is not the caller's to change, 409
    /// when its state does not allow it.
    private static func transition(
        _ booking: UUID, from: [BookingStatus], set change: BookingQueries.Change, action: String,
        actor: Actor, writer: WriteContext, on db: any Database
    ) async throws {
        guard try await BookingQueries.transition(booking, from: from, change: change, actor: actor, now: writer.now, on: db) else {
            let exists = try await BookingQueries.booking(booking, for: actor, on: db) != nil
            throw exists ? wrongState : notFound
        }
        try await audit(action, booking: booking, by: writer, on: db)
    }

    static func confirm(_ booking: UUID, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        try await db.write { db in
            try await transition(
                booking, from: [.requested], set: .confirmed,
                action: "visit_booking.confirmed", actor: actor, writer: writer, on: db)
        }
    }

    /// The resident accepts the slot the cadre proposed.
    static func accept(_ booking: UUID, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        try await db.write { db in
            try await transition(
                booking, from: [.proposed], set: .confirmed,
                action: "visit_booking.accepted", actor: actor, writer: writer, on: db)
        }
    }

    /// Cancelled by the resident (their own) or by staff (in scope); the slot is free again.
    static func cancel(_ booking: UUID, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident || actor.role.isGridStaff else { throw AppError.forbidden }
        try await db.write { db in
            try await transition(
                booking, from: BookingStatus.active,
                set: .cancelled,
                action: "visit_booking.cancelled", actor: actor, writer: writer, on: db)
        }
    }

    /// The cadre moves the booking to another slot (an offered one, or a new time offered now);
    /// the resident then accepts or cancels. The new slot must be free: same constraint, same 409.
    static func propose(_ booking: UUID, _ input: ProposeInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        let newSlot: CheckedSlot? =
            input.slot_id != nil
            ? nil
            : try await check(
                SlotInput(starts_at: input.starts_at, ends_at: input.ends_at, place: input.place, node: nil),
                actor: actor, now: writer.now, on: db)
        do {
            try await db.write { db in
                let slot: UUID
                if let newSlot {
                    slot = try await insertSlot(newSlot, by: writer, on: db)
                } else {
                    let offered = try await BookingQueries.offeredSlots(input.slot_id ?? UUID(), in: actor.scope, now: writer.now, on: db)
                    guard offered > 0, let id = input.slot_id else {
                        throw AppError.validation("slot_id", zh: "该时段不存在、已过期或不在您的管辖范围内", en: "No such open slot in your scope")
                    }
                    slot = id
                }
                try await transition(
                    booking, from: [.requested, .confirmed, .proposed],
                    set: .proposed(slot: slot),
                    action: "visit_booking.proposed", actor: actor, writer: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw slotTaken
        }
    }

    /// Records the visit of a booking (kind `booked`) and closes it, in one transaction. The
    /// household is the resident's linked one unless the input names it.
    static func done(_ booking: UUID, _ input: VisitInput, writer: WriteContext, vault: PIIVault, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        guard let row = try await BookingQueries.booking(booking, for: actor, on: db) else { throw notFound }
        var input = input
        if (input.households ?? []).isEmpty, let household = row.household_id { input.households = [household] }
        let prepared = try await VisitsService.prepare(
            input, actor: actor, now: writer.now, vault: vault,
            booking: booking, on: db)
        try await db.write { db in
            try await VisitsService.write(prepared, by: writer, on: db)
            try await transition(
                booking, from: [.requested, .confirmed],
                set: .done(visit: prepared.id),
                action: "visit_booking.done", actor: actor, writer: writer, on: db)
        }
        return prepared.id
    }

    private static func audit(
        _ action: String, slot: UUID? = nil, booking: UUID? = nil, by writer: WriteContext,
        on db: any Database
    ) async throws {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: slot == nil ? "visit_booking" : "visit_slot",
                targetID: (slot ?? booking)?.uuidString, clientAddress: writer.address),
            at: writer.now, on: db)
        if let booking { try await Notifications.visitBookingChanged(booking, action: action, writer: writer, on: db) }
    }
}
