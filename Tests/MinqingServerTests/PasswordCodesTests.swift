import Crypto
import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// A forgotten password reset with a code texted through the gateway (issue 22 item 1), against a
/// real HTTP receiver on 127.0.0.1: the code reaches the resident's own number, signed; an
/// unknown account is answered the same and nothing is sent; a wrong, expired, used or exhausted
/// code is refused by its field and changes nothing; the reset ends the old sessions.
@Suite("Residents: a forgotten password reset by a texted code")
struct PasswordCodesTests {
    static let secret = "password-code-gateway-secret"
    struct N: Decodable { var n: Int }

    func count(_ app: Application, _ sql: SQLQueryString) async throws -> Int {
        try await app.db.sql.raw(sql).first(decoding: N.self)?.n ?? -1
    }

    /// The code in the receiver's latest message for `phone`, after waiting for it to arrive.
    func awaitCode(_ receiver: WebhookReceiver, _ expected: Int, phone: String) async throws -> String {
        for _ in 0..<100 where receiver.requests.count < expected { try await Task.sleep(for: .milliseconds(50)) }
        let request = try #require(receiver.requests.last)
        #expect(receiver.requests.count == expected)
        let signed = NotificationDelivery.signature(body: request.body, timestamp: request.timestamp, key: SymmetricKey(data: Data(Self.secret.utf8)))
        #expect(request.signature == "sha256=" + signed)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let payload = try decoder.decode(NotificationDelivery.Payload.self, from: request.body)
        #expect(payload.to == phone && payload.kind == "password_code" && payload.urgent && payload.path == "/password/reset")
        let digits = try #require(payload.detail.firstMatch(of: /验证码是 (\d{6})/))
        return String(digits.1)
    }

