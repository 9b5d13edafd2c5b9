import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The SQL of identity holds (`IdentityHolds`): writing holds with their records, finding the
/// numbers a register already carries, and the reviewers' queue and decisions.
enum IdentityHoldQueries {
    /// Writes `holds` (open, submitted by `actorName` at `now`), in the caller's transaction; writes nothing for none.
    static func insert(_ holds: [IdentityHolds.NewHold], by actorName: String, at now: Date, on db: any Database) async throws {
        guard !holds.isEmpty else { return }
        var inserter = BulkInserter(
            table: "identity_holds",
            columns: [
                "id", "subdistrict_id", "kind", "record_id", "id_index",
                "grid_node_id", "submitted_by", "submitted_at", "status"
            ])
        for hold in holds {
            try await inserter.add(
                [
                    SQLBind(hold.id), bindOrNull(hold.subdistrictID), SQLBind(hold.kind.rawValue), SQLBind(hold.recordID),
                    SQLBind(hold.idIndex), SQLBind(hold.nodeID), SQLBind(actorName), SQLBind(now),
                    SQLBind(IdentityHolds.Status.open.rawValue)
                ], on: db)
        }
        try await inserter.flush(on: db)
    }

    // MARK: Persons

    /// The persons inside `authority`'s scope that carry one of `indexes`, by index: registered
    /// ones, and those written under an open hold (by the index they will carry).
    static func personsInScope(_ indexes: [String], authority: RegisterAuthority, on db: any Database) async throws -> [String: UUID] {
        struct Row: Decodable { var id: UUID; var idx: String }
        var found: [String: UUID] = [:]
        for batch in ImportBatch.slices(Array(Set(indexes)), of: 2_000) {
            let list = Array(batch)
            let rows = try await db.sql.raw(
                """
                SELECT p.id, p.id_index AS idx FROM persons p
                WHERE p.id_index IN (\(binds: list)) AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
                UNION ALL
                SELECT p.id, h.id_index AS idx FROM identity_holds h JOIN persons p ON p.id = h.record_id
                WHERE h.kind = 'person' AND h.status = 'open' AND h.id_index IN (\(binds: list))
                  AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
                """
            ).all(decoding: Row.self)
            for row in rows { found[row.idx] = row.id }
        }
        return found
    }

    /// Which of `indexes` a person anywhere carries. Used only to decide that a new record must
    /// wait on a hold; the caller is never told.
    static func personsAnywhere(_ indexes: [String], on db: any Database) async throws -> Set<String> {
        struct Row: Decodable { var id_index: String }
        var found = Set<String>()
        for batch in ImportBatch.slices(Array(Set(indexes)), of: 2_000) {
            for row in try await db.sql.raw("SELECT id_index FROM persons WHERE id_index IN (\(binds: Array(batch)))")
                .all(decoding: Row.self)
            { found.insert(row.id_index) }
        }
        return found
    }

    // MARK: Owners

    /// Owners that carry one of `indexes` and own a dwelling inside the scope (or were written
    /// under an open hold with one), by index: these are reused by a dwelling import.
    static func ownersInScope(_ indexes: [String], authority: RegisterAuthority, on db: any Database) async throws
        -> [String: (id: UUID, name: String)]
    {
        struct Row: Decodable { var id: UUID; var name: String; var idx: String }
        var found: [String: (id: UUID, name: String)] = [:]
        let inScope: SQLQueryString = """
            EXISTS (SELECT 1 FROM dwelling_owners x JOIN dwellings d ON d.id = x.dwelling_id
                    WHERE x.owner_id = o.id AND \(authority.contains(SQLColumn("grid_node_id", table: "d"))))
            """
        for batch in ImportBatch.slices(Array(Set(indexes)), of: 2_000) {
            let list = Array(batch)
            let rows = try await db.sql.raw(
                """
                SELECT o.id, o.name, o.id_index AS idx FROM owners o WHERE o.id_index IN (\(binds: list)) AND \(inScope)
                UNION ALL
                SELECT o.id, o.name, h.id_index AS idx FROM identity_holds h JOIN owners o ON o.id = h.record_id
                WHERE h.kind = 'owner' AND h.status = 'open' AND h.id_index IN (\(binds: list)) AND \(inScope)
                """
            ).all(decoding: Row.self)
            for row in rows { found[row.idx] = (row.id, row.name) }
        }
        return found
    }

    /// Which of `indexes` an owner anywhere carries (never told to the caller).
    static func ownersAnywhere(_ indexes: [String], on db: any Database) async throws -> Set<String> {
        struct Row: Decodable { var id_index: String }
        var found = Set<String>()
        for batch in ImportBatch.slices(Array(Set(indexes)), of: 2_000) {
            for row in try await db.sql.raw("SELECT id_index FROM owners WHERE id_index IN (\(binds: Array(batch)))")
                .all(decoding: Row.self)
            { found.insert(row.id_index) }
        }
        return found
    }

    // MARK: Review

    /// The holds whose existing record lies in `actor`'s scope (hold `h`), as SQL.
    static func visibleToReviewer(_ actor: Actor) -> SQLQueryString {
        """
        ((h.kind = 'person' AND EXISTS (SELECT 1 FROM persons e WHERE e.id_index = h.id_index
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "e")))))
         OR (h.kind = 'owner' AND EXISTS (SELECT 1 FROM owners e JOIN dwelling_owners x ON x.owner_id = e.id
              JOIN dwellings d ON d.id = x.dwelling_id WHERE e.id_index = h.id_index
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "d"))))))
        """
    }

