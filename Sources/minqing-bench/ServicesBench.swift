import Foundation
import MinqingServer
import Vapor

/// `services.reservation_rush` (issue 8): over HTTP on 127.0.0.1 (the real app listening inside
/// this process), 30,000 households (× scale, bounded by the demo's households) each try to
/// reserve a random 1–3 masks of a stock of 10,000 (× scale) with a limit of 3 per household,
/// 200 requests in flight, within 60 s at most. Checks: exactly the stock granted (`value`),
/// no household beyond its limit, no 5xx; reports the latency of every request (p99 bar 250 ms).
/// Uses main.swift's `wanted` and `record`.
@MainActor func benchServices(app: Application) async throws {
    guard wanted("services.reservation_rush") else { return }
    let households = max(50, Int(30_000 * options.scale)), stock = max(10, Int(10_000 * options.scale))
    let rush = try await BenchHooks.prepareReservationRush(app, households: households, stock: stock, limit: 3)
    let port = 20_000 + Int.random(in: 0..<20_000)
    try await BenchHooks.listen(app, port: port)
    let url = "http://127.0.0.1:\(port)/api/v1/services/campaigns/\(rush.campaign)/reservations"
    let client = app.client
    let deadline = Date().addingTimeInterval(60)
    var times: [Double] = []
    var serverErrors = 0, granted = 0
    let inFlight = 200
    var next = 0
    try await withThrowingTaskGroup(of: (Double, UInt, Int).self) { group in
        func launch(_ i: Int) {
            let token = rush.tokens[i]
            let quantity = 1 + i % 3
            group.addTask {
                let start = DispatchTime.now().uptimeNanoseconds
                let response = try await client.post(URI(string: url), headers: ["Authorization": "Bearer \(token)"]) { req in
                    try req.content.encode(["quantity": quantity], as: .json)
                }
                return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, response.status.code, quantity)
            }
        }
        while next < min(inFlight, rush.tokens.count) { launch(next); next += 1 }
        for try await (ms, status, quantity) in group {
            times.append(ms)
            if status >= 500 { serverErrors += 1 }
            if status == 201 { granted += quantity }
            if next < rush.tokens.count && Date() < deadline { launch(next); next += 1 }
        }
    }
    await BenchHooks.stopListening(app)
    let outcome = try await BenchHooks.reservationRushOutcome(app, campaign: rush.campaign)
    print("  services.reservation_rush: \(times.count) requests from \(rush.tokens.count) households, \(outcome.granted) of \(rush.stock) granted "
          + "(\(granted) by 201s), largest household claim \(outcome.maxClaim) (limit \(rush.limit)), remaining \(outcome.remaining), \(serverErrors) server errors")
    guard outcome.granted == granted, outcome.maxClaim <= rush.limit, outcome.remaining >= 0, serverErrors == 0,
          outcome.granted == rush.stock || (outcome.remaining > 0 && rush.tokens.count * 2 < rush.stock) else {
        throw NSError(domain: "bench", code: 80, userInfo: [NSLocalizedDescriptionKey: "reservation rush: wrong outcome"])
    }
    record("services.reservation_rush", times: times)
    record("services.rush_granted", unit: "count", value: Double(outcome.granted))
}
