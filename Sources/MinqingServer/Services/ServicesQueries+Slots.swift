import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of 约空间's slots (`SlotService`): generation from the opening hours, the staff's
/// open / close / block, the week a resource's managers see, and the open slots one may book.
extension ServicesQueries {
    /// What generation reads of a resource: its opening hours, slot length and how far its slots reach.
    struct ResourceHours: Decodable, Sendable {
        var id: UUID
        var opening_hours: String
        var slot_minutes: Int
        var slots_through: String?
    }

    /// A slot to generate.
    struct NewSlot: Sendable {
        var resource: UUID
        var starts: Date
        var ends: Date
        var date: String
    }

    /// The opening hours of every resource (the demo load and `minqing services slots`).
    static func allResourceHours(on db: any Database) async throws -> [ResourceHours] {
        try await db.sql.raw("SELECT r.id, r.opening_hours, r.slot_minutes, r.slots_through FROM service_resources r ORDER BY r.id")
            .all(decoding: ResourceHours.self)
    }

    /// The resources the actor sees (only `resource` when given) whose slots reach less far than
    /// `target` (a local date), or were never generated; in id order, so that two top-ups at once
    /// write the same slots in the same order (PostgreSQL waits rather than deadlocks).
    static func resourcesBehind(_ target: String, for actor: Actor, only resource: UUID?, on db: any Database) async throws -> [ResourceHours] {
        let one: SQLQueryString = resource.map { "AND r.id = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT r.id, r.opening_hours, r.slot_minutes, r.slots_through FROM service_resources r
            WHERE \(visible(to: actor)) \(one) AND (r.slots_through IS NULL OR r.slots_through < \(bind: target))
            ORDER BY r.id
            """
        ).all(decoding: ResourceHours.self)
    }

    /// The hours of a resource the actor sees; nil when none.
    static func resourceHours(_ resource: UUID, for actor: Actor, on db: any Database) async throws -> ResourceHours? {
        try await db.sql.raw(
            """
            SELECT r.id, r.opening_hours, r.slot_minutes, r.slots_through FROM service_resources r
            WHERE r.id = \(bind: resource) AND \(visible(to: actor))
            """
        ).first(decoding: ResourceHours.self)
    }

    /// Writes the slots not there yet, 400 a statement (a slot already there, open or closed,
    /// stays as it is: UNIQUE per resource and start); returns how many were new.
    static func insertGeneratedSlots(_ slots: [NewSlot], on db: any Database) async throws -> Int {
        struct Row: Decodable { var id: UUID }
        var created = 0
        for start in stride(from: 0, to: slots.count, by: 400) {
            let rows: [[any SQLExpression]] = slots[start..<min(start + 400, slots.count)].map { slot in
                [SQLBind(UUID()), SQLBind(slot.resource), SQLBind(slot.starts), SQLBind(slot.ends), SQLBind(slot.date)]
            }
            created += try await db.sql.insert(into: "service_slots").columns("id", "resource_id", "starts_at", "ends_at", "local_date")
                .rows(rows).ignoringConflicts(with: ["resource_id", "starts_at"]).returning("id").all(decoding: Row.self).count
        }
        return created
    }

    /// Records that the resources' slots reach `through` (a local date), unless they reach further.
    static func markSlotsThrough(_ resources: [UUID], through: String, on db: any Database) async throws {
        guard !resources.isEmpty else { return }
        try await db.sql.raw(
            """
            UPDATE service_resources SET slots_through = \(bind: through)
            WHERE id IN (\(binds: resources)) AND (slots_through IS NULL OR slots_through < \(bind: through))
            """
        ).run()
    }

    /// Locks a slot's row until the transaction ends (PostgreSQL; SQLite has one writer), so that
    /// a booking of it at the same moment waits for the change, or the change for the booking.
    static func lockSlot(_ slot: UUID, on db: any Database) async throws {
        guard db.dialectName == "postgresql" else { return }
        struct Row: Decodable { var id: UUID }
        _ = try await db.sql.raw("SELECT id FROM service_slots WHERE id = \(bind: slot) FOR UPDATE").all(decoding: Row.self)
    }

    /// Moves a slot of a resource the writer manages from one of `from` to `to` (with `reason`),
    /// only while it has not begun and no booking holds it; returns the slot's id, or none.
    static func changeSlotState(
        _ slot: UUID, from: [ServiceSlotState], to: ServiceSlotState, reason: String?, writer: WriteContext, on db: any Database
    ) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        let scope = writer.actor.scope.contains(SQLColumn("grid_node_id", table: "r"))
        return try await db.sql.raw(
            """
            UPDATE service_slots SET state = \(bind: to.rawValue), reason = \(bindOrNull(reason)), changed_by = \(bind: writer.actor.accountID),
                   changed_at = \(bind: writer.now)
            WHERE id = \(bind: slot) AND state IN (\(binds: from.map(\.rawValue))) AND starts_at > \(bind: writer.now)
              AND resource_id IN (SELECT r.id FROM service_resources r WHERE \(scope))
              AND NOT EXISTS (SELECT 1 FROM service_bookings b WHERE b.slot_hold = service_slots.id)
            RETURNING id
            """
        ).all(decoding: Row.self).map(\.id)
    }

    static let managedColumns = """
        s.id, s.resource_id, s.starts_at, s.ends_at, s.local_date, s.state, s.reason, b.id AS booking_id, b.status AS booking_status,
        a.display_name AS booker_name, b.organisation, b.attendees
        """
    static let managedJoins = """
        service_slots s JOIN service_resources r ON r.id = s.resource_id
        LEFT JOIN service_bookings b ON b.slot_hold = s.id LEFT JOIN accounts a ON a.id = b.account_id
        """

    /// The slots of a resource the actor sees on the local dates `from`…`through`, with the booking holding each.
    static func managedSlots(_ resource: UUID, from: String, through: String, for actor: Actor, on db: any Database) async throws
        -> [ManagedSlotRow]
    {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: managedColumns) FROM \(unsafeRaw: managedJoins)
            WHERE s.resource_id = \(bind: resource) AND s.local_date >= \(bind: from) AND s.local_date <= \(bind: through)
              AND \(visible(to: actor))
            ORDER BY s.starts_at
            """
        ).all(decoding: ManagedSlotRow.self)
    }

    /// One slot of a resource the actor sees, with the booking holding it; nil when none.
    static func managedSlot(_ slot: UUID, for actor: Actor, on db: any Database) async throws -> ManagedSlotRow? {
        try await db.sql.raw(
            "SELECT \(unsafeRaw: managedColumns) FROM \(unsafeRaw: managedJoins) WHERE s.id = \(bind: slot) AND \(visible(to: actor))"
        ).first(decoding: ManagedSlotRow.self)
    }

    /// A slot of a resource the actor may book, whatever its state (to say why a booking was refused); nil when none.
    static func bookableSlot(_ slot: UUID, for actor: Actor, on db: any Database) async throws -> ManagedSlotRow? {
        try await db.sql.raw(
            "SELECT \(unsafeRaw: managedColumns) FROM \(unsafeRaw: managedJoins) WHERE s.id = \(bind: slot) AND \(bookable(by: actor))"
        ).first(decoding: ManagedSlotRow.self)
    }
}
