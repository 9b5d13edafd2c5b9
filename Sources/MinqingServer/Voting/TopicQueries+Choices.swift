import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads that the topic board's pages need: the choices their forms offer, always inside what
/// the caller may see (in SQL).
extension TopicQueries {
    struct AreaChoice: Codable, Sendable { var code: String; var name: String }

    /// The residential areas in the caller's subtree (first 100 by code), none when the caller is bound inside a residential area.
    static func areaChoices(for actor: Actor, on db: any Database) async throws -> [AreaChoice] {
        try await db.sql.raw(
            """
            SELECT n.code, n.name FROM grid_nodes n WHERE n.level = 'residential_area' AND \(actor.scope.contains(SQLColumn("id", table: "n")))
            AND NOT EXISTS (SELECT 1 FROM grid_closure c JOIN grid_nodes a ON a.id = c.ancestor_id
                            WHERE c.descendant_id = \(bind: actor.scope.rootID) AND a.level = 'residential_area')
            ORDER BY n.code LIMIT 100
            """
        ).all(decoding: AreaChoice.self)
    }

    /// A ballot or poll a topic can be linked to: `value` is `ballot:ID` or `poll:ID`.
    struct LinkTarget: Codable, Sendable { var value: String; var title: String }

    /// What the topic can be taken to, when the caller manages it and its state allows a link; none otherwise.
    /// The topic page and the API both read this.
    static func linkTargets(for actor: Actor, topic d: TopicDetail, on db: any Database) async throws -> [LinkTarget] {
        guard d.manages, d.topic.status.after(.linkVote) != nil else { return [] }
        return try await linkTargets(for: actor, on: db)
    }

    /// The ballots the caller runs (in scope) and the polls in their subtree, as `ballot:ID` / `poll:ID` targets for a topic (first 200 by title).
    static func linkTargets(for actor: Actor, on db: any Database) async throws -> [LinkTarget] {
        try await db.sql.raw(
            """
            SELECT 'ballot:' || CAST(b.id AS TEXT) AS value, b.title FROM owners_ballots b WHERE \(VotingQueries.ballotInScope(actor))
            UNION ALL
            SELECT 'poll:' || CAST(p.id AS TEXT) AS value, p.title FROM polls p WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "p")))
            ORDER BY title LIMIT 200
            """
        ).all(decoding: LinkTarget.self)
    }
}
