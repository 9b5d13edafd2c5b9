import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements of recording a visit (`VisitsService.write`): the visit with its households and
/// visitors' credits, the derived tallies, its findings and the register changes it made.
extension VisitsQueries {
    /// One register change a visit made, for `visit_register_changes`.
    struct RegisterChange: Sendable {
        var person: UUID
        var kind: String
        var assignment: UUID?
        var code: String?
        var field: String?
        var value: String?
    }

    /// Recounts `visit_day_tallies` (distinct households per visitor per date) from `visit_credits`
    /// for the given visitors on one date, or for everything when both are nil (demo load and
    /// the migration). An upsert of a recount, not an increment, so it is right however the
    /// credits came about. Runs inside the transaction that wrote the credits. Only the credits
    /// of visits that met the household count (`VisitOutcome.countsAsVisit`): a nobody-home
    /// attempt keeps its credits, to say who went, but is no visit toward a quota.
    package static func recountDayTallies(accounts: [UUID]? = nil, date: String? = nil, on db: any Database) async throws {
        var filter: SQLQueryString = "WHERE v.outcome = 'met'"
        if let accounts {
            guard !accounts.isEmpty else { return }
            filter = "\(filter) AND c.account_id IN (\(SQLList(accounts.map { SQLBind($0) })))"
        }
        if let date { filter = "\(filter) AND c.local_date = \(bind: date)" }
        try await db.sql.raw(
            """
            INSERT INTO visit_day_tallies (account_id, local_date, households)
            SELECT c.account_id, c.local_date, COUNT(DISTINCT c.household_id)
            FROM visit_credits c JOIN visits v ON v.id = c.visit_id \(filter)
            GROUP BY c.account_id, c.local_date
            ON CONFLICT (account_id, local_date) DO UPDATE SET households = excluded.households
            """
        ).run()
    }

    /// Adds the households of `visit` (or, without one, of every visit: the demo's bulk load into
    /// an empty table) to `visit_month_counts`, per grid node and month. An increment under the
    /// row's lock, in node order, so concurrent visits neither lose a count nor deadlock. Only
    /// households a visitor met count (`visit_households.outcome`); an attempt adds nothing.
    package static func addMonthCounts(visit: UUID? = nil, on db: any Database) async throws {
        // (SQLite needs a WHERE before an upsert's ON CONFLICT.)
        let only: SQLQueryString = visit.map { "WHERE x.outcome = 'met' AND x.visit_id = \(bind: $0)" } ?? "WHERE x.outcome = 'met'"
        try await db.sql.raw(
            """
            INSERT INTO visit_month_counts (grid_node_id, month, households)
            SELECT x.grid_node_id, SUBSTR(x.local_date, 1, 7), COUNT(*) FROM visit_households x \(only)
            GROUP BY x.grid_node_id, SUBSTR(x.local_date, 1, 7) ORDER BY x.grid_node_id
            ON CONFLICT (grid_node_id, month) DO UPDATE SET households = visit_month_counts.households + excluded.households
            """
        ).run()
    }

    /// Writes the visit (its first household the main one), its households and each visitor's credit for each household.
    static func insertVisit(_ p: VisitsService.Prepared, main first: VisitsService.HouseholdRef, writer: WriteContext, on db: any Database)
        async throws
    {
        let date = p.localDate.iso8601
        try await db.sql.insert(into: "visits")
            .columns(
                "id", "subdistrict_id", "household_id", "grid_node_id", "visited_at", "local_date", "method", "kind",
                "category_code", "follow_up_of", "booking_id", "summary", "outcome", "recorded_by", "created_at"
            )
            .values(
                SQLBind(p.id), bindOrNull(first.subdistrict), SQLBind(first.id), SQLBind(first.node), SQLBind(p.visitedAt),
                SQLBind(date), SQLBind(p.method.rawValue), SQLBind(p.kind.rawValue), bindOrNull(p.category), bindOrNull(p.followUpOf),
                bindOrNull(p.bookingID), SQLBind(p.summary), SQLBind(p.outcome.rawValue), SQLBind(writer.actor.accountID),
                SQLBind(writer.now)
            )
            .run()
        try await db.sql.insert(into: "visit_households").columns("visit_id", "household_id", "grid_node_id", "local_date", "outcome")
            .rows(p.households.map { [SQLBind(p.id), SQLBind($0.id), SQLBind($0.node), SQLBind(date), SQLBind(p.outcome.rawValue)] })
            .run()
        try await db.sql.insert(into: "visit_credits").columns("visit_id", "account_id", "household_id", "local_date")
            .rows(p.visitors.flatMap { visitor in p.households.map { [SQLBind(p.id), SQLBind(visitor), SQLBind($0.id), SQLBind(date)] } })
            .run()
    }

    /// Writes one finding of the visit, with the help request or case it became, if any.
    static func insertFinding(
        _ finding: VisitsService.PreparedFinding, visit: UUID, followUpKind: String?, followUp: UUID?, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "visit_findings")
            .columns("id", "visit_id", "household_id", "person_id", "need", "note", "follow_up_kind", "follow_up_id", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(visit), SQLBind(finding.household), bindOrNull(finding.person?.person),
                SQLBind(finding.need.rawValue), SQLBind(finding.note), bindOrNull(followUpKind),
                bindOrNull(followUp), SQLBind(writer.now)
            )
            .run()
    }

    /// Writes the register changes the visit made (one multi-row INSERT; at least one change).
    static func insertRegisterChanges(_ changes: [RegisterChange], visit: UUID, writer: WriteContext, on db: any Database) async throws {
        let rows: [[any SQLExpression]] = changes.map {
            [
                SQLBind(UUID()), SQLBind(visit), SQLBind($0.person), SQLBind($0.kind), bindOrNull($0.assignment), bindOrNull($0.code),
                bindOrNull($0.field), bindOrNull($0.value), SQLBind(writer.now)
            ]
        }
        try await db.sql.insert(into: "visit_register_changes")
            .columns("id", "visit_id", "person_id", "change", "tag_assignment_id", "tag_code", "field", "value", "created_at")
            .rows(rows).run()
    }
}
