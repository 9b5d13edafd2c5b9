import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Tags by their names (issue 21): a smart group typed as `独居老人 且 非 助餐服务`, a tag given by
/// its name, groups stored over codes and shown by names, pages that show names, not codes.
@Suite("Register: tags by name")
struct SmartGroupNamesTests {
    /// Three people in the cadre's area (building group 310106019-1-01-1-01): 甲 lives alone and has
    /// meal aid, 乙 lives alone, 丙 is on dibao (a sensitive tag).
    static let people = [("甲", "31010619400101011"), ("乙", "31010619410202022"), ("丙", "31010619500303031")]

    /// The tags, added as an administrator, and the people, registered as subdistrict staff;
    /// returns each person's id by name.
    func setUp(_ app: Application) async throws -> [String: UUID] {
        let admin = TestClient(app)
        try await admin.signInAPI("admin")
        for tag: [String: Any] in [
            ["code": "id.elderly", "name_zh": "老年人（60周岁以上）", "name_en": "Older person (60 and over)", "kind": "identity"],
            ["code": "id.elderly.alone", "name_zh": "独居老人", "name_en": "Older person living alone", "kind": "identity", "parent": "id.elderly"],
            ["code": "id.assistance.dibao", "name_zh": "低保对象", "name_en": "Dibao recipient", "kind": "identity", "sensitive": true],
            ["code": "svc.elderly.meal_aid", "name_zh": "助餐服务", "name_en": "Meal assistance", "kind": "service"]
        ] {
            let response = try await admin.jsonObject(.POST, "/api/v1/registry/tags", tag)
            guard response.status == .created else { throw TestFailure(response.body.string) }
        }
        let staff = TestClient(app)
        try await staff.signInAPI("staff")
        var ids: [String: UUID] = [:]
        for (name, body) in Self.people {
            let response = try await staff.jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": "310106019-1-01-1-01", "address": "名称测试 \(name)",
                    "members": [["name": name, "id_number": RegistryPagesTests.id(body), "relation": "head", "residence_status": "registered"]]
                ])
            guard response.status == .created else { throw TestFailure(response.body.string) }
            struct Row: Decodable { var id: UUID }
            ids[name] = try await app.db.sql.raw("SELECT id FROM persons WHERE name = \(bind: name)").first(decoding: Row.self)!.id
        }
        return ids
    }

    /// Gives tags through the API by the names a cadre types: Chinese, English in another case.
    func giveTags(_ app: Application, _ ids: [String: UUID]) async throws -> TestClient {
        let cadre = TestClient(app)
        try await cadre.signInAPI("cadre")
        for (name, tag) in [("甲", "独居老人"), ("甲", "meal assistance"), ("乙", "Older person living alone"), ("丙", "低保对象")] {
            let response = try await cadre.jsonObject(.POST, "/api/v1/registry/persons/\(ids[name]!)/tags", ["code": tag, "starts_on": "2024-01-01"])
            #expect(response.status == .created, "\(name) \(tag): \(response.body.string)")
        }
        return cadre
    }

    func selected(_ client: TestClient, _ expression: String) async throws -> (status: HTTPStatus, names: [String], body: String) {
        let response = try await client.jsonObject(
            .POST, "/api/v1/registry/smart-groups/preview",
            ["criteria": ["expression": expression], "purpose": "verification", "purpose_detail": "核对分组结果"])
        guard response.status == .ok else { return (response.status, [], response.body.string) }
        return (response.status, try response.decode(SmartGroupQueries.Page.self).items.map(\.name).sorted(), response.body.string)
    }

    @Test("a tag is given by its name, and expressions take names in Chinese or English as well as codes")
    func expressionsByName() async throws {
        try await withApp(demo: true) { app in
            let ids = try await setUp(app)
            let cadre = try await giveTags(app, ids)
            // The tags went to the codes the names stand for (read back from the rows).
            struct N: Decodable { var n: Int }
            let alone = try await app.db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM tag_assignments a JOIN tags t ON t.id = a.tag_id WHERE t.code = 'id.elderly.alone'
                """
            ).first(decoding: N.self)!.n
            #expect(alone == 2)

            // 甲 and 乙 live alone, 甲 has meal aid: alone and not meal aid is 乙 alone.
            #expect(try await selected(cadre, "独居老人 且 非 助餐服务").names == ["乙"])
            #expect(try await selected(cadre, #""Older person living alone" AND NOT "Meal assistance""#).names == ["乙"])
            #expect(try await selected(cadre, "id.elderly.alone AND NOT svc.elderly.meal_aid").names == ["乙"])
            #expect(try await selected(cadre, "独居老人 或 低保对象").names == ["丙", "乙", "甲"].sorted())

            let unknown = try await selected(cadre, "独居老年 且 助餐服务")
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.contains("未知标签：独居老年"))

            // A grid worker may not see 低保对象: by name as by code, it is unknown.
            let worker = TestClient(app)
            try await worker.signInAPI("gridworker")
            let hidden = try await selected(worker, "低保对象")
            #expect(hidden.status == .unprocessableEntity && hidden.body.contains("未知标签：低保对象"))
            let given = try await worker.jsonObject(.POST, "/api/v1/registry/persons/\(ids["乙"]!)/tags", ["code": "低保对象"])
            #expect(given.status == .unprocessableEntity)
        }
    }

    @Test("a group typed by names is stored over codes and shown by names; the builder adds a tag from its list")
    func storedAndShown() async throws {
        try await withApp(demo: true) { app in
            let ids = try await setUp(app)
            let cadre = try await giveTags(app, ids)
            let saved = try await cadre.jsonObject(
                .POST, "/api/v1/registry/smart-groups", ["name": "独居未助餐", "criteria": ["expression": "独居老人 且 非 助餐服务"]])
            #expect(saved.status == .created)
            struct Created: Decodable { var id: UUID }
            let group = try saved.decode(Created.self).id
            struct Stored: Decodable { var criteria: String }
            let stored = try await app.db.sql.raw("SELECT criteria FROM smart_groups WHERE id = \(bind: group)").first(decoding: Stored.self)!
            #expect(stored.criteria.contains("id.elderly.alone AND NOT svc.elderly.meal_aid"))

            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let page = try await web.get("/registry/smart-groups/\(group)").body.string
            #expect(page.contains("独居老人 且 非 助餐服务"))
            #expect(page.contains("成员：共 1 人"))
            #expect(!page.contains("id.elderly.alone") && !page.contains("svc.elderly.meal_aid"))
            let list = try await web.get("/registry/smart-groups").body.string
            #expect(list.contains("独居老人 且 非 助餐服务") && !list.contains("svc.elderly.meal_aid<"))

            // The tag list under the builder: 独居老人, then "and not" 助餐服务 from the list.
            let query = SiteURL.query([("expression", "独居老人"), ("add", "1"), ("add_tag", "svc.elderly.meal_aid"), ("add_op", "and_not")])
            let added = try await web.get("/registry/smart-groups?" + query)
            #expect(added.status == .ok)
            #expect(added.body.string.contains("value=\"独居老人 且 非 助餐服务\""))
            #expect(added.body.string.contains("预览：共 1 人"))
            #expect(added.body.string.contains("label=\"助餐服务\""))

            _ = try await web.get("/lang/en?back=/")
            let english = try await web.get("/registry/smart-groups/\(group)").body.string
            #expect(english.contains("Older person living alone") && english.contains("Meal assistance"))
            #expect(!english.contains("id.elderly.alone"))
        }
    }

    @Test("the person page shows a tag by its Chinese name, never its code; the code is only the value the form sends")
    func personPage() async throws {
        try await withApp(demo: true) { app in
            let ids = try await setUp(app)
            _ = try await giveTags(app, ids)
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let html = try await web.get("/registry/persons/\(ids["乙"]!)").body.string
            let current = try #require(html.range(of: "id=\"current-tags\""))
            let end = try #require(html.range(of: "</ul>", range: current.upperBound..<html.endIndex))
            #expect(html[current.upperBound..<end.lowerBound].contains("独居老人"))
            #expect(html.contains("label=\"独居老人\""))
            let shown = html.components(separatedBy: "id.elderly.alone").count - 1
            let asValues = html.components(separatedBy: "value=\"id.elderly.alone\"").count - 1
            #expect(shown == asValues, "the code appears outside the tag list's values")
            #expect(asValues == 1)
        }
    }
}
