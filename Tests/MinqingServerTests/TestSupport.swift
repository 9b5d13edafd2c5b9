import Foundation
import Logging
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingDemo
@testable import MinqingServer

/// The password of demo accounts in tests.
let demoPassword = "Demo-Pass-2026"

/// Builds the real application on a fresh database: an in-memory SQLite store, or, when
/// `MINQING_TEST_POSTGRES_URL` is set, a schema of its own on that PostgreSQL server (dropped
/// afterwards), so suites can run in parallel. Migrations run; the database is never mocked.
/// `settings` adjusts the configuration (tests of the second factor, metrics, the idle timeout);
/// by default no role needs a second factor, so that the other suites sign in with a password,
/// and a web session does not time out when idle (many suites move the clock by hours).
func withApp(
    demo: Bool = false, demoPeople: Double? = nil, sqliteFile: Bool = false, now: @escaping @Sendable () -> Date = { TestClock.pinnedNow() },
    settings: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void
) async throws {
    // On PostgreSQL at most a few apps at once (each holds a pool of connections and loads its
    // own schema), so the suite runs in parallel without exhausting the server's connections.
    let postgres = !(ProcessInfo.processInfo.environment["MINQING_TEST_POSTGRES_URL"] ?? "").isEmpty
    let app = try await Application.make(.testing)
    if postgres { await PostgresAppSlots.shared.acquire() }
    app.logger.logLevel = .warning
    let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("minqing-test-\(UUID().uuidString)").path
    var schema: String?
    let database: DatabaseSetting
    if let url = ProcessInfo.processInfo.environment["MINQING_TEST_POSTGRES_URL"], !url.isEmpty {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        schema = String(name)
        database = .postgres(url: url, schema: schema)
    } else if sqliteFile {
        database = .sqliteFile(path: dataDir + "/minqing.sqlite")
    } else {
        database = .sqliteMemory(identifier: UUID().uuidString)
    }
    var key = [UInt8](repeating: 0, count: 32)
    for i in key.indices { key[i] = UInt8.random(in: 0...255) }
    var config = AppConfig(
        dataDirectory: dataDir, database: database, secretKey: key, demoPassword: demoPassword,
        bcryptCost: 4, postgresConnectionsPerEventLoop: 2, idleTimeout: 12 * 3600, secondFactorRoles: [])
    settings(&config)
    do {
        try await configure(app, config: config, now: now)
        try await app.autoMigrate()
        if demo {
            _ = try await DemoData.load(app, options: .init(scale: demoPeople ?? 1, people: demoPeople != nil), password: demoPassword)
        }
        try await body(app)
    } catch {
        await cleanUp(app, schema: schema, dataDir: dataDir)
        if postgres { await PostgresAppSlots.shared.release() }
        // PostgresNIO's errors print a generic line unless reflected; a failure in CI must say why.
        if String(describing: type(of: error)) == "PSQLError" { throw ReflectedError(description: String(reflecting: error)) }
        throw error
    }
    await cleanUp(app, schema: schema, dataDir: dataDir)
    if postgres { await PostgresAppSlots.shared.release() }
}

/// An error carrying another's full reflection as its description.
struct ReflectedError: Error, CustomStringConvertible { var description: String }

private func cleanUp(_ app: Application, schema: String?, dataDir: String) async {
    if let schema, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: dataDir)
}

/// A counting semaphore for `withApp` on PostgreSQL: `MINQING_TEST_POSTGRES_APPS` apps at once
/// (default 3). Waiters resume in arrival order.
actor PostgresAppSlots {
    static let shared = PostgresAppSlots(
        Int(ProcessInfo.processInfo.environment["MINQING_TEST_POSTGRES_APPS"] ?? "").flatMap { (1...32).contains($0) ? $0 : nil } ?? 3)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ slots: Int) { free = slots }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Which database the suite runs on, for messages.
var testDatabaseKind: String {
    (ProcessInfo.processInfo.environment["MINQING_TEST_POSTGRES_URL"] ?? "").isEmpty ? "sqlite" : "postgresql"
}

