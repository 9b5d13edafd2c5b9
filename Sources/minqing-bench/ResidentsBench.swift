import Foundation
import MinqingBenchSupport
import Vapor

/// The resident app's measures (issue 22), called from main.swift after the demo is loaded:
/// - `residents.home`: the demo `resident`'s home page — the votes, check-ins, bookings and cases
///   waiting for them, their cases' news, the time bank — read and rendered (bar p95 ≤ 50 ms).
/// - `notifications.fanout`: a notice to the whole subdistrict writes every signed-up household's
///   notification, a fan-out job in chunks of their own transactions (bar ≤ 10 s); `notifications.fanout_home`: the resident's
///   home read over and over meanwhile (bar p95 ≤ 100 ms).
/// - `residents.signup`: 200 sign-ups with letters at once (`benchSignup`).
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

/// `residents.signup`: 200 households' letters, their heads signing up all at once (bar p99 ≤
/// 500 ms, no code used twice). The bench's bcrypt cost is 4 (`BenchHooks.makeApp`), as for
/// every measure; at the deployment's 12 a hash alone takes ~0.25 s of one core.
@MainActor func benchSignup(app: Application) async throws {
    guard wanted("residents.signup") else { return }
    // A real account: the letters name who issued them.
    guard let staff = try await BenchHooks.accountActor(app, username: "staff") else {
        throw NSError(domain: "bench", code: 83, userInfo: [NSLocalizedDescriptionKey: "signup: the demo staff account is missing"])
    }
    let wave = try await BenchHooks.signupWave(app, staff, count: 200)
    print("  residents.signup: \(wave.times.count) signed up, \(wave.failed) failed, each code used once: \(wave.usedOnce)")
    for failure in wave.failures { print("    failed: \(failure)") }
    guard wave.failed == 0, wave.usedOnce, wave.times.count >= 150 else {
        throw NSError(
            domain: "bench", code: 82,
            userInfo: [NSLocalizedDescriptionKey: "signup: \(wave.failed) failed, used once \(wave.usedOnce), \(wave.times.count) done"])
    }
    record("residents.signup", times: wave.times)
}

/// Marks when the fan-out is done, for the reads running beside it.
actor FanoutDone {
    var done = false
    func finish() { done = true }
}

@MainActor func benchFanout(app: Application) async throws {
    guard wanted("notifications.fanout") else { return }
    guard let resident = try await BenchHooks.accountActor(app, username: "resident") else {
        throw NSError(domain: "bench", code: 81, userInfo: [NSLocalizedDescriptionKey: "fanout: the demo resident is missing"])
    }
    let staff = try await BenchHooks.staffActor(app)
    let flag = FanoutDone()
    let started = DispatchTime.now().uptimeNanoseconds
    let fanout = Task.detached { () throws -> (Int, Double) in
        defer { Task { await flag.finish() } }
        let n = try await BenchHooks.noticeFanout(app, staff)
        return (n, Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000)
    }
    var reads: [Double] = []
    while !(await flag.done), reads.count < 100_000 {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await BenchHooks.residentHome(app, resident)
        reads.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
    }
    let (written, seconds) = try await fanout.value
    print("  notifications.fanout: \(written) notifications in \(String(format: "%.2f", seconds)) s; \(reads.count) home reads meanwhile")
    record("notifications.fanout", unit: "s", value: seconds)
    record("notifications.fanout_home", times: reads)
}
