import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Open311: the administrator's key page")
struct Open311KeysPagesTests {
    struct Row: Decodable { var name: String; var key_hash: String; var key_hint: String; var revoked_at: Date? }

    static func rows(_ app: Application) async throws -> [Row] {
        try await app.db.sql.raw("SELECT name, key_hash, key_hint, revoked_at FROM open311_clients ORDER BY name").all(decoding: Row.self)
    }

    @Test("an administrator issues a key on the page (shown once, stored hashed) and revokes it; a bad name is a sentence beside the field")
    func issueAndRevoke() async throws {
        try await withApp(demo: true) { app in
            let admin = TestClient(app)
            #expect(try await admin.signInWeb("admin").status == .seeOther)
            let page = try await admin.get("/admin/open311-clients")
            #expect(page.status == .ok)
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            let before = try await Self.rows(app).count

            let bad = try await admin.form("/admin/open311-clients", ["csrf": csrf, "name": "  ", "jurisdiction_id": "310106019"])
            #expect(bad.status == .unprocessableEntity)
            let badPage = bad.body.string
            #expect(badPage.contains("id=\"error-name\"") && badPage.contains("客户端名称须为 1 至 100 个字符"))
            #expect(try await Self.rows(app).count == before)

            let issued = try await admin.form(
                "/admin/open311-clients", ["csrf": csrf, "name": "12345 热线（测试）", "jurisdiction_id": "310106019"])
            #expect(issued.status == .created)
            let rows = try await Self.rows(app)
            #expect(rows.count == before + 1)
            let row = try #require(rows.first { $0.name == "12345 热线（测试）" })
            // The key is on the answer once; only its hash and last characters are stored.
            let html = issued.body.string
            let start = try #require(html.range(of: "id=\"issued-key\""))
            let keyText = html[start.upperBound...].components(separatedBy: "class=\"mono\">").dropFirst().first?
                .components(separatedBy: "<").first
            let key = try #require(keyText)
            #expect(key.count >= 20 && key.hasPrefix(row.key_hint) && row.key_hash != key && !row.key_hash.contains(key))
            #expect(!(try await admin.get("/admin/open311-clients").body.string.contains(key)))

            let id = try #require(
                try await app.db.sql.raw("SELECT id FROM open311_clients WHERE name = \(bind: row.name)")
                    .first(decoding: [String: UUID].self)?["id"])
            let revoked = try await admin.form("/admin/open311-clients/\(id.uuidString)/revoke", ["csrf": csrf])
            #expect(revoked.status == .seeOther)
            #expect(try await Self.rows(app).first { $0.name == row.name }?.revoked_at != nil)
        }
    }
}
