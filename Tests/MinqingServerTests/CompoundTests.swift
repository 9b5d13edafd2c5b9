import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: compounds, buildings and dwellings")
struct CompoundTests {
    struct Row: Decodable {
        var id: UUID; var code: String; var name: String; var compound_type: String; var goal_zh: String?; var goal_en: String?
        var buildings: Int; var dwellings: Int; var area_cm2: Int64; var owners: Int
    }

    @Test("compounds carry their 6543 type and goal; figures and dwellings are counted inside the caller's scope")
    func scopedFigures() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let sql = app.db.sql
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            let all = try await staff.get("/api/v1/registry/compounds").decode([Row].self)
            #expect(!all.isEmpty)
            // Every type's goal is the domain's, in both languages.
            for row in all {
                let type = try #require(CompoundType(rawValue: row.compound_type))
                #expect(row.goal_zh == type.goalZH && row.goal_en == type.goalEN)
            }
            // The subdistrict's figures equal an independent count of the tables.
            struct N: Decodable { var n: Int64 }
            let dwellings = try await sql.raw("SELECT COUNT(*) AS n FROM dwellings").first(decoding: N.self)!.n
            let area = try await sql.raw(
                """
                SELECT CAST(SUM(COALESCE(area_register_cm2, area_surveyed_cm2, area_contract_cm2)) AS BIGINT) AS n FROM dwellings
                """
            ).first(decoding: N.self)!.n
            #expect(Int64(all.map(\.dwellings).reduce(0, +)) == dwellings)
            #expect(all.map(\.area_cm2).reduce(0, +) == area)

            // A cadre of one residential area sees only that area's compounds.
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let mine = try await cadre.get("/api/v1/registry/compounds").decode([Row].self)
            #expect(!mine.isEmpty && mine.count < all.count)
            #expect(mine.allSatisfy { $0.code.hasPrefix("310106019-1-01-") })
            let other = try #require(all.first { !$0.code.hasPrefix("310106019-1-01-") })
            #expect(try await cadre.get("/api/v1/registry/compounds/\(other.id)").status == .notFound)
            #expect(try await cadre.get("/api/v1/registry/compounds/\(other.id)/dwellings").status == .notFound)

            // A grid worker sees the compound through the buildings in their micro-grid only.
            let worker = TestClient(app)
            try await worker.signInAPI("gridworker")
            let seen = try await worker.get("/api/v1/registry/compounds").decode([Row].self)
            let compound = try #require(seen.first)
            let whole = try #require(all.first { $0.id == compound.id })
            #expect(compound.buildings > 0 && compound.buildings < whole.buildings)
            struct Page: Decodable { var items: [Dwelling]; var total: Int }
            struct Dwelling: Decodable { var id: UUID; var area_register_cm2: Int64?; var owners: String }
            let page = try await worker.get("/api/v1/registry/compounds/\(compound.id)/dwellings?limit=500").decode(Page.self)
            #expect(page.total == compound.dwellings)
            let outside = try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM dwellings d WHERE d.id IN (\(binds: page.items.map(\.id)))
                AND d.grid_node_id NOT IN (SELECT descendant_id FROM grid_closure c JOIN grid_nodes g ON g.id = c.ancestor_id
                                           WHERE g.code = '310106019-1-01-1')
                """
            ).first(decoding: N.self)!.n
            #expect(outside == 0)
        }
    }

    @Test("the compound pages show the type, the goal, exact areas and owners, in Chinese and English")
    func pages() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let cadre = TestClient(app)
            #expect(try await cadre.signInWeb("cadre").status == .seeOther)
            let list = try await cadre.get("/registry/compounds")
            #expect(list.status == .ok)
            let html = list.body.string
            #expect(html.contains("id=\"compounds\""))
            let api = TestClient(app)
            try await api.signInAPI("cadre")
            let first = try #require(try await api.get("/api/v1/registry/compounds").decode([Row].self).first)
            let type = try #require(CompoundType(rawValue: first.compound_type))
            #expect(html.contains(type.goalZH))
            let page = try await cadre.get("/registry/compounds/\(first.id)").body.string
            #expect(page.contains("id=\"compound-goal\"") && page.contains(type.goalZH))
            #expect(page.contains(FloorArea(squareCentimetres: first.area_cm2).squareMetresText))
            #expect(page.contains("id=\"dwellings\""))
            cadre.cookies["minqing_lang"] = "en"
            let english = try await cadre.get("/registry/compounds/\(first.id)").body.string
            #expect(english.contains("Governance goal") && english.contains(type.goalEN))
            // The node page links to its compounds.
            let node = try await cadre.get("/registry/nodes/310106019-1-01").body.string
            #expect(node.contains("/registry/compounds?node=310106019-1-01"))
        }
    }
}
