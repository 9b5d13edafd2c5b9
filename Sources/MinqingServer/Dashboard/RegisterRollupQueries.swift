import Fluent
import SQLKit

/// The register's rollups (`grid_counts`, `tag_counts`) and the 十必访 households
/// (`must_visit_households`) around a bulk load: their triggers off
/// while the rows go in, then counted once and the triggers back, in the caller's transaction.
/// The demo writes ~120,000 households and persons and ~170,000 tag assignments; on SQLite each
/// row would otherwise update the counts of its node's every ancestor (seven) as it goes in.
package enum RegisterRollups {
    package static func loading<T: Sendable>(on db: any Database, _ body: () async throws -> T) async throws -> T {
        let sql = db.sql
        let postgres = sql.dialect.name == "postgresql"
        let grid = CreateGridCounts.triggers(postgres: postgres), tags = CreateTagCounts.triggers(postgres: postgres)
        let mustVisit = CreateMustVisitHouseholds.triggers(postgres: postgres)
        try await sql.run(statements: grid.drop + tags.drop + mustVisit.drop)
        let result = try await body()
        try await sql.run(
            statements: ["DELETE FROM grid_counts", "DELETE FROM tag_counts", CreateGridCounts.backfill, CreateTagCounts.backfill] + grid.create
                + tags.create)
        try await MustVisitQueries.rebuild(on: db)
        try await sql.run(statements: mustVisit.create)
        return result
    }
}
