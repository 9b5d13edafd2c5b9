import Fluent
import SQLKit

extension Database {
    /// The SQL view of this database (both drivers are SQL databases).
    var sql: any SQLDatabase { self as! any SQLDatabase }

    /// `"sqlite"` or `"postgresql"`.
    var dialectName: String { sql.dialect.name }

    /// Runs `body` in one write transaction: all of it commits or none of it does.
    ///
    /// On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front, so
    /// two writers that read first can never deadlock on the lock upgrade. On PostgreSQL it is an
    /// ordinary transaction. Must not be nested.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if dialectName == "sqlite" {
            return try await withConnection { conn in
                let sql = conn as! any SQLDatabase
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(conn)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
        return try await transaction { try await body($0) }
    }
}
