import Foundation
import MinqingServer
import Vapor

/// Requests per second of one URL over HTTP on 127.0.0.1 with `concurrency` requests in flight,
/// for `seconds` (at most `maxRequests`), after a short warm-up. Fails on any non-200 answer.
/// Also returns every request's latency in milliseconds.
@MainActor func measureThroughput(_ app: Application, url: String, seconds: Double = 6, concurrency: Int = 32,
                                  maxRequests: Int = 50_000) async throws -> (rps: Double, times: [Double]) {
    let client = app.client
    for _ in 0..<20 { _ = try await client.get(URI(string: url)) }
    var times: [Double] = []
    var failures = 0, launched = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let deadline = start + UInt64(seconds * 1e9)
    try await withThrowingTaskGroup(of: (Double, UInt).self) { group in
        func launch() {
            launched += 1
            group.addTask {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let response = try await client.get(URI(string: url))
                return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6, response.status.code)
            }
        }
        for _ in 0..<concurrency { launch() }
        for try await (ms, status) in group {
            times.append(ms)
            if status != 200 { failures += 1 }
            if DispatchTime.now().uptimeNanoseconds < deadline && launched < maxRequests { launch() }
        }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard failures == 0 else {
        throw NSError(domain: "bench", code: 90, userInfo: [NSLocalizedDescriptionKey: "\(failures) of \(times.count) requests to \(url) failed"])
    }
    return (Double(times.count) / elapsed, times)
}

/// `open311.requests_vs_healthz` (issue 5): `GET /open311/v2/requests.json` with filters (one
/// service code, open ones, the default 90-day window) against `/healthz`, on the same server in
/// the same run, 32 requests in flight each; the ratio of their throughputs (bar ≥ 0.3).
@MainActor func benchOpen311(app: Application) async throws {
    guard wanted("open311") else { return }
    let port = 20_000 + Int.random(in: 0..<20_000)
    try await BenchHooks.listen(app, port: port)
    let base = "http://127.0.0.1:\(port)"
    let code = try await BenchHooks.open311BusiestService(app)
    let query = "/open311/v2/requests.json?jurisdiction_id=310106019&service_code=\(code)&status=open"
    let sample = try await app.client.get(URI(string: base + query))
    let listed = (try? JSONSerialization.jsonObject(with: Data((sample.body.map { String(buffer: $0) } ?? "").utf8)) as? [Any])?.count ?? -1
    let health = try await measureThroughput(app, url: base + "/healthz")
    let requests = try await measureThroughput(app, url: base + query)
    await BenchHooks.stopListening(app)
    print("  open311: /healthz \(Int(health.rps)) req/s, requests.json (service_code \(code), \(listed) requests listed) \(Int(requests.rps)) req/s")
    record("open311.healthz_rps", unit: "req/s", value: health.rps)
    record("open311.requests_rps", unit: "req/s", value: requests.rps)
    record("open311.requests_latency", times: requests.times)
    record("open311.requests_vs_healthz", unit: "ratio", value: requests.rps / health.rps)
}
