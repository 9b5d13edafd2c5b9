import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Register: pages")
struct RegistryPagesTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    static let head = id("31010619560312001") // male, 1956-03-12
    static let spouse = id("31010619580720002") // female, 1958-07-20
    static let phone = "13800138000"
    static let group = "310106019-1-01-1-01"
    static let hostile = "\"><script>x</script>"

    /// A cadre signed in through the web form, and the same cadre with a bearer token.
    struct Clients { var web: TestClient; var api: TestClient }

    func cadre(_ app: Application, _ username: String = "cadre") async throws -> Clients {
        let web = TestClient(app)
        #expect(try await web.signInWeb(username).status == .seeOther)
        let api = TestClient(app)
        try await api.signInAPI(username)
        return Clients(web: web, api: api)
    }

    /// Registers a household of a head (with a phone) and a spouse; returns its id and the head's.
    func household(
        _ api: TestClient, address: String = "汾西路 261 弄 3 号 502 室", node: String = group,
        head: String = head, spouse: String? = spouse
    ) async throws -> (household: UUID, head: UUID) {
        var members: [[String: Any]] = [["name": "王建国", "id_number": head, "phone": Self.phone, "relation": "head", "residence_status": "registered"]]
        if let spouse {
            members.append(["name": "李秀英", "id_number": spouse, "relation": "spouse", "residence_status": "floating"])
        }
        let response = try await api.jsonObject(
            .POST, "/api/v1/registry/households",
            ["node": node, "address": address, "moved_in_on": "1998-05-01", "members": members])
        guard response.status == .created else { throw TestFailure("\(response.status): \(response.body.string)") }
        struct Created: Decodable { var id: UUID }
        let household = try response.decode(Created.self).id
        struct Detail: Decodable { struct P: Decodable { var id: UUID; var relation: String }; var members: [P] }
        let detail = try await api.get("/api/v1/registry/households/\(household)").decode(Detail.self)
        return (household, detail.members.first { $0.relation == "head" }!.id)
    }

    func csrf(_ client: TestClient) async throws -> String {
        try #require(TestClient.csrf(in: try await client.get("/account/password").body.string))
    }

    func count(_ app: Application, action: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql
            .raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)").first(decoding: N.self)!.n
    }

    @Test("browse by node, household, person, tags and smart groups, in Chinese and in English, masked numbers only")
    func pagesInBothLanguages() async throws {
        try await withApp(demo: true) { app in
            let c = try await cadre(app)
            let (household, person) = try await household(c.api)

            let root = try await c.web.get("/registry")
            #expect(root.status == .seeOther)
            #expect(root.headers.first(name: .location) == "/registry/nodes/310106019-1-01")

            let home = try await c.web.get("/").body.string
            #expect(home.contains("href=\"/registry\""))
            #expect(home.contains("居民库"))

            let area = try await c.web.get("/registry/nodes/310106019-1-01")
            #expect(area.status == .ok)
            #expect(area.body.string.contains("id=\"registry-figures\""))
            #expect(area.body.string.contains("id=\"registry-children\""))
            #expect(!area.body.string.contains("id=\"households\""), "a residential area lists its children, not every household")

            let group = try await c.web.get("/registry/nodes/\(Self.group)").body.string
            #expect(group.contains("id=\"households\""))
            #expect(group.contains("href=\"/registry/households/\(household.uuidString)\""))
            #expect(group.contains("汾西路 261 弄 3 号 502 室"))
            #expect(group.contains("王建国"))
            #expect(group.contains("住户（共 1 户）"))

            let page = try await c.web.get("/registry/households/\(household)")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .cacheControl) == "no-store")
            let html = page.body.string
            for text in [
                "户主", "配偶", "户籍", "流动", "男", "女", "1956-03-12", maskedID(Self.head), "138****8000",
                "href=\"/registry/persons/\(person.uuidString)\"", "id=\"aid\"", "¥0.00"
            ] {
                #expect(html.contains(text), "household page lacks \(text)")
            }
            let personPage = try await c.web.get("/registry/persons/\(person)").body.string
            #expect(personPage.contains("id=\"reveal-form\""))
            #expect(personPage.contains(maskedID(Self.head)))
            for page in [html, personPage, group] {
                for secret in [Self.head, Self.spouse, Self.phone] {
                    #expect(!page.contains(secret), "a plain number on a page")
                }
            }
            #expect(try await c.web.get("/registry/tags").status == .ok)
            #expect(try await c.web.get("/registry/smart-groups").body.string.contains("id=\"smart-group-form\""))

            // English, by the language switch.
            _ = try await c.web.get("/lang/en?back=/")
            let english = try await c.web.get("/registry/households/\(household)").body.string
            #expect(english.contains("<html lang=\"en\""))
            for text in ["Members (2)", "Head", "Spouse", "Registered", "Floating", "Male", "Female", "Aid received in all"] {
                #expect(english.contains(text), "English household page lacks \(text)")
            }
            #expect(!english.contains("户主"))
            let englishGroup = try await c.web.get("/registry/nodes/\(Self.group)").body.string
            #expect(englishGroup.contains("Households (1)"))
            #expect(englishGroup.contains(">Register<"))
            #expect(try await c.web.get("/registry/tags").body.string.contains("Identity tags"))
            #expect(try await c.web.get("/registry/smart-groups").body.string.contains("Tag expression"))
        }
    }

    @Test("the reveal form shows the plain number once, needs a purpose, and writes it to the audit trail")
    func reveal() async throws {
        try await withApp(demo: true) { app in
            let c = try await cadre(app)
            let (_, person) = try await household(c.api)
            let token = try await csrf(c.web)
            let path = "/registry/persons/\(person)/reveal"

            let missing = try await c.web.form(path, ["csrf": token, "field": "id_number", "purpose": " ", "purpose_detail": "x"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("id=\"reveal-error-purpose\""))
            #expect(missing.body.string.contains("请选择用途"))
            #expect(missing.body.string.contains("id=\"reveal-error-purpose_detail\""))
            #expect(missing.body.string.contains("请写明具体事由"))
            #expect(!missing.body.string.contains(Self.head))
            #expect(try await count(app, action: "pii.revealed") == 0)

            let shown = try await c.web.form(path, ["csrf": token, "field": "id_number", "purpose": "assistance", "purpose_detail": "办理高龄津贴"])
            #expect(shown.status == .ok)
            #expect(shown.headers.first(name: .cacheControl) == "no-store")
            let html = shown.body.string
            #expect(html.contains("<code class=\"mono\" id=\"revealed-value\">\(Self.head)</code>"))
            #expect(html.components(separatedBy: Self.head).count == 2, "the plain number appears exactly once")
            #expect(!html.contains("value=\"办理高龄津贴\""), "the purpose is not kept in the form after success")
            #expect(html.contains("href=\"/lang/en?back=/registry/persons/\(person.uuidString)\""), "the language switch returns to the person page")

            struct Audit: Decodable { var detail: String; var target_id: String?; var actor_name: String? }
            let audit = try await app.db.sql
                .raw("SELECT detail, target_id, actor_name FROM audit_log WHERE action = 'pii.revealed'").all(decoding: Audit.self)
            #expect(audit.count == 1)
            #expect(audit.first?.detail.contains("办理高龄津贴") == true)
            #expect(audit.first?.detail.contains("id_number") == true)
            #expect(audit.first?.target_id == person.uuidString)
            #expect(audit.first?.actor_name == "cadre")
            #expect(audit.allSatisfy { !$0.detail.contains(Self.head) })

            let phone = try await c.web.form(path, ["csrf": token, "field": "phone", "purpose": "home_visit", "purpose_detail": "联系住户"])
            #expect(phone.body.string.contains(">\(Self.phone)</code>"))
            #expect(try await count(app, action: "pii.revealed") == 2)

            // Shown once: the person page itself is masked again.
            let again = try await c.web.get("/registry/persons/\(person)").body.string
            #expect(!again.contains(Self.head))
            #expect(!again.contains(Self.phone))
            #expect(!again.contains("id=\"revealed\""))

            // Without the form's token nothing is shown and nothing is audited.
            #expect(
                try await c.web.form(path, ["csrf": "wrong", "field": "id_number", "purpose": "assistance", "purpose_detail": "办理高龄津贴"]).status
                    == .forbidden)
            #expect(try await count(app, action: "pii.revealed") == 2)
        }
    }

    @Test("a grid worker sees no reveal form and no sensitive tags; a cadre sees them marked")
    func gridWorker() async throws {
        try await withApp(demo: true) { app in
            let c = try await cadre(app)
            let (_, person) = try await household(c.api)
            let sql = app.db.sql
            let open = UUID(), secret = UUID(), parent = UUID()
            try await sql.raw(
                """
                INSERT INTO tags (id, code, name_zh, name_en, kind, parent_id, sensitive, sort_order) VALUES
                (\(bind: parent), 'id.elderly', '老年人', 'Older people', 'identity', NULL, \(bind: false), 1),
                (\(bind: open), 'id.elderly_alone', '独居老人', 'Elderly living alone', 'identity', \(bind: parent), \(bind: false), 2),
                (\(bind: secret), 'id.religion.buddhism', '佛教信众', 'Buddhist', 'identity', NULL, \(bind: true), 3)
                """
            ).run()
            for (tag, ends) in [(open, nil), (secret, nil), (parent, "2020-01-01")] as [(UUID, String?)] {
                try await sql.raw(
                    """
                    INSERT INTO tag_assignments (id, person_id, tag_id, grid_node_id, starts_on, ends_on, source, created_by)
                    SELECT \(bind: UUID()), p.id, \(bind: tag), p.grid_node_id, '2019-01-01', \(bind: ends), 'manual', 'cadre'
                    FROM persons p WHERE p.id = \(bind: person)
                    """
                ).run()
            }

            let cadrePage = try await c.web.get("/registry/persons/\(person)").body.string
            #expect(cadrePage.contains("独居老人"))
            #expect(cadrePage.contains("佛教信众"))
            #expect(cadrePage.contains("badge bad sensitive"))
            #expect(cadrePage.contains("id=\"tag-history\""))
            #expect(cadrePage.contains("2020-01-01"), "an ended assignment stays in the history")
            let cadreTags = try await c.web.get("/registry/tags").body.string
            #expect(cadreTags.contains("佛教信众"))
            #expect(cadreTags.contains("id=\"sensitive-note\""))

            let grid = try await cadre(app, "gridworker")
            let page = try await grid.web.get("/registry/persons/\(person)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("独居老人"))
            #expect(!html.contains("佛教信众"))
            #expect(!html.contains("id.religion"))
            #expect(!html.contains("sensitive"))
            #expect(!html.contains("reveal-form"))
            #expect(!html.contains("/reveal\""))
            #expect(html.contains("138****8000"))
            let tags = try await grid.web.get("/registry/tags").body.string
            #expect(tags.contains("独居老人"))
            #expect(!tags.contains("佛教信众"))
            #expect(!tags.contains("sensitive"))
            // The tag is unknown to them in the builder, too.
            let builder = try await grid.web.get("/registry/smart-groups?expression=id.religion.buddhism")
            #expect(builder.status == .unprocessableEntity)
            #expect(!builder.body.string.contains("佛教信众"))
            let token = try await csrf(grid.web)
            let refused = try await grid.web.form("/registry/persons/\(person)/reveal", ["csrf": token, "field": "phone", "purpose": "上门走访联系"])
            #expect(refused.status == .forbidden)
            #expect(!refused.body.string.contains(Self.phone))
            #expect(try await count(app, action: "pii.revealed") == 0)
        }
    }

    @Test("hostile values are escaped in text and in attributes")
    func escaping() async throws {
        try await withApp(demo: true) { app in
            let c = try await cadre(app)
            let (household, person) = try await household(c.api, address: Self.hostile)
            let escapedText = "&gt;&lt;script&gt;x&lt;/script&gt;"
            let escapedAttribute = "&quot;&gt;&lt;script&gt;x&lt;/script&gt;"
            for path in ["/registry/nodes/\(Self.group)", "/registry/households/\(household)", "/registry/persons/\(person)"] {
                let html = try await c.web.get(path).body.string
                #expect(!html.contains("<script>"), "\(path) carries the raw script tag")
                #expect(html.contains(escapedText), "\(path) does not show the address escaped")
            }
            // The page title holds the address too.
            let titled = try await c.web.get("/registry/households/\(household)").body.string
            #expect(titled.contains("\(escapedText) · 居民库 · 民情</title>"))
            // Attributes: the builder's inputs and the save form's hidden fields echo what was typed.
            let query = RegisterFormat.query([("expression", Self.hostile), ("node", Self.hostile), ("min_age", Self.hostile)])
            let builder = try await c.web.get("/registry/smart-groups?\(query)")
            #expect(builder.status == .unprocessableEntity)
            #expect(!builder.body.string.contains("<script>"))
            #expect(builder.body.string.contains("value=\"\(escapedAttribute)\""))
            // The reveal form shows refused words back in their value attribute.
            let token = try await csrf(c.web)
            let refused = try await c.web.form(
                "/registry/persons/\(person)/reveal",
                ["csrf": token, "field": "bogus", "purpose": "other", "purpose_detail": Self.hostile])
            #expect(refused.status == .unprocessableEntity)
            #expect(!refused.body.string.contains("<script>"))
            #expect(refused.body.string.contains("value=\"\(escapedAttribute)\""))
            // A group's name, saved through the web form, in the list and on its own page.
            let saved = try await c.web.form("/registry/smart-groups", ["csrf": token, "name": Self.hostile, "node": Self.group])
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            for path in [location, "/registry/smart-groups"] {
                let html = try await c.web.get(path).body.string
                #expect(!html.contains("<script>"))
                #expect(html.contains(escapedText))
            }
        }
    }

    @Test("the builder previews, pages and saves a group; errors sit next to their field; the export link works with the session")
    func smartGroups() async throws {
        try await withApp(demo: true) { app in
            let c = try await cadre(app)
            _ = try await household(c.api)
            _ = try await household(
                c.api, address: "汾西路 261 弄 5 号", node: "310106019-1-01-2-01",
                head: Self.id("31010619900505003"), spouse: nil)

            let empty = try await c.web.get("/registry/smart-groups")
            #expect(empty.status == .ok)
            #expect(!empty.body.string.contains("id=\"preview\""), "no preview before the form is sent")

            let bad = try await c.web.get("/registry/smart-groups?" + RegisterFormat.query([("expression", "alone AND ("), ("min_age", "x")]))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("id=\"error-expression\""))
            #expect(bad.body.string.contains("id=\"error-min_age\""))
            #expect(!bad.body.string.contains("id=\"preview\""))

            let older = try await c.web.get("/registry/smart-groups?min_age=60&sex=")
            #expect(older.status == .ok)
            let html = older.body.string
            #expect(html.contains("预览：共 2 人"))
            #expect(html.contains("王建国") && html.contains("李秀英"))
            #expect(html.contains("id=\"smart-group-save\""))
            #expect(html.contains("type=\"hidden\" name=\"min_age\" value=\"60\""))
            #expect(try await c.web.get("/registry/smart-groups?sex=female").body.string.contains("预览：共 1 人"))
            #expect(try await c.web.get("/registry/smart-groups?node=310106019-1-01-2").body.string.contains("预览：共 1 人"))

            let token = try await csrf(c.web)
            let nameless = try await c.web.form("/registry/smart-groups", ["csrf": token, "name": "", "min_age": "60"])
            #expect(nameless.status == .unprocessableEntity)
            #expect(nameless.body.string.contains("id=\"error-name\""))
            let outside = try await c.web.form("/registry/smart-groups", ["csrf": token, "name": "越界", "node": "310106019-1-02"])
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.body.string.contains("id=\"error-node\""))

            let saved = try await c.web.form("/registry/smart-groups", ["csrf": token, "name": "六十岁以上", "min_age": "60"])
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            #expect(location.hasPrefix("/registry/smart-groups/"))
            let group = try await c.web.get(location)
            #expect(group.status == .ok)
            #expect(group.body.string.contains("成员：共 2 人"))
            #expect(group.body.string.contains("60 岁及以上"))
            let id = String(location.dropFirst("/registry/smart-groups/".count))
            #expect(group.body.string.contains("href=\"/api/v1/registry/smart-groups/\(id)/export\""))
            #expect(try await c.web.get("/registry/smart-groups").body.string.contains("六十岁以上"))
            #expect(try await count(app, action: "smart_group.saved") == 1)

            // The export link rides on the session cookie (a GET needs no CSRF token).
            let csv = try await c.web.get("/api/v1/registry/smart-groups/\(id)/export")
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(csv.body.string.contains("王建国"))
            #expect(!csv.body.string.contains(Self.head))
        }
    }

    @Test("a building group's households are paged")
    func paging() async throws {
        try await withApp(demo: true) { app in
            let c = try await cadre(app)
            for n in 0..<52 {
                _ = try await household(c.api, address: String(format: "汾西路 %03d 号", n), head: matrixIDNumber(n), spouse: nil)
            }
            let first = try await c.web.get("/registry/nodes/\(Self.group)").body.string
            #expect(first.contains("住户（共 52 户）"))
            #expect(first.components(separatedBy: "href=\"/registry/households/").count - 1 == 50)
            #expect(first.contains("汾西路 000 号") && !first.contains("汾西路 051 号"))
            #expect(first.contains("href=\"/registry/nodes/\(Self.group)?page=2\" rel=\"next\""))
            let second = try await c.web.get("/registry/nodes/\(Self.group)?page=2").body.string
            #expect(second.components(separatedBy: "href=\"/registry/households/").count - 1 == 2)
            #expect(second.contains("汾西路 051 号"))
            #expect(second.contains("rel=\"prev\""))
            #expect(!second.contains("rel=\"next\""))
            #expect(try await c.web.get("/registry/nodes/\(Self.group)?page=x").status == .ok)
        }
    }
}
