import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Sign-in, sessions, tokens, passwords")
struct AuthTests {
    @Test("the API without a token answers 401 with a JSON error")
    func unauthenticated() async throws {
        try await withApp(demo: true) { app in
            let response = try await TestClient(app).get("/api/v1/me")
            #expect(response.status == .unauthorized)
            struct Envelope: Decodable { struct E: Decodable { var code: String; var message: String; var message_en: String }; var error: E }
            let envelope = try response.decode(Envelope.self)
            #expect(envelope.error.code == "unauthenticated")
            #expect(envelope.error.message == "请先登录")
            #expect(envelope.error.message_en == "Please sign in first")
        }
    }

    @Test("a token is issued, identifies the caller, is stored hashed, and can be revoked")
    func tokenLifecycle() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            try await client.signInAPI("cadre")
            let me = try await client.get("/api/v1/me")
            #expect(me.status == .ok)
            let account = try me.decode(AccountView.self)
            #expect(account.username == "cadre")
            #expect(account.role == .areaCadre)
            #expect(account.scope.code == "310106019-1-01")
            let token = try #require(client.bearer)
            struct Row: Decodable { var token_hash: String }
            let stored = try await app.db.sql.raw("SELECT token_hash FROM auth_sessions").all(decoding: Row.self)
            #expect(!stored.map(\.token_hash).contains(token))
            #expect(stored.map(\.token_hash).contains(Secrets.hash(token)))
            #expect(try await client.send(.DELETE, "/api/v1/auth/token").status == .noContent)
            #expect(try await client.get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test("wrong password and unknown user both answer 401 with the same message")
    func badCredentials() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            let wrong = try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": "nope-nope-1"])
            let unknown = try await client.json(.POST, "/api/v1/auth/token", ["username": "nobody", "password": "nope-nope-1"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.body.string == unknown.body.string)
            let missing = try await client.json(.POST, "/api/v1/auth/token", ["username": "staff"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("\"field\":\"password\""))
        }
    }

