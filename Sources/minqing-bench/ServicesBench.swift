import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// `services.reservation_rush` (issue 8): over HTTP on 127.0.0.1 (the real app listening inside
/// this process), 30,000 households (× scale, bounded by the demo's households) each try to
/// reserve a random 1–3 masks of a stock of 10,000 (× scale) with a limit of 3 per household.
/// Checks for every run: exactly the stock granted, no household beyond its limit, no 5xx.
///
/// Four runs over the same households, each on a fresh campaign:
/// - `services.reservation_rush` — the issue's load: the 30,000 arrive spread evenly over 60 s
///   (open loop, ~500 a second; each household's request is sent at its time whatever the others
///   are doing, latency counted from that time), each on its own connection as phones would be
///   (a pool of up to 256). The p99 ≤ 250 ms bar applies here.
/// - `services.rush_20s` — harder: the same 30,000 spread over 20 s (~1,500 a second).
/// - `services.rush_closed8` — the earlier load model, kept for comparison: a closed
///   loop, 200 requests in flight as fast as the server answers, through Vapor's shared client
///   (8 connections per host: 192 of the 200 wait inside the client, so latency ≈ 200 / throughput).
/// - `services.rush_closed200` — the same closed loop on 200 connections.
/// Uses main.swift's `wanted` and `record`.
@MainActor func benchServices(app: Application) async throws {
    guard wanted("services.reservation_rush") else { return }
    let households = max(50, Int(30_000 * options.scale)), stock = max(10, Int(10_000 * options.scale))
    let rush = try await BenchHooks.prepareReservationRush(app, households: households, stock: stock, limit: 3)
    let port = 20_000 + Int.random(in: 0..<20_000)
    try await BenchHooks.listen(app, port: port)
    let wide = BenchHooks.RushClient(app, connections: 256)
    let wide200 = BenchHooks.RushClient(app, connections: 200)
    func url(_ campaign: UUID) -> String { "http://127.0.0.1:\(port)/api/v1/services/campaigns/\(campaign)/reservations" }

    /// Checks a run's outcome and records it. Status 0 is a request the client could not send
    /// (e.g. no connection within the client's timeout): counted, not fatal.
    func finish(_ name: String, campaign: UUID, times: [Double], statuses: [UInt], granted: Int, seconds: Double) async throws {
        let outcome = try await BenchHooks.reservationRushOutcome(app, campaign: campaign)
        let serverErrors = statuses.filter { $0 >= 500 }.count, clientErrors = statuses.filter { $0 == 0 }.count
        let sorted = times.sorted()
        func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(
            "  \(name): \(times.count) requests from \(rush.tokens.count) households in \(String(format: "%.1f", seconds)) s "
                + "(\(String(format: "%.0f", Double(times.count) / max(seconds, 0.001)))/s), p50/p95/p99 \(String(format: "%.1f/%.1f/%.1f", pct(0.5), pct(0.95), pct(0.99))) ms, "
                + "\(outcome.granted) of \(rush.stock) granted (\(granted) by 201s), largest household claim \(outcome.maxClaim) (limit \(rush.limit)), "
                + "remaining \(outcome.remaining), \(serverErrors) server errors, \(clientErrors) not sent by the client")
        guard outcome.granted == granted, outcome.maxClaim <= rush.limit, outcome.remaining >= 0, serverErrors == 0 else {
            throw NSError(domain: "bench", code: 80, userInfo: [NSLocalizedDescriptionKey: "\(name): wrong outcome"])
        }
        if outcome.granted != rush.stock { print("  \(name): NOTE the stock was not exhausted") }
        record(name, times: times)
    }

    /// Open loop: household i's request is due at start + i × spacing; latency from that time.
    func openLoop(_ name: String, over seconds: Double) async throws {
        let campaign = try await BenchHooks.cloneRushCampaign(app, rush.campaign)
        let target = url(campaign)
        let count = rush.tokens.count
        let spacing = seconds / Double(count)
        let begin = DispatchTime.now().uptimeNanoseconds
        var times: [Double] = []
        var statuses: [UInt] = []
        var granted = 0
        try await withThrowingTaskGroup(of: (Double, UInt, Int).self) { group in
            var next = 0
            while next < count {
                let now = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
                while next < count && Double(next) * spacing <= now {
                    let due = begin + UInt64(Double(next) * spacing * 1e9)
                    let token = rush.tokens[next], quantity = 1 + next % 3
                    group.addTask {
                        let status = (try? await wide.post(target, token: token, json: "{\"quantity\":\(quantity)}")) ?? 0
                        return (Double(DispatchTime.now().uptimeNanoseconds - due) / 1e6, status, quantity)
                    }
                    next += 1
                }
                try await Task.sleep(nanoseconds: 2_000_000)
            }
            for try await (ms, status, quantity) in group {
                times.append(ms)
                statuses.append(status)
                if status == 201 { granted += quantity }
            }
        }
        try await finish(
            name, campaign: campaign, times: times, statuses: statuses, granted: granted,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
    }

    /// Closed loop: `inFlight` requests at a time, the next as soon as one answers, for at most 60 s.
    func closedLoop(_ name: String, inFlight: Int, send: @escaping @Sendable (String, String, Int) async throws -> UInt) async throws {
        let campaign = try await BenchHooks.cloneRushCampaign(app, rush.campaign)
        let target = url(campaign)
        let begin = DispatchTime.now().uptimeNanoseconds
        let deadline = Date().addingTimeInterval(60)
        var times: [Double] = []
        var statuses: [UInt] = []
        var granted = 0
        var next = 0
        try await withThrowingTaskGroup(of: (Double, UInt, Int).self) { group in
            func launch(_ i: Int) {
                let token = rush.tokens[i]
                let quantity = 1 + i % 3
                group.addTask {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let status = (try? await send(target, token, quantity)) ?? 0
                    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, status, quantity)
                }
            }
            while next < min(inFlight, rush.tokens.count) { launch(next); next += 1 }
            for try await (ms, status, quantity) in group {
                times.append(ms)
                statuses.append(status)
                if status == 201 { granted += quantity }
                if next < rush.tokens.count && Date() < deadline { launch(next); next += 1 }
            }
        }
        try await finish(
            name, campaign: campaign, times: times, statuses: statuses, granted: granted,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
    }

    try await openLoop("services.reservation_rush", over: 60)
    try await openLoop("services.rush_20s", over: 20)
    let client = app.client
    try await closedLoop("services.rush_closed8", inFlight: 200) { target, token, quantity in
        try await client.post(URI(string: target), headers: ["Authorization": "Bearer \(token)"]) { req in
            try req.content.encode(["quantity": quantity], as: .json)
        }.status.code
    }
    try await closedLoop("services.rush_closed200", inFlight: 200) { target, token, quantity in
        try await wide200.post(target, token: token, json: "{\"quantity\":\(quantity)}")
    }
    try await wide.shutdown()
    try await wide200.shutdown()
    await BenchHooks.stopListening(app)
    record("services.rush_granted", unit: "count", value: Double(rush.stock))
}
