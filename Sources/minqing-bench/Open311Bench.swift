import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// Requests per second of one URL over HTTP on 127.0.0.1 with `concurrency` requests in flight
/// through `client` (one connection each), for `seconds` (at most `maxRequests`). Fails on any
/// non-200 answer. Also returns every request's latency in milliseconds.
@MainActor func measureThroughput(
    _ client: BenchHooks.RushClient, url: String, seconds: Double, concurrency: Int = 32,
    maxRequests: Int = 50_000
) async throws -> (count: Int, seconds: Double, times: [Double]) {
    var times: [Double] = []
    var failures = 0, launched = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let deadline = start + UInt64(seconds * 1e9)
    try await withThrowingTaskGroup(of: (Double, UInt).self) { group in
        func launch() {
            launched += 1
            group.addTask {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let status = try await client.get(url)
                return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6, status)
            }
        }
        for _ in 0..<concurrency { launch() }
        for try await (ms, status) in group {
            times.append(ms)
            if status != 200 { failures += 1 }
            if DispatchTime.now().uptimeNanoseconds < deadline && launched < maxRequests { launch() }
        }
    }
    guard failures == 0 else {
        throw NSError(domain: "bench", code: 90, userInfo: [NSLocalizedDescriptionKey: "\(failures) of \(times.count) requests to \(url) failed"])
    }
    return (times.count, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, times)
}

/// `open311.requests_vs_healthz` (issue 5): `GET /open311/v2/requests.json` with filters (the
/// public service with the most open requests, status=open, the default 90-day window) against
/// `/healthz`, on the same server in the same run, 32 requests in flight on 32 connections. The two
/// alternate in 4 rounds of 2 s each (healthz, then requests), so a change in the machine's load
/// weighs on both alike; each throughput is its requests over its time. The ratio's bar is ≥ 0.3.
@MainActor func benchOpen311(app: Application) async throws {
    guard wanted("open311") else { return }
    let port = 20_000 + Int.random(in: 0..<20_000)
    try await BenchHooks.listen(app, port: port)
    let base = "http://127.0.0.1:\(port)"
    let code = try await BenchHooks.open311BusiestService(app)
    let query = "/open311/v2/requests.json?jurisdiction_id=310106019&service_code=\(code)&status=open"
    let sample = try await app.client.get(URI(string: base + query))
    let listed = (try? JSONSerialization.jsonObject(with: Data((sample.body.map { String(buffer: $0) } ?? "").utf8)) as? [Any])?.count ?? -1
    let client = BenchHooks.RushClient(app, connections: 32)
    for url in [base + "/healthz", base + query] { _ = try await measureThroughput(client, url: url, seconds: 0.5) } // warm-up
    var health = (count: 0, seconds: 0.0), requests = (count: 0, seconds: 0.0)
    var times: [Double] = []
    for _ in 0..<4 {
        let h = try await measureThroughput(client, url: base + "/healthz", seconds: 2)
        health.count += h.count; health.seconds += h.seconds
        let r = try await measureThroughput(client, url: base + query, seconds: 2)
        requests.count += r.count; requests.seconds += r.seconds
        times += r.times
    }
    try await client.shutdown()
    await BenchHooks.stopListening(app)
    let healthRPS = Double(health.count) / health.seconds, requestsRPS = Double(requests.count) / requests.seconds
    print("  open311: /healthz \(Int(healthRPS)) req/s, requests.json (service_code \(code), \(listed) requests listed) \(Int(requestsRPS)) req/s")
    record("open311.healthz_rps", unit: "req/s", value: healthRPS)
    record("open311.requests_rps", unit: "req/s", value: requestsRPS)
    record("open311.requests_listed", unit: "count", value: Double(listed))
    record("open311.requests_latency", times: times)
    record("open311.requests_vs_healthz", unit: "ratio", value: requestsRPS / healthRPS)
}
