import Foundation
import Logging
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// What figures and lists give away: sensitive aid programmes and small cells on the dashboard,
/// lists by a sensitive tag read only with a purpose, the aid ranges that kept the process alive.
@Suite("Disclosure: sensitive programmes, small cells, sensitive lists, aid ranges")
struct DisclosureTests {
    /// A household of `size` in building group `group`, registered by `client` (admin), with ids.
    static func household(_ client: TestClient, group: String, size: Int, seed: Int) async throws -> [UUID] {
        var members: [[String: Any]] = []
        for i in 0..<size {
            let body = "31010619800101" + String(format: "%03d", (seed + i) % 1000)
            let number = body + String(ResidentIDNumber.checkCharacter(for: body)!)
            members.append([
                "name": "测试\(seed)-\(i)", "id_number": number, "relation": i == 0 ? "head" : (i % 2 == 0 ? "son" : "daughter"),
                "residence_status": "registered"
            ])
        }
        let created = try await client.jsonObject(
            .POST, "/api/v1/registry/households", ["node": group, "address": "测试路 \(seed) 号", "members": members])
        guard created.status == .created else { throw TestFailure("household: \(created.status) \(created.body.string)") }
        struct C: Decodable { var id: UUID }
        struct D: Decodable { struct P: Decodable { var id: UUID }; var members: [P] }
        let id = try created.decode(C.self).id
        return try await client.get("/api/v1/registry/households/\(id)").decode(D.self).members.map(\.id)
    }

    static func aid(_ client: TestClient, _ person: UUID, programme: String, fen: Int64) async throws -> TestingHTTPResponse {
        try await client.jsonObject(.POST, "/api/v1/registry/persons/\(person)/aid", ["programme": programme, "kind": "cash", "amount_fen": fen])
    }

    @Test("aid amounts have ranges: Int64.max is refused by name, and the largest allowed sums neither trap nor break the panel")
    func aidRanges() async throws {
        try await withApp(demo: true) { app in
            let admin = TestClient(app)
            try await admin.signInAPI("admin")
            let people = try await Self.household(admin, group: "310106019-1-01-1-01", size: 2, seed: 100)
            let huge = try await Self.aid(admin, people[0], programme: "社区助餐", fen: Int64.max)
            #expect(huge.status == .unprocessableEntity && huge.body.string.contains("\"field\":\"amount_fen\""))
            for (kind, field) in [("in_kind", "quantity"), ("service", "minutes")] {
                var body: [String: Any] = ["programme": "居家照护", "kind": kind, field: Int64.max]
                if kind == "in_kind" { body["unit"] = "份" }
                let response = try await admin.jsonObject(.POST, "/api/v1/registry/persons/\(people[0])/aid", body)
                #expect(response.status == .unprocessableEntity && response.body.string.contains("\"field\":\"\(field)\""))
            }
            // A unit on a cash record is refused (it split cash into several sums before).
            let unit = try await admin.jsonObject(
                .POST, "/api/v1/registry/persons/\(people[0])/aid",
                ["programme": "社区助餐", "kind": "cash", "amount_fen": 100, "unit": "元"])
            #expect(unit.status == .unprocessableEntity)
            // The largest amounts, many times, in several months and programmes: the sums hold.
            for i in 0..<6 {
                let response = try await admin.jsonObject(
                    .POST, "/api/v1/registry/persons/\(people[i % 2])/aid",
                    [
                        "programme": i % 2 == 0 ? "社区助餐" : "最低生活保障金", "kind": "cash", "amount_fen": AidAmountRange.fen.upperBound,
                        "given_on": "2026-0\(i + 1)-15"
                    ])
                #expect(response.status == .created)
            }
            #expect(try await admin.get("/api/v1/registry/persons/\(people[0])").status == .ok)
            #expect(try await admin.get("/api/v1/dashboard?node=310106019-1-01-1-01").status == .ok)
            #expect(try await admin.get("/api/v1/dashboard?node=310106019").status == .ok)
            let web = TestClient(app)
            _ = try await web.signInWeb("admin")
            #expect(try await web.get("/dashboard?node=310106019-1-01").status == .ok)
        }
    }

