import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Accounts and helpers for the case-loop tests on the demo's grid: `handler` bound to 房管办,
/// `h_cg` (城管) and `h_sw` (水务) department handlers, `res2` a second resident next door.
enum CasesFixture {
    /// Friday 6 March 2026, 10:00 in Shanghai.
    static let friday = Date(timeIntervalSince1970: 1_772_762_400)

    static func setUp(_ app: Application) async throws {
        for (username, role, scope) in [
            ("h_cg", "department_handler", "310106019"), ("h_sw", "department_handler", "310106019"),
            ("res2", "resident", "310106019-1-01-1-02")
        ] {
            _ = try await AccountService.create(
                NewAccount(
                    username: username, displayName: username, role: role, scopeCode: scope,
                    password: demoPassword, mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
        }
        let admin = TestClient(app)
        try await admin.signInAPI("admin")
        for (username, department) in [("handler", "fangguan"), ("h_cg", "chengguan"), ("h_sw", "shiwu")] {
            let response = try await admin.jsonObject(.PUT, "/api/v1/cases/department-accounts/\(username)", ["department": department])
            guard response.status == .noContent else { throw TestFailure("bind \(username): \(response.status) \(response.body.string)") }
        }
    }

    static func client(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    struct Result: Decodable { var id: UUID; var number: String; var token: String; var state: String; var duplicates: [Summary] }
    struct Summary: Decodable {
        var id: UUID; var number: String; var state: String; var overdue: Bool; var supervised: Bool; var department_code: String?
    }
    struct Detail: Decodable {
        struct T: Decodable {
            var seq: Int; var action: String; var from_state: String?; var to_state: String; var actor_name: String; var reason: String
        }
        struct A: Decodable { var department_code: String; var lead: Bool; var active: Bool; var report: String? }
        struct S: Decodable { var kind: String; var level: Int }
        var summary: Summary; var transitions: [T]; var assignments: [A]; var supervisions: [S]; var actions: [String]
        var submitter_phone_masked: String?; var due_at: Date? { nil }
        var response_due_at: Date?; var rework_count: Int; var reopen_count: Int
    }

    static func submit(
        _ client: TestClient, category: String = "E0404", node: String? = nil, channel: String = "resident_message",
        extra: [String: Any] = [:]
    ) async throws -> Result {
        var body: [String: Any] = ["channel": channel, "category_code": category, "description": "楼道里堆满了旧家具，挡住了消防通道"]
        if let node { body["node"] = node }
        for (k, v) in extra { body[k] = v }
        let response = try await client.jsonObject(.POST, "/api/v1/cases", body)
        guard response.status == .created else { throw TestFailure("submit: \(response.status) \(response.body.string)") }
        return try response.decode(Result.self)
    }

    @discardableResult
    static func act(_ client: TestClient, _ id: UUID, _ action: String, _ body: [String: Any] = [:], expect: UInt = 200) async throws
        -> TestingHTTPResponse
    {
        let response = try await client.jsonObject(.POST, "/api/v1/cases/\(id)/actions/\(action)", body)
        #expect(response.status.code == expect, "\(action) → \(response.status.code): \(response.body.string.prefix(300))")
        return response
    }

    static func detail(_ client: TestClient, _ id: UUID) async throws -> Detail {
        try await client.get("/api/v1/cases/\(id)").decode(Detail.self)
    }

    static func state(_ app: Application, _ id: UUID) async throws -> (state: String, seq: Int) {
        struct Row: Decodable { var state: String; var last_seq: Int }
        let row = try await app.db.sql.raw("SELECT state, last_seq FROM cases WHERE id = \(bind: id)").first(decoding: Row.self)!
        return (row.state, row.last_seq)
    }

    static func dueAt(_ app: Application, _ id: UUID) async throws -> Date? {
        struct Row: Decodable { var due_at: Date? }
        return try await app.db.sql.raw("SELECT due_at FROM cases WHERE id = \(bind: id)").first(decoding: Row.self)?.due_at
    }
}
