import Fluent
import Foundation
import SQLKit

/// Writes of accounts' sessions that the sign-in pages need.
extension AccountQueries {
    /// Deletes the session with `id` (any kind; call it inside the caller's write transaction); returns nothing.
    static func deleteSession(_ id: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM auth_sessions WHERE id = \(bind: id)").run()
    }
}
