import Foundation
import Testing
import VaporTesting

@testable import MinqingServer

/// 适老化 (issue 22 item 5): large, high-contrast type remembered with the account.
@Suite("Access: large type (适老化)")
struct DisplayTests {
    @Test("the home's button switches the account to large type on every page and in every session, and back")
    func largeType() async throws {
        try await withApp(demo: true, demoPeople: 0.01) { app in
            let phone = TestClient(app)
            _ = try await phone.signInWeb("resident")
            let home = try await phone.get("/").body.string
            #expect(!home.contains("<body class=\"large\"") && home.contains("id=\"display-switch\""))
            let csrf = try #require(TestClient.csrf(in: home))
            let switched = try await phone.form("/account/display", ["csrf": csrf, "large_text": "on", "back": "/voting"])
            #expect(switched.status == .seeOther && switched.headers.first(name: .location) == "/voting")
            #expect(try await phone.get("/voting").body.string.contains("<body class=\"large\""))
            // Remembered with the account: another session (another phone) opens in large type.
            let other = TestClient(app)
            _ = try await other.signInWeb("resident")
            #expect(try await other.get("/").body.string.contains("<body class=\"large\""))
            // A redirect never leaves the site.
            let away = try await phone.form("/account/display", ["csrf": csrf, "large_text": "on", "back": "//evil.example/"])
            #expect(away.headers.first(name: .location) == "/")
            // The API: back to standard type; a request without the choice names its field.
            let api = TestClient(app)
            try await api.signInAPI("resident")
            #expect(try await api.jsonObject(.POST, "/api/v1/me/display", ["large_text": false]).status == .ok)
            #expect(!(try await phone.get("/").body.string.contains("<body class=\"large\"")))
            let bad = try await api.jsonObject(.POST, "/api/v1/me/display", [:])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("large_text"))
            // Another account is untouched.
            let staff = TestClient(app)
            _ = try await staff.signInWeb("staff")
            #expect(!(try await staff.get("/").body.string.contains("<body class=\"large\"")))
        }
    }
}
