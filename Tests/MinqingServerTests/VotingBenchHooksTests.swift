import Foundation
import MinqingDomain
import SQLKit
import Testing

@testable import MinqingBenchSupport
@testable import MinqingServer

@Suite("Voting: bench hooks")
struct VotingBenchHooksTests {
    /// The bench's 5,000-dwelling ballot: 400 casts in two waves of 200 at once, all counted, and
    /// the tally agrees. Prints the figures (never asserted: tests do not time).
    @Test("a 5,000-dwelling ballot: 200 casts at once, each counted once; the tally sees them")
    func bench() async throws {
        try await withApp(demo: true) { app in
            let bench = try await BenchHooks.votingSetUp(app, dwellings: 5000)
            #expect(bench.count == 5000)
            var times: [Double] = []
            for start in stride(from: 0, to: 400, by: 200) {
                times += try await withThrowingTaskGroup(of: Double.self) { group in
                    for index in start..<(start + 200) {
                        group.addTask {
                            let began = DispatchTime.now().uptimeNanoseconds
                            try await BenchHooks.votingCast(app, bench, voter: index)
                            return Double(DispatchTime.now().uptimeNanoseconds - began) / 1_000_000
                        }
                    }
                    var all: [Double] = []
                    for try await t in group { all.append(t) }
                    return all
                }
            }
            let began = DispatchTime.now().uptimeNanoseconds
            #expect(try await BenchHooks.votingTally(app, bench) == 400)
            let tally = Double(DispatchTime.now().uptimeNanoseconds - began) / 1_000_000
            // The same from the raw rows, counted here: 400 votes by 400 one-head electors.
            let raw = try await VotingFixture.recount(bench.ballot.rawValue, app)
            #expect(raw.votes == 400 && raw.participating.heads == 400)
            // Casts arriving together are written in batches with one audit append each: the
            // chain still holds, with exactly one entry per vote, and the head may not be moved
            // past the trail or onto a row that is not there.
            let verification = try await AuditLog.verify(on: app.db)
            #expect(verification.isIntact)
            struct N: Decodable { var n: Int64 }
            let sql = app.db.sql
            let entries = try await sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ballot.vote_cast' AND target_id = \(bind: bench.ballot.uuidString)"
            )
            .first(decoding: N.self)?.n
            #expect(entries == 400)
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_head SET seq = seq + 5, hash = 'x' WHERE id = 1").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_head SET seq = seq - 1 WHERE id = 1").run()
            }
            #expect(try await AuditLog.verify(on: app.db).isIntact)
            times.sort()
            print(
                "voting bench (\(testDatabaseKind), debug build): cast p50 \(times[times.count / 2]) ms, p99 \(times[times.count * 99 / 100]) ms; tally \(tally) ms"
            )
        }
    }
}
