import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// 社区大脑's measures (issues 7 and 21), on the demo as loaded, as the `staff` account:
/// - `dashboard.<panel>`: each panel (report) of the subdistrict's dashboard, server time of the
///   same function the JSON and the page call — every `DashboardPanelID`, so the panels issue 21
///   added (case_areas, must_visits, party, volunteering, campaigns, oversight) are measured too
///   (bar p95 ≤ 25 ms at scale 1); `dashboard.<panel>.area` the same for one residential area;
/// - `dashboard.page` / `dashboard.page.area`: the whole page — every panel (side by side, as the
///   handler runs them), the SVG charts and the HTML (bar p95 ≤ 100 ms); `dashboard.page_report`
///   and `dashboard.page_render` the subdistrict's two halves apart (no bar);
/// - throughput over HTTP on 127.0.0.1 (the app listens inside this process), 32 requests in flight,
///   of three hot endpoints against `/healthz` in the same run: the dashboard JSON of a residential
///   area, a person look-up by ID number, the open cases list (`dashboard.http.*_rps`, `*_vs_healthz`);
/// - `server.rss_mb`: resident memory of this process (the server runs inside the bench) right after
///   that load, from /proc/self/status VmRSS (bar ≤ 300 MB); `server.hwm_mb` its peak so far (VmHWM,
///   which includes the demo load).
/// On PostgreSQL the case, visit and register tables are vacuumed first (`settle…`), as autovacuum
/// would be shortly after the bulk load. Uses main.swift's `wanted`, `timed` and `record`.
@MainActor func benchDashboard(app: Application) async throws {
    guard wanted("dashboard") || wanted("server") else { return }
    let subdistrict = try await BenchHooks.dashboard(app, username: "staff")
    let area = try await BenchHooks.dashboard(app, username: "staff", node: try await BenchHooks.dashboardAreaCode(app))
    try await BenchHooks.settleCaseTables(app)
    try await BenchHooks.settleVisitTables(app)
    try await BenchHooks.settleRegisterTables(app)
    // Fewer samples where each one is slow (scale 10 on PostgreSQL).
    let samples = options.scale >= 5 ? 20 : 100
    for panel in BenchHooks.dashboardPanels {
        for (suffix, bench) in [("", subdistrict), (".area", area)] where wanted("dashboard.\(panel)\(suffix)") {
            var size = 0
            let times = try await timed(samples, warmup: 5) { _ in size = try await BenchHooks.dashboardPanel(app, panel, bench) }
            guard size > 0 else { throw NSError(domain: "bench", code: 70, userInfo: [NSLocalizedDescriptionKey: "dashboard.\(panel) is empty"]) }
            record("dashboard.\(panel)\(suffix)", times: times)
        }
    }
    for (suffix, bench) in [("", subdistrict), (".area", area)] where wanted("dashboard.page\(suffix)") {
        var bytes = 0
        let times = try await timed(samples / 2, warmup: 3) { _ in bytes = try await BenchHooks.dashboardPage(app, bench) }
        print("  dashboard.page\(suffix) (\(bench.nodeCode)): \(bytes / 1024) KB of HTML")
        record("dashboard.page\(suffix)", times: times)
    }
    // The page's halves apart (no bar): where its time goes.
    if wanted("dashboard.page") {
        record(
            "dashboard.page_report",
            times: try await timed(samples / 2, warmup: 3) { _ in _ = try await BenchHooks.dashboardReport(app, subdistrict) })
        let report = try await BenchHooks.dashboardReport(app, subdistrict)
        record("dashboard.page_render", times: try await timed(samples / 2, warmup: 3) { _ in _ = BenchHooks.dashboardRender(report, subdistrict) })
    }
    if wanted("dashboard.http") || wanted("server") {
        let port = 20_000 + Int.random(in: 0..<20_000)
        try await BenchHooks.listen(app, port: port)
        let base = "http://127.0.0.1:\(port)"
        let token = try await BenchHooks.apiToken(app, base: base, username: "staff")
        let idNumber = try await BenchHooks.someIDNumber(app)
        let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        let endpoints: [(String, HTTPMethod, String, [String: String]?)] = [
            ("healthz", .GET, "/healthz", nil),
            ("dashboard_json", .GET, "/api/v1/dashboard?node=\(area.nodeCode)", nil),
            ("person_lookup", .POST, "/api/v1/registry/persons/lookup", ["id_number": idNumber]),
            ("cases_list", .GET, "/api/v1/cases?status=open&limit=50", nil)
        ]
        var rates: [String: Double] = [:]
        for (name, method, path, body) in endpoints {
            if name == "person_lookup" {
                // A lookup by ID number is budgeted per account (120 an hour, issue 19), so one
                // account's throughput is the budget: time 100 lookups one after another instead.
                let times = try await dashboardLatency(app, method: method, url: base + path, headers: auth, body: body, count: 100)
                record("dashboard.http.\(name)", times: times)
                continue
            }
            let seconds = options.scale >= 5 ? 4.0 : 5.0
            let result = try await dashboardThroughput(
                app, method: method, url: base + path, headers: name == "healthz" ? [:] : auth, body: body, seconds: seconds)
            rates[name] = result.rps
            record("dashboard.http.\(name)_rps", unit: "req/s", value: result.rps)
            if name != "healthz" { record("dashboard.http.\(name)", times: result.times) }
        }
        record("server.rss_mb", unit: "MB", value: BenchHooks.residentMemoryMB())
        await BenchHooks.stopListening(app)
        for name in ["dashboard_json", "cases_list"] {
            record("dashboard.http.\(name)_vs_healthz", unit: "ratio", value: (rates[name] ?? 0) / max(1, rates["healthz"] ?? 1))
        }
        print("  dashboard.http: " + endpoints.filter { rates[$0.0] != nil }.map { "\($0.0) \(Int(rates[$0.0] ?? 0)) req/s" }.joined(separator: ", "))
    }
    record("server.hwm_mb", unit: "MB", value: BenchHooks.peakMemoryMB())
}

