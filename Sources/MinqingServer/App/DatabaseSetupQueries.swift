import Fluent
import SQLKit

/// Connection and database set-up statements run once at start-up (`configure`), before any
/// capability's statement: no capability's tables.
package enum DatabaseSetupQueries {
    /// The page cache of each SQLite connection, in KiB (`PRAGMA cache_size` takes it negated).
    package static let sqliteCacheKiB = 32768

    /// Switches an SQLite database file to write-ahead logging (a setting of the file); returns nothing.
    static func enableWAL(on db: any Database) async throws {
        try await db.sql.raw("PRAGMA journal_mode=WAL").run()
    }

    /// Sets the per-connection SQLite pragmas (synchronous=NORMAL; busy_timeout, so a waiting
    /// writer sleeps instead of spinning; a 32 MiB page cache, so a report's scan of the cases or
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

    /// Runs `body` (a bulk insert into `table`) with the table's plain secondary indexes dropped,
    /// then creates them again from their own definitions, in the caller's transaction: building
    /// an index once from sorted rows beats updating it at random for each of millions of rows (the
    /// demo's 1.8 M aid records, two thirds of its load). Unique indexes stay (they guard the rows).
    package static func withoutSecondaryIndexes<T: Sendable>(on table: String, _ db: any Database, _ body: () async throws -> T) async throws
        -> T
    {
        let sql = db.sql
        let indexes: [IndexDefinition]
        if sql.dialect.name == "postgresql" {
            // From the catalogue, not `pg_indexes`: that view spells out every index of the
            // database, and one of a schema being dropped meanwhile fails the statement.
            indexes = try await sql.raw(
                """
                SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
                FROM pg_class t JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
                WHERE t.relname = \(bind: table) AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisunique
                """
            ).all(decoding: IndexDefinition.self)
        } else {
            indexes = try await sql.raw(
                """
                SELECT name, sql AS definition FROM sqlite_master
                WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
                """
            ).all(decoding: IndexDefinition.self)
        }
        for index in indexes { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
        let result = try await body()
        for index in indexes { try await sql.raw("\(unsafeRaw: index.definition)").run() }
        return result
    }

    struct IndexDefinition: Decodable { var name: String; var definition: String }
}
