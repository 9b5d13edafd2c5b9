import Foundation
import MinqingBenchSupport
import Vapor

/// The resident app's measures (issue 22), called from main.swift after the demo is loaded:
/// - `residents.home`: the demo `resident`'s home page — the votes, check-ins, bookings and cases
///   waiting for them, their cases' news, the time bank — read and rendered (bar p95 ≤ 50 ms).
/// Uses main.swift's `wanted`, `timed` and `record`.
@MainActor func benchResidents(app: Application) async throws {
    guard wanted("residents.home") else { return }
    guard let resident = try await BenchHooks.accountActor(app, username: "resident") else {
        throw NSError(domain: "bench", code: 80, userInfo: [NSLocalizedDescriptionKey: "residents: the demo resident is missing"])
    }
    var bytes = 0
    let times = try await timed(300) { _ in bytes = try await BenchHooks.residentHome(app, resident) }
    print("  residents.home: \(bytes / 1024) KB of HTML")
    record("residents.home", times: times)
}
