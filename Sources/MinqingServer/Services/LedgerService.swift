import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The double-entry time bank (时间银行), points (积分) and green account (绿色账户).
///
/// A ledger account is a member's (`account:<id>`), a community pool that issues
/// (`pool:<grid node>`, may go negative: that is what it has issued) or a subdistrict's reward
/// sink (`rewards:<subdistrict>`). Every transfer writes two movements summing to zero
/// (`TimeBankLedger.transfer`) in one transaction; transfers and movements are append-only in
/// the database; a mistake is undone by a reversing transfer, at most one per transfer (UNIQUE
/// `reverses_id`). A balance is the sum of its movements.
enum LedgerService {
    struct AccountRef: Sendable { var id: UUID; var overdraft: Bool }

    static let transferNotFound = AppError.notFound("转账记录不存在或不在您的范围内", "No such transfer in your reach")

    static func unit(_ text: String?) throws -> TimeBankLedger.Unit {
        guard let unit = TimeBankLedger.Unit(rawValue: text ?? "") else {
            throw AppError.validation("unit", zh: "请选择单位：服务时长、积分或绿色积分", en: "Choose the unit: service minutes, points or green points")
        }
        return unit
    }

    /// The ledger account of `holder` in `unit`, created on first use.
    static func account(
        holder: String, unit: TimeBankLedger.Unit, kind: String, name: String, node: UUID, subdistrict: UUID?,
        owner: UUID?, on db: any Database
    ) async throws -> UUID {
        try await ServicesQueries.insertLedgerAccount(
            holder: holder, unit: unit, kind: kind, name: name, node: node, subdistrict: subdistrict,
            owner: owner, on: db)
        guard let id = try await ServicesQueries.ledgerAccountID(holder: holder, unit: unit, on: db) else { throw AppError.notFound() }
        return id
    }

    /// The balance of a ledger account: the sum of its movements.
    static func balance(_ account: UUID, on db: any Database) async throws -> Int64 {
        try await ServicesQueries.ledgerBalance(account, on: db)
    }

    /// Posts one transfer inside the caller's transaction: checks the debit against the
    /// balance (the source's row is locked on PostgreSQL; SQLite's writer lock serialises),
    /// writes the transfer and its two movements.
    static func post(
        unit: TimeBankLedger.Unit, from: AccountRef, to: AccountRef, amount: Int64, memo: String, reverses: UUID?,
        node: UUID, subdistrict: UUID?, writer: WriteContext, on db: any Database
    ) async throws -> UUID {
        let movements = try TimeBankLedger.transfer(from: from.id.uuidString, to: to.id.uuidString, amount: amount)
        try await ServicesQueries.lockLedgerAccount(from.id, on: db)
        let held = try await balance(from.id, on: db)
        do {
            try TimeBankLedger.checkDebit(balance: held, amount: amount, overdraft: from.overdraft)
        } catch {
            throw conflict(error, code: "insufficient_balance")
        }
        let id = UUID()
        try await ServicesQueries.insertLedgerTransfer(
            id, unit: unit, from: from.id, to: to.id, amount: amount, memo: memo, reverses: reverses,
            node: node, subdistrict: subdistrict, writer: writer, on: db)
        try await ServicesQueries.insertLedgerMovements(movements, transfer: id, now: writer.now, on: db)
        try await ServicesService.audit("ledger_transfer.posted", target: id, by: writer, on: db)
        return id
    }

    /// A ledger rule refused the change: 409, nothing written.
    static func conflict(_ e: TimeBankLedger.Error, code: String = "ledger_conflict") -> AppError {
        AppError(.conflict, code: code, zh: e.fieldError.messageZH, en: e.fieldError.messageEN, fields: [e.fieldError])
    }

    static func memo(_ text: String?, field: String = "memo") throws -> String {
        let memo = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard memo.count <= 200 else { throw AppError.validation(field, zh: "说明最多 200 字", en: "The note has at most 200 characters") }
        return memo
    }

    /// The roles whose accounts staff may credit.
    static let awardable: Set<Role> = [.resident, .volunteer]

