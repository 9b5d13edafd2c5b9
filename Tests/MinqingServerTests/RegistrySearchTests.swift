import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The register's search (issue 21): names, given names, addresses and buildings inside the
/// caller's scope; whole ID numbers exactly through the blind index, budgeted and audited; a
/// person outside the scope answered exactly as nobody.
@Suite("Register: search")
struct RegistrySearchTests {
    static func id(_ body17: String) -> String { RegistryPagesTests.id(body17) }

    /// Inside the cadre's residential area (310106019-1-01): 王建国 and 李秀英 at 375弄12号302室
    /// (the grid worker's micro-grid too), 王建华 at 375弄14号101室 in another micro-grid. Outside
    /// it (310106019-1-02): 王建军 at 375弄12号502室. Nobody holds `nobody`.
    static let jianguo = id("31010619560312011")
    static let xiuying = id("31010619580720022")
    static let jianhua = id("31010619620101031")
    static let jianjun = id("31010619650505051")
    static let nobody = id("31010619700101071")
    static let mingyuan = id("31010619900101091")

    struct Hit: Decodable { var id: UUID; var name: String; var address: String; var id_masked: String }
    struct Result: Decodable { var matched_by: String; var items: [Hit]; var total: Int; var page: Int; var page_size: Int }

    /// Registers the four people as subdistrict staff and a building named 测试14号楼 at 王建华's
    /// building group; returns 王建国's person id.
    func setUp(_ app: Application) async throws -> UUID {
        let staff = TestClient(app)
        try await staff.signInAPI("staff")
        let homes: [(node: String, address: String, members: [(String, String, String)])] = [
            ("310106019-1-01-1-01", "临汾路375弄12号302室", [("王建国", Self.jianguo, "head"), ("李秀英", Self.xiuying, "spouse")]),
            ("310106019-1-01-2-01", "临汾路375弄14号101室", [("王建华", Self.jianhua, "head")]),
            ("310106019-1-02-1-01", "临汾路375弄12号502室", [("王建军", Self.jianjun, "head")]),
            ("310106019-1-01-1-01", "临汾路375弄16号201室", [("司徒明远", Self.mingyuan, "head")])
        ]
        for home in homes {
            let members: [[String: Any]] = home.members.map { ["name": $0.0, "id_number": $0.1, "relation": $0.2, "residence_status": "registered"] }
            let response = try await staff.jsonObject(
                .POST, "/api/v1/registry/households", ["node": home.node, "address": home.address, "members": members])
            guard response.status == .created else { throw TestFailure("\(response.status): \(response.body.string)") }
        }
        let compound = UUID()
        try await app.db.sql.raw(
            """
            INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
            SELECT \(bind: compound), g.subdistrict_id, g.id, 'C-SEARCH', '搜索小区', 'old_residential', '临汾路375弄'
            FROM grid_nodes g WHERE g.code = '310106019-1-01'
            """
        ).run()
        try await app.db.sql.raw(
            """
            INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
            SELECT \(bind: UUID()), g.subdistrict_id, \(bind: compound), g.id, '测试14号楼', 6 FROM grid_nodes g WHERE g.code = '310106019-1-01-2-01'
            """
        ).run()
        struct Row: Decodable { var id: UUID }
        return try await app.db.sql.raw("SELECT id FROM persons WHERE name = '王建国'").first(decoding: Row.self)!.id
    }

    func search(_ client: TestClient, _ q: String, building: String = "") async throws -> (result: Result, raw: String) {
        let response = try await client.jsonObject(.POST, "/api/v1/registry/search", ["q": q, "building": building, "page": 1])
        guard response.status == .ok else { throw TestFailure("\(q): \(response.status) \(response.body.string)") }
        return (try response.decode(Result.self), response.body.string)
    }

    func names(_ client: TestClient, _ q: String, building: String = "") async throws -> [String] {
        try await search(client, q, building: building).result.items.map(\.name).sorted()
    }

