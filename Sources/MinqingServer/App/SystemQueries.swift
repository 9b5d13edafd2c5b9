import Fluent
import SQLKit

/// The server's own reads (no capability's tables).
enum SystemQueries {
    /// Whether the database answered a trivial `SELECT 1` with a row (it throws when the database cannot be reached).
    @discardableResult
    static func ping(on db: any Database) async throws -> Bool {
        try await db.sql.raw("SELECT 1 AS ok").first() != nil
    }
}
