import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// `case_rollups` (kept by triggers on `cases`) equals a recount of the cases, after the demo and
/// after the kinds of write the workflow makes: a state change, a new department, a category
/// corrected, a case moved to another grid node, a verdict, a new case and a deleted one. The
/// oracle is a plain `GROUP BY` over the cases of each node's subtree, written here.
@Suite("Dashboard: the case rollup follows every write")
struct DashboardRollupTests {
    struct Count: Decodable, Hashable {
        var node: String; var year: Int64; var dim: String; var key: String; var state: String; var filed: Int64; var on_time: Int64
        var verdict: String; var n: Int64
    }

    /// The rollup's non-zero rows of the subdistrict and of every residential area.
    static func rollup(_ sql: any SQLDatabase) async throws -> Set<Count> {
        Set(
            try await sql.raw(
                """
                SELECT g.code AS node, CAST(r.year AS BIGINT) AS year, r.dim, r.key, r.state, CAST(r.filed AS BIGINT) AS filed,
                       CAST(r.on_time AS BIGINT) AS on_time, r.verdict, CAST(r.n AS BIGINT) AS n
                FROM case_rollups r JOIN grid_nodes g ON g.id = r.node_id
                WHERE g.level IN ('subdistrict', 'residential_area') AND r.n <> 0
                """
            ).all(decoding: Count.self))
    }

    /// The same, counted from the cases.
    static func recount(_ sql: any SQLDatabase) async throws -> Set<Count> {
        var all: Set<Count> = []
        for (dim, key) in [("department", "COALESCE(CAST(c.department_id AS TEXT), '-')"), ("category", "c.category_code"), ("channel", "c.channel")]
        {
            let rows = try await sql.raw(
                """
                SELECT g.code AS node, CAST(SUBSTR(c.reported_on, 1, 4) AS BIGINT) AS year, \(bind: dim) AS dim, \(unsafeRaw: key) AS key,
                       c.state, CAST(CASE WHEN c.filed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS filed,
                       CAST(CASE WHEN c.state IN ('closed', 'evaluated') AND c.handled_at <= c.due_at THEN 1 ELSE 0 END AS BIGINT) AS on_time,
                       COALESCE(c.verdict, '') AS verdict, CAST(COUNT(*) AS BIGINT) AS n
                FROM cases c JOIN grid_closure gc ON gc.descendant_id = c.grid_node_id JOIN grid_nodes g ON g.id = gc.ancestor_id
                WHERE g.level IN ('subdistrict', 'residential_area')
                GROUP BY g.code, SUBSTR(c.reported_on, 1, 4), \(unsafeRaw: key), c.state, CASE WHEN c.filed_at IS NULL THEN 0 ELSE 1 END,
                         CASE WHEN c.state IN ('closed', 'evaluated') AND c.handled_at <= c.due_at THEN 1 ELSE 0 END, COALESCE(c.verdict, '')
                """
            ).all(decoding: Count.self)
            all.formUnion(rows)
        }
        return all
    }

