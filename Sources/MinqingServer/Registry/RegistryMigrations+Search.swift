import Fluent
import SQLKit

/// Indexes for the register's search by name (居民库搜索, `RegistryQueries.search`): the name, and
/// the name from its second character on (the given name, so that 建国 finds 王建国). Each is read
/// as a prefix range, `name >= q AND name < q⁺` (`RegisterSearchText.prefixUpperBound`), which
/// an ordinary index serves on both databases where `LIKE 'q%'` would not (SQLite uses an index
/// for LIKE only under NOCASE; PostgreSQL only in the "C" locale or with pattern operators).
/// On PostgreSQL both indexes are in the "C" collation: its order is the code-point order the
/// range needs, whatever collation the database was created with, and the queries compare in it.
struct AddPersonNameSearchIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        if database.dialectName == "postgresql" {
            try await sql.raw(#"CREATE INDEX persons_name_search ON persons (name COLLATE "C")"#).run()
            try await sql.raw(#"CREATE INDEX persons_given_name_search ON persons ((substr(name, 2)) COLLATE "C")"#).run()
        } else {
            try await sql.raw("CREATE INDEX persons_name_search ON persons (name)").run()
            try await sql.raw("CREATE INDEX persons_given_name_search ON persons (substr(name, 2))").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "persons_given_name_search").run()
        try await database.sql.drop(index: "persons_name_search").run()
    }
}
