import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The writes of Open311 (`Open311Service`): clients' keys, and the attribute answers of a request.
extension Open311Queries {
    /// Writes a new live client of `jurisdiction` with its key's hash and hint.
    static func insertClient(
        id: UUID, jurisdiction: UUID, name: String, keyHash: String, keyHint: String, createdBy: String, at now: Date,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "open311_clients")
            .columns("id", "subdistrict_id", "name", "key_hash", "key_hint", "created_by", "created_at")
            .values(
                SQLBind(id), SQLBind(jurisdiction), SQLBind(name), SQLBind(keyHash), SQLBind(keyHint),
                SQLBind(createdBy), SQLBind(now)
            )
            .run()
    }

    /// Revokes the client's key at `now` unless it is revoked already.
    static func revokeClient(_ id: UUID, at now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE open311_clients SET revoked_at = \(bind: now) WHERE id = \(bind: id) AND revoked_at IS NULL").run()
    }

    /// Writes a new case's attribute answers (code → value), in code order.
    static func insertAttributeAnswers(case caseID: CaseID, _ answers: [String: String], on db: any Database) async throws {
        for (code, value) in answers.sorted(by: { $0.key < $1.key }) {
            try await db.sql.insert(into: "case_attribute_answers").columns("case_id", "code", "value")
                .values(SQLBind(caseID), SQLBind(code), SQLBind(value)).run()
        }
    }
}
