import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingDemo
@testable import MinqingServer

@Suite("Grid tree")
struct GridTests {
    @Test("the demo has Linfen Road's shape and the closure table is complete")
    func demoShape() async throws {
        try await withApp(demo: true) { app in
            let sql = app.db.sql
            struct Count: Decodable { var level: String; var n: Int }
            let counts = try await sql.raw("SELECT level, COUNT(*) AS n FROM grid_nodes GROUP BY level").all(decoding: Count.self)
            let byLevel = Dictionary(uniqueKeysWithValues: counts.map { ($0.level, $0.n) })
            #expect(
                byLevel == [
                    "city": 1, "district": 1, "subdistrict": 1, "block": 4, "residential_area": 20,
                    "micro_grid": 127, "building_group": 1912
                ])
            // Every node has exactly depth + 1 ancestors (itself included), and the closure agrees with parent links.
            struct Bad: Decodable { var n: Int }
            let wrongAncestors = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM grid_nodes g
                WHERE (SELECT COUNT(*) FROM grid_closure c WHERE c.descendant_id = g.id) <> g.depth + 1
                """
            ).first(decoding: Bad.self)!.n
            #expect(wrongAncestors == 0)
            let brokenParents = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM grid_nodes g
                WHERE g.parent_id IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM grid_closure c WHERE c.descendant_id = g.id AND c.ancestor_id = g.parent_id AND c.depth = 1)
                """
            ).first(decoding: Bad.self)!.n
            #expect(brokenParents == 0)
            // Tenancy: every node from the subdistrict down carries the subdistrict's id.
            let untenanted = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM grid_nodes WHERE depth >= 2 AND subdistrict_id IS NULL
                """
            ).first(decoding: Bad.self)!.n
            #expect(untenanted == 0)
        }
    }

    @Test("the same seed gives the same demo grid; another seed another")
    func deterministic() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let first = DemoData.gridNodes(using: &a).map(\.name)
        #expect(first == DemoData.gridNodes(using: &b).map(\.name))
        #expect(first != DemoData.gridNodes(using: &c).map(\.name))
        #expect(Set(DemoData.gridNodes(using: &a).map(\.code)).count == 2066, "codes are unique")
    }

    @Test("a scope sees exactly its subtree")
    func scopeQueries() async throws {
        try await withApp(demo: true) { app in
            let area = try #require(try await GridQueries.node(code: "310106019-1-01", on: app.db))
            let scope = GridQueries.scope(rootedAt: area)
            let counts = try await GridQueries.levelCounts(in: scope, on: app.db)
            #expect(counts[.microGrid] == 7)
            #expect(counts[.buildingGroup] == 7 * 16)
            #expect(try await GridQueries.node(code: "310106019-1-01-3-05", in: scope, on: app.db) != nil)
            #expect(try await GridQueries.node(code: "310106019-1-02-1", in: scope, on: app.db) == nil)
            #expect(try await GridQueries.node(code: "310106019", in: scope, on: app.db) == nil, "ancestors are outside")
            let leaf = try #require(try await GridQueries.node(code: "310106019-1-01-3-05", on: app.db))
            let crumbs = try await GridQueries.breadcrumb(to: leaf, in: scope, on: app.db)
            #expect(crumbs.map(\.code) == ["310106019-1-01", "310106019-1-01-3", "310106019-1-01-3-05"])
        }
    }

    @Test("the writer refuses a level that skips the chain, a missing parent and a bad code, writing nothing")
    func writerRules() async throws {
        try await withApp(demo: true) { app in
            let before = try await GridQueries.count(on: app.db)
            let attempts: [[NewGridNode]] = [
                [NewGridNode(code: "X-1", name: "跳级", level: .microGrid, parentCode: "310106019", sortOrder: 0)],
                [NewGridNode(code: "X-2", name: "无上级", level: .block, parentCode: "NOPE", sortOrder: 0)],
                [NewGridNode(code: "X-3", name: "根", level: .block, parentCode: nil, sortOrder: 0)],
                [NewGridNode(code: "31/bad", name: "坏编码", level: .block, parentCode: "310106019", sortOrder: 0)],
                [
                    NewGridNode(code: "X-4", name: "好", level: .block, parentCode: "310106019", sortOrder: 0),
                    NewGridNode(code: "X-4-1", name: "跳级", level: .microGrid, parentCode: "X-4", sortOrder: 0)
                ]
            ]
            for nodes in attempts {
                await #expect(throws: AppError.self) {
                    try await app.db.write { db in try await GridWriter.insert(nodes, on: db) }
                }
            }
            #expect(try await GridQueries.count(on: app.db) == before, "nothing half-written")
        }
    }

    @Test("the grid API and pages show a node with its breadcrumb and children")
    func gridAPIAndPage() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            try await client.signInAPI("staff")
            let detail = try await client.get("/api/v1/grid/nodes/310106019-1")
            #expect(detail.status == .ok)
            struct Detail: Decodable {
                struct Node: Decodable { var code: String; var level: String }
                struct Child: Decodable { var node: Node; var building_groups: Int }
                var node: Node; var breadcrumb: [Node]; var children: [Child]
            }
            let body = try detail.decode(Detail.self)
            #expect(body.breadcrumb.map(\.code) == ["310106019", "310106019-1"])
            #expect(body.children.count == 5)
            #expect(body.children.allSatisfy { $0.node.level == "residential_area" })
            // Block 1 holds areas 1–5: micro-grids 7,7,7,7,7 → the first 7 micro-grids have 16 groups, the rest 15.
            let groups: Int = body.children.map(\.building_groups).reduce(0, +)
            let expectedGroups: Int = 7 * 16 + 28 * 15
            #expect(groups == expectedGroups)
            let web = TestClient(app)
            _ = try await web.signInWeb("cadre")
            let page = try await web.get("/grid/310106019-1-01")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("临汾居民区"))
            #expect(page.body.string.contains("临汾第1微网格"))
            #expect(try await web.get("/grid/310106019-1-02").status == .notFound)
            let root = try await web.get("/grid")
            #expect(root.headers.first(name: .location) == "/grid/310106019-1-01")
        }
    }
}
