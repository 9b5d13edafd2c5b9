import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Tag management on the pages: the catalogue by kind with nesting and the sensitive mark, adding
/// a catalogue tag, giving and ending a person's tag with the history kept.
@Suite("Register: tag management pages")
struct RegistryTagPagesTests {
    static let head = RegistryPagesTests.id("31010619560312001")

    func web(_ app: Application, _ username: String) async throws -> (client: TestClient, csrf: String) {
        let client = TestClient(app)
        #expect(try await client.signInWeb(username).status == .seeOther)
        return (client, try #require(TestClient.csrf(in: try await client.get("/account/password").body.string)))
    }

    /// A small catalogue: identity 老年人 › 独居老人, a sensitive 健康状况 › 认知障碍 (sensitive by
    /// inheritance), and a service tag; added through the API as an administrator.
    func catalogue(_ app: Application) async throws {
        let admin = TestClient(app)
        try await admin.signInAPI("admin")
        for tag: [String: Any] in [
            ["code": "id.elderly", "name_zh": "老年人", "name_en": "Older person", "kind": "identity"],
            ["code": "id.elderly.alone", "name_zh": "独居老人", "name_en": "Living alone", "kind": "identity", "parent": "id.elderly"],
            ["code": "id.health", "name_zh": "健康状况", "name_en": "Health", "kind": "identity", "sensitive": true],
            ["code": "id.health.dementia", "name_zh": "认知障碍", "name_en": "Dementia", "kind": "identity", "parent": "id.health"],
            ["code": "svc.meal_aid", "name_zh": "助餐", "name_en": "Meal aid", "kind": "service"]
        ] {
            let response = try await admin.jsonObject(.POST, "/api/v1/registry/tags", tag)
            #expect(response.status == .created, "\(response.body.string)")
        }
    }

    @Test("the catalogue by kind, nested, sensitive tags marked and only for the roles that see them; managers add tags there")
    func catalogueAndNewTags() async throws {
        try await withApp(demo: true) { app in
            try await catalogue(app)
            let (staff, csrf) = try await web(app, "staff")
            let page = try await staff.get("/registry/tags").body.string
            #expect(page.contains("id=\"new-tag-form\""))
            #expect(page.contains("name=\"csrf\" value=\"\(csrf)\""))
            #expect(page.contains("身份标签（4）") && page.contains("服务标签（1）") && page.contains("管理标签（0）"))
            // 独居老人 is inside 老年人's list item.
            let parent = try #require(page.range(of: "id=\"tag-id.elderly\""))
            let child = try #require(page.range(of: "id=\"tag-id.elderly.alone\""))
            let service = try #require(page.range(of: "id=\"tag-svc.meal_aid\""))
            #expect(parent.lowerBound < child.lowerBound && child.lowerBound < service.lowerBound)
            #expect(page[parent.lowerBound..<child.lowerBound].contains("<ul>"))
            #expect(page.contains("认知障碍") && page.contains("badge bad sensitive"))

            // Problems come back next to their fields, values kept (and escaped).
            let bad = try await staff.form(
                "/registry/tags",
                [
                    "csrf": csrf, "code": "Bad Code", "name_zh": "\"><b>x</b>", "name_en": "",
                    "kind": "service", "parent": "id.elderly"
                ])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("id=\"error-code\"") && html.contains("id=\"error-name_en\"") && html.contains("id=\"error-parent\""))
            #expect(html.contains("<details class=\"card\" id=\"new-tag\" open=\"open\">"))
            #expect(!html.contains("<b>x</b>"))
            #expect(html.contains("value=\"Bad Code\""))

            // A child of a sensitive tag is sensitive, though the box was not ticked.
            let made = try await staff.form(
                "/registry/tags",
                [
                    "csrf": csrf, "code": "id.health.mobility", "name_zh": "行动不便",
                    "name_en": "Limited mobility", "kind": "identity", "parent": "id.health"
                ])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers.first(name: .location))
            #expect(location == "/registry/tags?created=id.health.mobility#tag-id.health.mobility")
            let after = try await staff.get(String(location.prefix { $0 != "#" })).body.string
            #expect(after.contains("id=\"tag-created\""))
            struct Row: Decodable { var code: String; var sensitive: Bool; var parent_code: String? }
            let api = TestClient(app)
            try await api.signInAPI("staff")
            let rows = try await api.get("/api/v1/registry/tags").decode([Row].self)
            let mobility = try #require(rows.first { $0.code == "id.health.mobility" })
            #expect(mobility.sensitive && mobility.parent_code == "id.health")
            struct N: Decodable { var n: Int }
            #expect(
                try await app.db.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'tag.created'")
                    .first(decoding: N.self)?.n == 6)

