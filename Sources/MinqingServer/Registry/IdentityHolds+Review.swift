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

    /// The open holds the caller reviews, oldest first (at most 200).
    static func open(for actor: Actor, id: UUID? = nil, on db: any Database) async throws -> [Row] {
        guard reviews(actor.role) else { throw AppError.forbidden }
        return try await IdentityHoldQueries.open(for: actor, id: id, on: db)
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
            // Taken again inside the transaction: a hold is resolved once.
            guard let held = try await IdentityHoldQueries.resolve(id, decision: decision, note: note, by: writer, on: db) else { throw notFound }
            if decision == .samePerson {
                switch hold.kind {
                case .person: try await takeOver(person: PersonID(held.record_id), index: held.id_index, movedOutOn: today, on: db)
                case .owner: try await merge(owner: held.record_id, into: hold.existing_id, index: held.id_index, on: db)
                }
            }
            try await AuditLog.append(
                AuditEntry(
                    action: "identity_hold.resolved", actorID: writer.actor.accountID,
                    actorName: writer.actor.username, targetType: hold.kind.rawValue,
                    targetID: held.record_id.uuidString,
                    detail: [
                        "hold": id.uuidString, "decision": decision.rawValue,
                        "existing": hold.existing_id.uuidString
                    ],
                    clientAddress: writer.address), at: writer.now, on: db)
        }
        return decision
    }

    /// The person moved: the old record keeps its history under a retired index and ends today;
    /// the new record takes the number.
    static func takeOver(person: PersonID, index: String, movedOutOn: String, on db: any Database) async throws {
        if let old = try await IdentityHoldQueries.person(index: index, on: db) {
            try await IdentityHoldQueries.retire(person: old, movedOutOn: movedOutOn, on: db)
        }
        try await IdentityHoldQueries.setIndex(person: person, index: index, on: db)
    }

    /// One owner entered twice: the new record's dwellings and bindings move to the existing one
    /// (a headcount counts one owner once), and the new record goes; if a ballot has already
    /// counted it, it stays, its index retired, so that ballot's snapshot keeps its meaning.
    static func merge(owner: UUID, into existing: UUID, index: String, on db: any Database) async throws {
        try await IdentityHoldQueries.moveOwnerLinks(owner: owner, into: existing, on: db)
        let counted = try await IdentityHoldQueries.ballotUses(owner: owner, on: db)
        if counted == 0 {
            try await IdentityHoldQueries.deleteOwner(owner, on: db)
        } else {
            try await IdentityHoldQueries.retire(owner: owner, on: db)
        }
    }
}
