import Foundation
import MinqingBenchSupport
import MinqingServer
import Vapor

/// The register search's measures (issue 21), called from main.swift after the demo is loaded,
/// as subdistrict staff (the whole subdistrict, 90,000 people at scale 1):
/// - `registry.search`: a name search, a whole name picked from the register (what a cadre
///   types), page one of 50 and the total (target p95 ≤ 20 ms on both databases);
/// - `registry.search_prefix`: the first two characters of a name (surname and one more), which
///   finds many more people; no bar, to see how a broad search costs.
/// Each search also scans the subdistrict's households for the text in their addresses.
/// Uses main.swift's `wanted`, `timed` and `record`.
@MainActor func benchRegistry(app: Application) async throws {
    guard wanted("registry.search") || wanted("registry.search_prefix") else { return }
    let actor = try await BenchHooks.staffActor(app)
    try await BenchHooks.settleRegisterTables(app)
    let names = try await BenchHooks.sampleNames(app, count: 500, seed: 21)
    guard !names.isEmpty else {
        throw NSError(domain: "bench", code: 5, userInfo: [NSLocalizedDescriptionKey: "registry.search: the demo has no persons"])
    }
    if wanted("registry.search") {
        var found = 0
        let times = try await timed(500) { i in
            if try await BenchHooks.registrySearch(app, text: names[i % names.count], as: actor) > 0 { found += 1 }
        }
        guard found > 0 else {
            throw NSError(domain: "bench", code: 6, userInfo: [NSLocalizedDescriptionKey: "registry.search found nobody"])
        }
        record("registry.search", times: times)
    }
    if wanted("registry.search_prefix") {
        let prefixes = names.map { String($0.prefix(2)) }
        let times = try await timed(200) { i in
            _ = try await BenchHooks.registrySearch(app, text: prefixes[i % prefixes.count], as: actor)
        }
        record("registry.search_prefix", times: times)
    }
}
