import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Reviewing identity holds: staff who may reveal numbers see the open holds whose *existing*
/// record lies in their scope, and say whether the new record is the same person.
extension IdentityHolds {
    /// Who reviews holds: the roles that may reveal numbers (they compare the two records).
    static func reviews(_ role: Role) -> Bool { role.mayRevealPersonalNumbers }

    /// An open hold as its reviewer sees it: the new record (name, masked number, building group,
    /// who entered it) beside the existing one in the reviewer's scope.
    struct Row: Content, Equatable {
        var id: UUID
        var kind: Kind
        var submitted_by: String
        var submitted_at: Date
        var new_name: String
        var new_id_masked: String?
        var new_grid_code: String
        var new_grid_name: String
        var existing_id: UUID
        var existing_name: String
        var existing_grid_code: String?
        var existing_grid_name: String?
    }

    static func visibleToReviewer(_ actor: Actor) -> SQLQueryString {
        """
        ((h.kind = 'person' AND EXISTS (SELECT 1 FROM persons e WHERE e.id_index = h.id_index
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "e")))))
         OR (h.kind = 'owner' AND EXISTS (SELECT 1 FROM owners e JOIN dwelling_owners x ON x.owner_id = e.id
              JOIN dwellings d ON d.id = x.dwelling_id WHERE e.id_index = h.id_index
              AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "d"))))))
        """
    }

    /// The open holds the caller reviews, oldest first (at most 200).
    static func open(for actor: Actor, id: UUID? = nil, on db: any Database) async throws -> [Row] {
        guard reviews(actor.role) else { throw AppError.forbidden }
        let one: SQLQueryString = id.map { "AND h.id = \(bind: $0)" } ?? ""
        return try await db.sql.raw("""
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
            """).all(decoding: Row.self)
    }

    struct Decision: Content, Sendable { var decision: String?; var note: String? }

    /// Resolves an open hold the caller reviews, in one transaction with its audit entry.
    /// Same person: a person's old record is kept as history (moved out today, its index retired)
    /// and the new one takes the number; an owner's new record is merged into the existing one.
    /// Different person: the new record keeps its placeholder, marked unverified.
    static func resolve(_ id: UUID, _ input: Decision, writer: WriteContext, on db: any Database) async throws -> Status {
        guard reviews(writer.actor.role) else { throw AppError.forbidden }
        guard let decision = input.decision.flatMap(Status.init(rawValue:)), decision != .open else {
            throw AppError.validation("decision", zh: "请选择“同一人”或“不是同一人”", en: "Choose the same person or a different person")
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500 else { throw AppError.validation("note", zh: "说明最多 500 字", en: "The note has at most 500 characters") }
        let notFound = AppError.notFound("待核验记录不存在、已处理或不在您的管辖范围内", "No such open hold in your scope")
        guard let hold = try await open(for: writer.actor, id: id, on: db).first else { throw notFound }
        let today = CivilDate(writer.now, in: .shanghai).iso8601
        try await db.write { db in
            struct Held: Decodable { var record_id: UUID; var id_index: String }
            // Taken again inside the transaction: a hold is resolved once.
            guard let held = try await db.sql.raw("""
                UPDATE identity_holds SET status = \(bind: decision.rawValue), resolved_by = \(bind: writer.actor.username),
                       resolved_at = \(bind: writer.now), note = \(bind: note)
                WHERE id = \(bind: id) AND status = 'open' RETURNING record_id, id_index
                """).first(decoding: Held.self) else { throw notFound }
            if decision == .samePerson {
                switch hold.kind {
                case .person: try await takeOver(person: held.record_id, index: held.id_index, movedOutOn: today, on: db)
                case .owner: try await merge(owner: held.record_id, into: hold.existing_id, index: held.id_index, on: db)
                }
            }
            try await AuditLog.append(AuditEntry(action: "identity_hold.resolved", actorID: writer.actor.accountID,
                                                 actorName: writer.actor.username, targetType: hold.kind.rawValue,
                                                 targetID: held.record_id.uuidString,
                                                 detail: ["hold": id.uuidString, "decision": decision.rawValue,
                                                          "existing": hold.existing_id.uuidString],
                                                 clientAddress: writer.address), at: writer.now, on: db)
        }
        return decision
    }

    /// The person moved: the old record keeps its history under a retired index and ends today;
    /// the new record takes the number.
    static func takeOver(person: UUID, index: String, movedOutOn: String, on db: any Database) async throws {
        struct Old: Decodable { var id: UUID }
        if let old = try await db.sql.raw("SELECT id FROM persons WHERE id_index = \(bind: index)").first(decoding: Old.self) {
            try await db.sql.raw("""
                UPDATE persons SET id_index = \(bind: "moved:" + old.id.uuidString.lowercased()),
                       moved_out_on = COALESCE(moved_out_on, \(bind: movedOutOn)) WHERE id = \(bind: old.id)
                """).run()
        }
        try await db.sql.raw("UPDATE persons SET id_index = \(bind: index) WHERE id = \(bind: person)").run()
    }

    /// One owner entered twice: the new record's dwellings and bindings move to the existing one
    /// (a headcount counts one owner once), and the new record goes; if a ballot has already
    /// counted it, it stays, its index retired, so that ballot's snapshot keeps its meaning.
    static func merge(owner: UUID, into existing: UUID, index: String, on db: any Database) async throws {
        try await db.sql.raw("""
            INSERT INTO dwelling_owners (dwelling_id, owner_id)
            SELECT dwelling_id, \(bind: existing) FROM dwelling_owners WHERE owner_id = \(bind: owner)
            ON CONFLICT DO NOTHING
            """).run()
        try await db.sql.raw("DELETE FROM dwelling_owners WHERE owner_id = \(bind: owner)").run()
        try await db.sql.raw("""
            INSERT INTO owner_accounts (account_id, owner_id, created_by, created_at, proof)
            SELECT account_id, \(bind: existing), created_by, created_at, proof FROM owner_accounts WHERE owner_id = \(bind: owner)
            ON CONFLICT DO NOTHING
            """).run()
        try await db.sql.raw("DELETE FROM owner_accounts WHERE owner_id = \(bind: owner)").run()
        struct N: Decodable { var n: Int }
        let counted = try await db.sql.raw("""
            SELECT (SELECT COUNT(*) FROM ballot_elector_owners WHERE owner_id = \(bind: owner))
                 + (SELECT COUNT(*) FROM owners_votes WHERE owner_id = \(bind: owner)) AS n
            """).first(decoding: N.self)?.n ?? 0
        if counted == 0 {
            try await db.sql.raw("DELETE FROM owners WHERE id = \(bind: owner)").run()
        } else {
            try await db.sql.raw("UPDATE owners SET id_index = \(bind: "merged:" + owner.uuidString.lowercased()) WHERE id = \(bind: owner)").run()
        }
    }

    /// Whether a person's number was found to belong to someone else (shown to the staff of the
    /// person's own scope, who must check it against the resident's document).
    static func unverified(person: UUID, on db: any Database) async throws -> Bool {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw("""
            SELECT COUNT(*) AS n FROM identity_holds WHERE record_id = \(bind: person) AND status = 'different_person'
            """).first(decoding: N.self).map { $0.n > 0 } ?? false
    }
}