    /// The open holds `actor` reviews (only the one with `id` when given), oldest first, at most 200.
    static func open(for actor: Actor, id: UUID?, on db: any Database) async throws -> [IdentityHolds.Row] {
        let one: SQLQueryString = id.map { "AND h.id = \(bind: $0)" } ?? ""
        return try await db.sql.raw(
            """
            SELECT h.id AS id, h.kind AS kind, h.submitted_by AS submitted_by, h.submitted_at AS submitted_at, np.name AS new_name, np.id_masked AS new_id_masked,
                   nn.code AS new_grid_code, nn.name AS new_grid_name, e.id AS existing_id, e.name AS existing_name,
                   en.code AS existing_grid_code, en.name AS existing_grid_name
            FROM identity_holds h JOIN persons np ON np.id = h.record_id JOIN grid_nodes nn ON nn.id = h.grid_node_id
            JOIN persons e ON e.id_index = h.id_index JOIN grid_nodes en ON en.id = e.grid_node_id
            WHERE h.kind = 'person' AND h.status = 'open' AND \(visibleToReviewer(actor)) \(one)
            UNION ALL
            SELECT h.id AS id, h.kind AS kind, h.submitted_by AS submitted_by, h.submitted_at AS submitted_at, no.name AS new_name, no.id_masked AS new_id_masked,
                   nn.code AS new_grid_code, nn.name AS new_grid_name, e.id AS existing_id, e.name AS existing_name,
                   NULL AS existing_grid_code, NULL AS existing_grid_name
            FROM identity_holds h JOIN owners no ON no.id = h.record_id JOIN grid_nodes nn ON nn.id = h.grid_node_id
            JOIN owners e ON e.id_index = h.id_index
            WHERE h.kind = 'owner' AND h.status = 'open' AND \(visibleToReviewer(actor)) \(one)
            ORDER BY submitted_at, id LIMIT 200
            """
        ).all(decoding: IdentityHolds.Row.self)
    }

    /// The record and the index of a hold that was just resolved.
    struct Held: Decodable, Sendable { var record_id: UUID; var id_index: String }

    /// Resolves hold `id` with `decision` if it is still open (inside the caller's transaction);
    /// returns its record and index, nil when it is not open.
    static func resolve(_ id: UUID, decision: IdentityHolds.Status, note: String, by writer: WriteContext, on db: any Database) async throws -> Held?
    {
        try await db.sql.raw(
            """
            UPDATE identity_holds SET status = \(bind: decision.rawValue), resolved_by = \(bind: writer.actor.username),
                   resolved_at = \(bind: writer.now), note = \(bind: note)
            WHERE id = \(bind: id) AND status = 'open' RETURNING record_id, id_index
            """
        ).first(decoding: Held.self)
    }

    /// The id of the person that carries `index`, if any.
    static func person(index: String, on db: any Database) async throws -> PersonID? {
        struct Old: Decodable { var id: PersonID }
        return try await db.sql.raw("SELECT id FROM persons WHERE id_index = \(bind: index)").first(decoding: Old.self)?.id
    }

    /// Retires person `old`'s index (`moved:<id>`) and ends their residence on `movedOutOn` unless it has ended; writes the person.
    static func retire(person old: PersonID, movedOutOn: String, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE persons SET id_index = \(bind: "moved:" + old.uuidString.lowercased()),
                   moved_out_on = COALESCE(moved_out_on, \(bind: movedOutOn)) WHERE id = \(bind: old)
            """
        ).run()
    }

    /// Gives `person` the blind index `index`; writes the person.
    static func setIndex(person: PersonID, index: String, on db: any Database) async throws {
        try await db.sql.raw("UPDATE persons SET id_index = \(bind: index) WHERE id = \(bind: person)").run()
    }

    /// Moves owner `owner`'s dwellings and account bindings to owner `existing` (those already there are kept once); writes both.
    static func moveOwnerLinks(owner: UUID, into existing: UUID, on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO dwelling_owners (dwelling_id, owner_id)
            SELECT dwelling_id, \(bind: existing) FROM dwelling_owners WHERE owner_id = \(bind: owner)
            ON CONFLICT DO NOTHING
            """
        ).run()
        try await db.sql.raw("DELETE FROM dwelling_owners WHERE owner_id = \(bind: owner)").run()
        try await db.sql.raw(
            """
            INSERT INTO owner_accounts (account_id, owner_id, created_by, created_at, proof)
            SELECT account_id, \(bind: existing), created_by, created_at, proof FROM owner_accounts WHERE owner_id = \(bind: owner)
            ON CONFLICT DO NOTHING
            """
        ).run()
        try await db.sql.raw("DELETE FROM owner_accounts WHERE owner_id = \(bind: owner)").run()
    }

    /// How many ballot electorates and votes count owner `owner`.
    static func ballotUses(owner: UUID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM ballot_elector_owners WHERE owner_id = \(bind: owner))
                 + (SELECT COUNT(*) FROM owners_votes WHERE owner_id = \(bind: owner)) AS n
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Deletes owner `owner`.
    static func deleteOwner(_ owner: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM owners WHERE id = \(bind: owner)").run()
    }

    /// Retires owner `owner`'s index (`merged:<id>`); writes the owner.
    static func retire(owner: UUID, on db: any Database) async throws {
        try await db.sql.raw("UPDATE owners SET id_index = \(bind: "merged:" + owner.uuidString.lowercased()) WHERE id = \(bind: owner)").run()
    }

    /// Whether a person's number was found to belong to someone else (shown to the staff of the
    /// person's own scope, who must check it against the resident's document).
    static func unverified(person: PersonID, on db: any Database) async throws -> Bool {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM identity_holds WHERE record_id = \(bind: person) AND status = 'different_person'
            """
        ).first(decoding: N.self).map { $0.n > 0 } ?? false
    }
}
