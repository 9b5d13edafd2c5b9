import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// The case loop's measures (issue 5), called from main.swift after the demo is loaded:
/// - `cases.indicators_year`: 立案率 … 满意率 of the whole subdistrict for the current year, by
///   department, as the `staff` account (one grouped statement; target p95 ≤ 50 ms);
/// - `cases.indicators_year_by_area`: the same grouped by residential area (a join on the closure);
/// - `cases.board`: the dispatcher's board, first page, as `staff`, under a channel filter (12345
///   hotline) and a search ("堆物"): the count of the filtered set and the page (target p95 ≤ 50 ms).
/// Uses main.swift's `wanted`, `timed` and `record`.
@MainActor func benchCases(app: Application) async throws {
    guard let staff = try await BenchHooks.accountActor(app, username: "staff") else {
        throw NSError(domain: "bench", code: 3, userInfo: [NSLocalizedDescriptionKey: "cases: the demo accounts are missing"])
    }
    try await BenchHooks.settleCaseTables(app)
    if wanted("cases.indicators_year") {
        var taken = 0
        let times = try await timed(200) { _ in taken = try await BenchHooks.casesIndicatorsYear(app, as: staff) }
        guard taken > 0 else { throw NSError(domain: "bench", code: 4, userInfo: [NSLocalizedDescriptionKey: "cases: no cases this year"]) }
        record("cases.indicators_year", times: times)
    }
    if wanted("cases.indicators_year_by_area") {
        let times = try await timed(100) { _ in _ = try await BenchHooks.casesIndicatorsYear(app, as: staff, by: "node") }
        record("cases.indicators_year_by_area", times: times)
    }
    if wanted("cases.board") {
        var matched = 0
        let times = try await timed(200) { _ in
            matched = try await BenchHooks.casesBoard(app, as: staff, channel: "hotline_12345", search: "堆物")
        }
        guard matched > 0 else { throw NSError(domain: "bench", code: 5, userInfo: [NSLocalizedDescriptionKey: "cases: the board found nothing"]) }
        record("cases.board", times: times)
    }
}