/// Latencies of `count` requests sent one after another over HTTP on 127.0.0.1; fails on any
/// answer but 200.
@MainActor func dashboardLatency(
    _ app: Application, method: HTTPMethod, url: String, headers: HTTPHeaders, body: [String: String]?, count: Int
) async throws -> [Double] {
    let client = app.client
    @Sendable func send() async throws -> ClientResponse {
        try await client.send(method, headers: headers, to: URI(string: url)) { req in
            if let body { try req.content.encode(body, as: .json) }
        }
    }
    var times: [Double] = []
    for _ in 0..<count {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let response = try await send()
        guard response.status == .ok else {
            throw NSError(domain: "bench", code: 73, userInfo: [NSLocalizedDescriptionKey: "\(url) answered \(response.status.code)"])
        }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    return times
}

/// Requests per second of one request over HTTP on 127.0.0.1, `concurrency` in flight, for
/// `seconds` after a short warm-up; fails on any answer but 200. Returns every latency in ms.
@MainActor func dashboardThroughput(
    _ app: Application, method: HTTPMethod, url: String, headers: HTTPHeaders, body: [String: String]?,
    seconds: Double, concurrency: Int = 32
) async throws -> (rps: Double, times: [Double]) {
    let client = app.client
    @Sendable func send() async throws -> UInt {
        let response = try await client.send(method, headers: headers, to: URI(string: url)) { req in
            if let body { try req.content.encode(body, as: .json) }
        }
        return response.status.code
    }
    for _ in 0..<10 {
        let status = try await send()
        guard status == 200 else { throw NSError(domain: "bench", code: 71, userInfo: [NSLocalizedDescriptionKey: "\(url) answered \(status)"]) }
    }
    var times: [Double] = []
    var failures = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let deadline = start + UInt64(seconds * 1e9)
    try await withThrowingTaskGroup(of: (Double, UInt).self) { group in
        func launch() {
            group.addTask {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let status = try await send()
                return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6, status)
            }
        }
        for _ in 0..<concurrency { launch() }
        for try await (ms, status) in group {
            times.append(ms)
            if status != 200 { failures += 1 }
            if DispatchTime.now().uptimeNanoseconds < deadline { launch() }
        }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard failures == 0 else {
        throw NSError(domain: "bench", code: 72, userInfo: [NSLocalizedDescriptionKey: "\(failures) of \(times.count) requests to \(url) failed"])
    }
    return (Double(times.count) / elapsed, times)
}
