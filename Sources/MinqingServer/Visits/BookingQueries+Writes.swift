import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements of 约走访's writes (`BookingService`): each change of state is one conditional
/// statement; the UNIQUE `slot_hold` refuses a second active booking of a slot.
extension BookingQueries {
    /// What a booking's state change writes besides who changed it and when.
    enum Change: Sendable {
        /// Confirmed (by the cadre, or the resident accepting the proposed slot).
        case confirmed
        /// Cancelled; the slot is free again.
        case cancelled
        /// Moved to another slot, which it now holds, for the resident to accept.
        case proposed(slot: UUID)
        /// Done, with the visit recorded.
        case done(visit: UUID)
    }

    /// Writes a new slot offered by the writer.
    static func insertSlot(_ id: UUID, _ slot: BookingService.CheckedSlot, by writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "visit_slots")
            .columns("id", "subdistrict_id", "grid_node_id", "offered_by", "starts_at", "ends_at", "local_date", "place", "withdrawn", "created_at")
            .values(
                SQLBind(id), bindOrNull(slot.subdistrict), SQLBind(slot.node), SQLBind(writer.actor.accountID), SQLBind(slot.startsAt),
                SQLBind(slot.endsAt), SQLBind(CivilDate(slot.startsAt, in: .shanghai).iso8601), SQLBind(slot.place), SQLBind(false),
                SQLBind(writer.now)
            )
            .run()
    }

    /// Writes the resident's booking of the slot if it is offered where they live, not begun and not
    /// withdrawn; returns whether it did (the unique `slot_hold` throws when the slot is taken).
    static func insertBooking(_ id: UUID, slot: UUID, note: String, resident actor: Actor, now: Date, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        let inserted = try await db.sql.raw(
            """
            INSERT INTO visit_bookings (id, subdistrict_id, slot_id, slot_hold, account_id, household_id, grid_node_id, status, note,
                                        updated_by, created_at, updated_at)
            SELECT \(bind: id), s.subdistrict_id, s.id, s.id, \(bind: actor.accountID),
                   (SELECT rh.household_id FROM resident_households rh WHERE rh.account_id = \(bind: actor.accountID)),
                   \(bind: actor.scope.rootID), \(bind: BookingStatus.requested.rawValue), \(bind: note), \(bind: actor.username),
                   \(bind: now), \(bind: now)
            FROM visit_slots s
            WHERE s.id = \(bind: slot) AND s.withdrawn = \(flag: false) AND s.starts_at > \(bind: now) AND \(serves(actor))
            RETURNING id
            """
        ).all(decoding: Row.self)
        return !inserted.isEmpty
    }

    /// Changes the booking from one of `from` (the resident's own, or staff's in scope); returns whether it did.
    static func transition(_ booking: UUID, from: [BookingStatus], change: Change, actor: Actor, now: Date, on db: any Database) async throws -> Bool
    {
        let set: SQLQueryString
        switch change {
        case .confirmed: set = "status = \(bind: BookingStatus.confirmed.rawValue)"
        case .cancelled: set = "status = \(bind: BookingStatus.cancelled.rawValue), slot_hold = NULL"
        case let .proposed(slot): set = "slot_id = \(bind: slot), slot_hold = \(bind: slot), status = \(bind: BookingStatus.proposed.rawValue)"
        case let .done(visit): set = "status = \(bind: BookingStatus.done.rawValue), visit_id = \(bind: visit)"
        }
        struct Row: Decodable { var id: UUID }
        let changed = try await db.sql.raw(
            """
            UPDATE visit_bookings SET \(set), updated_by = \(bind: actor.username), updated_at = \(bind: now)
            WHERE id = \(bind: booking) AND status IN (\(binds: from.map(\.rawValue)))
              AND \(actor.role == .resident ? "account_id = \(bind: actor.accountID)" : actor.scope.contains(SQLColumn("grid_node_id")))
            RETURNING id
            """
        ).all(decoding: Row.self)
        return !changed.isEmpty
    }

    /// How many open slots (not withdrawn, not begun) with this id are offered inside the caller's scope (0 or 1).
    static func offeredSlots(_ slot: UUID, in scope: GridScope, now: Date, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM visit_slots s WHERE s.id = \(bind: slot) AND s.withdrawn = \(flag: false)
            AND s.starts_at > \(bind: now) AND \(scope.contains(SQLColumn("grid_node_id", table: "s")))
            """
        ).first(decoding: N.self)?.n ?? 0
    }
}
