import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The SQL of correction requests (`CorrectionRequests`, PIPL art. 46).
extension PersonalDataQueries {
    /// The household a resident account is linked to, with where its rows go.
    struct Home: Decodable, Sendable { var household_id: HouseholdID; var grid_node_id: UUID; var subdistrict_id: UUID? }

    /// The household linked to the resident account `account`; nil when there is none.
    static func home(of account: UUID, on db: any Database) async throws -> Home? {
        try await db.sql.raw(
            """
            SELECT r.household_id, h.grid_node_id, h.subdistrict_id FROM resident_households r JOIN households h ON h.id = r.household_id
            WHERE r.account_id = \(bind: account)
            """
        ).first(decoding: Home.self)
    }

    /// How many persons with `id` the household `household` has (0 or 1).
    static func memberCount(person: PersonID, household: HouseholdID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM persons WHERE id = \(bind: person) AND household_id = \(bind: household)")
            .first(decoding: N.self)?.n ?? 0
    }

    /// Writes the open correction request `id` of `account` about `home` (a person in it, or the household).
    static func insertCorrection(
        _ id: UUID, home: Home, person: PersonID?, account: UUID, field: String, requested: String, cipher: String?,
        note: String, now: Date, on db: any Database
    ) async throws {
        try await db.sql.raw(
            """
            INSERT INTO correction_requests (id, subdistrict_id, grid_node_id, household_id, person_id, account_id, field, requested,
                                             requested_cipher, note, status, reply, handled_by, handled_at, created_at)
            VALUES (\(bind: id), \(bind: home.subdistrict_id), \(bind: home.grid_node_id), \(bind: home.household_id), \(bind: person),
                    \(bind: account), \(bind: field), \(bind: requested), \(bind: cipher), \(bind: note), 'open', NULL, NULL, NULL, \(bind: now))
            """
        ).run()
    }

    /// A correction request as its resident's own list reads it.
    struct MyCorrection: Decodable, Sendable {
        var id: UUID; var person_name: String?; var field: CorrectionRequests.Field; var requested: String; var status: CorrectionRequests.Status
        var reply: String?; var created_at: Date
    }

    /// The correction requests of the account `account`, newest first (at most 200).
    static func corrections(of account: UUID, on db: any Database) async throws -> [MyCorrection] {
        try await db.sql.raw(
            """
            SELECT c.id, p.name AS person_name, c.field, c.requested, c.status, c.reply, c.created_at
            FROM correction_requests c LEFT JOIN persons p ON p.id = c.person_id
            WHERE c.account_id = \(bind: account) ORDER BY c.created_at DESC LIMIT 200
            """
        ).all(decoding: MyCorrection.self)
    }

    /// The correction requests of households in `actor`'s scope (with `status` only, when given), open ones first (at most 500).
    static func correctionQueue(for actor: Actor, status: CorrectionRequests.Status?, on db: any Database) async throws -> [CorrectionRequests.Row] {
        let only: SQLQueryString = status.map { "AND c.status = \(bind: $0.rawValue)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT c.id, c.household_id, h.address, n.code AS grid_code, c.person_id, p.name AS person_name, c.field, c.requested, c.note,
                   c.status, c.reply, a.username AS submitted_by, c.created_at, c.handled_by
            FROM correction_requests c JOIN households h ON h.id = c.household_id JOIN grid_nodes n ON n.id = c.grid_node_id
            JOIN accounts a ON a.id = c.account_id LEFT JOIN persons p ON p.id = c.person_id
            WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "c"))) \(only)
            ORDER BY CASE c.status WHEN 'open' THEN 0 ELSE 1 END, c.created_at LIMIT 500
            """
        ).all(decoding: CorrectionRequests.Row.self)
    }

    /// Closes the open request `id` in the writer's scope with `status` and `reply` (inside the caller's
    /// transaction); returns whether there was one.
    static func answerCorrection(
        _ id: UUID, status: CorrectionRequests.Status, reply: String, by writer: WriteContext,
        on db: any Database
    ) async throws -> Bool {
        struct R: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE correction_requests SET status = \(bind: status.rawValue), reply = \(bind: reply), handled_by = \(bind: writer.actor.username),
                   handled_at = \(bind: writer.now)
            WHERE id = \(bind: id) AND status = 'open' AND \(writer.actor.scope.contains(SQLColumn("grid_node_id", table: "correction_requests")))
            RETURNING id
            """
        ).first(decoding: R.self) != nil
    }
}
