import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Reads of 约空间. Staff see the resources placed inside their scope and the bookings of them;
/// residents and organisations see the resources of their own subdistrict (临汾共享 opens them to
/// the whole subdistrict) and only their own bookings.
enum ServicesQueries {
    /// Resources the actor may see (`r` is `service_resources`).
    static func visible(to actor: Actor) -> SQLQueryString {
        if actor.role.isGridStaff { return actor.scope.contains(SQLColumn("grid_node_id", table: "r")) }
        return "r.subdistrict_id = \(bind: actor.subdistrictID ?? UUID())"
    }

    /// Resources the actor may book: in their subdistrict.
    static func bookable(by actor: Actor) -> SQLQueryString {
        "r.subdistrict_id = \(bind: actor.subdistrictID ?? UUID())"
    }

    /// Bookings the actor may see (`b` is `service_bookings`, `r` its resource): their own, or
    /// for staff those of resources in scope.
    static func bookingVisible(to actor: Actor) -> SQLQueryString {
        if actor.role.isGridStaff { return actor.scope.contains(SQLColumn("grid_node_id", table: "r")) }
        return "b.account_id = \(bind: actor.accountID)"
    }

    /// The same inside an UPDATE of `service_bookings` (no alias).
    static func changeable(by actor: Actor) -> SQLQueryString {
        if actor.role.isGridStaff {
            return "resource_id IN (SELECT r.id FROM service_resources r WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "r"))))"
        }
        return "account_id = \(bind: actor.accountID)"
    }

    static let resourceColumns = """
        r.id, u.name AS unit_name, r.name, r.category, r.kind, r.place, n.code AS grid_code, r.capacity, r.opening_hours,
        r.slot_minutes, r.rules, r.bookers, r.needs_approval
        """
    static let resourceJoins = "service_resources r JOIN service_units u ON u.id = r.unit_id JOIN grid_nodes n ON n.id = r.grid_node_id"

    static func resources(for actor: Actor, category: String?, limit: Int, on db: any Database) async throws -> [ResourceRow] {
        let filter: SQLQueryString = category.map { "AND r.category = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: resourceColumns) FROM \(unsafeRaw: resourceJoins)
            WHERE \(visible(to: actor)) \(filter) ORDER BY r.category, r.kind, r.name, r.id LIMIT \(count: limit)
            """
        ).all(decoding: ResourceRow.self)
    }

    static func resource(_ id: UUID, for actor: Actor, on db: any Database) async throws -> ResourceRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: resourceColumns) FROM \(unsafeRaw: resourceJoins) WHERE r.id = \(bind: id) AND \(visible(to: actor))
            """
        ).first(decoding: ResourceRow.self)
    }

    /// The slots of a resource on a local date, with whether a booking holds each.
    static func slots(_ resource: UUID, on date: String, for actor: Actor, on db: any Database) async throws -> [ServiceSlotRow] {
        try await db.sql.raw(
            """
            SELECT s.id, s.starts_at, s.ends_at, s.local_date, s.state, s.reason,
                   CASE WHEN EXISTS (SELECT 1 FROM service_bookings b WHERE b.slot_hold = s.id) THEN \(flag: true) ELSE \(flag: false) END AS taken
            FROM service_slots s JOIN service_resources r ON r.id = s.resource_id
            WHERE s.resource_id = \(bind: resource) AND s.local_date = \(bind: date) AND \(visible(to: actor))
            ORDER BY s.starts_at
            """
        ).all(decoding: ServiceSlotRow.self)
    }

    static let bookingColumns = """
        b.id, b.resource_id, r.name AS resource_name, b.slot_id, s.starts_at, s.ends_at, b.status, a.username AS booker,
        a.display_name AS booker_name, b.organisation, b.purpose, b.attendees
        """
    static let bookingJoins = """
        service_bookings b JOIN service_resources r ON r.id = b.resource_id JOIN service_slots s ON s.id = b.slot_id
        JOIN accounts a ON a.id = b.account_id
        """

    static func bookings(for actor: Actor, limit: Int, on db: any Database) async throws -> [ServiceBookingRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins)
            WHERE \(bookingVisible(to: actor)) ORDER BY s.starts_at DESC, b.id LIMIT \(count: limit)
            """
        ).all(decoding: ServiceBookingRow.self)
    }

    static func booking(_ id: UUID, for actor: Actor, on db: any Database) async throws -> ServiceBookingRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins) WHERE b.id = \(bind: id) AND \(bookingVisible(to: actor))
            """
        ).first(decoding: ServiceBookingRow.self)
    }
}
