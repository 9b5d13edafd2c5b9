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
            let byCampaign = Dictionary(grouping: items.indices, by: { items[$0].campaign })
            for campaign in byCampaign.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
                let indices = byCampaign[campaign] ?? []
                // Not open: all sold out.
                guard let stock = try await ServicesQueries.lockedCampaignStock(campaign, on: db), stock.status == "open" else { continue }
                let households = Array(Set(indices.map { items[$0].household }))
                var held: [UUID: Int] = [:]
                for claim in try await ServicesQueries.householdClaims(campaign, households: households, on: db) {
                    held[claim.household_id] = claim.claimed
                }
                let wantedSlots = Array(Set(indices.compactMap { items[$0].slot }))
                var slots: [UUID: ServicesQueries.ReservationSlot] = [:]
                if !wantedSlots.isEmpty {
                    for slot in try await ServicesQueries.reservationSlots(campaign, ids: wantedSlots, on: db) { slots[slot.id] = slot }
                }
                var remaining = stock.remaining
                var granted: [Int] = []
                var changedHouseholds: Set<UUID> = [], slotAdds: [UUID: Int] = [:]
                for i in indices {
                    let item = items[i]
                    switch LimitedStockRule.decide(quantity: item.quantity, remaining: remaining, held: held[item.household] ?? 0, limit: item.limit)
                    {
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
                let taken = try await ServicesQueries.takeCampaignStock(campaign, total: total, on: db)
                guard !taken.isEmpty else { throw AppError(.conflict, code: "stock_changed", zh: "库存已变化，请重试。", en: "The stock changed; try again.") }
                let claims: [(UUID, Int)] = changedHouseholds.sorted(by: { $0.uuidString < $1.uuidString }).map { ($0, held[$0] ?? 0) }
                try await ServicesQueries.upsertHouseholdClaims(claims, campaign: campaign, on: db)
                for (id, add) in slotAdds.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                    let held = try await ServicesQueries.takePickupSlot(id, add: add, on: db)
                    guard !held.isEmpty else { throw CampaignService.slotFull }
                }
                let grants: [(Item, ServicesQueries.ReservationSlot?)] = granted.map { i in
                    let item = items[i]
                    return (item, item.slot.flatMap { slots[$0] })
                }
                try await ServicesQueries.insertReservations(grants, campaign: campaign, on: db)
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
