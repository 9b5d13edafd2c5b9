import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The reward catalogue (积分兑换): staff list rewards with a price in points (积分) or green
/// points (绿色账户) and a stock. A redemption names a reward and is one transaction: the stock
/// drops by a conditional UPDATE (`remaining >= 1`, else 409 `out_of_stock`) and the price goes
/// from the member's account to the subdistrict's reward account (else 409
/// `insufficient_balance`, and the stock is back: the transaction rolls back).
enum RewardService {
    static let notFound = AppError.notFound("奖品不存在或不在您的范围内", "No such reward in your reach")
    static let outOfStock = AppError(.conflict, code: "out_of_stock", zh: "该奖品已兑完。", en: "This reward is out of stock.")

    struct Input: Content, Sendable { var name: String?; var unit: String?; var price: Int64?; var stock: Int?; var node: String? }
    struct Row: Content, Sendable, Equatable {
        var id: UUID; var name: String; var unit: TimeBankLedger.Unit; var price: Int64; var stock: Int; var remaining: Int; var grid_code: String
    }

    static func list(for actor: Actor, on db: any Database) async throws -> [Row] {
        try await ServicesQueries.rewards(for: actor, on: db)
    }

    static func create(_ input: Input, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        var problems: [FieldError] = []
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 60 {
            problems.append(FieldError(field: "name", messageZH: "请填写奖品名称（最多 60 字）", messageEN: "Enter the reward's name (at most 60 characters)"))
        }
        let unit = TimeBankLedger.Unit(rawValue: input.unit ?? "points")
        if unit == nil || unit == .minutes {
            problems.append(FieldError(field: "unit", messageZH: "请选择兑换单位：积分或绿色积分", messageEN: "Choose the unit: points or green points"))
        }
        let price = input.price ?? 0
        // One redemption is one ledger transfer, so a price above the transfer limit could never be paid.
        if !(1...TimeBankLedger.maxAmount).contains(price) {
            problems.append(
                FieldError(
                    field: "price", messageZH: "所需积分须为 1–\(TimeBankLedger.maxAmount)",
                    messageEN: "The price must be from 1 to \(TimeBankLedger.maxAmount)"))
        }
        let stock = input.stock ?? 0
        if stock < 0 || stock > 1_000_000 {
            problems.append(FieldError(field: "stock", messageZH: "库存须为 0–1000000", messageEN: "The stock must be from 0 to 1,000,000"))
        }
        let node = try await GridQueries.nodeNamed(input.node, in: actor.scope, problems: &problems, on: db)
        guard problems.isEmpty, let node, let unit else { throw AppError.validation(problems) }
        let id = UUID()
        try await db.write { db in
            try await ServicesQueries.insertReward(id, node: node, name: name, unit: unit, price: price, stock: stock, writer: writer, on: db)
            try await ServicesService.audit("service_reward.created", target: id, by: writer, on: db)
        }
        return id
    }

    /// Redeems one of a listed reward: stock and ledger in one transaction (see the type's note).
    static func redeem(_ reward: UUID, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard ServicesController.users.contains(actor.role) else { throw AppError.forbidden }
        guard let found = try await ServicesQueries.redeemableReward(reward, for: actor, on: db) else { throw notFound }
        let unit = found.unit
        let sub = actor.subdistrictID ?? actor.scope.rootID
        return try await db.write { db in
            let taken = try await ServicesQueries.takeRewardStock(reward, on: db)
            guard !taken.isEmpty else { throw outOfStock }
            let from = try await LedgerService.account(
                holder: "account:\(actor.accountID.uuidString.lowercased())", unit: unit, kind: "member",
                name: actor.displayName, node: actor.scope.rootID, subdistrict: actor.subdistrictID,
                owner: actor.accountID, on: db)
            let sink = try await LedgerService.account(
                holder: "rewards:\(sub.uuidString.lowercased())", unit: unit, kind: "rewards", name: "奖品兑换",
                node: sub, subdistrict: actor.subdistrictID, owner: nil, on: db)
            let transfer = try await LedgerService.post(
                unit: unit, from: .init(id: from, overdraft: false), to: .init(id: sink, overdraft: true),
                amount: found.price, memo: found.name, reverses: nil, node: actor.scope.rootID,
                subdistrict: actor.subdistrictID, writer: writer, on: db)
            try await ServicesQueries.insertRedemption(reward: reward, transfer: transfer, writer: writer, on: db)
            return transfer
        }
    }
}