    /// Staff credit a resident or volunteer inside their scope (service hours, points, green
    /// points) from the pool of the staff's root node.
    static func award(_ input: AwardInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        let unit = try unit(input.unit)
        let memo = try memo(input.memo)
        guard let member = try await ServicesQueries.ledgerMember(username: input.username ?? "", for: actor, on: db) else {
            throw AppError.validation("username", zh: "账号不存在或不在您的管辖范围内", en: "No such account in your scope")
        }
        // Points are credited to residents and volunteers for what they did, never by staff to
        // themselves or to other staff (who could spend them on rewards).
        guard Self.awardable.contains(member.role), member.id != actor.accountID else {
            throw AppError.validation(
                "username", zh: "积分只能记给居民或志愿者，不能记给自己或工作人员",
                en: "Points go to residents and volunteers only, never to yourself or to staff")
        }
        do {
            return try await db.write { db in
                let pool = try await account(
                    holder: "pool:\(actor.scope.rootID.uuidString.lowercased())", unit: unit, kind: "pool",
                    name: actor.scope.rootName, node: actor.scope.rootID, subdistrict: actor.subdistrictID,
                    owner: nil, on: db)
                let to = try await account(
                    holder: "account:\(member.id.uuidString.lowercased())", unit: unit, kind: "member",
                    name: member.display_name, node: member.grid_node_id, subdistrict: member.subdistrict_id,
                    owner: member.id, on: db)
                return try await post(
                    unit: unit, from: AccountRef(id: pool, overdraft: true), to: AccountRef(id: to, overdraft: false),
                    amount: input.amount ?? 0, memo: memo, reverses: nil, node: member.grid_node_id,
                    subdistrict: member.subdistrict_id, writer: writer, on: db)
            }
        }
    }

    /// A member redeems points (or green points) for a listed reward: a transfer to the
    /// subdistrict's reward account; refused (409) when it would take their balance below zero.
    static func redeem(_ input: RedeemInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        let unit = try unit(input.unit)
        let reward = try memo(input.reward, field: "reward")
        guard !reward.isEmpty else { throw AppError.validation("reward", zh: "请选择兑换的奖品", en: "Choose a reward") }
        let sub = actor.subdistrictID ?? actor.scope.rootID
        return try await db.write { db in
            let from = try await account(
                holder: "account:\(actor.accountID.uuidString.lowercased())", unit: unit, kind: "member",
                name: actor.displayName, node: actor.scope.rootID, subdistrict: actor.subdistrictID,
                owner: actor.accountID, on: db)
            let sink = try await account(
                holder: "rewards:\(sub.uuidString.lowercased())", unit: unit, kind: "rewards", name: "奖品兑换",
                node: sub, subdistrict: actor.subdistrictID, owner: nil, on: db)
            return try await post(
                unit: unit, from: AccountRef(id: from, overdraft: false), to: AccountRef(id: sink, overdraft: true),
                amount: input.amount ?? 0, memo: reward, reverses: nil, node: actor.scope.rootID,
                subdistrict: actor.subdistrictID, writer: writer, on: db)
        }
    }

    /// Reverses a transfer in the caller's scope: the same amount back, pointing at it. A second
    /// reversal, or reversing a reversal, is 409 and writes nothing.
    static func reverse(_ transfer: UUID, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        do {
            return try await db.write { db in
                guard let t = try await ServicesQueries.ledgerTransfer(transfer, for: actor, on: db) else { throw transferNotFound }
                guard t.reverses_id == nil else { throw conflict(.reversalOfReversal) }
                return try await post(
                    unit: t.unit, from: AccountRef(id: t.to_account_id, overdraft: t.to_kind != "member"),
                    to: AccountRef(id: t.from_account_id, overdraft: true), amount: t.amount, memo: "冲正 reversal",
                    reverses: transfer, node: t.grid_node_id, subdistrict: t.subdistrict_id, writer: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw conflict(.alreadyReversed)
        }
    }

    /// The caller's balances (every unit) and latest movements.
    static func mine(_ actor: Actor, on db: any Database) async throws -> MyLedger {
        let holder = "account:\(actor.accountID.uuidString.lowercased())"
        let sums = try await ServicesQueries.ledgerTotals(holder: holder, on: db)
        let balances = TimeBankLedger.Unit.allCases.map { unit in
            LedgerBalance(unit: unit, balance: sums.first { $0.unit == unit }?.total ?? 0)
        }
        let lines = try await ServicesQueries.ledgerLines(holder: holder, on: db)
        return MyLedger(balances: balances, movements: lines)
    }
}
