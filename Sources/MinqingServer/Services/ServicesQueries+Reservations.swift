import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of a batch of limited-stock reservations (`ReservationQueue`), all run inside the
/// batch's transaction: the campaign row first (locked), then the claims, the slots and the
/// reservations.
extension ServicesQueries {
    struct CampaignStock: Decodable, Sendable { var status: String; var remaining: Int }

    /// The status and stock left of a campaign, its row locked until the transaction ends (PostgreSQL: `FOR UPDATE`; SQLite: the one writer); nil when none.
    static func lockedCampaignStock(_ campaign: UUID, on db: any Database) async throws -> CampaignStock? {
        let lock = db.dialectName == "postgresql" ? " FOR UPDATE" : ""
        return try await db.sql.raw(
            """
            SELECT status, remaining FROM service_campaigns WHERE id = \(bind: campaign)\(unsafeRaw: lock)
            """
        ).first(decoding: CampaignStock.self)
    }

    struct HouseholdClaim: Decodable, Sendable { var household_id: UUID; var claimed: Int }

    /// What each of `households` has claimed of the campaign so far (households without a claim are left out).
    static func householdClaims(_ campaign: UUID, households: [UUID], on db: any Database) async throws -> [HouseholdClaim] {
        try await db.sql.raw(
            """
            SELECT household_id, claimed FROM campaign_household_claims
            WHERE campaign_id = \(bind: campaign) AND household_id IN (\(binds: households))
            """
        ).all(decoding: HouseholdClaim.self)
    }

    struct ReservationSlot: Decodable, Sendable { var id: UUID; var starts_at: Date; var taken: Int; var capacity: Int }

    /// The campaign's pick-up slots among `ids`, with how many each holds and its capacity.
    static func reservationSlots(_ campaign: UUID, ids: [UUID], on db: any Database) async throws -> [ReservationSlot] {
        try await db.sql.raw(
            """
            SELECT id, starts_at, taken, capacity FROM campaign_pickup_slots
            WHERE campaign_id = \(bind: campaign) AND id IN (\(binds: ids))
            """
        ).all(decoding: ReservationSlot.self)
    }

    /// Takes `total` from the stock of an open campaign only while enough is left; returns the campaign's id, or none when refused.
    static func takeCampaignStock(_ campaign: UUID, total: Int, on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE service_campaigns SET remaining = remaining - \(bind: total)
            WHERE id = \(bind: campaign) AND status = 'open' AND remaining >= \(bind: total) RETURNING id
            """
        ).all(decoding: Row.self).map(\.id)
    }

    /// Writes the households' claims (household, claimed in all) of the campaign, replacing those there were.
    static func upsertHouseholdClaims(_ claims: [(UUID, Int)], campaign: UUID, on db: any Database) async throws {
        let claimRows: [[any SQLExpression]] = claims.map { [SQLBind(campaign), SQLBind($0.0), SQLBind($0.1)] }
        try await db.sql.raw(
            """
            INSERT INTO campaign_household_claims (campaign_id, household_id, claimed) VALUES \(SQLList(claimRows.map { SQLGroupExpression($0) }))
            ON CONFLICT (campaign_id, household_id) DO UPDATE SET claimed = excluded.claimed
            """
        ).run()
    }

    /// Adds `add` to what a pick-up slot holds only within its capacity; returns the slot's id, or none when refused.
    static func takePickupSlot(_ id: UUID, add: Int, on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE campaign_pickup_slots SET taken = taken + \(bind: add)
            WHERE id = \(bind: id) AND taken + \(bind: add) <= capacity RETURNING id
            """
        ).all(decoding: Row.self).map(\.id)
    }

    /// Writes the granted reservations of the campaign, each with its pick-up slot (id and start) if any, in statements of 200.
    static func insertReservations(_ granted: [(ReservationQueue.Item, ReservationSlot?)], campaign: UUID, on db: any Database) async throws {
        let rows: [[any SQLExpression]] = granted.map { grant in
            let (item, slot) = grant
            return [
                SQLBind(item.id), SQLBind(campaign), SQLBind(item.household), SQLBind(item.account), SQLBind(item.quantity),
                slot.map { SQLBind($0.id) as any SQLExpression } ?? SQLLiteral.null,
                slot.map { SQLBind($0.starts_at) as any SQLExpression } ?? SQLLiteral.null, SQLBind(item.now)
            ]
        }
        for chunk in stride(from: 0, to: rows.count, by: 200).map({ Array(rows[$0..<min($0 + 200, rows.count)]) }) {
            try await db.sql.insert(into: "campaign_reservations")
                .columns("id", "campaign_id", "household_id", "account_id", "quantity", "pickup_slot_id", "pickup_starts_at", "created_at")
                .rows(chunk).run()
        }
    }
}
