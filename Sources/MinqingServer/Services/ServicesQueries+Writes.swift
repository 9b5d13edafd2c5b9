import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The writes of 约空间 (`ServicesService`): units and resources, slots, bookings and their
/// conditional changes of state.
extension ServicesQueries {
    /// Writes a unit of that name at the node unless one is there (ON CONFLICT DO NOTHING).
    static func insertServiceUnit(
        node: GridNodeSummary, name unitName: String, kind unitKind: String, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO service_units (id, subdistrict_id, grid_node_id, name, unit_kind, created_at)
            VALUES (\(bind: UUID()), \(bind: node.subdistrictID), \(bind: node.id), \(bind: unitName), \(bind: unitKind), \(bind: writer.now))
            ON CONFLICT (grid_node_id, name) DO NOTHING
            """
        ).run()
    }

    /// Writes a resource of the unit named `unitName` at the node (taking the unit's subdistrict and node).
    static func insertServiceResource(
        _ id: UUID, node: GridNodeSummary, unitName: String, name: String, category: String, kind: String, place: String,
        capacity: Int, openingHours hoursText: String, slotMinutes: Int, rules: String, bookers: ServiceBookers,
        needsApproval: Bool?, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO service_resources (id, subdistrict_id, unit_id, grid_node_id, name, category, kind, place, capacity, opening_hours,
                                           slot_minutes, rules, bookers, needs_approval, created_at)
            SELECT \(bind: id), u.subdistrict_id, u.id, u.grid_node_id, \(bind: name), \(bind: category), \(bind: kind), \(bind: place),
                   \(bind: capacity), \(bind: hoursText), \(bind: slotMinutes), \(bind: rules), \(bind: bookers.rawValue),
                   \(bind: needsApproval ?? false), \(bind: writer.now)
            FROM service_units u WHERE u.grid_node_id = \(bind: node.id) AND u.name = \(bind: unitName)
            """
        ).run()
    }

    /// Writes the slots (start, end) of a resource on a local date; slots already open stay as they are (UNIQUE per resource and start).
    static func insertServiceSlots(_ slots: [(Date, Date)], resource: UUID, localDate: String, on db: any Database) async throws {
        let rows: [[any SQLExpression]] = slots.map { slot in
            [SQLBind(UUID()), SQLBind(resource), SQLBind(slot.0), SQLBind(slot.1), SQLBind(localDate)]
        }
        try await db.sql.insert(into: "service_slots").columns("id", "resource_id", "starts_at", "ends_at", "local_date")
            .rows(rows).ignoringConflicts(with: ["resource_id", "starts_at"]).run()
    }

    /// Writes the writer's booking of an open slot that has not begun, whose resource admits one of `roles`, holds `attendees`
    /// and is bookable by the writer; returns the booking's id, or none when no such slot. A held slot hits the UNIQUE
    /// `slot_hold`. On PostgreSQL the slot's row is share-locked, so staff closing it at the same moment wait for this
    /// booking (and then refuse, seeing it), or this booking waits for them (and then finds the slot closed).
    static func insertServiceBooking(
        _ id: UUID, slot: UUID, organisation: String, purpose: String, attendees: Int, roles: [String],
        writer: WriteContext, on db: any Database
    ) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID; var capacity: Int }
        let actor = writer.actor
        let lock = db.dialectName == "postgresql" ? " FOR SHARE OF s" : ""
        return try await db.sql.raw(
            """
            INSERT INTO service_bookings (id, subdistrict_id, resource_id, slot_id, slot_hold, account_id, booker_node_id, organisation,
                                          purpose, attendees, status, updated_by, created_at, updated_at)
            SELECT \(bind: id), r.subdistrict_id, r.id, s.id, s.id, \(bind: actor.accountID), \(bind: actor.scope.rootID),
                   \(bind: organisation), \(bind: purpose), \(bind: attendees),
                   CASE WHEN r.needs_approval THEN \(bind: ServiceBookingStatus.requested.rawValue) ELSE \(bind: ServiceBookingStatus.approved.rawValue) END,
                   \(bind: actor.username), \(bind: writer.now), \(bind: writer.now)
            FROM service_slots s JOIN service_resources r ON r.id = s.resource_id
            WHERE s.id = \(bind: slot) AND s.state = \(bind: ServiceSlotState.open.rawValue) AND s.starts_at > \(bind: writer.now)
              AND r.bookers IN (\(binds: roles)) AND r.capacity >= \(bind: attendees) AND \(bookable(by: actor))\(unsafeRaw: lock)
            RETURNING id, 0 AS capacity
            """
        ).all(decoding: Row.self).map(\.id)
    }

    /// Moves a booking the writer may change from one of the action's states to its state (freeing the slot when the action
    /// releases it); returns the booking's id, or none when nothing changed.
    static func changeServiceBooking(_ booking: UUID, _ action: ServicesService.Action, writer: WriteContext, on db: any Database) async throws
        -> [UUID]
    {
        struct Row: Decodable { var id: UUID }
        let actor = writer.actor
        let release: SQLQueryString = action.releases ? ", slot_hold = NULL" : ""
        return try await db.sql.raw(
            """
            UPDATE service_bookings SET status = \(bind: action.to.rawValue)\(release), updated_by = \(bind: actor.username),
                   updated_at = \(bind: writer.now)
            WHERE id = \(bind: booking) AND status IN (\(binds: action.from.map(\.rawValue)))
              AND \(changeable(by: actor))
            RETURNING id
            """
        ).all(decoding: Row.self).map(\.id)
    }
}