    @Test("a grid worker's aid panel: no sensitive programme, no cell of fewer than five people; a cadre sees everything")
    func smallCells() async throws {
        try await withApp(demo: true) { app in
            let admin = TestClient(app)
            try await admin.signInAPI("admin")
            let group = "310106019-1-01-1-01"
            // Meal aid for six people, home care for two, the minimum living allowance for one.
            var people: [UUID] = []
            for h in 0..<3 { people += try await Self.household(admin, group: group, size: 3, seed: 200 + h * 10) }
            for person in people.prefix(6) { #expect(try await Self.aid(admin, person, programme: "社区助餐", fen: 1_000).status == .created) }
            for person in people.prefix(2) {
                #expect(
                    try await admin.jsonObject(
                        .POST, "/api/v1/registry/persons/\(person)/aid",
                        ["programme": "居家照护", "kind": "service", "minutes": 60]
                    ).status == .created)
            }
            #expect(try await Self.aid(admin, people[8], programme: "最低生活保障金", fen: 151_000).status == .created)

            struct Panel: Decodable {
                struct Figure: Decodable { var key: String; var value: Int64; var suppressed: Bool? }
                struct Table: Decodable {
                    struct Row: Decodable { var key: String; var values: [Int64?]; var suppressed: Bool? }; var id: String; var rows: [Row]
                }
                var figures: [Figure]; var tables: [Table]
            }
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            let seen = try await grid.get("/api/v1/dashboard/panels/aid?node=\(group)")
            #expect(seen.status == .ok)
            #expect(!seen.body.string.contains("最低生活保障金"), "a sensitive programme is not there at all")
            let panel = try seen.decode(Panel.self)
            let programmes = try #require(panel.tables.first { $0.id == "by_programme" })
            let meals = try #require(programmes.rows.first { $0.key == "社区助餐" })
            // Six people: shown, but with one other cell hidden the next smallest hides too, and
            // that is meal aid (the only other shown cell), so the total cannot give it back.
            let care = try #require(programmes.rows.first { $0.key == "居家照护" })
            #expect(care.suppressed == true && care.values.count == 4 && care.values.allSatisfy { $0 == nil }) // records, cash, quantity, minutes
            #expect(meals.suppressed == true, "secondary suppression: the total less meal aid would give home care back")
            // The cash total counts meal aid only (the allowance is sensitive): 6 × 10 yuan.
            #expect(panel.figures.first { $0.key == "cash_fen" }?.value == 6_000)
            // The page shows <5 where the JSON hides a cell.
            let web = TestClient(app)
            _ = try await web.signInWeb("gridworker")
            let page = try await web.get("/dashboard/panels/aid?node=\(group)").body.string
            #expect(page.contains("&lt;5") && !page.contains("最低生活保障金"))

            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let full = try await cadre.get("/api/v1/dashboard/panels/aid?node=\(group)")
            #expect(full.body.string.contains("最低生活保障金"))
            let cadrePanel = try full.decode(Panel.self)
            let cadreRows = try #require(cadrePanel.tables.first { $0.id == "by_programme" }?.rows)
            #expect(cadreRows.count >= 3 && cadreRows.allSatisfy { $0.suppressed == nil }) // meal aid, home care, the allowance at least
            let cadreCash: Int64? = cadrePanel.figures.first { $0.key == "cash_fen" }?.value
            #expect(cadreCash == Int64(6_000 + 151_000))
            // The register's aid totals leave the sensitive programme out for the grid worker too.
            struct Detail: Decodable { struct Aid: Decodable { var cash_fen: Int64; var records: Int }; var aid: Aid }
            #expect(try await grid.get("/api/v1/registry/persons/\(people[8])").decode(Detail.self).aid.records == 0)
            #expect(try await cadre.get("/api/v1/registry/persons/\(people[8])").decode(Detail.self).aid.cash_fen == 151_000)
            // A manager can mark a programme not sensitive; the grid worker then sees it.
            struct P: Decodable { var id: UUID; var name: String; var sensitive: Bool }
            let catalogue = try await admin.get("/api/v1/registry/aid-programmes").decode([P].self)
            let allowance = try #require(catalogue.first { $0.name == "最低生活保障金" })
            #expect(allowance.sensitive)
            #expect(try await cadre.jsonObject(.PUT, "/api/v1/registry/aid-programmes/\(allowance.id)", ["sensitive": false]).status == .forbidden)
            #expect(try await admin.jsonObject(.PUT, "/api/v1/registry/aid-programmes/\(allowance.id)", ["sensitive": false]).status == .ok)
            #expect(try await grid.get("/api/v1/registry/persons/\(people[8])").decode(Detail.self).aid.records == 1)
        }
    }

