import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// All SQL of invitation letters and resident sign-up (`resident_invitations`,
/// `resident_accounts`; the link `resident_households` is shared with the visits capability).
enum InvitationQueries {
    /// Sign-up coverage of a node's children: households in each, and households with at least
    /// one resident account linked (by a letter, at the desk or by staff), inside the scope.
    struct Coverage: Codable, Sendable, Equatable {
        var code: String; var name: String; var level: GridLevel; var households: Int; var signed_up: Int; var letters_active: Int
    }

    static func coverage(under node: UUID, in scope: GridScope, now: Date, on db: any Database) async throws -> [Coverage] {
        try await db.sql.raw(
            """
            SELECT c.code, c.name, c.level,
                   (SELECT COUNT(*) FROM households h JOIN grid_closure gc ON gc.descendant_id = h.grid_node_id
                     WHERE gc.ancestor_id = c.id) AS households,
                   (SELECT COUNT(DISTINCT rh.household_id) FROM resident_households rh JOIN households h ON h.id = rh.household_id
                     JOIN grid_closure gc ON gc.descendant_id = h.grid_node_id WHERE gc.ancestor_id = c.id) AS signed_up,
                   (SELECT COUNT(*) FROM resident_invitations i JOIN grid_closure gc ON gc.descendant_id = i.grid_node_id
                     WHERE gc.ancestor_id = c.id AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > \(bind: now)) AS letters_active
            FROM grid_nodes c WHERE c.parent_id = \(bind: node) AND \(scope.contains(SQLColumn("id", table: "c")))
            ORDER BY c.code
            """
        ).all(decoding: Coverage.self)
    }

    /// A household of a building group as the letters page lists it.
    struct Household: Codable, Sendable, Equatable {
        var id: HouseholdID; var address: String; var accounts: Int; var letter_id: UUID?; var letter_until: Date?
    }

    /// The households of the building group `node` (already checked to be in scope), each with its
    /// linked accounts and its latest letter still usable.
    static func households(of node: UUID, now: Date, on db: any Database) async throws -> [Household] {
        try await db.sql.raw(
            """
            SELECT h.id, h.address,
                   (SELECT COUNT(*) FROM resident_households rh WHERE rh.household_id = h.id) AS accounts,
                   (SELECT i.id FROM resident_invitations i WHERE i.household_id = h.id AND i.used_at IS NULL AND i.revoked_at IS NULL
                      AND i.expires_at > \(bind: now) ORDER BY i.created_at DESC LIMIT 1) AS letter_id,
                   (SELECT i.expires_at FROM resident_invitations i WHERE i.household_id = h.id AND i.used_at IS NULL AND i.revoked_at IS NULL
                      AND i.expires_at > \(bind: now) ORDER BY i.created_at DESC LIMIT 1) AS letter_until
            FROM households h WHERE h.grid_node_id = \(bind: node) ORDER BY h.address
            """
        ).all(decoding: Household.self)
    }

    /// A new letter's row.
    struct NewInvitation: Sendable {
        var id: UUID; var subdistrict: UUID?; var node: UUID; var household: HouseholdID; var codeHash: String; var kind: String
        var issuedBy: String; var issuedByAccount: UUID?; var expiresAt: Date
    }

