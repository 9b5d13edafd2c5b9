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
            throw AppError.validation("unit", zh: "单位须为 minutes、points 或 green", en: "unit must be minutes, points or green")
        }
        return unit
    }

    /// The ledger account of `holder` in `unit`, created on first use.
    static func account(holder: String, unit: TimeBankLedger.Unit, kind: String, name: String, node: UUID, subdistrict: UUID?,
                        owner: UUID?, on db: any Database) async throws -> UUID {
        try await db.sql.raw("""
            INSERT INTO ledger_accounts (id, subdistrict_id, grid_node_id, holder_key, unit, kind, account_id, name)
            VALUES (\(bind: UUID()), \(bind: subdistrict), \(bind: node), \(bind: holder), \(bind: unit.rawValue), \(bind: kind),
                    \(bind: owner), \(bind: name))
            ON CONFLICT (holder_key, unit) DO NOTHING
            """).run()
        struct Row: Decodable { var id: UUID }
        guard let row = try await db.sql.raw("""
            SELECT id FROM ledger_accounts WHERE holder_key = \(bind: holder) AND unit = \(bind: unit.rawValue)
            """).first(decoding: Row.self) else { throw AppError.notFound() }
        return row.id
    }

    static func balance(_ account: UUID, on db: any Database) async throws -> Int64 {
        struct Row: Decodable { var total: Int64? }
        return try await db.sql.raw("SELECT CAST(SUM(amount) AS BIGINT) AS total FROM ledger_movements WHERE ledger_account_id = \(bind: account)")
            .first(decoding: Row.self)?.total ?? 0
    }

    /// Posts one transfer inside the caller's transaction: checks the debit against the
    /// balance (the source's row is locked on PostgreSQL; SQLite's writer lock serialises),
    /// writes the transfer and its two movements.
    static func post(unit: TimeBankLedger.Unit, from: AccountRef, to: AccountRef, amount: Int64, memo: String, reverses: UUID?,
                     node: UUID, subdistrict: UUID?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let movements = try TimeBankLedger.transfer(from: from.id.uuidString, to: to.id.uuidString, amount: amount)
        if db.dialectName == "postgresql" {
            try await db.sql.raw("SELECT id FROM ledger_accounts WHERE id = \(bind: from.id) FOR UPDATE").run()
        }
        let held = try await balance(from.id, on: db)
        do {
            try TimeBankLedger.checkDebit(balance: held, amount: amount, overdraft: from.overdraft)
        } catch {
            throw conflict(error, code: "insufficient_balance")
        }
        let id = UUID()
        try await db.sql.raw("""
            INSERT INTO ledger_transfers (id, subdistrict_id, grid_node_id, unit, from_account_id, to_account_id, amount, memo, reverses_id,
                                          created_by, created_at)
            VALUES (\(bind: id), \(bind: subdistrict), \(bind: node), \(bind: unit.rawValue), \(bind: from.id), \(bind: to.id), \(bind: amount),
                    \(bind: memo), \(bind: reverses), \(bind: writer.actor.accountID), \(bind: writer.now))
            """).run()
        let rows: [[any SQLExpression]] = movements.map {
            [SQLBind(UUID()), SQLBind(id), SQLBind(UUID(uuidString: $0.account)!), SQLBind($0.amount), SQLBind(writer.now)]
        }
        try await db.sql.insert(into: "ledger_movements").columns("id", "transfer_id", "ledger_account_id", "amount", "created_at")
            .rows(rows).run()
        try await ServicesService.audit("ledger_transfer.posted", target: id, by: writer, on: db)
        return id
    }

    /// A ledger rule refused the change: 409, nothing written.
    static func conflict(_ e: TimeBankLedger.Error, code: String = "ledger_conflict") -> AppError {
        AppError(.conflict, code: code, zh: e.fieldError.messageZH, en: e.fieldError.messageEN, fields: [e.fieldError])
    }

    static func memo(_ text: String?, field: String = "memo") throws -> String {
        let memo = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard memo.count <= 200 else { throw AppError.validation(field, zh: "说明最多 200 字", en: "\(field) has at most 200 characters") }
        return memo
    }

    /// The roles whose accounts staff may credit.
    static let awardable: Set<String> = [Role.resident.rawValue, Role.volunteer.rawValue]

    /// Staff credit a resident or volunteer inside their scope (service hours, points, green
    /// points) from the pool of the staff's root node.
    static func award(_ input: AwardInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard actor.role.isGridStaff else { throw AppError.forbidden }
        let unit = try unit(input.unit)
        let memo = try memo(input.memo)
        struct Member: Decodable { var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var display_name: String; var role: String }
        guard let member = try await db.sql.raw("""
            SELECT a.id, a.grid_node_id, a.subdistrict_id, a.display_name, a.role FROM accounts a
            WHERE a.username = \(bind: input.username ?? "") AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
              AND a.disabled = \(flag: false)
            """).first(decoding: Member.self) else {
            throw AppError.validation("username", zh: "账号不存在或不在您的管辖范围内", en: "No such account in your scope")
        }
        // Points are credited to residents and volunteers for what they did, never by staff to
        // themselves or to other staff (who could spend them on rewards).
        guard Self.awardable.contains(member.role), member.id != actor.accountID else {
            throw AppError.validation("username", zh: "积分只能记给居民或志愿者，不能记给自己或工作人员",
                                      en: "Points go to residents and volunteers only, never to yourself or to staff")
        }
        do {
            return try await db.write { db in
                let pool = try await account(holder: "pool:\(actor.scope.rootID.uuidString.lowercased())", unit: unit, kind: "pool",
                                             name: actor.scope.rootName, node: actor.scope.rootID, subdistrict: actor.subdistrictID,
                                             owner: nil, on: db)
                let to = try await account(holder: "account:\(member.id.uuidString.lowercased())", unit: unit, kind: "member",
                                           name: member.display_name, node: member.grid_node_id, subdistrict: member.subdistrict_id,
                                           owner: member.id, on: db)
                return try await post(unit: unit, from: AccountRef(id: pool, overdraft: true), to: AccountRef(id: to, overdraft: false),
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
            let from = try await account(holder: "account:\(actor.accountID.uuidString.lowercased())", unit: unit, kind: "member",
                                         name: actor.displayName, node: actor.scope.rootID, subdistrict: actor.subdistrictID,
                                         owner: actor.accountID, on: db)
            let sink = try await account(holder: "rewards:\(sub.uuidString.lowercased())", unit: unit, kind: "rewards", name: "奖品兑换",
                                         node: sub, subdistrict: actor.subdistrictID, owner: nil, on: db)
            return try await post(unit: unit, from: AccountRef(id: from, overdraft: false), to: AccountRef(id: sink, overdraft: true),
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
                struct T: Decodable {
                    var unit: String; var from_account_id: UUID; var to_account_id: UUID; var amount: Int64; var reverses_id: UUID?
                    var grid_node_id: UUID; var subdistrict_id: UUID?; var to_kind: String
                }
                guard let t = try await db.sql.raw("""
                    SELECT t.unit, t.from_account_id, t.to_account_id, t.amount, t.reverses_id, t.grid_node_id, t.subdistrict_id, a.kind AS to_kind
                    FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id
                    WHERE t.id = \(bind: transfer) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "t")))
                    """).first(decoding: T.self) else { throw transferNotFound }
                guard t.reverses_id == nil else { throw conflict(.reversalOfReversal) }
                return try await post(unit: try unit(t.unit), from: AccountRef(id: t.to_account_id, overdraft: t.to_kind != "member"),
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
        struct B: Decodable { var unit: String; var total: Int64? }
        let sums = try await db.sql.raw("""
            SELECT a.unit, CAST(SUM(m.amount) AS BIGINT) AS total FROM ledger_accounts a LEFT JOIN ledger_movements m ON m.ledger_account_id = a.id
            WHERE a.holder_key = \(bind: holder) GROUP BY a.unit
            """).all(decoding: B.self)
        let balances = TimeBankLedger.Unit.allCases.map { unit in
            LedgerBalance(unit: unit.rawValue, balance: sums.first { $0.unit == unit.rawValue }?.total ?? 0)
        }
        let lines = try await db.sql.raw("""
            SELECT t.id AS transfer_id, t.unit, m.amount, t.memo, t.reverses_id, t.created_at
            FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id JOIN ledger_transfers t ON t.id = m.transfer_id
            WHERE a.holder_key = \(bind: holder) ORDER BY t.created_at DESC, t.id LIMIT 50
            """).all(decoding: LedgerLine.self)
        return MyLedger(balances: balances, movements: lines)
    }
}