    @Test("the code reaches the resident's number; wrong, expired, exhausted and used codes are refused; the reset ends old sessions")
    func reset() async throws {
        let receiver = try await WebhookReceiver.start()
        do {
            try await withApp(
                demo: true, demoPeople: 0.01, settings: { $0.notifyGateway = NotifyGateway(url: receiver.url, secret: Self.secret) }
            ) { app in
                let resident = try await NotificationsTests().signedUpResident(app)
                let anonymous = TestClient(app)
                let ask = ["username": "ZhaoGuoqiang "]

                // Unknown accounts and staff accounts get the same answer and nothing is sent.
                for name in ["nobody-here", "staff"] {
                    let answer = try await anonymous.jsonObject(.POST, "/api/v1/auth/password-code", ["username": name])
                    #expect(answer.status == .accepted)
                }
                let first = try await anonymous.jsonObject(.POST, "/api/v1/auth/password-code", ask)
                #expect(first.status == .accepted)
                let code = try await awaitCode(receiver, 1, phone: NotificationsTests.phone)
                #expect(try await count(app, "SELECT COUNT(*) AS n FROM password_codes") == 1)
                #expect(try await count(app, "SELECT COUNT(*) AS n FROM password_codes WHERE code_hash LIKE \(bind: "%" + code + "%")") == 0)
                // Within the minute: the same answer, no second code.
                #expect(try await anonymous.jsonObject(.POST, "/api/v1/auth/password-code", ask).status == .accepted)
                try await Task.sleep(for: .milliseconds(200))
                #expect(receiver.requests.count == 1)

                // Problems by field, nothing changed.
                let path = "/api/v1/auth/password-reset"
                let weak = try await anonymous.jsonObject(.POST, path, ["username": "zhaoguoqiang", "code": code, "new_password": "short"])
                #expect(weak.status == .unprocessableEntity && weak.body.string.contains("new_password"))
                let wrong = String(format: "%06d", (Int(code)! + 1) % 1_000_000)
                let refused = try await anonymous.jsonObject(
                    .POST, path, ["username": "zhaoguoqiang", "code": wrong, "new_password": "New-Pass-2026x"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("验证码不正确或已过期"))
                #expect(try await count(app, "SELECT COUNT(*) AS n FROM password_codes WHERE attempts = 1") == 1)
                #expect(try await resident.get("/api/v1/me/notifications").status == .ok)

                // The right code (typed full-width): the password changes, the old session ends.
                let full = String(code.map { Character(UnicodeScalar($0.unicodeScalars.first!.value + 0xFEE0)!) })
                let done = try await anonymous.jsonObject(.POST, path, ["username": "zhaoguoqiang", "code": full, "new_password": "New-Pass-2026x"])
                #expect(done.status == .noContent, "\(done.body.string)")
                #expect(try await resident.get("/api/v1/me/notifications").status == .unauthorized)
                let signIn = try await TestClient(app).json(.POST, "/api/v1/auth/token", ["username": "zhaoguoqiang", "password": "New-Pass-2026x"])
                #expect(signIn.status == .created)
                // Used once: the same code again is refused.
                let again = try await anonymous.jsonObject(.POST, path, ["username": "zhaoguoqiang", "code": code, "new_password": "Other-Pass-2026"])
                #expect(again.status == .unprocessableEntity)
                let audited = try await count(
                    app,
                    "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('password.code_sent', 'password.reset_by_code') AND target_id = 'zhaoguoqiang'"
                )
                #expect(audited == 2)

                // A code expires after ten minutes, and dies after five wrong tries.
                try await app.db.sql.raw("UPDATE password_codes SET created_at = \(bind: TestClock.pinnedNow().addingTimeInterval(-3_600))").run()
                #expect(try await anonymous.jsonObject(.POST, "/api/v1/auth/password-code", ask).status == .accepted)
                let late = try await awaitCode(receiver, 2, phone: NotificationsTests.phone)
                try await app.db.sql.raw(
                    "UPDATE password_codes SET expires_at = \(bind: TestClock.pinnedNow().addingTimeInterval(-1)) WHERE used_at IS NULL"
                )
                .run()
                let expired = try await anonymous.jsonObject(
                    .POST, path, ["username": "zhaoguoqiang", "code": late, "new_password": "Late-Pass-2026"])
                #expect(expired.status == .unprocessableEntity)
                try await app.db.sql.raw("UPDATE password_codes SET created_at = \(bind: TestClock.pinnedNow().addingTimeInterval(-3_600))").run()
                #expect(try await anonymous.jsonObject(.POST, "/api/v1/auth/password-code", ask).status == .accepted)
                let third = try await awaitCode(receiver, 3, phone: NotificationsTests.phone)
                let miss = String(format: "%06d", (Int(third)! + 7) % 1_000_000)
                // Eight wrong tries at once: each is counted before it is compared, so no more than five get through.
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            _ = try? await TestClient(app).jsonObject(
                                .POST, path, ["username": "zhaoguoqiang", "code": miss, "new_password": "Miss-Pass-2026"])
                        }
                    }
                }
                #expect(try await count(app, "SELECT MAX(attempts) AS n FROM password_codes") == PasswordCodes.maxAttempts)
                let exhausted = try await anonymous.jsonObject(
                    .POST, path, ["username": "zhaoguoqiang", "code": third, "new_password": "Miss-Pass-2026"])
                #expect(exhausted.status == .unprocessableEntity)
                let still = try await TestClient(app).json(.POST, "/api/v1/auth/token", ["username": "zhaoguoqiang", "password": "New-Pass-2026x"])
                #expect(still.status == .created)
            }
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    @Test("the pages: a link from sign-in, the code asked for and a wrong one said beside its field; without a gateway, the desk")
    func pages() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let web = TestClient(app)
            let login = try await web.get("/login").body.string
            #expect(login.contains("href=\"/password/forgot\""))
            let page = try await web.get("/password/forgot").body.string
            #expect(page.contains("id=\"no-gateway\"") && page.contains("到居委会重置密码") && !page.contains("forgot-form"))
            let answer = try await TestClient(app).jsonObject(.POST, "/api/v1/auth/password-code", ["username": "resident"])
            #expect(answer.status == .conflict && answer.body.string.contains("no_sms_gateway"))
            let reset = try await web.get("/password/reset?username=resident").body.string
            let csrf = try #require(TestClient.csrf(in: reset))
            let refused = try await web.form(
                "/password/reset",
                ["csrf": csrf, "username": "resident", "code": "123456", "new_password": "Fresh-Pass-2026", "confirm_password": "Fresh-Pass-2026"])
            #expect(refused.status == .unprocessableEntity)
            let body = refused.body.string
            #expect(body.contains("id=\"error-code\"") && body.contains("验证码不正确或已过期") && !body.contains("Fresh-Pass-2026"))
            #expect(body.contains("value=\"resident\""))
        }
    }
}
