import Fluent
import SQLKit

/// The register's rollups (`grid_counts`, `tag_counts`) around a bulk load: their triggers off
/// while the rows go in, then counted once and the triggers back, in the caller's transaction.
/// The demo writes ~120,000 households and persons and ~170,000 tag assignments; row by row the
/// triggers added ~25 s to a scale-1 load on SQLite.
package enum RegisterRollups {
    package static func loading<T: Sendable>(on db: any Database, _ body: () async throws -> T) async throws -> T {
        let sql = db.sql
        let postgres = sql.dialect.name == "postgresql"
        let grid = CreateGridCounts.triggers(postgres: postgres), tags = CreateTagCounts.triggers(postgres: postgres)
        for statement in grid.drop + tags.drop { try await sql.raw("\(unsafeRaw: statement)").run() }
        let result = try await body()
        try await sql.raw("DELETE FROM grid_counts").run()
        try await sql.raw("DELETE FROM tag_counts").run()
        for statement in [CreateGridCounts.backfill, CreateTagCounts.backfill] + grid.create + tags.create {
            try await sql.raw("\(unsafeRaw: statement)").run()
        }
        return result
    }
}
