import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Group commit of limited-stock reservations (限量预约) through `GroupCommitQueue`, one queue
/// per application, like the owners' `VoteCastQueue`.
///
/// Why: every reservation of a campaign changes the same row (`service_campaigns.remaining`), so
/// one transaction per reservation serialises the rush on that row lock and on one commit (and
/// its flush) each — about 400 a second on PostgreSQL here, below a rush's arrival rate. A batch
/// takes the campaign row once (PostgreSQL: `FOR UPDATE`; SQLite: the one writer), reads the
/// households' claims and the pick-up slots, decides each reservation in arrival order with
/// `LimitedStockRule` and writes the lot: one guarded UPDATE of the stock, the claims, the slots
/// and the reservations, then one commit. Every reservation path writes through this batch, and
/// every batch locks the campaign row first, so the decisions read committed, current counters.
enum ReservationQueue {
    typealias Queue = GroupCommitQueue<Item, Outcome>
    struct Key: StorageKey { typealias Value = Queue }

    struct Item: Sendable {
        var id: UUID
        var campaign: UUID
        var household: UUID
        var account: UUID
        var quantity: Int
        /// The pick-up slot, when the campaign has slots.
        var slot: UUID?
        var limit: Int
        var now: Date
    }

    /// What became of a reservation.
    enum Outcome: Sendable, Equatable { case granted, soldOut, overLimit, slotFull }

    static func make() -> Queue { Queue(batchLimit: 500) { try await write($0, on: $1) } }

    /// One transaction for `items`: per campaign (in id order, so two servers never deadlock),
    /// lock the stock, decide each reservation in order, write what was granted.
    static func write(_ items: [Item], on db: any Database) async throws -> [Outcome] {
        try await db.write { db in
            var outcomes = Array(repeating: Outcome.soldOut, count: items.count)
            let lock = db.dialectName == "postgresql" ? " FOR UPDATE" : ""
            let byCampaign = Dictionary(grouping: items.indices, by: { items[$0].campaign })
            for campaign in byCampaign.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
                let indices = byCampaign[campaign] ?? []
                struct Stock: Decodable { var status: String; var remaining: Int }
                guard let stock = try await db.sql.raw("""
                    SELECT status, remaining FROM service_campaigns WHERE id = \(bind: campaign)\(unsafeRaw: lock)
                    """).first(decoding: Stock.self), stock.status == "open" else { continue } // all sold out
                let households = Array(Set(indices.map { items[$0].household }))
                struct Claim: Decodable { var household_id: UUID; var claimed: Int }
                var held: [UUID: Int] = [:]
                for claim in try await db.sql.raw("""
                    SELECT household_id, claimed FROM campaign_household_claims
                    WHERE campaign_id = \(bind: campaign) AND household_id IN (\(binds: households))
                    """).all(decoding: Claim.self) { held[claim.household_id] = claim.claimed }
                let wantedSlots = Array(Set(indices.compactMap { items[$0].slot }))
                struct Slot: Decodable { var id: UUID; var starts_at: Date; var taken: Int; var capacity: Int }
                var slots: [UUID: Slot] = [:]
                if !wantedSlots.isEmpty {
                    for slot in try await db.sql.raw("""
                        SELECT id, starts_at, taken, capacity FROM campaign_pickup_slots
                        WHERE campaign_id = \(bind: campaign) AND id IN (\(binds: wantedSlots))
                        """).all(decoding: Slot.self) { slots[slot.id] = slot }
                }
                var remaining = stock.remaining
                var granted: [Int] = []
                var changedHouseholds: Set<UUID> = [], slotAdds: [UUID: Int] = [:]
                for i in indices {
                    let item = items[i]
                    switch LimitedStockRule.decide(quantity: item.quantity, remaining: remaining, held: held[item.household] ?? 0, limit: item.limit) {
                    case .soldOut?: outcomes[i] = .soldOut; continue
                    case .overHouseholdLimit?, .badQuantity?: outcomes[i] = .overLimit; continue
                    case nil: break
                    }
                    if let id = item.slot {
                        guard var slot = slots[id], slot.taken < slot.capacity else { outcomes[i] = .slotFull; continue }
                        slot.taken += 1
                        slots[id] = slot
                        slotAdds[id, default: 0] += 1
                    }
                    remaining -= item.quantity
                    held[item.household, default: 0] += item.quantity
                    changedHouseholds.insert(item.household)
                    outcomes[i] = .granted
                    granted.append(i)
                }
                guard !granted.isEmpty else { continue }
                // The same guards as the statements themselves: the stock never goes below zero.
                let total = stock.remaining - remaining
                struct Row: Decodable { var id: UUID }
                let taken = try await db.sql.raw("""
                    UPDATE service_campaigns SET remaining = remaining - \(bind: total)
                    WHERE id = \(bind: campaign) AND status = 'open' AND remaining >= \(bind: total) RETURNING id
                    """).all(decoding: Row.self)
                guard !taken.isEmpty else { throw AppError(.conflict, code: "stock_changed", zh: "库存已变化，请重试。", en: "The stock changed; try again.") }
                let claimRows: [[any SQLExpression]] = changedHouseholds.sorted(by: { $0.uuidString < $1.uuidString }).map {
                    [SQLBind(campaign), SQLBind($0), SQLBind(held[$0] ?? 0)]
                }
                try await db.sql.raw("""
                    INSERT INTO campaign_household_claims (campaign_id, household_id, claimed) VALUES \(SQLList(claimRows.map { SQLGroupExpression($0) }))
                    ON CONFLICT (campaign_id, household_id) DO UPDATE SET claimed = excluded.claimed
                    """).run()
                for (id, add) in slotAdds.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                    let held = try await db.sql.raw("""
                        UPDATE campaign_pickup_slots SET taken = taken + \(bind: add)
                        WHERE id = \(bind: id) AND taken + \(bind: add) <= capacity RETURNING id
                        """).all(decoding: Row.self)
                    guard !held.isEmpty else { throw CampaignService.slotFull }
                }
                let rows: [[any SQLExpression]] = granted.map { i in
                    let item = items[i]
                    let slot = item.slot.flatMap { slots[$0] }
                    return [SQLBind(item.id), SQLBind(campaign), SQLBind(item.household), SQLBind(item.account), SQLBind(item.quantity),
                            slot.map { SQLBind($0.id) as any SQLExpression } ?? SQLLiteral.null,
                            slot.map { SQLBind($0.starts_at) as any SQLExpression } ?? SQLLiteral.null, SQLBind(item.now)]
                }
                for chunk in stride(from: 0, to: rows.count, by: 200).map({ Array(rows[$0..<min($0 + 200, rows.count)]) }) {
                    try await db.sql.insert(into: "campaign_reservations")
                        .columns("id", "campaign_id", "household_id", "account_id", "quantity", "pickup_slot_id", "pickup_starts_at", "created_at")
                        .rows(chunk).run()
                }
            }
            return outcomes
        }
    }
}

extension Application {
    /// The reservation queue of this application.
    var reservationQueue: ReservationQueue.Queue {
        guard let queue = storage[ReservationQueue.Key.self] else {
            fatalError("configure(_:config:) has not run") // start-up only
        }
        return queue
    }
}