    @Test("six bad passwords in a row: the sixth attempt answers 429, even with the right password")
    func throttlePerAccount() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            var statuses: [UInt] = []
            for _ in 1...5 {
                statuses.append(try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": "wrong-pass-1"]).status.code)
            }
            #expect(statuses == [401, 401, 401, 401, 401])
            let sixth = try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": demoPassword])
            #expect(sixth.status == .tooManyRequests)
            #expect(Int(sixth.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            // Another account is not locked by it.
            try await client.signInAPI("cadre")
        }
    }

    @Test("the lock lifts when its time has run out")
    func throttleExpires() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let client = TestClient(app)
            for _ in 1...5 { _ = try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": "wrong-pass-1"]) }
            #expect(try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": demoPassword]).status == .tooManyRequests)
            clock.advance(16 * 60)
            #expect(try await client.json(.POST, "/api/v1/auth/token", ["username": "staff", "password": demoPassword]).status == .created)
        }
    }

    @Test("one address guessing many usernames is throttled too")
    func throttlePerAddress() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            for index in 1...LoginThrottlePolicy.perAddress.maxFailures {
                let status = try await client.json(.POST, "/api/v1/auth/token", ["username": "guess\(index)", "password": "wrong-pass-1"]).status
                #expect(status == .unauthorized)
            }
            #expect(try await client.json(.POST, "/api/v1/auth/token", ["username": "cadre", "password": demoPassword]).status == .tooManyRequests)
        }
    }

    @Test("web sign-in sets an HttpOnly SameSite session cookie and needs the CSRF token")
    func webSignIn() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            let home = try await client.get("/")
            #expect(home.status == .seeOther)
            #expect(home.headers.first(name: .location) == "/login")
            let page = try await client.get("/login")
            #expect(page.body.string.contains("登录"))
            #expect(page.body.string.contains("<html lang=\"zh-CN\">"))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            let forged = try await client.form("/login", ["username": "cadre", "password": demoPassword, "csrf": "forged"])
            #expect(forged.status == .forbidden)
            let ok = try await client.form("/login", ["username": "cadre", "password": demoPassword, "csrf": csrf])
            #expect(ok.status == .seeOther)
            let cookie = try #require(ok.headers[.setCookie].first { $0.hasPrefix("minqing_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            let signedIn = try await client.get("/")
            #expect(signedIn.status == .ok)
            #expect(signedIn.body.string.contains("居民区书记/社工"))
            let sessionCSRF = try #require(TestClient.csrf(in: signedIn.body.string))
            #expect(try await client.form("/logout", ["csrf": "wrong"]).status == .forbidden)
            #expect(try await client.form("/logout", ["csrf": sessionCSRF]).status == .seeOther)
            #expect(try await client.get("/").status == .seeOther)
        }
    }

    @Test("a wrong password on the login page shows the error in the chosen language")
    func loginPageError() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            client.cookies["minqing_lang"] = "en"
            let response = try await client.signInWeb("cadre", password: "wrong-pass-1")
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("flash-error"))
            #expect(response.body.string.contains("The username or password is wrong"))
        }
    }

    @Test("changing the password checks every field, then ends the other sessions")
    func changePassword() async throws {
        try await withApp(demo: true) { app in
            let phone = TestClient(app)
            try await phone.signInAPI("gridworker")
            let desk = TestClient(app)
            try await desk.signInAPI("gridworker")
            let bad = try await desk.json(.PUT, "/api/v1/me/password", ["current_password": "wrong", "new_password": "short"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("\"field\":\"current_password\""))
            #expect(bad.body.string.contains("\"field\":\"new_password\""))
            let good = try await desk.json(.PUT, "/api/v1/me/password", ["current_password": demoPassword, "new_password": "Fresh-Pass-2027"])
            #expect(good.status == .noContent)
            #expect(try await desk.get("/api/v1/me").status == .ok)
            #expect(try await phone.get("/api/v1/me").status == .unauthorized)
            let again = TestClient(app)
            #expect(try await again.json(.POST, "/api/v1/auth/token", ["username": "gridworker", "password": demoPassword]).status == .unauthorized)
            try await again.signInAPI("gridworker", password: "Fresh-Pass-2027")
        }
    }

    @Test("an account made with an initial password must change it before anything else")
    func mustChangePassword() async throws {
        try await withApp(demo: true) { app in
            let admin = TestClient(app)
            try await admin.signInAPI("staff")
            let created = try await admin.json(
                .POST, "/api/v1/accounts",
                ["username": "newcadre", "display_name": "新社工", "role": "area_cadre", "scope": "310106019-2-06"])
            #expect(created.status == .created)
            struct Created: Decodable { var initial_password: String? }
            let initial = try #require(try created.decode(Created.self).initial_password)
            let user = TestClient(app)
            try await user.signInAPI("newcadre", password: initial)
            let blocked = try await user.get("/api/v1/grid/scope")
            #expect(blocked.status == .forbidden)
            #expect(blocked.body.string.contains("password_change_required"))
            #expect(
                try await user.json(.PUT, "/api/v1/me/password", ["current_password": initial, "new_password": "Mine-Now-2026"]).status == .noContent)
            #expect(try await user.get("/api/v1/grid/scope").status == .ok)
        }
    }

    @Test("a disabled account cannot sign in and loses its sessions")
    func disabledAccount() async throws {
        try await withApp(demo: true) { app in
            let volunteer = TestClient(app)
            try await volunteer.signInAPI("volunteer")
            let admin = TestClient(app)
            try await admin.signInAPI("admin")
            #expect(try await admin.json(.PATCH, "/api/v1/accounts/volunteer", ["disabled": true]).status == .ok)
            #expect(try await volunteer.get("/api/v1/me").status == .unauthorized)
            #expect(
                try await TestClient(app).json(.POST, "/api/v1/auth/token", ["username": "volunteer", "password": demoPassword]).status
                    == .unauthorized)
            #expect(try await admin.json(.PATCH, "/api/v1/accounts/admin", ["disabled": true]).status == .conflict)
        }
    }

    @Test("the language switch is remembered and only redirects within the site")
    func languageSwitch() async throws {
        try await withApp(demo: true) { app in
            let client = TestClient(app)
            let switched = try await client.get("/lang/en?back=/login")
            #expect(switched.status == .seeOther)
            #expect(switched.headers.first(name: .location) == "/login")
            #expect(client.cookies["minqing_lang"] == "en")
            let page = try await client.get("/login")
            #expect(page.body.string.contains("<html lang=\"en\">"))
            #expect(page.body.string.contains("Sign in to Minqing"))
            let evil = try await client.get("/lang/zh?back=//evil.example/")
            #expect(evil.headers.first(name: .location) == "/")
        }
    }
}
