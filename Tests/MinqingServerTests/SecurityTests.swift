import ConsoleKit
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Security regressions")
struct SecurityTests {
    @Test("a burst of parallel guesses cannot slip past the throttle")
    func parallelGuesses() async throws {
        try await withApp(demo: true) { app in
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await TestClient(app).json(.POST, "/api/v1/auth/token", ["username": "staff", "password": "wrong-pass-1"]).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 15)
        }
    }

    @Test(
        "redirect targets cannot inject headers or leave the site",
        arguments: [
            "/x%0d%0aSet-Cookie:%20pwn=1", "/%09/evil.example/x", "//evil.example", "/\\evil.example", "https://evil.example"
        ])
    func redirects(back: String) async throws {
        try await withApp { app in
            let response = try await TestClient(app).get("/lang/en?back=\(back)")
            #expect(response.headers.first(name: .location) == "/")
            #expect(!response.headers[.setCookie].contains { $0.contains("pwn") })
        }
    }

    @Test("reflected values are escaped inside attributes")
    func attributeEscaping() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            let page = try await client.get("/login?next=/%22%3E%3Cb%3Ehi")
            #expect(!page.body.string.contains("<b>hi"))
            #expect(page.body.string.contains("&quot;&gt;&lt;b&gt;hi"))
            let failed = try await client.signInWeb("x\"><i>y", password: "wrong-pass-1")
            #expect(!failed.body.string.contains("<i>y"))
        }
    }

    @Test("a name that matches no account is audited only as a keyed hash")
    func unknownNamesNotStored() async throws {
        try await withApp(demo: true) { app in
            _ = try await TestClient(app).json(.POST, "/api/v1/auth/token", ["username": "Secret-Pass-1", "password": "x"])
            struct Row: Decodable { var actor_name: String?; var target_id: String?; var detail: String }
            let rows = try await app.db.sql.raw("SELECT actor_name, target_id, detail FROM audit_log WHERE action = 'login.failed'").all(
                decoding: Row.self)
            #expect(rows.count == 1)
            #expect(rows.allSatisfy { $0.actor_name == nil && $0.target_id == nil && !$0.detail.lowercased().contains("secret-pass") })
            #expect(rows.first?.detail.contains("username_hmac") == true)
        }
    }

    @Test("error pages carry the security headers")
    func errorHeaders() async throws {
        try await withApp { app in
            let response = try await TestClient(app).get("/nowhere")
            #expect(response.status == .notFound)
            #expect(response.headers.first(name: "Content-Security-Policy") != nil)
            #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
        }
    }

    @Test("the audit head cannot be deleted or moved back, and a missing head is reported")
    func auditHead() async throws {
        try await withApp(demo: true) { app in
            let sql = app.db.sql
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_head").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_head SET seq = 0").run() }
            if sql.dialect.name == "postgresql" {
                try await sql.raw("DROP TRIGGER audit_head_forward ON audit_head").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_head_no_delete").run()
            }
            try await sql.raw("DELETE FROM audit_head").run()
            #expect(try await AuditLog.verify(on: app.db).isIntact == false)
        }
    }

    @Test("an administrator bound below the root may not read the whole trail")
    func auditNeedsRootAdmin() async throws {
        try await withApp(demo: true) { app in
            _ = try await AccountService.create(
                NewAccount(
                    username: "admin2", displayName: "区管理员", role: "admin",
                    scopeCode: "310106019", password: "Second-Admin-1", mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let client = TestClient(app)
            try await client.signInAPI("admin2", password: "Second-Admin-1")
            #expect(try await client.get("/api/v1/audit").status == .forbidden)
            let root = TestClient(app)
            try await root.signInAPI("admin")
            #expect(try await root.get("/api/v1/audit").status == .ok)
        }
    }

    @Test("`user unlock` lifts a lock; guessing the current password is throttled too")
    func unlockAndPasswordGuessing() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            for _ in 1...5 { _ = try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": "wrong-pass-1"]) }
            #expect(try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": demoPassword]).status == .tooManyRequests)
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["minqing", "--username", "staff"]))
            context.application = app
            try await UserUnlockCommand().run(using: &context)
            try await client.signInAPI("staff")
            var statuses: [UInt] = []
            for _ in 1...6 {
                statuses.append(
                    try await client.json(.PUT, "/api/v1/me/password", ["current_password": "guess-guess-1", "new_password": "Whatever-New-1"]).status
                        .code)
            }
            #expect(statuses == [422, 422, 422, 422, 422, 429])
        }
    }
}
