import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The dispatcher's stage deadline (`cases.stage_due_at`) outside a transition: the filing
/// deadline a new case gets at intake, inside the intake's transaction.
extension CasesQueries {
    /// Sets the stage deadline of the case `id` just written by the intake (nil: none).
    static func setStageDue(of id: CaseID, to due: Date?, on db: any Database) async throws {
        try await db.sql.raw("UPDATE cases SET stage_due_at = \(bindOrNull(due)) WHERE id = \(bind: id)").run()
    }
}
