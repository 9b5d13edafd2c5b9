import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 代办 (issue 22 item 5): a son who signed up acts for his elderly mother in the same household;
/// the message he leaves for her says so; nobody else can, and nothing is written when refused.
@Suite("Residents: acting for an elderly family member (代办)")
struct ProxiesTests {
    static let group = "310106019-1-01-1-01"
    static let mother = InvitationsTests.id("31010619460302004")
    static let son = InvitationsTests.id("31010619750611003")
    static let grandson = InvitationsTests.id("31010620080909005")
    struct N: Decodable { var n: Int }

    func count(_ app: Application, _ sql: SQLQueryString) async throws -> Int {
        try await app.db.sql.raw(sql).first(decoding: N.self)?.n ?? -1
    }

    /// The household of three; the son signs up with its letter. Returns his client.
    func family(_ app: Application) async throws -> TestClient {
        let cadre = TestClient(app)
        try await cadre.signInAPI("cadre")
        let made = try await cadre.jsonObject(
            .POST, "/api/v1/registry/households",
            [
                "node": Self.group, "address": "代办路 8 号 302 室", "moved_in_on": "1990-01-01",
                "members": [
                    ["name": "王秀珍", "id_number": Self.mother, "relation": "head", "residence_status": "registered"],
                    ["name": "李建国", "id_number": Self.son, "relation": "son", "residence_status": "registered"],
                    ["name": "李小明", "id_number": Self.grandson, "relation": "grandchild", "residence_status": "registered"]
                ]
            ])
        let household = try made.createdID()
        struct Letter: Decodable { var household_id: UUID; var code: String }
        let letters = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group, "valid_days": 7]).decode([Letter].self)
        let code = try #require(letters.first { $0.household_id == household }?.code)
        let done = try await TestClient(app).jsonObject(
            .POST, "/api/v1/residents/signup",
            ["code": code, "name": "李建国", "id_number": Self.son, "phone": "13600136000", "username": "lijianguo", "password": "Li-Jianguo-2026"])
        #expect(done.status == .created, "\(done.body.string)")
        let client = TestClient(app)
        try await client.signInAPI("lijianguo", password: "Li-Jianguo-2026")
        return client
    }

    @Test("only a living member of one's own household aged 60 or over who agreed; the case left for her says so; ended, it is refused")
    func actFor() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            try await CasesFixture.setUp(app)
            let son = try await family(app)
            let overview = try await son.get("/api/v1/me/proxies").decode(Proxies.Overview.self)
            #expect(overview.links.isEmpty && overview.may_link.map(\.name) == ["王秀珍"])
            let mother = try #require(overview.may_link.first).person_id
            struct P: Decodable { var id: UUID }
            let people = try await app.db.sql.raw("SELECT id FROM persons WHERE name = '李小明'").all(decoding: P.self)
            let grandson = try #require(people.first).id
            let stranger = try #require(try await app.db.sql.raw("SELECT id FROM persons WHERE name <> '王秀珍' LIMIT 1").first(decoding: P.self)).id

            // Refused by field, nothing written.
            let cases: [([String: Any], String, String)] = [
                (["person_id": grandson.uuidString, "consent": true], "person_id", "60 岁及以上"),
                (["person_id": mother.uuidString, "consent": false], "consent", "老人本人已同意"),
                (["person_id": stranger.uuidString, "consent": true], "person_id", "同住一户")
            ]
            for (body, field, words) in cases {
                let answer = try await son.jsonObject(.POST, "/api/v1/me/proxies", body)
                #expect(
                    answer.status == .unprocessableEntity && answer.body.string.contains(field) && answer.body.string.contains(words),
                    "\(answer.body.string)")
            }
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM proxy_links") == 0)

            // Sent twice at once: one link, the other answer 409.
            async let first = son.jsonObject(.POST, "/api/v1/me/proxies", ["person_id": mother.uuidString, "consent": true])
            async let second = son.jsonObject(.POST, "/api/v1/me/proxies", ["person_id": mother.uuidString, "consent": true])
            let answers = try await [first, second]
            #expect(Set(answers.map(\.status)) == [.created, .conflict], "\(answers.map(\.status))")
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM proxy_links") == 1)
            let link = try #require(try answers.first { $0.status == .created }?.createdID())
            #expect(try await son.jsonObject(.POST, "/api/v1/me/proxies", ["person_id": mother.uuidString, "consent": true]).status == .conflict)

            // The message left for her: the case says who left it for whom.
            let before = try await count(app, "SELECT COUNT(*) AS n FROM cases")
            let notLinked = try await son.jsonObject(
                .POST, "/api/v1/cases",
                ["channel": "resident_message", "category_code": "E0404", "description": "楼道灯坏了", "on_behalf_of": grandson.uuidString])
            #expect(notLinked.status == .unprocessableEntity && notLinked.body.string.contains("on_behalf_of"))
            let other = TestClient(app)
            try await other.signInAPI("resident")
            let foreign = try await other.jsonObject(
                .POST, "/api/v1/cases",
                ["channel": "resident_message", "category_code": "E0404", "description": "楼道灯坏了", "on_behalf_of": mother.uuidString])
            #expect(foreign.status == .unprocessableEntity)
            #expect(try await other.jsonObject(.POST, "/api/v1/me/proxies/\(link)/end", [:]).status == .notFound)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM cases") == before)
            let made = try await son.jsonObject(
                .POST, "/api/v1/cases",
                ["channel": "resident_message", "category_code": "E0404", "description": "母亲说楼道灯坏了一周", "on_behalf_of": mother.uuidString])
            #expect(made.status == .created, "\(made.body.string)")
            let caseID = try made.createdID()
            struct Detail: Decodable { var on_behalf_of: ProxyQueries.Act? }
            let detail = try await son.get("/api/v1/cases/\(caseID)").decode(Detail.self)
            #expect(detail.on_behalf_of == .init(person_name: "王**", by_name: "李**"))
            let staff = TestClient(app)
            _ = try await staff.signInWeb("staff")
            #expect(try await staff.get("/cases/\(caseID)").body.string.contains("家属代办：李** 代 王** 反映"))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'proxy.linked'") == 1)

            // Pages: the message form offers her; My data lists the link.
            let web = TestClient(app)
            _ = try await web.signInWeb("lijianguo", password: "Li-Jianguo-2026")
            let form = try await web.get("/cases/new").body.string
            #expect(form.contains("id=\"on_behalf_of\"") && form.contains("代 王秀珍 反映"))
            let data = try await web.get("/account/data").body.string
            #expect(data.contains("id=\"proxy-links\"") && data.contains("end-\(link.uuidString)"))

            // Ended: the record stays, and she can no longer be chosen.
            #expect(try await son.jsonObject(.POST, "/api/v1/me/proxies/\(link)/end", [:]).status == .noContent)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM proxy_links WHERE ended_at IS NOT NULL") == 1)
            let after = try await son.jsonObject(
                .POST, "/api/v1/cases",
                ["channel": "resident_message", "category_code": "E0404", "description": "再次反映", "on_behalf_of": mother.uuidString])
            #expect(after.status == .unprocessableEntity)
            #expect(!(try await web.get("/cases/new").body.string.contains("id=\"on_behalf_of\"")))
        }
    }

    @Test("the My data form: no consent ticked is said beside the box, nothing written")
    func form() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            _ = try await family(app)
            let web = TestClient(app)
            _ = try await web.signInWeb("lijianguo", password: "Li-Jianguo-2026")
            let page = try await web.get("/account/data").body.string
            #expect(page.contains("id=\"proxy-form\"") && page.contains("王秀珍（"))
            let csrf = try #require(TestClient.csrf(in: page))
            struct P: Decodable { var id: UUID }
            let mother = try #require(try await app.db.sql.raw("SELECT id FROM persons WHERE name = '王秀珍'").first(decoding: P.self)).id
            let refused = try await web.form("/account/proxies", ["csrf": csrf, "person_id": mother.uuidString])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("id=\"error-consent\""))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM proxy_links") == 0)
            let done = try await web.form("/account/proxies", ["csrf": csrf, "person_id": mother.uuidString, "consent": "true"])
            #expect(done.status == .seeOther)
            #expect(try await web.get("/account/data?done=proxy").body.string.contains("id=\"proxy-done\""))
        }
    }
}
