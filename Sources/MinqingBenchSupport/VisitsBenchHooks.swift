import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

/// The visit log's entry points for `minqing-bench`: the same functions the handlers call.
extension BenchHooks {
    /// A demo account as the actor of its own scope (nil when the account does not exist).
    public static func accountActor(_ app: Application, username: String) async throws -> BenchActor? {
        struct Row: Decodable { var id: UUID; var role: String; var subdistrict_id: UUID?; var grid_node_id: UUID }
        guard
            let row = try await app.db.sql.raw("SELECT id, role, subdistrict_id, grid_node_id FROM accounts WHERE username = \(bind: username)")
                .first(decoding: Row.self),
            let role = Role(rawValue: row.role), let node = try await GridQueries.node(id: row.grid_node_id, on: app.db)
        else { return nil }
        return BenchActor(
            actor: Actor(
                accountID: row.id, username: username, displayName: username, role: role, subdistrictID: row.subdistrict_id,
                scope: GridQueries.scope(rootedAt: node), sessionID: UUID(), via: "api", csrfToken: "",
                mustChangePassword: false))
    }

    /// On PostgreSQL, VACUUM ANALYZE of the visit tables (outside any transaction), as autovacuum
    /// does shortly after a bulk load: until the visibility map is set, index-only scans still
    /// visit the heap for every row (the compliance report reads 44,000 index entries). A no-op
    /// on SQLite.
    public static func settleVisitTables(_ app: Application) async throws {
        guard app.db.dialectName == "postgresql" else { return }
        for table in ["visits", "visit_households", "visit_credits", "visit_day_tallies", "visit_month_counts"] {
            try await app.db.sql.raw("VACUUM (ANALYZE) \(ident: table)").run()
        }
    }

    /// The compliance report of the actor's whole scope for the current year; returns the number of people in it.
    public static func visitsComplianceYear(_ app: Application, as actor: BenchActor) async throws -> Int {
        let today = CivilDate.today(now: app.services.now())
        return try await ComplianceQueries.report(
            in: actor.actor.scope, kind: .year, date: today, today: today,
            calendar: app.services.calendar, on: app.db
        ).people.count
    }

    /// The 十必访 households due in the actor's scope (one page); returns how many are due.
    public static func visitsMustVisitDue(_ app: Application, as actor: BenchActor) async throws -> Int {
        try await MustVisitQueries.report(
            actor: actor.actor, node: nil, category: nil, status: .due,
            today: CivilDate.today(now: app.services.now()), limit: 50, offset: 0, on: app.db
        ).total
    }

    /// A household to visit: one of its members, who does not hold `tag` yet.
    public struct VisitSample: Sendable { let household: UUID; let person: UUID; let tag: String }

    /// `count` households inside the actor's scope, picked with a seed, each with a member lacking
    /// the least used tag the role may see (so that adding it cannot collide).
    public static func visitSamples(_ app: Application, as actor: BenchActor, count: Int, seed: UInt64) async throws -> [VisitSample] {
        struct Tag: Decodable { var id: UUID; var code: String }
        guard
            let tag = try await app.db.sql.raw(
                """
                SELECT t.id, t.code FROM tags t LEFT JOIN tag_assignments a ON a.tag_id = t.id
                WHERE t.sensitive = \(flag: false) GROUP BY t.id, t.code ORDER BY COUNT(a.id), t.code LIMIT 1
                """
            ).first(decoding: Tag.self)
        else { return [] }
        struct Row: Decodable { var household_id: UUID; var id: UUID }
        let rows = try await app.db.sql.raw(
            """
            SELECT p.household_id, p.id FROM persons p
            WHERE p.relation = 'head' AND \(actor.actor.scope.contains(SQLColumn("grid_node_id", table: "p")))
              AND NOT EXISTS (SELECT 1 FROM tag_assignments a WHERE a.person_id = p.id AND a.tag_id = \(bind: tag.id))
            ORDER BY p.household_id LIMIT 20000
            """
        ).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        var rng = SeededGenerator(seed: seed)
        var picked = Set<Int>()
        while picked.count < min(count, rows.count) { picked.insert(Int(rng.next() % UInt64(rows.count))) }
        return picked.sorted().map { VisitSample(household: rows[$0].household_id, person: rows[$0].id, tag: tag.code) }
    }

    /// Records one visit the way `POST /api/v1/visits` does: checked, then written in one
    /// transaction with a tag added, a finding filed as a help request and the audit entries.
    public static func recordVisit(_ app: Application, _ sample: VisitSample, as actor: BenchActor) async throws {
        let now = app.services.now()
        let input = VisitInput(
            households: [sample.household], visitors: [], visited_at: now, method: "home", kind: "routine", category: nil,
            follow_up_of: nil, summary: "基准测试走访",
            findings: [.init(need: "care", note: "需要助餐", person_id: sample.person, help_request: true)],
            tags_added: [.init(person_id: sample.person, code: sample.tag)], tags_ended: [], person_updates: [])
        let prepared = try await VisitsService.prepare(input, actor: actor.actor, now: now, vault: app.services.vault, on: app.db)
        let writer = WriteContext(actor: actor.actor, now: now, address: "bench")
        try await app.db.write { db in try await VisitsService.write(prepared, by: writer, on: db) }
    }
}