    @Test("a list by a sensitive tag: its size openly, its members only with a stated purpose, every read audited")
    func sensitiveLists() async throws {
        try await withApp(demo: true) { app in
            let admin = TestClient(app)
            try await admin.signInAPI("admin")
            #expect(
                try await admin.jsonObject(
                    .POST, "/api/v1/registry/tags",
                    [
                        "code": "svc.test.dibao", "name_zh": "测试低保", "name_en": "Test allowance", "kind": "service",
                        "sensitive": true
                    ]
                ).status == .created)
            let people = try await Self.household(admin, group: "310106019-1-01-1-01", size: 2, seed: 300)
            for person in people {
                #expect(try await admin.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "svc.test.dibao"]).status == .created)
            }
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let criteria: [String: Any] = ["expression": "svc.test.dibao"]
            let refused = try await cadre.jsonObject(.POST, "/api/v1/registry/smart-groups/preview", ["criteria": criteria])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("purpose_required"))
            let read = try await cadre.jsonObject(
                .POST, "/api/v1/registry/smart-groups/preview",
                ["criteria": criteria, "purpose": "assistance", "purpose_detail": "核对低保名单"])
            #expect(read.status == .ok)
            #expect(try read.decode(SmartGroupQueries.Page.self).total == 2)
            let saved = try await cadre.jsonObject(.POST, "/api/v1/registry/smart-groups", ["name": "低保户", "criteria": criteria])
            #expect(saved.status == .created)
            struct G: Decodable { var id: UUID }
            let group = try saved.decode(G.self).id
            let members = try await cadre.get("/api/v1/registry/smart-groups/\(group)/members?limit=500")
            #expect(members.status == .unprocessableEntity && members.body.string.contains("purpose_required"))
            #expect(try await cadre.get("/api/v1/registry/smart-groups/\(group)/export").status == .unprocessableEntity)
            #expect(
                try await cadre.jsonObject(
                    .POST, "/api/v1/registry/smart-groups/\(group)/members",
                    ["purpose": "assistance", "purpose_detail": "核对低保名单"]
                ).status == .ok)
            let csv = try await cadre.jsonObject(
                .POST, "/api/v1/registry/smart-groups/\(group)/export",
                ["purpose": "assistance", "purpose_detail": "核对低保名单"])
            #expect(csv.status == .ok && csv.headers.first(name: .cacheControl) == "no-store")
            struct N: Decodable { var n: Int }
            let reads = try await app.db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM audit_log WHERE action = 'registry.sensitive_list_read' AND detail LIKE '%核对低保名单%'
                """
            ).first(decoding: N.self)?.n
            #expect(reads == 2, "the preview and the members; the export is audited as an export")
            // The page: the count and the purpose form, the list only after it.
            let web = TestClient(app)
            _ = try await web.signInWeb("cadre")
            let page = try await web.get("/registry/smart-groups/\(group)")
            #expect(page.body.string.contains("id=\"purpose-gate\"") && page.body.string.contains("共 2 人"))
            #expect(!page.body.string.contains("测试300-0"))
            let token = try #require(TestClient.csrf(in: page.body.string))
            let missing = try await web.form("/registry/smart-groups/\(group)", ["csrf": token, "page": "1"])
            #expect(missing.status == .unprocessableEntity && missing.body.string.contains("gate-error-purpose"))
            let shown = try await web.form(
                "/registry/smart-groups/\(group)", ["csrf": token, "page": "1", "purpose": "assistance", "purpose_detail": "入户核对"])
            #expect(shown.status == .ok && shown.body.string.contains("测试300-0"))
            // A grid worker does not see the tag at all.
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(try await grid.jsonObject(.POST, "/api/v1/registry/smart-groups/preview", ["criteria": criteria]).status == .unprocessableEntity)
        }
    }
}
