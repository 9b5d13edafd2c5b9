import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of the reward catalogue (`RewardService`): staff see the rewards inside their scope,
/// residents and others those of their subdistrict.
extension ServicesQueries {
    /// Rewards the actor may see (`w` is `service_rewards`).
    static func rewardVisible(to actor: Actor) -> SQLQueryString {
        actor.role.isGridStaff
            ? actor.scope.contains(SQLColumn("grid_node_id", table: "w"))
            : "w.subdistrict_id = \(bind: actor.subdistrictID ?? UUID())"
    }

    /// The rewards the actor may see, by unit and price (at most 200).
    static func rewards(for actor: Actor, on db: any Database) async throws -> [RewardService.Row] {
        try await db.sql.raw(
            """
            SELECT w.id, w.name, w.unit, w.price, w.stock, w.remaining, n.code AS grid_code
            FROM service_rewards w JOIN grid_nodes n ON n.id = w.grid_node_id
            WHERE \(rewardVisible(to: actor)) ORDER BY w.unit, w.price, w.name, w.id LIMIT 200
            """
        ).all(decoding: RewardService.Row.self)
    }

    /// Writes a new reward at `node` (its subdistrict, else the writer's), all its stock remaining.
    static func insertReward(
        _ id: UUID, node: GridNodeSummary, name: String, unit: TimeBankLedger.Unit, price: Int64, stock: Int,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO service_rewards (id, subdistrict_id, grid_node_id, name, unit, price, stock, remaining, created_at)
            VALUES (\(bind: id), \(bind: node.subdistrictID ?? writer.actor.subdistrictID), \(bind: node.id), \(bind: name), \(bind: unit.rawValue),
                    \(bind: price), \(bind: stock), \(bind: stock), \(bind: writer.now))
            """
        ).run()
    }

    struct RedeemableReward: Decodable, Sendable { var id: UUID; var name: String; var unit: TimeBankLedger.Unit; var price: Int64 }

    /// A reward the actor may see, with its unit and price; nil when none.
    static func redeemableReward(_ reward: UUID, for actor: Actor, on db: any Database) async throws -> RedeemableReward? {
        try await db.sql.raw(
            """
            SELECT w.id, w.name, w.unit, w.price FROM service_rewards w WHERE w.id = \(bind: reward) AND \(rewardVisible(to: actor))
            """
        ).first(decoding: RedeemableReward.self)
    }

    /// Takes one of a reward's stock only while some is left; returns the reward's id, or none when out of stock.
    static func takeRewardStock(_ reward: UUID, on db: any Database) async throws -> [UUID] {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE service_rewards SET remaining = remaining - 1 WHERE id = \(bind: reward) AND remaining >= 1 RETURNING id
            """
        ).all(decoding: R.self).map(\.id)
    }

    /// Writes the writer's redemption of a reward, paid by `transfer`.
    static func insertRedemption(reward: UUID, transfer: UUID, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO reward_redemptions (id, reward_id, account_id, transfer_id, created_at)
            VALUES (\(bind: UUID()), \(bind: reward), \(bind: writer.actor.accountID), \(bind: transfer), \(bind: writer.now))
            """
        ).run()
    }
}
