import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Identity holds (身份核验待办): what happens when a person or an owner is registered with an
/// ID number the register already holds *outside* the registering person's scope.
///
/// The answer must not depend on data the caller may not see, so the new record is written
/// exactly as if the number were new; it only carries a placeholder blind index
/// (`held:<hold id>`, the real index stays unique to one record), and a hold waits for staff
/// whose scope holds the existing record. They decide: the same person (moved: the old record is
/// kept as history, the new one takes the number) or a different one (a wrong number: the new
/// record stays marked unverified for its own staff to check). Numbers already registered
/// *inside* the caller's scope are reported as before: the caller can read those anyway.
enum IdentityHolds {
    enum Kind: String, Codable, Sendable { case person, owner }

    enum Status: String, Codable, Sendable, CaseIterable {
        case open
        case samePerson = "same_person"
        case differentPerson = "different_person"
    }

    /// The index a held record carries until its hold is resolved.
    static func placeholder(_ hold: UUID) -> String { "held:" + hold.uuidString.lowercased() }

    /// A hold to write with its record, in the record's transaction.
    struct NewHold: Sendable {
        var id = UUID()
        var kind: Kind
        var recordID: UUID
        var idIndex: String
        var subdistrictID: UUID?
        var nodeID: UUID
    }

    static func insert(_ holds: [NewHold], by actorName: String, at now: Date, on db: any Database) async throws {
        guard !holds.isEmpty else { return }
        var inserter = BulkInserter(table: "identity_holds", columns: ["id", "subdistrict_id", "kind", "record_id", "id_index",
                                                                        "grid_node_id", "submitted_by", "submitted_at", "status"])
        for hold in holds {
            try await inserter.add([SQLBind(hold.id), bindOrNull(hold.subdistrictID), SQLBind(hold.kind.rawValue), SQLBind(hold.recordID),
                                    SQLBind(hold.idIndex), SQLBind(hold.nodeID), SQLBind(actorName), SQLBind(now),
                                    SQLBind(Status.open.rawValue)], on: db)
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
            let rows = try await db.sql.raw("""
                SELECT p.id, p.id_index AS idx FROM persons p
                WHERE p.id_index IN (\(binds: list)) AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
                UNION ALL
                SELECT p.id, h.id_index AS idx FROM identity_holds h JOIN persons p ON p.id = h.record_id
                WHERE h.kind = 'person' AND h.status = 'open' AND h.id_index IN (\(binds: list))
                  AND \(authority.contains(SQLColumn("grid_node_id", table: "p")))
                """).all(decoding: Row.self)
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
                .all(decoding: Row.self) { found.insert(row.id_index) }
        }
        return found
    }

    /// For each new person (by row), the index to store and the hold to write, if any:
    /// `registeredElsewhere` holds the indexes a person outside the scope carries.
    static func plan(indexes: [String?], registeredElsewhere: Set<String>, recordIDs: [UUID], nodes: [(UUID, UUID?)],
                     kind: Kind) -> (stored: [String?], holds: [NewHold]) {
        var stored: [String?] = []
        var holds: [NewHold] = []
        for (position, index) in indexes.enumerated() {
            guard let index, registeredElsewhere.contains(index) else { stored.append(index); continue }
            let hold = NewHold(kind: kind, recordID: recordIDs[position], idIndex: index, subdistrictID: nodes[position].1,
                               nodeID: nodes[position].0)
            stored.append(placeholder(hold.id))
            holds.append(hold)
        }
        return (stored, holds)
    }

    // MARK: Owners

    /// Owners that carry one of `indexes` and own a dwelling inside the scope (or were written
    /// under an open hold with one), by index: these are reused by a dwelling import.
    static func ownersInScope(_ indexes: [String], authority: RegisterAuthority, on db: any Database) async throws
        -> [String: (id: UUID, name: String)] {
        struct Row: Decodable { var id: UUID; var name: String; var idx: String }
        var found: [String: (id: UUID, name: String)] = [:]
        let inScope: SQLQueryString = """
            EXISTS (SELECT 1 FROM dwelling_owners x JOIN dwellings d ON d.id = x.dwelling_id
                    WHERE x.owner_id = o.id AND \(authority.contains(SQLColumn("grid_node_id", table: "d"))))
            """
        for batch in ImportBatch.slices(Array(Set(indexes)), of: 2_000) {
            let list = Array(batch)
            let rows = try await db.sql.raw("""
                SELECT o.id, o.name, o.id_index AS idx FROM owners o WHERE o.id_index IN (\(binds: list)) AND \(inScope)
                UNION ALL
                SELECT o.id, o.name, h.id_index AS idx FROM identity_holds h JOIN owners o ON o.id = h.record_id
                WHERE h.kind = 'owner' AND h.status = 'open' AND h.id_index IN (\(binds: list)) AND \(inScope)
                """).all(decoding: Row.self)
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
                .all(decoding: Row.self) { found.insert(row.id_index) }
        }
        return found
    }
}
