import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// Owners' voting's measures (issue 6), called from main.swift after the demo is loaded, on a
/// compound of 5,000 dwellings set up for the bench:
/// - `voting.cast`: online casts, 200 voters at once, in waves until each elector has voted
///   (target p99 ≤ 100 ms; each sample is one cast's own latency under that load);
/// - `voting.tally`: the compound's tally recomputed from the raw votes (target ≤ 100 ms).
/// Uses main.swift's `wanted`, `timed` and `record`.
@MainActor func benchVoting(app: Application) async throws {
    guard wanted("voting.cast") || wanted("voting.tally") else { return }
    let bench = try await BenchHooks.votingSetUp(app, dwellings: 5000)
    if wanted("voting.cast") {
        var times: [Double] = []
        for start in stride(from: 0, to: bench.count, by: 200) {
            let wave = try await withThrowingTaskGroup(of: Double.self) { group in
                for index in start..<min(bench.count, start + 200) {
                    group.addTask {
                        let began = DispatchTime.now().uptimeNanoseconds
                        try await BenchHooks.votingCast(app, bench, voter: index)
                        return Double(DispatchTime.now().uptimeNanoseconds - began) / 1_000_000
                    }
                }
                var times: [Double] = []
                for try await time in group { times.append(time) }
                return times
            }
            times += wave
        }
        record("voting.cast", times: times.sorted())
    }
    if wanted("voting.tally") {
        let times = try await timed(100, warmup: 5) { _ in _ = try await BenchHooks.votingTally(app, bench) }
        record("voting.tally", times: times)
    }
}
