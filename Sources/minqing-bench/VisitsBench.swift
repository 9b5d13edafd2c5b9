import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// The visit log's measures (issue 4), called from main.swift after the demo is loaded:
/// - `visits.compliance_year`: the subdistrict-wide compliance report for the current year, as
///   the `staff` account (target p95 ≤ 50 ms);
/// - `visits.must_visit_area`, `visits.must_visit_subdistrict`: the 十必访 due list of a
///   residential area (as `cadre`) and of the whole subdistrict (as `staff`);
/// - `visits.record`: recording a visit with a tag added and a help request, as `cadre`, one
///   transaction each (target p99 ≤ 50 ms).
/// On PostgreSQL the visit tables are vacuumed first, as autovacuum would shortly after the load.
/// Uses main.swift's `wanted`, `timed` and `record`.
@MainActor func benchVisits(app: Application) async throws {
    guard let staff = try await BenchHooks.accountActor(app, username: "staff"),
        let cadre = try await BenchHooks.accountActor(app, username: "cadre")
    else {
        throw NSError(domain: "bench", code: 3, userInfo: [NSLocalizedDescriptionKey: "visits: the demo accounts are missing"])
    }
    try await BenchHooks.settleVisitTables(app)
    if wanted("visits.compliance_year") {
        var people = 0
        let times = try await timed(200) { _ in people = try await BenchHooks.visitsComplianceYear(app, as: staff) }
        guard people > 0 else { throw NSError(domain: "bench", code: 4, userInfo: [NSLocalizedDescriptionKey: "compliance: nobody"]) }
        record("visits.compliance_year", times: times)
    }
    if wanted("visits.must_visit_area") {
        let times = try await timed(100) { _ in _ = try await BenchHooks.visitsMustVisitDue(app, as: cadre) }
        record("visits.must_visit_area", times: times)
    }
    if wanted("visits.must_visit_subdistrict") {
        let times = try await timed(30, warmup: 3) { _ in _ = try await BenchHooks.visitsMustVisitDue(app, as: staff) }
        record("visits.must_visit_subdistrict", times: times)
    }
    if wanted("visits.record") {
        // Each sample is a different household, so that the tag added is new to its person.
        let samples = try await BenchHooks.visitSamples(app, as: cadre, count: 520, seed: 4)
        guard samples.count >= 70 else {
            throw NSError(domain: "bench", code: 5, userInfo: [NSLocalizedDescriptionKey: "visits: too few households"])
        }
        let times = try await timed(samples.count - 20) { i in try await BenchHooks.recordVisit(app, samples[i], as: cadre) }
        record("visits.record", times: times)
    }
}