    static func insert(_ rows: [NewInvitation], now: Date, on db: any Database) async throws {
        var inserter = BulkInserter(
            table: "resident_invitations",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "household_id", "code_hash", "kind", "issued_by", "issued_by_account", "created_at",
                "expires_at", "failures"
            ])
        for r in rows {
            try await inserter.add(
                [
                    SQLBind(r.id), bindOrNull(r.subdistrict), SQLBind(r.node), SQLBind(r.household), SQLBind(r.codeHash), SQLBind(r.kind),
                    SQLBind(r.issuedBy), bindOrNull(r.issuedByAccount), SQLBind(now), SQLBind(r.expiresAt), SQLBind(0)
                ], on: db)
        }
        try await inserter.flush(on: db)
    }

    /// A letter that can still be used, found by its code's hash.
    struct Usable: Decodable, Sendable {
        var id: UUID; var subdistrict_id: UUID?; var grid_node_id: UUID; var household_id: HouseholdID; var kind: String
    }

    static func usable(codeHash: String, now: Date, on db: any Database) async throws -> Usable? {
        try await db.sql.raw(
            """
            SELECT id, subdistrict_id, grid_node_id, household_id, kind FROM resident_invitations
            WHERE code_hash = \(bind: codeHash) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
            """
        ).first(decoding: Usable.self)
    }

    /// Counts a sign-up that did not match the letter's household; at `limit` failures the letter
    /// is revoked by itself.
    static func recordFailure(_ id: UUID, limit: Int, now: Date, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE resident_invitations SET failures = failures + 1,
                   revoked_at = CASE WHEN failures + 1 >= \(bind: limit) THEN \(bind: now) ELSE revoked_at END,
                   revoked_by = CASE WHEN failures + 1 >= \(bind: limit) THEN 'system' ELSE revoked_by END,
                   revoke_reason = CASE WHEN failures + 1 >= \(bind: limit) THEN 'too_many_failures' ELSE revoke_reason END
            WHERE id = \(bind: id) AND revoked_at IS NULL
            """
        ).run()
    }

    /// The current member of `household` with this ID number's blind index and this name, if any.
    static func member(of household: HouseholdID, idIndex: String, name: String, on db: any Database) async throws -> PersonID? {
        struct Row: Decodable { var id: PersonID }
        return try await db.sql.raw(
            """
            SELECT id FROM persons WHERE household_id = \(bind: household) AND id_index = \(bind: idIndex) AND name = \(bind: name)
              AND moved_out_on IS NULL
            """
        ).first(decoding: Row.self)?.id
    }

    /// Whether the person already has a resident account.
    static func hasAccount(person: PersonID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var n: Int }
        let row = try await db.sql.raw("SELECT COUNT(*) AS n FROM resident_accounts WHERE person_id = \(bind: person)").first(decoding: Row.self)
        return (row?.n ?? 0) > 0
    }

    /// Marks the letter used by `account`, only if it still can be: false when another sign-up
    /// took it first (or it was revoked or ran out meanwhile).
    static func markUsed(_ id: UUID, account: UUID, now: Date, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        let rows = try await db.sql.raw(
            """
            UPDATE resident_invitations SET used_at = \(bind: now), account_id = \(bind: account)
            WHERE id = \(bind: id) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
            RETURNING id
            """
        ).all(decoding: Row.self)
        return !rows.isEmpty
    }

    /// The resident account's person, household and sealed mobile number.
    static func insertResidentAccount(
        account: UUID, subdistrict: UUID?, node: UUID, household: HouseholdID, person: PersonID, phone: SealedPII, via: String,
        invitation: UUID?, now: Date, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "resident_accounts")
            .columns(
                "account_id", "subdistrict_id", "grid_node_id", "household_id", "person_id", "phone_cipher", "phone_index", "phone_masked",
                "signed_up_via", "invitation_id", "created_at"
            )
            .values(
                SQLBind(account), bindOrNull(subdistrict), SQLBind(node), SQLBind(household), SQLBind(person), SQLBind(phone.ciphertext),
                SQLBind(phone.blindIndex), SQLBind(phone.masked), SQLBind(via), bindOrNull(invitation), SQLBind(now)
            ).run()
        try await db.sql.insert(into: "resident_households").columns("id", "account_id", "household_id")
            .values(SQLBind(UUID()), SQLBind(account), SQLBind(household)).run()
    }

    /// Revokes a usable letter of a household in `scope`; false when there is none (used, revoked,
    /// expired, or outside the scope: the same answer).
    static func revoke(_ id: UUID, in scope: GridScope, by username: String, reason: String, now: Date, on db: any Database) async throws
        -> Bool
    {
        struct Row: Decodable { var id: UUID }
        let rows = try await db.sql.raw(
            """
            UPDATE resident_invitations SET revoked_at = \(bind: now), revoked_by = \(bind: username), revoke_reason = \(bind: reason)
            WHERE id = \(bind: id) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
              AND \(scope.contains(SQLColumn("grid_node_id")))
            RETURNING id
            """
        ).all(decoding: Row.self)
        return !rows.isEmpty
    }
}

extension InvitationQueries {
    /// Letters of a household still usable, of one kind.
    static func usableCount(household: HouseholdID, kind: String, now: Date, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM resident_invitations WHERE household_id = \(bind: household) AND kind = \(bind: kind)
              AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    struct Place: Decodable, Sendable { var grid_node_id: UUID; var subdistrict_id: UUID? }

    /// Where a household inside `scope` lies; nil when it is not there (or does not exist).
    static func household(_ id: HouseholdID, in scope: GridScope, on db: any Database) async throws -> Place? {
        try await db.sql.raw(
            """
            SELECT grid_node_id, subdistrict_id FROM households WHERE id = \(bind: id) AND \(scope.contains(SQLColumn("grid_node_id")))
            """
        ).first(decoding: Place.self)
    }
}

extension InvitationQueries {
    struct ResidentAccount: Codable, Sendable, Equatable { var household_id: HouseholdID; var username: String; var display_name: String }

    /// The resident accounts linked to the households of the building group `node`.
    static func residentAccounts(of node: UUID, on db: any Database) async throws -> [ResidentAccount] {
        try await db.sql.raw(
            """
            SELECT rh.household_id, a.username, a.display_name FROM resident_households rh JOIN households h ON h.id = rh.household_id
            JOIN accounts a ON a.id = rh.account_id WHERE h.grid_node_id = \(bind: node) ORDER BY a.username
            """
        ).all(decoding: ResidentAccount.self)
    }

    /// A resident account bound inside `scope`, by username; nil when there is none there.
    static func residentAccount(_ username: String, in scope: GridScope, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            SELECT a.id FROM accounts a WHERE a.username = \(bind: username.lowercased()) AND a.role = \(bind: Role.resident.rawValue)
              AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: Row.self)?.id
    }
}
