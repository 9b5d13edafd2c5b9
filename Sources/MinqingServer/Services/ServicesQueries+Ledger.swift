import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of the double-entry time bank, points and green account (`LedgerService`): ledger
/// accounts, transfers and their movements (append-only), balances as sums of movements.
extension ServicesQueries {
    /// Writes the ledger account of `holder` in `unit` unless it exists (ON CONFLICT DO NOTHING).
    static func insertLedgerAccount(
        holder: String, unit: TimeBankLedger.Unit, kind: String, name: String, node: UUID, subdistrict: UUID?,
        owner: UUID?, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO ledger_accounts (id, subdistrict_id, grid_node_id, holder_key, unit, kind, account_id, name)
            VALUES (\(bind: UUID()), \(bind: subdistrict), \(bind: node), \(bind: holder), \(bind: unit.rawValue), \(bind: kind),
                    \(bind: owner), \(bind: name))
            ON CONFLICT (holder_key, unit) DO NOTHING
            """
        ).run()
    }

    /// The id of the ledger account of `holder` in `unit`; nil when none.
    static func ledgerAccountID(holder: String, unit: TimeBankLedger.Unit, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT id FROM ledger_accounts WHERE holder_key = \(bind: holder) AND unit = \(bind: unit.rawValue)
            """
        ).first(decoding: Row.self)?.id
    }

    /// The balance of a ledger account: the sum of its movements (0 when none).
    static func ledgerBalance(_ account: UUID, on db: any Database) async throws -> Int64 {
        struct Row: Decodable { var total: Int64? }
        return try await db.sql.raw("SELECT CAST(SUM(amount) AS BIGINT) AS total FROM ledger_movements WHERE ledger_account_id = \(bind: account)")
            .first(decoding: Row.self)?.total ?? 0
    }

    /// Locks a ledger account's row until the transaction ends, on PostgreSQL (SQLite's writer lock serialises); returns nothing.
    static func lockLedgerAccount(_ account: UUID, on db: any Database) async throws {
        if db.dialectName == "postgresql" {
            try await db.sql.raw("SELECT id FROM ledger_accounts WHERE id = \(bind: account) FOR UPDATE").run()
        }
    }

    /// Writes a transfer row (without its movements), by the writer.
    static func insertLedgerTransfer(
        _ id: UUID, unit: TimeBankLedger.Unit, from: UUID, to: UUID, amount: Int64, memo: String, reverses: UUID?,
        node: UUID, subdistrict: UUID?, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO ledger_transfers (id, subdistrict_id, grid_node_id, unit, from_account_id, to_account_id, amount, memo, reverses_id,
                                          created_by, created_at)
            VALUES (\(bind: id), \(bind: subdistrict), \(bind: node), \(bind: unit.rawValue), \(bind: from), \(bind: to), \(bind: amount),
                    \(bind: memo), \(bind: reverses), \(bind: writer.actor.accountID), \(bind: writer.now))
            """
        ).run()
    }

    /// Writes the movements of a transfer (each `account` is a ledger account's UUID string).
    static func insertLedgerMovements(_ movements: [TimeBankLedger.Movement], transfer id: UUID, now: Date, on db: any Database) async throws {
        let rows: [[any SQLExpression]] = movements.map {
            [SQLBind(UUID()), SQLBind(id), SQLBind(UUID(uuidString: $0.account)!), SQLBind($0.amount), SQLBind(now)]
        }
        try await db.sql.insert(into: "ledger_movements").columns("id", "transfer_id", "ledger_account_id", "amount", "created_at")
            .rows(rows).run()
    }

    struct LedgerMember: Decodable, Sendable {
        var id: UUID; var grid_node_id: UUID; var subdistrict_id: UUID?; var display_name: String; var role: Role
    }

    /// The enabled account named `username` inside the actor's scope; nil when none.
    static func ledgerMember(username: String, for actor: Actor, on db: any Database) async throws -> LedgerMember? {
        try await db.sql.raw(
            """
            SELECT a.id, a.grid_node_id, a.subdistrict_id, a.display_name, a.role FROM accounts a
            WHERE a.username = \(bind: username) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
              AND a.disabled = \(flag: false)
            """
        ).first(decoding: LedgerMember.self)
    }

    struct ReversibleTransfer: Decodable, Sendable {
        var unit: TimeBankLedger.Unit; var from_account_id: UUID; var to_account_id: UUID; var amount: Int64; var reverses_id: UUID?
        var grid_node_id: UUID; var subdistrict_id: UUID?; var to_kind: String
    }

    /// A transfer inside the actor's scope, with the kind of the account it went to; nil when none.
    static func ledgerTransfer(_ transfer: UUID, for actor: Actor, on db: any Database) async throws -> ReversibleTransfer? {
        try await db.sql.raw(
            """
            SELECT t.unit, t.from_account_id, t.to_account_id, t.amount, t.reverses_id, t.grid_node_id, t.subdistrict_id, a.kind AS to_kind
            FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id
            WHERE t.id = \(bind: transfer) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "t")))
            """
        ).first(decoding: ReversibleTransfer.self)
    }

    struct LedgerUnitTotal: Decodable, Sendable { var unit: TimeBankLedger.Unit; var total: Int64? }

    /// Per unit: the balance of `holder`'s ledger accounts.
    static func ledgerTotals(holder: String, on db: any Database) async throws -> [LedgerUnitTotal] {
        try await db.sql.raw(
            """
            SELECT a.unit, CAST(SUM(m.amount) AS BIGINT) AS total FROM ledger_accounts a LEFT JOIN ledger_movements m ON m.ledger_account_id = a.id
            WHERE a.holder_key = \(bind: holder) GROUP BY a.unit
            """
        ).all(decoding: LedgerUnitTotal.self)
    }

    /// The latest 50 movements of `holder`'s ledger accounts, newest first.
    static func ledgerLines(holder: String, on db: any Database) async throws -> [LedgerLine] {
        try await db.sql.raw(
            """
            SELECT t.id AS transfer_id, t.unit, m.amount, t.memo, t.reverses_id, t.created_at
            FROM ledger_accounts a JOIN ledger_movements m ON m.ledger_account_id = a.id JOIN ledger_transfers t ON t.id = m.transfer_id
            WHERE a.holder_key = \(bind: holder) ORDER BY t.created_at DESC, t.id LIMIT 50
            """
        ).all(decoding: LedgerLine.self)
    }
}
