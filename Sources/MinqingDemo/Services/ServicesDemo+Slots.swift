import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The demo's 约空间 from today on: every resource's slots for the next four weeks from its
/// opening hours (relative to the clock's today, holidays skipped for working-week resources), so
/// a new user can book today; the demo resident's two bookings to come; three slots blocked for
/// an event and one closed, so the staff pages show each state.
extension ServicesDemo {
    struct SlotCounts: Sendable { var slots = 0; var upcoming = 0; var blocked = 0 }

    static func loadSlots(resources: [UUID], now: Date, calendar: WorkingCalendar, on db: any Database) async throws -> SlotCounts {
        var counts = SlotCounts()
        counts.slots = try await SlotService.generateAll(weeks: SlotService.defaultWeeks, now: now, calendar: calendar, on: db)
        guard resources.count > 4 else { return counts }
        let today = CivilDate(now, in: .shanghai)
        // The demo resident: resource 1 (residents book, no approval) tomorrow at 10:00, resource 4
        // (residents book, approval needed) in three days at 15:00.
        struct Account: Decodable { var id: UUID; var grid_node_id: UUID }
        if let resident = try await db.sql.raw("SELECT id, grid_node_id FROM accounts WHERE username = 'resident'").first(decoding: Account.self) {
            let plan: [(UUID, Int, Int, ServiceBookingStatus)] = [
                (resources[1], 1, 10, ServiceBookingStatus.approved), (resources[4], 3, 15, ServiceBookingStatus.requested)
            ]
            for (resource, days, hour, status) in plan {
                guard let day = try? today.adding(days: days),
                    let slot = try await slotID(of: resource, at: day.startOfDay(in: .shanghai).addingTimeInterval(Double(hour * 3600)), on: db)
                else { continue }
                try await db.sql.raw(
                    """
                    INSERT INTO service_bookings (id, subdistrict_id, resource_id, slot_id, slot_hold, account_id, booker_node_id, organisation,
                                                  purpose, attendees, status, updated_by, created_at, updated_at)
                    SELECT \(bind: UUID()), r.subdistrict_id, r.id, \(bind: slot), \(bind: slot), \(bind: resident.id), \(bind: resident.grid_node_id),
                           '', '楼组议事', 6, \(bind: status.rawValue), 'demo', \(bind: now), \(bind: now)
                    FROM service_resources r WHERE r.id = \(bind: resource)
                    """
                ).run()
                counts.upcoming += 1
            }
        }
        // Resource 0 (open on working days) has its next working day's first three slots taken by
        // an event; resource 2 has tomorrow's first slot closed.
        struct Slot: Decodable { var id: UUID; var local_date: String }
        let coming = try await db.sql.raw(
            """
            SELECT id, local_date FROM service_slots WHERE resource_id = \(bind: resources[0]) AND local_date > \(bind: today.iso8601)
            ORDER BY starts_at LIMIT 3
            """
        ).all(decoding: Slot.self)
        let next = coming.filter { $0.local_date == coming.first?.local_date }
        if !next.isEmpty {
            try await db.sql.raw(
                """
                UPDATE service_slots SET state = 'blocked', reason = '活动占用：社区党课', changed_at = \(bind: now)
                WHERE id IN (\(binds: next.map(\.id)))
                """
            ).run()
            counts.blocked = next.count
        }
        if let tomorrow = try? today.adding(days: 1) {
            try await db.sql.raw(
                """
                UPDATE service_slots SET state = 'closed', changed_at = \(bind: now)
                WHERE id IN (SELECT id FROM service_slots WHERE resource_id = \(bind: resources[2]) AND local_date = \(bind: tomorrow.iso8601)
                             ORDER BY starts_at LIMIT 1)
                """
            ).run()
        }
        return counts
    }

    /// The id of the resource's slot starting at `start` (within its minute), if there is one.
    static func slotID(of resource: UUID, at start: Date, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT id FROM service_slots WHERE resource_id = \(bind: resource) AND starts_at >= \(bind: start)
              AND starts_at < \(bind: start.addingTimeInterval(60))
            """
        ).first(decoding: Row.self)?.id
    }
}