            // A cadre sees the sensitive tags but adds none; a grid worker sees none of them.
            let (cadre, cadreCSRF) = try await web(app, "cadre")
            let cadrePage = try await cadre.get("/registry/tags").body.string
            #expect(cadrePage.contains("认知障碍") && !cadrePage.contains("new-tag-form"))
            #expect(
                try await cadre.form(
                    "/registry/tags",
                    [
                        "csrf": cadreCSRF, "code": "mgmt.x", "name_zh": "x", "name_en": "x",
                        "kind": "management"
                    ]
                ).status == .forbidden)
            let (worker, _) = try await web(app, "gridworker")
            let workerPage = try await worker.get("/registry/tags").body.string
            #expect(workerPage.contains("独居老人"))
            #expect(!workerPage.contains("认知障碍") && !workerPage.contains("健康状况") && !workerPage.contains("sensitive"))
            // In English.
            staff.cookies["minqing_lang"] = "en"
            let english = try await staff.get("/registry/tags").body.string
            #expect(english.contains("Identity tags (5)") && english.contains("Add a tag"))
        }
    }

    @Test("on the person page: give a tag, see it current, end it; problems shown in place; the history keeps who did what")
    func giveAndEnd() async throws {
        try await withApp(demo: true) { app in
            try await catalogue(app)
            let pages = RegistryPagesTests()
            let api = TestClient(app)
            try await api.signInAPI("cadre")
            let (_, person) = try await pages.household(api)
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/persons/\(person)"

            let first = try await cadre.get(path).body.string
            #expect(first.contains("id=\"give-tag-form\""))
            #expect(first.contains("认知障碍（敏感）"), "a cadre may give sensitive tags, marked")
            #expect(first.contains("id=\"no-current-tags\""))

            let given = try await cadre.form("\(path)/tags", ["csrf": csrf, "code": "id.elderly.alone", "starts_on": "2024-01-01", "source": "visit"])
            #expect(given.status == .seeOther)
            #expect(given.headers.first(name: .location) == "\(path)?tag=given#tags")
            let after = try await cadre.get("\(path)?tag=given").body.string
            #expect(after.contains("id=\"tag-flash\""))
            #expect(after.contains("id=\"current-tags\"") && after.contains("独居老人"))
            #expect(after.contains("2024-01-01"))
            let detail = try await api.get("/api/v1/registry/persons/\(person)")
            struct Detail: Decodable { var tags: [RegistryQueries.TagRow] }
            let assignment = try #require(try detail.decode(Detail.self).tags.first { $0.code == "id.elderly.alone" })
            #expect(assignment.created_by == "cadre" && assignment.source == "visit")
            #expect(after.contains("/registry/persons/\(person)/tags/\(assignment.id.uuidString)/end"))

            // Twice: refused in place (409); an unknown tag: 422 next to the select.
            let twice = try await cadre.form("\(path)/tags", ["csrf": csrf, "code": "id.elderly.alone", "source": "manual"])
            #expect(twice.status == .conflict)
            #expect(twice.body.string.contains("该居民已有此标签"))
            #expect(twice.body.string.contains("<details class=\"card\" id=\"give-tag\" open=\"open\">"))
            let unknown = try await cadre.form("\(path)/tags", ["csrf": csrf, "code": "id.nothing", "source": "manual"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("id=\"error-code\""))

            // Ending before it began is refused in its row; ending today works and the history stays.
            let early = try await cadre.form("\(path)/tags/\(assignment.id)/end", ["csrf": csrf, "ends_on": "2023-01-01"])
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.string.contains("结束日期不能早于开始日期"))
            let ended = try await cadre.form("\(path)/tags/\(assignment.id)/end", ["csrf": csrf, "ends_on": ""])
            #expect(ended.status == .seeOther)
            #expect(ended.headers.first(name: .location) == "\(path)?tag=ended#tags")
            let history = try await cadre.get(path).body.string
            #expect(history.contains("id=\"no-current-tags\""))
            #expect(history.contains("独居老人") && history.contains("结束：cadre"))
            #expect(!history.contains("/tags/\(assignment.id.uuidString)/end"), "an ended tag has no end form")
            let again = try await cadre.form("\(path)/tags/\(assignment.id)/end", ["csrf": csrf, "ends_on": ""])
            #expect(again.status == .conflict)
            // A tag ended can be given again: a new current assignment, the old one stays.
            #expect(try await cadre.form("\(path)/tags", ["csrf": csrf, "code": "id.elderly.alone", "source": "manual"]).status == .seeOther)
            #expect(
                try await api.get("/api/v1/registry/persons/\(person)").decode(Detail.self).tags.filter { $0.code == "id.elderly.alone" }.count == 2)

            // A grid worker: no sensitive tags to choose, and giving one by its code is refused.
            let (worker, workerCSRF) = try await web(app, "gridworker")
            let workerPage = try await worker.get(path).body.string
            #expect(workerPage.contains("id=\"give-tag-form\"") && !workerPage.contains("认知障碍"))
            let hidden = try await worker.form("\(path)/tags", ["csrf": workerCSRF, "code": "id.health.dementia", "source": "manual"])
            #expect(hidden.status == .unprocessableEntity)
            // Without the CSRF token nothing happens.
            #expect(try await worker.form("\(path)/tags", ["code": "svc.meal_aid"]).status == .forbidden)
            struct N: Decodable { var n: Int }
            let sql = app.db.sql
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'tag.assigned'").first(decoding: N.self)?.n == 2)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'tag.ended'").first(decoding: N.self)?.n == 1)
        }
    }
}
