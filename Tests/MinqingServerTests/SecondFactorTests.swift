import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Second factor and session timeout (等保 2.0 level 3)")
struct SecondFactorTests {
    @Test(
        "codes follow RFC 6238's SHA-1 vectors (the last six digits)",
        arguments: [
            (Int64(59), "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
            (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130")
        ])
    func vectors(time: Int64, code: String) {
        #expect(SecondFactor.code(secret: Array("12345678901234567890".utf8), step: time / 30) == code)
    }

    /// Enrols `username` through the API and returns its secret and recovery codes.
    static func enrol(_ client: TestClient, clock: TestClock) async throws -> (secret: [UInt8], codes: [String]) {
        let started = try await client.send(.POST, "/api/v1/me/second-factor")
        #expect(started.status == .created)
        #expect(started.headers.first(name: .cacheControl) == "no-store")
        struct Started: Decodable { var secret: String; var otpauth_uri: String }
        let body = try started.decode(Started.self)
        #expect(body.otpauth_uri.hasPrefix("otpauth://totp/Minqing:"))
        let secret = try #require(Base32.decode(body.secret))
        #expect(secret.count == 20)
        let wrong = try await client.jsonObject(.POST, "/api/v1/me/second-factor/confirm", ["code": "000000"])
        #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("\"field\":\"code\""))
        let code = SecondFactor.code(secret: secret, step: TOTPWindow.step(at: Int64(clock.now.timeIntervalSince1970)))
        let confirmed = try await client.jsonObject(.POST, "/api/v1/me/second-factor/confirm", ["code": code])
        #expect(confirmed.status == .ok)
        struct Codes: Decodable { var recovery_codes: [String] }
        let codes = try confirmed.decode(Codes.self).recovery_codes
        #expect(codes.count == 10 && Set(codes).count == 10)
        return (secret, codes)
    }

    static func code(_ secret: [UInt8], _ clock: TestClock, plus steps: Int64 = 0) -> String {
        SecondFactor.code(secret: secret, step: TOTPWindow.step(at: Int64(clock.now.timeIntervalSince1970)) + steps)
    }

    @Test("enrolled: a token needs the code, a code works once, a recovery code once; the secret is stored sealed")
    func apiSignIn() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            let (secret, codes) = try await Self.enrol(cadre, clock: clock)
            // Stored sealed: the base32 secret is nowhere in the table.
            struct Row: Decodable { var secret_cipher: String }
            let stored = try await app.db.sql.raw("SELECT secret_cipher FROM account_totp").all(decoding: Row.self)
            #expect(stored.count == 1 && !stored[0].secret_cipher.contains(Base32.encode(secret)))

            let noCode = try await TestClient(app).jsonObject(.POST, "/api/v1/auth/token", ["username": "cadre", "password": demoPassword])
            #expect(noCode.status == .unauthorized && noCode.body.string.contains("second_factor_required"))
            clock.advance(30)
            let code = Self.code(secret, clock)
            let good = try await TestClient(app).jsonObject(.POST, "/api/v1/auth/token", ["username": "cadre", "password": demoPassword, "otp": code])
            #expect(good.status == .created)
            // The same code again (same step): refused, an overheard code cannot be replayed.
            let replay = try await TestClient(app).jsonObject(
                .POST, "/api/v1/auth/token", ["username": "cadre", "password": demoPassword, "otp": code])
            #expect(replay.status == .unauthorized && replay.body.string.contains("bad_second_factor"))
            // A recovery code, once.
            let recovery = try await TestClient(app).jsonObject(
                .POST, "/api/v1/auth/token", ["username": "cadre", "password": demoPassword, "otp": codes[0]])
            #expect(recovery.status == .created)
            let again = try await TestClient(app).jsonObject(
                .POST, "/api/v1/auth/token", ["username": "cadre", "password": demoPassword, "otp": codes[0]])
            #expect(again.status == .unauthorized)
            // A wrong password never reaches the code.
            let badPassword = try await TestClient(app).jsonObject(
                .POST, "/api/v1/auth/token", ["username": "cadre", "password": "wrong-Pass-1", "otp": Self.code(secret, clock, plus: 1)])
            #expect(badPassword.status == .unauthorized && badPassword.body.string.contains("bad_credentials"))
            struct N: Decodable { var n: Int }
            let enrolled = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'second_factor.enrolled'")
                .first(decoding: N.self)?.n
            #expect(enrolled == 1)
        }
    }

