import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// What moved on a resident's own cases (the resident's home: "replies on their messages").
extension CasesQueries {
    /// One step someone else took on the resident's case.
    struct Update: Decodable, Sendable {
        var case_id: UUID; var number: String; var title: String; var action: String; var to_state: CaseState
        var actor_role: String; var reason: String; var at: Date
    }

    /// The steps others took since `since` on the cases the account submitted, newest first. The
    /// account's own steps (its report, its rating) are not news to it. Every step moves its
    /// case's `updated_at`, so only cases updated since then are read (by `cases_submitter`),
    /// then their steps by `case_transitions_case`; without it PostgreSQL scanned every step of
    /// every case (35 ms at scale 1).
    static func updates(forSubmitter account: UUID, since: Date, limit: Int, on db: any Database) async throws -> [Update] {
        try await db.sql.raw(
            """
            SELECT c.id AS case_id, c.number, c.title, t.action, t.to_state, t.actor_role, t.reason, t.at
            FROM cases c JOIN case_transitions t ON t.case_id = c.id
            WHERE c.submitter_account_id = \(bind: account) AND c.updated_at >= \(bind: since) AND t.at >= \(bind: since)
              AND (t.actor_id IS NULL OR t.actor_id <> \(bind: account))
            ORDER BY t.at DESC, t.seq DESC LIMIT \(count: limit)
            """
        ).all(decoding: Update.self)
    }
}
