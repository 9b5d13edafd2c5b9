import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The demo's resident accounts (issue 22): about two thirds of the households have signed up,
/// from 40 % to 90 % by building group, each through its head of household (the register's
/// person, with the register's sealed mobile number). They sign in with the demo password as
/// `r` + the first twelve hex digits of their household's id; coverage on the dashboard and the
/// notifications' audiences then have real numbers behind them.
enum ResidentsDemo {
    struct Head: Decodable {
        var person_id: UUID
        var household_id: UUID
        var grid_node_id: UUID
        var subdistrict_id: UUID?
        var name: String
        var phone_cipher: String
        var phone_index: String
        var phone_masked: String
    }

    /// The share of a building group's households that signed up: 40 %–90 %, fixed by its id.
    static func share(of group: UUID) -> Double { 0.40 + 0.50 * Double(group.uuid.0) / 255 }

    /// Whether the household signed up, fixed by its id.
    static func signedUp(_ household: UUID, group: UUID) -> Bool {
        Double(Int(household.uuid.1) << 8 | Int(household.uuid.2)) / 65_535 < share(of: group)
    }

    static func username(_ household: UUID) -> String {
        "r" + String(household.uuidString.replacingOccurrences(of: "-", with: "").prefix(12)).lowercased()
    }

    static func load(passwordHash: String, now: Date, progress: @Sendable (String) -> Void, on db: any Database) async throws -> Int {
        let heads = try await db.sql.raw(
            """
            SELECT p.id AS person_id, p.household_id, p.grid_node_id, p.subdistrict_id, p.name, p.phone_cipher, p.phone_index, p.phone_masked
            FROM persons p JOIN households h ON h.id = p.household_id
            WHERE p.relation = 'head' AND p.moved_out_on IS NULL AND h.moved_out_on IS NULL AND p.phone_cipher IS NOT NULL
            ORDER BY p.household_id, p.id
            """
        ).all(decoding: Head.self)
        var accounts = BulkInserter(
            table: "accounts",
            columns: [
                "id", "subdistrict_id", "username", "display_name", "role", "grid_node_id", "password_hash", "must_change_password", "disabled",
                "created_at", "updated_at"
            ])
        var residents = BulkInserter(
            table: "resident_accounts",
            columns: [
                "account_id", "subdistrict_id", "grid_node_id", "household_id", "person_id", "phone_cipher", "phone_index", "phone_masked",
                "signed_up_via", "created_at"
            ])
        var links = BulkInserter(table: "resident_households", columns: ["id", "account_id", "household_id"])
        var seen = Set<UUID>()
        for head in heads where signedUp(head.household_id, group: head.grid_node_id) && seen.insert(head.household_id).inserted {
            let account = UUID()
            accounts.append([
                SQLBind(account), bindOrNull(head.subdistrict_id), SQLBind(username(head.household_id)), SQLBind(head.name), SQLBind("resident"),
                SQLBind(head.grid_node_id), SQLBind(passwordHash), SQLBind(false), SQLBind(false), SQLBind(now), SQLBind(now)
            ])
            residents.append([
                SQLBind(account), bindOrNull(head.subdistrict_id), SQLBind(head.grid_node_id), SQLBind(head.household_id), SQLBind(head.person_id),
                SQLBind(head.phone_cipher), SQLBind(head.phone_index), SQLBind(head.phone_masked), SQLBind("invitation"), SQLBind(now)
            ])
            links.append([SQLBind(UUID()), SQLBind(account), SQLBind(head.household_id)])
            if accounts.isFull {
                try await accounts.flush(on: db)
                try await residents.flush(on: db)
                try await links.flush(on: db)
            }
        }
        try await accounts.flush(on: db)
        try await residents.flush(on: db)
        try await links.flush(on: db)
        progress("resident accounts: \(accounts.written)")
        return accounts.written
    }
}