    @Test("web sign-in: password, then the code on its own page; the pending step is no session")
    func webSignIn() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let api = TestClient(app)
            try await api.signInAPI("staff")
            let (secret, _) = try await Self.enrol(api, clock: clock)
            clock.advance(30)
            let web = TestClient(app)
            let login = try await web.signInWeb("staff")
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == "/login/second-factor")
            #expect(web.cookies["minqing_session"] == nil && web.cookies["minqing_mfa"] != nil)
            // The pending step opens nothing.
            #expect(try await web.get("/").status == .seeOther)
            let page = try await web.get("/login/second-factor")
            #expect(page.status == .ok && page.body.string.contains("id=\"second-factor-form\""))
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            let wrong = try await web.form("/login/second-factor", ["csrf": csrf, "code": "123456"])
            #expect(wrong.status == .unauthorized && wrong.body.string.contains("id=\"code-error\""))
            let done = try await web.form("/login/second-factor", ["csrf": csrf, "code": Self.code(secret, clock)])
            #expect(done.status == .seeOther)
            #expect(web.cookies["minqing_session"] != nil && web.cookies["minqing_mfa"] == nil)
            #expect(try await web.get("/").status == .ok)
            // Without the pending cookie the step page sends the browser back to the password.
            #expect(try await TestClient(app).get("/login/second-factor").headers.first(name: .location) == "/login")
        }
    }

    @Test("a role that requires it is held at enrolment (page and API) until it has one")
    func required() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }, settings: { $0.secondFactorRoles = [.admin, .subdistrictStaff] }) { app in
            let web = TestClient(app)
            #expect(try await web.signInWeb("admin").status == .seeOther)
            let held = try await web.get("/")
            #expect(held.status == .seeOther && held.headers.first(name: .location) == "/account/second-factor")
            let page = try await web.get("/account/second-factor")
            #expect(page.body.string.contains("id=\"second-factor-required\""))
            let api = TestClient(app)
            try await api.signInAPI("admin")
            let refused = try await api.get("/api/v1/accounts")
            #expect(refused.status == .forbidden && refused.body.string.contains("second_factor_enrolment_required"))
            #expect(try await api.get("/api/v1/me").status == .ok)
            // A cadre is not required to.
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            #expect(try await cadre.get("/api/v1/registry/summary").status == .ok)
            // Enrolling through the pages: start, the QR and the key, the first code.
            let csrf = try #require(TestClient.csrf(in: page.body.string))
            #expect(try await web.form("/account/second-factor/start", ["csrf": csrf]).status == .seeOther)
            let enrol = try await web.get("/account/second-factor").body.string
            #expect(enrol.contains("id=\"second-factor-qr\"") && enrol.contains("<svg"))
            let key = try #require(enrol.components(separatedBy: "id=\"second-factor-key\">").dropFirst().first?.components(separatedBy: "<").first)
            let secret = try #require(Base32.decode(key))
            let bad = try await web.form("/account/second-factor/confirm", ["csrf": csrf, "code": "12"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("field-error"))
            let confirmed = try await web.form("/account/second-factor/confirm", ["csrf": csrf, "code": Self.code(secret, clock)])
            #expect(confirmed.status == .ok && confirmed.body.string.contains("id=\"recovery-codes\""))
            #expect(confirmed.headers.first(name: .cacheControl) == "no-store")
            #expect(try await web.get("/").status == .ok)
            #expect(try await api.get("/api/v1/accounts").status == .ok)
        }
    }

    @Test("a manager resets a lost factor (sessions end, audited); nobody resets their own")
    func reset() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let cadre = TestClient(app)
            try await cadre.signInAPI("cadre")
            _ = try await Self.enrol(cadre, clock: clock)
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            #expect(try await staff.send(.POST, "/api/v1/accounts/staff/second-factor/reset").status == .unprocessableEntity)
            #expect(try await staff.send(.POST, "/api/v1/accounts/far_nobody/second-factor/reset").status == .notFound)
            #expect(try await staff.send(.POST, "/api/v1/accounts/cadre/second-factor/reset").status == .noContent)
            #expect(try await cadre.get("/api/v1/me").status == .unauthorized, "the cadre's token ended")
            let fresh = TestClient(app)
            try await fresh.signInAPI("cadre")
            struct State: Decodable { var enrolled: Bool }
            #expect(try await fresh.get("/api/v1/me/second-factor").decode(State.self).enrolled == false)
            let grid = TestClient(app)
            try await grid.signInAPI("gridworker")
            #expect(try await grid.send(.POST, "/api/v1/accounts/cadre/second-factor/reset").status == .forbidden)
        }
    }

    @Test("a web session ends after the idle timeout; use keeps it alive; API tokens are not idle-timed")
    func idleTimeout() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }, settings: { $0.idleTimeout = 30 * 60 }) { app in
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            #expect(try await web.get("/").status == .ok)
            clock.advance(29 * 60)
            #expect(try await web.get("/").status == .ok)
            clock.advance(29 * 60)
            #expect(try await web.get("/").status == .ok, "each request moves the idle window")
            let api = TestClient(app)
            try await api.signInAPI("cadre")
            clock.advance(31 * 60)
            let after = try await web.get("/")
            #expect(after.status == .seeOther && after.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api.get("/api/v1/me").status == .ok)
        }
    }
}
