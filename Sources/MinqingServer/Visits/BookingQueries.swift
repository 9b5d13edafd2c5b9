import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Reads of 约走访. Staff see the slots offered inside their scope and the bookings of residents
/// inside it; a resident sees the open slots offered for a node above their building group and
/// their own bookings, nothing else.
enum BookingQueries {
    struct SlotRow: Content, Sendable, Equatable {
        var id: UUID
        var starts_at: Date
        var ends_at: Date
        var local_date: String
        var place: String
        var grid_code: String
        var grid_name: String
        var offered_by: String
        var offered_by_name: String
        /// The active booking holding the slot, if any.
        var booking_id: UUID?
        var booking_status: BookingStatus?
    }

    struct BookingRow: Content, Sendable, Equatable {
        var id: UUID
        var status: BookingStatus
        var slot_id: UUID
        var starts_at: Date
        var ends_at: Date
        var local_date: String
        var place: String
        var offered_by_name: String
        var resident: String
        /// The resident as staff see a private person named: the first character and `**`
        /// (`CasesQueries.maskedRoles`); the staff who offered the slot by their name.
        var resident_name: String
        var household_id: UUID?
        var address: String?
        var note: String
        var visit_id: UUID?
    }

    static let slotColumns = """
        s.id, s.starts_at, s.ends_at, s.local_date, s.place, n.code AS grid_code, n.name AS grid_name,
        a.username AS offered_by, a.display_name AS offered_by_name, b.id AS booking_id, b.status AS booking_status
        """

    /// Slots offered inside `scope` that end after `after`, soonest first.
    static func slots(in scope: GridScope, after: Date, limit: Int, on db: any Database) async throws -> [SlotRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: slotColumns)
            FROM visit_slots s JOIN grid_nodes n ON n.id = s.grid_node_id JOIN accounts a ON a.id = s.offered_by
            LEFT JOIN visit_bookings b ON b.slot_hold = s.id
            WHERE s.withdrawn = \(flag: false) AND s.ends_at > \(bind: after) AND \(scope.contains(SQLColumn("grid_node_id", table: "s")))
            ORDER BY s.starts_at, s.id LIMIT \(count: limit)
            """
        ).all(decoding: SlotRow.self)
    }

    /// `s.grid_node_id` is the resident's node or above it: the slot serves where they live.
    static func serves(_ resident: Actor) -> SQLQueryString {
        "s.grid_node_id IN (SELECT c.ancestor_id FROM grid_closure c WHERE c.descendant_id = \(bind: resident.scope.rootID))"
    }

    /// Open slots a resident may book: offered for where they live, not yet begun, not taken.
    static func openSlots(for resident: Actor, now: Date, limit: Int, on db: any Database) async throws -> [SlotRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: slotColumns)
            FROM visit_slots s JOIN grid_nodes n ON n.id = s.grid_node_id JOIN accounts a ON a.id = s.offered_by
            LEFT JOIN visit_bookings b ON b.slot_hold = s.id
            WHERE s.withdrawn = \(flag: false) AND s.starts_at > \(bind: now) AND b.id IS NULL AND \(serves(resident))
            ORDER BY s.starts_at, s.id LIMIT \(count: limit)
            """
        ).all(decoding: SlotRow.self)
    }

    static let bookingColumns = """
        b.id, b.status, b.slot_id, s.starts_at, s.ends_at, s.local_date, s.place, o.display_name AS offered_by_name,
        r.username AS resident, SUBSTR(r.display_name, 1, 1) || '**' AS resident_name, b.household_id, h.address, b.note, b.visit_id
        """

    static let bookingJoins = """
        visit_bookings b JOIN visit_slots s ON s.id = b.slot_id JOIN accounts o ON o.id = s.offered_by
        JOIN accounts r ON r.id = b.account_id LEFT JOIN households h ON h.id = b.household_id
        """

    /// Who may see a booking: staff when the resident's node lies in their scope, a resident
    /// when it is theirs.
    static func visible(to actor: Actor) -> SQLQueryString {
        actor.role == .resident ? "b.account_id = \(bind: actor.accountID)" : actor.scope.contains(SQLColumn("grid_node_id", table: "b"))
    }

    /// Bookings the actor may see; `active` keeps those holding a slot, newest slot last.
    static func bookings(for actor: Actor, active: Bool, limit: Int, on db: any Database) async throws -> [BookingRow] {
        let statuses = active ? BookingStatus.active.map(\.rawValue) : BookingStatus.allCases.map(\.rawValue)
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins)
            WHERE \(visible(to: actor)) AND b.status IN (\(binds: statuses))
            ORDER BY s.starts_at DESC, b.id LIMIT \(count: limit)
            """
        ).all(decoding: BookingRow.self)
    }

    /// The caller's active bookings that have not ended yet, soonest first (the resident's home).
    static func upcoming(for actor: Actor, now: Date, limit: Int, on db: any Database) async throws -> [BookingRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins)
            WHERE \(visible(to: actor)) AND b.status IN (\(binds: BookingStatus.active.map(\.rawValue))) AND s.ends_at > \(bind: now)
            ORDER BY s.starts_at, b.id LIMIT \(count: limit)
            """
        ).all(decoding: BookingRow.self)
    }

    static func booking(_ id: UUID, for actor: Actor, on db: any Database) async throws -> BookingRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins) WHERE b.id = \(bind: id) AND \(visible(to: actor))
            """
        ).first(decoding: BookingRow.self)
    }

    /// The household a resident account speaks for, if linked.
    static func residentHousehold(_ resident: Actor, on db: any Database) async throws -> RegistryQueries.HouseholdRow? {
        try await db.sql.raw(
            """
            SELECT h.id, h.address, n.code AS grid_code, n.name AS grid_name, h.moved_in_on, h.moved_out_on
            FROM resident_households rh JOIN households h ON h.id = rh.household_id JOIN grid_nodes n ON n.id = h.grid_node_id
            WHERE rh.account_id = \(bind: resident.accountID)
            """
        ).first(decoding: RegistryQueries.HouseholdRow.self)
    }
}