    static func expectSame(_ sql: any SQLDatabase, _ when: String) async throws {
        let rollup = try await rollup(sql)
        let recount = try await recount(sql)
        #expect(!recount.isEmpty)
        #expect(
            rollup == recount,
            "\(when): \(rollup.subtracting(recount).count) rows only in the rollup, \(recount.subtracting(rollup).count) only in the recount")
    }

    @Test("the rollup equals a recount after the demo and after every kind of case write")
    func followsWrites() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            try await Self.expectSame(sql, "after the demo")

            struct Row: Decodable { var id: UUID }
            // Ten cases, whatever their state: the writes below set what they need (the triggers
            // follow any write, the workflow's or not).
            let ten = try await sql.raw("SELECT id FROM cases ORDER BY number LIMIT 10").all(decoding: Row.self).map(\.id)
            try #require(ten.count == 10)
            let open = Array(ten.prefix(6)), closed = Array(ten.suffix(4))
            try await sql.raw(
                """
                UPDATE cases SET state = 'closed', filed_at = reported_at, due_at = reported_at, handled_at = reported_at, verdict = NULL
                WHERE id IN (\(binds: closed))
                """
            ).run()
            try await sql.raw("UPDATE cases SET state = 'dispatched', verdict = NULL WHERE id IN (\(binds: open))").run()
            try await Self.expectSame(sql, "after setting ten cases up")
            struct Other: Decodable { var id: UUID }
            let department = try #require(try await sql.raw("SELECT id FROM departments ORDER BY code DESC LIMIT 1").first(decoding: Other.self)).id
            let node = try #require(
                try await sql.raw("SELECT id FROM grid_nodes WHERE level = 'micro_grid' ORDER BY code DESC LIMIT 1").first(decoding: Other.self)
            ).id
            struct Code: Decodable { var code: String }
            let category = try #require(try await sql.raw("SELECT code FROM case_categories ORDER BY code DESC LIMIT 1").first(decoding: Code.self))
                .code

            try await sql.raw("UPDATE cases SET state = 'in_progress' WHERE id = \(bind: open[0])").run()
            try await sql.raw("UPDATE cases SET department_id = \(bind: department) WHERE id = \(bind: open[1])").run()
            try await sql.raw("UPDATE cases SET department_id = NULL, state = 'returned' WHERE id = \(bind: open[2])").run()
            try await sql.raw("UPDATE cases SET category_code = \(bind: category) WHERE id = \(bind: open[3])").run()
            try await sql.raw("UPDATE cases SET grid_node_id = \(bind: node) WHERE id = \(bind: open[4])").run()
            try await sql.raw("UPDATE cases SET state = 'evaluated', verdict = 'satisfied' WHERE id = \(bind: closed[0])").run()
            try await sql.raw("UPDATE cases SET handled_at = \(bind: Date(timeIntervalSince1970: 4_102_444_800)) WHERE id = \(bind: closed[1])").run()
            try await sql.raw("UPDATE cases SET reported_on = '2019-06-30' WHERE id = \(bind: closed[2])").run()
            // A write that touches no counted column leaves the rollup as it was.
            try await sql.raw("UPDATE cases SET title = 'x' WHERE id = \(bind: closed[3])").run()
            try await Self.expectSame(sql, "after updates")

            // A case through the workflow, and one removed.
            let created = try await CasesFixture.submit(try await CasesFixture.client(app, "resident"))
            try await CasesFixture.act(try await CasesFixture.client(app, "staff"), created.id, "file")
            try await Self.expectSame(sql, "after a new case")
            for table in [
                "case_transitions", "case_assignments", "case_supervisions", "case_followups", "case_recategorisations", "case_attribute_answers"
            ] {
                try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE case_id = \(bind: created.id)").run()
            }
            try await sql.raw("DELETE FROM cases WHERE id = \(bind: created.id)").run()
            try await Self.expectSame(sql, "after a new case and a deleted one")
        }
    }

    struct NodeCount: Decodable, Hashable { var node: UUID; var households: Int64; var persons: Int64 }

    /// `grid_counts` (non-zero rows) and the same counted from the register, per node's subtree.
    static func gridCounts(_ sql: any SQLDatabase) async throws -> (kept: Set<NodeCount>, recount: Set<NodeCount>) {
        let kept = try await sql.raw(
            "SELECT node_id AS node, households, persons FROM grid_counts WHERE households <> 0 OR persons <> 0"
        ).all(decoding: NodeCount.self)
        let recount = try await sql.raw(
            """
            SELECT g.id AS node,
                   CAST((SELECT COUNT(*) FROM households h JOIN grid_closure c ON c.descendant_id = h.grid_node_id WHERE c.ancestor_id = g.id) AS BIGINT)
                     AS households,
                   CAST((SELECT COUNT(*) FROM persons p JOIN grid_closure c ON c.descendant_id = p.grid_node_id WHERE c.ancestor_id = g.id) AS BIGINT)
                     AS persons
            FROM grid_nodes g
            """
        ).all(decoding: NodeCount.self).filter { $0.households != 0 || $0.persons != 0 }
        return (Set(kept), Set(recount))
    }

    @Test("the grid counts equal a recount after the demo and after people and households move")
    func gridCountsFollowMoves() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            var counts = try await Self.gridCounts(sql)
            #expect(counts.recount.count > 20)
            #expect(counts.kept == counts.recount, "after the demo")
            struct Row: Decodable { var id: UUID; var grid_node_id: UUID }
            let groups = try await sql.raw("SELECT id, id AS grid_node_id FROM grid_nodes WHERE level = 'building_group' ORDER BY code")
                .all(decoding: Row.self)
            let person = try #require(try await sql.raw("SELECT id, grid_node_id FROM persons ORDER BY id LIMIT 1").first(decoding: Row.self))
            let household = try #require(
                try await sql.raw("SELECT id, grid_node_id FROM households ORDER BY id DESC LIMIT 1").first(decoding: Row.self))
            let far = try #require(groups.last { $0.id != person.grid_node_id && $0.id != household.grid_node_id })
            try await sql.raw("UPDATE persons SET grid_node_id = \(bind: far.id) WHERE id = \(bind: person.id)").run()
            try await sql.raw("UPDATE households SET grid_node_id = \(bind: far.id) WHERE id = \(bind: household.id)").run()
            // A write that moves nothing.
            try await sql.raw("UPDATE persons SET grid_node_id = grid_node_id WHERE id = \(bind: person.id)").run()
            counts = try await Self.gridCounts(sql)
            #expect(counts.kept == counts.recount, "after the moves")
        }
    }

    struct TagCount: Decodable, Hashable { var node: UUID; var tag: UUID; var n: Int64 }

    /// `tag_counts` (non-zero rows) and the open-ended assignments counted under the same nodes.
    static func tagCounts(_ sql: any SQLDatabase) async throws -> (kept: Set<TagCount>, recount: Set<TagCount>) {
        let kept = try await sql.raw("SELECT node_id AS node, tag_id AS tag, CAST(n AS BIGINT) AS n FROM tag_counts WHERE n <> 0")
            .all(decoding: TagCount.self)
        let recount = try await sql.raw(
            """
            SELECT g.id AS node, a.tag_id AS tag, CAST(COUNT(*) AS BIGINT) AS n
            FROM tag_assignments a JOIN grid_closure c ON c.descendant_id = a.grid_node_id JOIN grid_nodes g ON g.id = c.ancestor_id
            WHERE a.ends_on IS NULL AND g.level IN ('subdistrict', 'block', 'residential_area', 'micro_grid')
            GROUP BY g.id, a.tag_id
            """
        ).all(decoding: TagCount.self)
        return (Set(kept), Set(recount))
    }

    @Test("the tag counts equal a recount after tags end, resume, move and go; the panel adds those ending later")
    func tagCountsFollowWrites() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            var counts = try await Self.tagCounts(sql)
            #expect(counts.recount.count > 50)
            #expect(counts.kept == counts.recount, "after the demo")
            struct Row: Decodable { var id: UUID }
            let five = try await sql.raw("SELECT id FROM tag_assignments WHERE ends_on IS NULL ORDER BY id LIMIT 5").all(decoding: Row.self).map(\.id)
            let ended = try #require(
                try await sql.raw("SELECT id FROM tag_assignments WHERE ends_on IS NOT NULL ORDER BY id LIMIT 1").first(decoding: Row.self)
            ).id
            let group = try #require(
                try await sql.raw("SELECT id FROM grid_nodes WHERE level = 'building_group' ORDER BY code DESC LIMIT 1").first(decoding: Row.self)
            ).id
            let tag = try #require(try await sql.raw("SELECT id FROM tags ORDER BY code DESC LIMIT 1").first(decoding: Row.self)).id
            try #require(five.count == 5)
            let today = CivilDate.today(now: TestClock.pinnedNow())
            try await sql.raw("UPDATE tag_assignments SET ends_on = '2001-01-01' WHERE id = \(bind: five[0])").run()
            try await sql.raw("UPDATE tag_assignments SET ends_on = NULL WHERE id = \(bind: ended)").run()
            try await sql.raw("UPDATE tag_assignments SET grid_node_id = \(bind: group) WHERE id = \(bind: five[1])").run()
            try await sql.raw("UPDATE tag_assignments SET tag_id = \(bind: tag) WHERE id = \(bind: five[2])").run()
            try await sql.raw("DELETE FROM tag_assignments WHERE id = \(bind: five[3])").run()
            // Ends after today: out of the rollup, still current for the panel.
            try await sql.raw("UPDATE tag_assignments SET ends_on = \(bind: (try today.adding(days: 30)).iso8601) WHERE id = \(bind: five[4])").run()
            counts = try await Self.tagCounts(sql)
            #expect(counts.kept == counts.recount, "after the writes")

            struct N: Decodable { var n: Int64 }
            let current = try #require(
                try await sql.raw(
                    """
                    SELECT CAST(COUNT(*) AS BIGINT) AS n FROM tag_assignments a JOIN grid_closure c ON c.descendant_id = a.grid_node_id
                    JOIN grid_nodes g ON g.id = c.ancestor_id
                    WHERE g.code = '310106019' AND (a.ends_on IS NULL OR a.ends_on > \(bind: today.iso8601))
                    """
                ).first(decoding: N.self)
            ).n
            let api = TestClient(app)
            try await api.signInAPI("staff")
            let panel = try await api.get("/api/v1/dashboard/panels/tags").decode(DashboardPanel.self)
            let kinds = Set(TagKind.allCases.map(\.rawValue))
            #expect(panel.figures.filter { kinds.contains($0.key) }.reduce(0) { $0 + $1.value } == current)
        }
    }
}
