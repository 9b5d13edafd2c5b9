import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

/// The register search's entry points for `minqing-bench` (`registry.search`): the query the
/// search page and `POST /api/v1/registry/search` run for words.
extension BenchHooks {
    /// The names of `count` persons picked with a seed, as a cadre would type them.
    public static func sampleNames(_ app: Application, count: Int, seed: UInt64) async throws -> [String] {
        struct Row: Decodable { var name: String }
        let rows = try await app.db.sql.raw("SELECT name FROM persons ORDER BY id LIMIT 20000").all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rows[Int(rng.next() % UInt64(rows.count))].name }
    }

    /// One search by words inside the actor's scope, the first page (50) and the total, as the
    /// handlers run it; returns the total.
    public static func registrySearch(_ app: Application, text: String, as actor: BenchActor) async throws -> Int {
        try await RegistryQueries.search(
            text: RegisterSearchText.normalized(text), building: "", role: actor.actor.role, in: actor.actor.scope,
            limit: 50, offset: 0, on: app.db
        ).total
    }
}
