import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The reads of the 约空间 page: what one may book on the coming days (open slots, not held, not
/// begun, of resources in one's subdistrict that admit one's role), and one's bookings split into
/// those still to come and those past.
extension ServicesQueries {
    /// Slots the actor may book now (`s` a slot, `r` its resource). `roles` lists the `bookers`
    /// values that admit the actor (never empty for a booker).
    static func bookableNow(by actor: Actor, roles: [String], now: Date) -> SQLQueryString {
        """
        \(bookable(by: actor)) AND r.bookers IN (\(binds: roles)) AND s.state = \(bind: ServiceSlotState.open.rawValue)
          AND s.starts_at > \(bind: now) AND NOT EXISTS (SELECT 1 FROM service_bookings b WHERE b.slot_hold = s.id)
        """
    }

    struct DayCount: Decodable, Sendable { var local_date: String; var n: Int }

    /// How many slots the actor may book on each of `dates`, of `resource` when given (days without any are left out).
    static func openDayCounts(_ dates: [String], resource: UUID? = nil, by actor: Actor, roles: [String], now: Date, on db: any Database)
        async throws -> [DayCount]
    {
        let one: SQLQueryString = resource.map { "AND s.resource_id = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT s.local_date, COUNT(*) AS n FROM service_slots s JOIN service_resources r ON r.id = s.resource_id
            WHERE s.local_date IN (\(binds: dates)) \(one) AND \(bookableNow(by: actor, roles: roles, now: now))
            GROUP BY s.local_date
            """
        ).all(decoding: DayCount.self)
    }

    struct OpenResourceHead: Decodable, Sendable {
        var id: UUID
        var name: String
        var unit_name: String
        var place: String
        var category: String
        var capacity: Int
        var needs_approval: Bool
        var open_count: Int
    }

    /// The resources with slots the actor may book on `date` (of `category` when given), the one
    /// whose first open slot comes soonest first; a page of them.
    static func openResources(
        on date: String, category: String?, by actor: Actor, roles: [String], now: Date, limit: Int, offset: Int, on db: any Database
    ) async throws -> [OpenResourceHead] {
        let only: SQLQueryString = category.map { "AND r.category = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT r.id, r.name, u.name AS unit_name, r.place, r.category, r.capacity, r.needs_approval, COUNT(*) AS open_count
            FROM service_slots s JOIN service_resources r ON r.id = s.resource_id JOIN service_units u ON u.id = r.unit_id
            WHERE s.local_date = \(bind: date) \(only) AND \(bookableNow(by: actor, roles: roles, now: now))
            GROUP BY r.id, r.name, u.name, r.place, r.category, r.capacity, r.needs_approval
            ORDER BY MIN(s.starts_at), r.name, r.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: OpenResourceHead.self)
    }

    /// How many resources have slots the actor may book on `date` (of `category` when given).
    static func openResourceCount(on date: String, category: String?, by actor: Actor, roles: [String], now: Date, on db: any Database)
        async throws -> Int
    {
        struct N: Decodable { var n: Int }
        let only: SQLQueryString = category.map { "AND r.category = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT COUNT(DISTINCT s.resource_id) AS n FROM service_slots s JOIN service_resources r ON r.id = s.resource_id
            WHERE s.local_date = \(bind: date) \(only) AND \(bookableNow(by: actor, roles: roles, now: now))
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    struct OpenSlotOf: Decodable, Sendable { var resource_id: UUID; var id: UUID; var starts_at: Date; var ends_at: Date }

    /// The slots the actor may book on `date` of `resources`, in time order.
    static func openSlots(of resources: [UUID], on date: String, by actor: Actor, roles: [String], now: Date, on db: any Database)
        async throws -> [OpenSlotOf]
    {
        guard !resources.isEmpty else { return [] }
        return try await db.sql.raw(
            """
            SELECT s.resource_id, s.id, s.starts_at, s.ends_at FROM service_slots s JOIN service_resources r ON r.id = s.resource_id
            WHERE s.resource_id IN (\(binds: resources)) AND s.local_date = \(bind: date) AND \(bookableNow(by: actor, roles: roles, now: now))
            ORDER BY s.starts_at, s.resource_id
            """
        ).all(decoding: OpenSlotOf.self)
    }

    /// The categories of the resources the actor may book, in order.
    static func bookableCategories(by actor: Actor, roles: [String], on db: any Database) async throws -> [String] {
        struct C: Decodable { var category: String }
        return try await db.sql.raw(
            """
            SELECT DISTINCT r.category FROM service_resources r WHERE \(bookable(by: actor)) AND r.bookers IN (\(binds: roles))
            ORDER BY r.category
            """
        ).all(decoding: C.self).map(\.category)
    }

    /// Bookings still to deal with: for staff those requested or approved (approved ones wait to
    /// be marked attended or no-show), for the others those requested or approved not yet over.
    static func activeBooking(for actor: Actor, now: Date) -> SQLQueryString {
        let live = [ServiceBookingStatus.requested, .approved].map(\.rawValue)
        if actor.role.isGridStaff { return "(b.status IN (\(binds: live)))" }
        return "(b.status IN (\(binds: live)) AND s.ends_at > \(bind: now))"
    }

    /// The actor's bookings still to deal with, soonest first.
    static func activeBookings(for actor: Actor, now: Date, limit: Int, on db: any Database) async throws -> [ServiceBookingRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins)
            WHERE \(bookingVisible(to: actor)) AND \(activeBooking(for: actor, now: now))
            ORDER BY s.starts_at, b.id LIMIT \(count: limit)
            """
        ).all(decoding: ServiceBookingRow.self)
    }

    /// The actor's other bookings (used, cancelled, rejected, no-shows, and residents' past ones),
    /// latest first; a page of them.
    static func pastBookings(for actor: Actor, now: Date, limit: Int, offset: Int, on db: any Database) async throws -> [ServiceBookingRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: bookingColumns) FROM \(unsafeRaw: bookingJoins)
            WHERE \(bookingVisible(to: actor)) AND NOT \(activeBooking(for: actor, now: now))
            ORDER BY s.starts_at DESC, b.id LIMIT \(count: limit) OFFSET \(count: offset)
            """
        ).all(decoding: ServiceBookingRow.self)
    }

    /// How many past bookings `pastBookings` pages through.
    static func pastBookingCount(for actor: Actor, now: Date, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM \(unsafeRaw: bookingJoins)
            WHERE \(bookingVisible(to: actor)) AND NOT \(activeBooking(for: actor, now: now))
            """
        ).first(decoding: N.self)?.n ?? 0
    }
}