    func count(_ app: Application, _ action: String, found: Bool? = nil) async throws -> Int {
        struct N: Decodable { var n: Int }
        var filter: SQLQueryString = ""
        if found == true { filter = "AND target_id IS NOT NULL" }
        if found == false { filter = "AND target_id IS NULL" }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action) \(filter)")
            .first(decoding: N.self)!.n
    }

    @Test("names, given names, addresses and buildings are found inside the scope, and only there")
    func words() async throws {
        try await withApp(demo: true) { app in
            _ = try await setUp(app)
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            #expect(try await names(cadre, "王建") == ["王建华", "王建国"].sorted())
            #expect(try await names(cadre, "建国") == ["王建国"])
            #expect(try await names(cadre, "明远") == ["司徒明远"], "a given name after a two-character surname")
            #expect(try await names(cadre, "司徒") == ["司徒明远"])
            #expect(try await names(cadre, "375弄12号") == ["李秀英", "王建国"].sorted())
            #expect(try await names(cadre, "１２号　３０２") == ["李秀英", "王建国"].sorted(), "full-width text and several words")
            #expect(try await names(cadre, "王", building: "测试14号楼") == ["王建华"])
            #expect(try await names(cadre, "", building: "测试14号楼") == ["王建华"])
            let exact = try await search(cadre, "王建国").result
            #expect(exact.matched_by == "text" && exact.total == 1 && exact.items.first?.address == "临汾路375弄12号302室")
            #expect(exact.items.first?.id_masked == maskedID(Self.jianguo))

            // The grid worker's micro-grid holds 王建国 only; the subdistrict holds all four.
            let worker = TestClient(app)
            try await worker.signInAPI("gridworker")
            #expect(try await names(worker, "王建") == ["王建国"])
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            #expect(try await names(staff, "375弄12号") == ["李秀英", "王建军", "王建国"].sorted())

            // 王建军 lies outside the cadre's area: the answer is byte for byte the answer for a name nobody has.
            let outside = try await search(cadre, "王建军")
            let missing = try await search(cadre, "王建民")
            #expect(outside.result.total == 0)
            #expect(outside.raw == missing.raw)
            #expect(try await search(cadre, "").result.matched_by == "none")
        }
    }

    @Test("a whole ID number is looked up exactly through the blind index, audited, and outside the scope answers as nobody")
    func idNumbers() async throws {
        try await withApp(demo: true) { app in
            let jianguo = try await setUp(app)
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let found = try await search(cadre, Self.jianguo)
            #expect(found.result.matched_by == "id_number")
            #expect(found.result.items.map(\.id) == [jianguo])
            #expect(!found.raw.contains(Self.jianguo), "the answer holds the masked number only")
            // Written with spaces and full-width digits, the same number.
            let wide = Self.jianguo.dropFirst(6).map { String(HalfWidthProbe.fullWidth($0)) }.joined()
            let spaced = String(Self.jianguo.prefix(6)) + " " + wide
            #expect(try await search(cadre, spaced).result.items.map(\.id) == [jianguo])

            let outside = try await search(cadre, Self.jianjun)
            let absent = try await search(cadre, Self.nobody)
            #expect(outside.result.items.isEmpty && outside.result.matched_by == "id_number")
            #expect(outside.raw == absent.raw, "a number outside the scope answers exactly as one nobody has")

            // Four lookups, each audited, found or not; only the one found names its person.
            #expect(try await count(app, "person.looked_up") == 4)
            #expect(try await count(app, "person.looked_up", found: true) == 2)

            // A number with a wrong check character is refused with the reason, not searched as words.
            let last = Self.jianguo.last == "0" ? "1" : "0"
            let wrong = try await cadre.jsonObject(.POST, "/api/v1/registry/search", ["q": String(Self.jianguo.dropLast()) + last])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("\"field\":\"q\""))
            let short = try await cadre.jsonObject(.POST, "/api/v1/registry/search", ["q": String(Self.jianguo.dropLast())])
            #expect(short.status == .unprocessableEntity)
            #expect(try await count(app, "person.looked_up") == 4, "a refused number is not looked up")
            let badPage = try await cadre.jsonObject(.POST, "/api/v1/registry/search", ["q": "王", "page": 0])
            #expect(badPage.status == .unprocessableEntity)
        }
    }

    @Test("the page: words are a GET of their own, a number a POST that opens the person or says nobody, never a number in a URL")
    func page() async throws {
        try await withApp(demo: true) { app in
            let jianguo = try await setUp(app)
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let csrf = try #require(TestClient.csrf(in: try await web.get("/account/password").body.string))

            let listed = try await web.get(SiteURL.registry(.search).path([("q", "王建")]))
            #expect(listed.status == .ok)
            let html = listed.body.string
            #expect(html.contains("href=\"/registry/persons/\(jianguo.uuidString)\""))
            #expect(html.contains("王建华") && !html.contains("王建军"))
            #expect(html.contains(maskedID(Self.jianguo)) && !html.contains(Self.jianguo))
            #expect(html.contains("id=\"search-form\"") && html.contains("method=\"post\""))

            // Words sent through the form come back as the GET of the results (303).
            let words = try await web.form("/registry/search", ["csrf": csrf, "q": "王建", "building": ""])
            #expect(words.status == .seeOther)
            #expect(words.headers.first(name: .location) == SiteURL.registry(.search).path([("q", "王建")]))

            // A number in scope opens the person's page.
            let hit = try await web.form("/registry/search", ["csrf": csrf, "q": Self.jianguo])
            #expect(hit.status == .seeOther)
            #expect(hit.headers.first(name: .location) == "/registry/persons/\(jianguo.uuidString)")

            // Outside the scope and nowhere: the same page, the number masked, never whole.
            let outside = try await web.form("/registry/search", ["csrf": csrf, "q": Self.jianjun])
            let absent = try await web.form("/registry/search", ["csrf": csrf, "q": Self.nobody])
            #expect(outside.status == .ok && absent.status == .ok)
            #expect(outside.body.string.contains("id=\"search-nobody\""))
            #expect(!outside.body.string.contains(Self.jianjun) && outside.body.string.contains(maskedID(Self.jianjun)))
            #expect(
                outside.body.string.replacingOccurrences(of: maskedID(Self.jianjun), with: "#")
                    == absent.body.string.replacingOccurrences(of: maskedID(Self.nobody), with: "#"))

            // A number put into the address is not looked up, nor shown back.
            let before = try await count(app, "person.looked_up")
            let inURL = try await web.get(SiteURL.registry(.search).path([("q", Self.jianguo)]))
            #expect(inURL.status == .ok)
            #expect(inURL.body.string.contains("id=\"search-notice\""))
            #expect(!inURL.body.string.contains(Self.jianguo))
            #expect(try await count(app, "person.looked_up") == before)

            // English.
            _ = try await web.get("/lang/en?back=/")
            let english = try await web.get(SiteURL.registry(.search).path([("q", "王建国")])).body.string
            #expect(english.contains("Find a resident") && english.contains("1 found"))
        }
    }
}

/// Full-width digits, as a Chinese input method types them.
enum HalfWidthProbe {
    static func fullWidth(_ character: Character) -> Character {
        guard let ascii = character.asciiValue, let scalar = Unicode.Scalar(UInt32(ascii) + 0xFEE0) else { return character }
        return Character(scalar)
    }
}
