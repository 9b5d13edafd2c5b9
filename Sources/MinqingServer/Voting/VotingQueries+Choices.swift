import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads that the voting pages and the tally command need: the set-up form's choices, the
/// staff's owner search and bindings, the electors still to vote, and a ballot's stored result.
extension VotingQueries {
    struct CompoundChoice: Decodable, Sendable { var id: UUID; var name: String }
    struct BuildingChoice: Decodable, Sendable { var id: UUID; var compound_name: String; var name: String }
    /// An owner found by name, with their first dwelling (compound, building, room).
    struct OwnerHit: Codable, Sendable { var id: OwnerID; var name: String; var places: String? }
    /// A binding of a resident account to an owner record: the account and who bound it by name and role, never by username.
    struct OwnerBinding: Codable, Sendable {
        var account_name: String; var owner_name: String; var proof: String?
        var created_by: String?; var created_by_role: Role?; var created_at: Date?
    }
    struct ElectorChoice: Codable, Sendable { var id: ElectorID; var label: String }

    /// The compounds the caller may set a ballot up for (first 500 by name).
    static func compoundChoices(for actor: Actor, on db: any Database) async throws -> [CompoundChoice] {
        try await db.sql.raw(
            """
            SELECT c.id, c.name FROM compounds c WHERE \(compoundVisible(actor)) ORDER BY c.name, c.id LIMIT 500
            """
        ).all(decoding: CompoundChoice.self)
    }

    /// The buildings of the compounds the caller may set a ballot up for (first 1,000 by compound and name).
    static func buildingChoices(for actor: Actor, on db: any Database) async throws -> [BuildingChoice] {
        try await db.sql.raw(
            """
            SELECT b.id, c.name AS compound_name, b.name FROM buildings b JOIN compounds c ON c.id = b.compound_id
            WHERE \(compoundVisible(actor)) ORDER BY c.name, b.name LIMIT 1000
            """
        ).all(decoding: BuildingChoice.self)
    }

    /// Whether the ballot is one the caller runs (inside their scope, `ballotInScope`).
    static func runsBallot(_ id: BallotID, for actor: Actor, on db: any Database) async throws -> Bool {
        try await db.sql.raw("SELECT b.id FROM owners_ballots b WHERE b.id = \(bind: id) AND \(ballotInScope(actor))")
            .first(decoding: IDRow.self) != nil
    }

    /// Owners with a dwelling in scope whose name contains `text`, with their dwellings (first 30 by name).
    static func searchOwners(_ text: String, for actor: Actor, on db: any Database) async throws -> [OwnerHit] {
        try await db.sql.raw(
            """
            SELECT o.id, o.name,
                   (SELECT MIN(c.name || ' ' || b.name || ' ' || d.room) FROM dwelling_owners x JOIN dwellings d ON d.id = x.dwelling_id
                    JOIN buildings b ON b.id = d.building_id JOIN compounds c ON c.id = d.compound_id WHERE x.owner_id = o.id) AS places
            FROM owners o
            WHERE o.name LIKE \(containing: text) AND EXISTS (
                SELECT 1 FROM dwelling_owners dwo JOIN dwellings d ON d.id = dwo.dwelling_id
                WHERE dwo.owner_id = o.id AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "d"))))
            ORDER BY o.name, o.id LIMIT 30
            """
        ).all(decoding: OwnerHit.self)
    }

    /// What the owner-binding page shows and `GET /api/v1/voting/owners` answers: the owners in
    /// scope whose name contains `q` (none for an empty `q`) and the newest bindings.
    static func ownerSearch(_ q: String, for actor: Actor, on db: any Database) async throws -> OwnerSearch {
        let owners = q.isEmpty ? [] : try await searchOwners(q, for: actor, on: db)
        return OwnerSearch(q: q, owners: owners, bindings: try await bindings(for: actor, on: db))
    }

    /// The owner with a dwelling in scope, as a search would find them (the form that failed for them is shown again).
    static func ownerHit(_ id: OwnerID, for actor: Actor, on db: any Database) async throws -> OwnerHit? {
        try await db.sql.raw(
            """
            SELECT o.id, o.name,
                   (SELECT MIN(c.name || ' ' || b.name || ' ' || d.room) FROM dwelling_owners x JOIN dwellings d ON d.id = x.dwelling_id
                    JOIN buildings b ON b.id = d.building_id JOIN compounds c ON c.id = d.compound_id WHERE x.owner_id = o.id) AS places
            FROM owners o
            WHERE o.id = \(bind: id) AND EXISTS (
                SELECT 1 FROM dwelling_owners dwo JOIN dwellings d ON d.id = dwo.dwelling_id
                WHERE dwo.owner_id = o.id AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "d"))))
            """
        ).first(decoding: OwnerHit.self)
    }

    /// The newest 50 owner bindings of accounts in the caller's scope; accounts by display name
    /// (who bound it: the account of the stored username, by name and role).
    static func bindings(for actor: Actor, on db: any Database) async throws -> [OwnerBinding] {
        try await db.sql.raw(
            """
            SELECT a.display_name AS account_name, o.name AS owner_name, oa.proof, cb.display_name AS created_by,
                   cb.role AS created_by_role, oa.created_at
            FROM owner_accounts oa JOIN accounts a ON a.id = oa.account_id JOIN owners o ON o.id = oa.owner_id
            LEFT JOIN accounts cb ON cb.username = oa.created_by
            WHERE \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            ORDER BY oa.created_at DESC, a.display_name, a.id LIMIT 50
            """
        ).all(decoding: OwnerBinding.self)
    }

    /// The electors of the ballot who have not voted yet, names only (first 2,000 by label; no scope: the caller checked it).
    static func waiting(ballot: BallotID, on db: any Database) async throws -> [ElectorChoice] {
        try await db.sql.raw(
            """
            SELECT e.id, e.label FROM ballot_electors e
            WHERE e.ballot_id = \(bind: ballot) AND NOT EXISTS (
                SELECT 1 FROM owners_votes v \(sqliteIndex("owners_votes_elector", db)) WHERE v.elector_id = e.id AND v.ballot_id = e.ballot_id)
            ORDER BY e.label, e.id LIMIT 2000
            """
        ).all(decoding: ElectorChoice.self)
    }

    /// The electors still to vote on a ballot the caller runs (`ballotInScope`), for entering paper
    /// and proxy votes: nil when the caller is no organiser or does not run it (or there is no
    /// such ballot), empty when it is not open or its time is up. The ballot page and the API both read this.
    static func entryElectors(ballot id: BallotID, for actor: Actor, now: Date, on db: any Database) async throws -> [ElectorChoice]? {
        guard organisers.contains(actor.role), let state = try await ballotState(id, for: actor, online: false, on: db) else { return nil }
        guard state.status == .open, state.closes_at > now else { return [] }
        return try await waiting(ballot: id, on: db)
    }

    // MARK: tally command

    struct StoredBallot: Decodable, Sendable { var title: String; var status: BallotStatus; var rule_json: String; var tally_json: String? }

    /// A ballot's title, status, rule and published tally (JSON), without scope (for the console), or nil.
    static func stored(ballot id: BallotID, on db: any Database) async throws -> StoredBallot? {
        try await db.sql.raw("SELECT title, status, rule_json, tally_json FROM owners_ballots WHERE id = \(bind: id)")
            .first(decoding: StoredBallot.self)
    }
}
