import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

/// The case loop's entry points for `minqing-bench`: the same functions the handlers call.
extension BenchHooks {
    /// The indicators of the actor's scope for the current year, grouped as the indicators page
    /// does by default (by department); returns the number of cases taken in.
    public static func casesIndicatorsYear(_ app: Application, as actor: BenchActor, by grouping: String = "department") async throws -> Int {
        let now = app.services.now()
        let report = try await CasesIndicatorQueries.report(
            year: CivilDate(now, in: .shanghai).year,
            by: CaseIndicatorGrouping(rawValue: grouping) ?? .department,
            actor: actor.actor, calendar: app.services.calendar, now: now, on: app.db)
        return report.total.counts.accepted
    }

    /// The dispatcher's board as its first page shows under a channel filter and a search, as the
    /// actor's board page reads it (the filters checked, the count of the filtered set, the page);
    /// returns how many cases match.
    public static func casesBoard(_ app: Application, as actor: BenchActor, channel: String, search: String) async throws -> Int {
        try await CasesBoard.firstPage(channel: channel, search: search, for: actor.actor, now: app.services.now(), on: app.db).total
    }

    /// On PostgreSQL, VACUUM ANALYZE of the case tables after the bulk load (as autovacuum would).
    public static func settleCaseTables(_ app: Application) async throws {
        guard app.db.dialectName == "postgresql" else { return }
        for table in ["cases", "case_transitions", "case_assignments"] {
            try await app.db.sql.raw("VACUUM (ANALYZE) \(ident: table)").run()
        }
    }
}
