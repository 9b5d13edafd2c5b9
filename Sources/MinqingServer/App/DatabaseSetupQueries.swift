import Fluent
import SQLKit

/// Connection and database set-up statements run once at start-up (`configure`), before any
/// capability's statement: no capability's tables.
package enum DatabaseSetupQueries {
    /// The page cache of each SQLite connection, in KiB (`PRAGMA cache_size` takes it negated).
    package static let sqliteCacheKiB = 16384

    /// Switches an SQLite database file to write-ahead logging (a setting of the file); returns nothing.
    static func enableWAL(on db: any Database) async throws {
        try await db.sql.raw("PRAGMA journal_mode=WAL").run()
    }

    /// Sets the per-connection SQLite pragmas (synchronous=NORMAL; busy_timeout, so a waiting
    /// writer sleeps instead of spinning; a 16 MiB page cache, so a report's scan of the cases or
    /// the register's hot indexes is read from memory instead of ~2 MB at a time from the file,
    /// SQLite's default) on the connection `db` uses; returns nothing.
    static func setConnectionPragmas(on db: any Database) async throws {
        try await db.sql.raw("PRAGMA synchronous=NORMAL").run()
        try await db.sql.raw("PRAGMA busy_timeout=10000").run()
        try await db.sql.raw("PRAGMA cache_size=-\(unsafeRaw: String(sqliteCacheKiB))").run()
    }

    /// Creates the PostgreSQL schema `name` unless it exists; returns nothing.
    static func createSchema(_ name: String, on db: any Database) async throws {
        try await db.sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: name)").run()
    }

    /// Refreshes the planner's statistics of this database's tables: on PostgreSQL only those of
    /// the current schema (a bare ANALYZE would walk every schema in the database, waiting on
    /// other deployments' or test runs' locks); returns nothing.
    package static func analyzeTables(on db: any Database) async throws {
        guard db.dialectName == "postgresql" else {
            try await db.sql.raw("ANALYZE").run()
            return
        }
        struct Table: Decodable { var name: String }
        let tables = try await db.sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
            .all(decoding: Table.self)
        guard !tables.isEmpty else { return }
        try await db.sql.raw("ANALYZE \(SQLList(tables.map { SQLIdentifier($0.name) }))").run()
    }
}