/// A browser-like client for the in-process app: keeps cookies, follows nothing by itself.
final class TestClient: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var bearer: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws -> TestingHTTPResponse {
        var all = headers
        if !cookies.isEmpty {
            all.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let bearer { all.bearerAuthorization = BearerAuthorization(token: bearer) }
        let response = try await app.testing().sendRequest(method, path, headers: all, body: body)
        for cookie in response.headers[.setCookie] {
            let pair = cookie.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || cookie.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }

    func get(_ path: String) async throws -> TestingHTTPResponse { try await send(.GET, path) }

    func json<T: Encodable>(_ method: HTTPMethod, _ path: String, _ value: T) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        let data = try JSONEncoder().encode(value)
        return try await send(method, path, headers: headers, body: ByteBuffer(data: data))
    }

    /// Sends any JSON object (nested arrays and dictionaries allowed).
    func jsonObject(_ method: HTTPMethod, _ path: String, _ object: [String: Any]) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await send(method, path, headers: headers, body: ByteBuffer(data: data))
    }

    func form(_ path: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Sends a `multipart/form-data` form as a browser does: `fields` as text parts, `files` as
    /// file parts (name → file name and bytes).
    func multipart(_ path: String, fields: [String: String], files: [String: (filename: String, data: [UInt8])] = [:]) async throws
        -> TestingHTTPResponse
    {
        let boundary = "----MinqingTestBoundary\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, file) in files.sorted(by: { $0.key < $1.key }) {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n")
            body.writeBytes(file.data)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await send(.POST, path, headers: headers, body: body)
    }

    /// The CSRF token in the first form of a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Signs in through the login form, as a browser does.
    func signInWeb(_ username: String, password: String = demoPassword) async throws -> TestingHTTPResponse {
        let page = try await get("/login")
        let token = Self.csrf(in: page.body.string) ?? ""
        return try await form("/login", ["username": username, "password": password, "csrf": token])
    }

    /// Gets a bearer token through the API and uses it from now on.
    func signInAPI(_ username: String, password: String = demoPassword) async throws {
        let response = try await json(.POST, "/api/v1/auth/token", ["username": username, "password": password])
        guard response.status == .created else {
            throw TestFailure("sign-in of \(username) answered \(response.status): \(response.body.string)")
        }
        struct Token: Decodable { var token: String }
        bearer = try JSONDecoder().decode(Token.self, from: Data(buffer: response.body)).token
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension TestingHTTPResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(buffer: body))
    }
}

/// The masked display form of an ID number: its first and last character only.
func maskedID(_ number: String) -> String {
    String(number.prefix(1)) + String(repeating: "*", count: 16) + String(number.suffix(1))
}

/// The tests' clock. By default every app under test runs on a pinned day (Wednesday 18 November
/// 2026, 10:00 in Shanghai, inside a full working week) that moves on with real time, so orderings
/// and timeouts behave and no test depends on the day it runs. A test that needs to move time
/// makes its own `TestClock` and advances it by hand.
final class TestClock: @unchecked Sendable {
    static let pinned = Date(timeIntervalSince1970: 1_794_967_200) // 2026-11-18T02:00:00Z
    private static let started = Date()
    /// The pinned instant plus the real time since the test process started.
    static func pinnedNow() -> Date { pinned.addingTimeInterval(Date().timeIntervalSince(started)) }
    /// Days the demo-based tests also run at, all 10:00 Shanghai: a new year's second day (a
    /// holiday, the previous year still in reach), a month's first day, and National Day.
    static let hostileDays: [Date] = [
        Date(timeIntervalSince1970: 1_798_855_200), // 2027-01-02, a Saturday in the New Year holiday
        Date(timeIntervalSince1970: 1_796_090_400), // 2026-12-01, a month's first day
        Date(timeIntervalSince1970: 1_790_820_000) // 2026-10-01, National Day
    ]

    /// The pinned day and the hostile ones: the `arguments` of a test that must hold on any day.
    static let testDays: [Date] = [pinned] + hostileDays

    private let lock = NSLock()
    private var value: Date
    init(_ start: Date = TestClock.pinnedNow()) { value = start }
    var now: Date { lock.withLock { value } }
    func advance(_ seconds: TimeInterval) { lock.withLock { value = value.addingTimeInterval(seconds) } }
}
