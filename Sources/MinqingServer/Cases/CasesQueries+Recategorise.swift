import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The reads and writes of a change of category (改类别) that `CasesService.recategorise` runs in
/// one transaction.
extension CasesQueries {
    struct CategoryRow: Decodable { var state: CaseState; var category_code: String }

    /// The state and category of the case `id`, if `actor` sees it; locked for the transaction on PostgreSQL.
    static func caseForRecategorise(_ id: CaseID, visibleTo actor: Actor, on db: any Database) async throws -> CategoryRow? {
        let lock = db.dialectName == "postgresql" ? "FOR UPDATE" : ""
        return try await db.sql.raw(
            "SELECT c.state, c.category_code FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor)) \(unsafeRaw: lock)"
        ).first(decoding: CategoryRow.self)
    }

    /// Gives the case the category `to` while it is still in `state` with the category `from`
    /// (its deadline, department and everything else as they are); the new `last_seq`, or nil
    /// when the case changed meanwhile.
    static func setCategory(
        _ id: CaseID, from: String, to: String, state: CaseState, now: Date, on db: any Database
    ) async throws -> Int? {
        struct Seq: Decodable { var last_seq: Int }
        return try await db.sql.raw(
            """
            UPDATE cases SET category_code = \(bind: to), updated_at = \(bind: now), last_seq = last_seq + 1
            WHERE id = \(bind: id) AND state = \(bind: state.rawValue) AND category_code = \(bind: from)
            RETURNING last_seq
            """
        ).first(decoding: Seq.self)?.last_seq
    }

    /// Writes the change of category numbered `seq` (the transition that records it), by the writer.
    static func insertRecategorisation(
        case id: CaseID, seq: Int, from: String, to: String, reason: String, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "case_recategorisations")
            .columns("id", "case_id", "seq", "from_code", "to_code", "reason", "actor_id", "at")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(seq), SQLBind(from), SQLBind(to), SQLBind(reason),
                SQLBind(writer.actor.accountID), SQLBind(writer.now)
            )
            .run()
    }
}
