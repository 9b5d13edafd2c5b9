import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements of owners' ballots' writes (`VotingService`): set-up, opening with the
/// electorate snapshot, closing with the tally, and owner account bindings.
extension VotingQueries {
    struct Place: Decodable, Sendable { var subdistrict_id: UUID?; var grid_node_id: UUID }
    struct OpeningRow: Decodable, Sendable {
        var status: BallotStatus; var title: String; var compound_id: UUID; var building_id: UUID?; var stairwell: String?; var closes_at: Date
    }
    struct ClosingRow: Decodable, Sendable {
        var status: BallotStatus; var title: String; var closes_at: Date; var rule_json: String; var total_heads: Int64?
    }
    struct SnapshotRow: Decodable, Sendable {
        var id: UUID; var area_register_cm2: Int64?; var area_surveyed_cm2: Int64?; var area_contract_cm2: Int64?
        var developer_held: Bool; var unsold: Bool; var undelivered: Bool
        var owner_id: UUID?; var kind: OwnerKind?; var name: String?
    }
    struct Account: Decodable, Sendable { var id: UUID; var role: Role; var disabled: Bool }

    // MARK: set-up

    /// The compound's subdistrict and grid node, if the caller may set a ballot up for it.
    static func compoundPlace(_ id: UUID, for actor: Actor, on db: any Database) async throws -> Place? {
        try await db.sql.raw(
            """
            SELECT c.subdistrict_id, c.grid_node_id FROM compounds c WHERE c.id = \(bind: id) AND \(compoundVisible(actor))
            """
        ).first(decoding: Place.self)
    }

    /// The building's subdistrict and grid node, if it is in the compound.
    static func buildingPlace(_ id: UUID, compound: UUID, on db: any Database) async throws -> Place? {
        try await db.sql.raw(
            """
            SELECT subdistrict_id, grid_node_id FROM buildings WHERE id = \(bind: id) AND compound_id = \(bind: compound)
            """
        ).first(decoding: Place.self)
    }

    /// How many dwellings of the building are in the stairwell.
    static func stairwellDwellings(building: UUID, stairwell: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM dwellings WHERE building_id = \(bind: building) AND stairwell = \(bind: stairwell)
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Writes a new draft ballot set up by the writer.
    static func insertBallot(
        id: BallotID, subdistrict: UUID?, compound: UUID, building: UUID?, stairwell: String?, scopeKind: OwnersBallotScope, node: UUID,
        title: String, description: String, ruleCode: String, ruleJSON: String, resultsLive: Bool, closesAt: Date,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "owners_ballots")
            .columns(
                "id", "subdistrict_id", "compound_id", "building_id", "stairwell", "scope_kind", "grid_node_id", "title", "description",
                "rule_code", "rule_json", "status", "results_live", "closes_at", "created_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(subdistrict), SQLBind(compound), bindOrNull(building), bindOrNull(stairwell),
                SQLBind(scopeKind.rawValue), SQLBind(node), SQLBind(title), SQLBind(description), SQLBind(ruleCode), SQLBind(ruleJSON),
                SQLBind(BallotStatus.draft.rawValue), SQLBind(resultsLive), SQLBind(closesAt),
                SQLBind(writer.actor.accountID), SQLBind(writer.now)
            )
            .run()
    }

    // MARK: opening

    /// The ballot's status, scope and closing time, if the caller runs it. FOR UPDATE on PostgreSQL.
    static func ballotForOpening(_ id: BallotID, for actor: Actor, on db: any Database) async throws -> OpeningRow? {
        try await db.sql.raw(
            """
            SELECT b.status, b.title, b.compound_id, b.building_id, b.stairwell, b.closes_at FROM owners_ballots b
            WHERE b.id = \(bind: id) AND \(ballotInScope(actor)) \(unsafeRaw: VotingService.update(db))
            """
        ).first(decoding: OpeningRow.self)
    }

    /// The register's dwellings in the scope (compound, building, stairwell), each with its owners (one row per owner), by dwelling id.
    static func snapshotRows(compound: UUID, building: UUID?, stairwell: String?, on db: any Database) async throws -> [SnapshotRow] {
        var filter: SQLQueryString = "d.compound_id = \(bind: compound)"
        if let building { filter = filter + " AND d.building_id = \(bind: building)" }
        if let stairwell { filter = filter + " AND d.stairwell = \(bind: stairwell)" }
        return try await db.sql.raw(
            """
            SELECT d.id, d.area_register_cm2, d.area_surveyed_cm2, d.area_contract_cm2, d.developer_held, d.unsold, d.undelivered,
                   o.id AS owner_id, o.kind, o.name
            FROM dwellings d LEFT JOIN dwelling_owners dwo ON dwo.dwelling_id = d.id LEFT JOIN owners o ON o.id = dwo.owner_id
            WHERE \(filter) ORDER BY d.id
            """
        ).all(decoding: SnapshotRow.self)
    }

    /// Writes the ballot's electorate snapshot: its electors (labelled with their owners' names), their dwellings and owners.
    package static func writeElectorate(_ electorate: OwnersElectorate, names: [UUID: String], ballot: BallotID, on db: any Database) async throws {
        var electors = BulkInserter(
            table: "ballot_electors", columns: ["id", "ballot_id", "elector_key", "is_developer", "area_cm2", "heads", "label"])
        var dwellings = BulkInserter(
            table: "ballot_elector_dwellings", columns: ["ballot_id", "elector_id", "dwelling_id", "area_cm2", "area_source"])
        var owners = BulkInserter(table: "ballot_elector_owners", columns: ["ballot_id", "elector_id", "owner_id"])
        for elector in electorate.electors {
            let id = UUID()
            let label =
                elector.isDeveloper
                ? "建设单位" + (elector.ownerIDs.isEmpty ? "" : "（\(elector.ownerIDs.compactMap { names[$0] }.joined(separator: "、"))）")
                : elector.ownerIDs.compactMap { names[$0] }.joined(separator: "、")
            electors.append([
                SQLBind(id), SQLBind(ballot), SQLBind(elector.key), SQLBind(elector.isDeveloper), SQLBind(elector.areaCM2),
                SQLBind(elector.heads), SQLBind(label)
            ])
            for dwelling in elector.dwellingIDs {
                dwellings.append([
                    SQLBind(ballot), SQLBind(id), SQLBind(dwelling), SQLBind(electorate.dwellingAreasCM2[dwelling] ?? 0),
                    SQLBind(electorate.areaSources[dwelling]?.rawValue ?? "")
                ])
            }
            for owner in elector.ownerIDs { owners.append([SQLBind(ballot), SQLBind(id), bindOrNull(owner)]) }
        }
        try await electors.flush(on: db)
        try await dwellings.flush(on: db)
        try await owners.flush(on: db)
    }

    /// Marks the draft ballot open with the electorate's totals; returns whether it did.
    static func markOpen(_ id: BallotID, totalAreaCM2: Int64, totalHeads: Int64, writer: WriteContext, on db: any Database) async throws -> Bool {
        let done = try await db.sql.raw(
            """
            UPDATE owners_ballots SET status = \(bind: BallotStatus.open.rawValue), opened_at = \(bind: writer.now),
                   total_area_cm2 = \(bind: totalAreaCM2), total_heads = \(bind: totalHeads)
            WHERE id = \(bind: id) AND status = \(bind: BallotStatus.draft.rawValue) RETURNING id
            """
        ).all(decoding: IDRow.self)
        return !done.isEmpty
    }

    // MARK: closing

    /// The ballot's status, closing time, rule and electorate size, if the caller runs it. FOR UPDATE on PostgreSQL.
    static func ballotForClosing(_ id: BallotID, for actor: Actor, on db: any Database) async throws -> ClosingRow? {
        try await db.sql.raw(
            """
            SELECT b.status, b.title, b.closes_at, b.rule_json, b.total_heads FROM owners_ballots b
            WHERE b.id = \(bind: id) AND \(ballotInScope(actor)) \(unsafeRaw: VotingService.update(db))
            """
        ).first(decoding: ClosingRow.self)
    }

    /// Marks the open ballot closed with its outcome, tally (JSON), publication date and appeal deadline; returns whether it did.
    static func markClosed(
        _ id: BallotID, outcome: OwnersVoteTally.Outcome, tallyJSON json: String, publishedOn published: CivilDate,
        appealDeadline deadline: CivilDate,
        writer: WriteContext, on db: any Database
    ) async throws -> Bool {
        let done = try await db.sql.raw(
            """
            UPDATE owners_ballots SET status = \(bind: BallotStatus.closed.rawValue), closed_at = \(bind: writer.now),
                   outcome = \(bind: outcome.rawValue), tally_json = \(bind: json), published_on = \(bind: published.iso8601),
                   appeal_deadline = \(bind: deadline.iso8601)
            WHERE id = \(bind: id) AND status = \(bind: BallotStatus.open.rawValue) RETURNING id
            """
        ).all(decoding: IDRow.self)
        return !done.isEmpty
    }

    // MARK: owner accounts

    /// The account with this username, if it is in the caller's scope.
    static func account(username: String, for actor: Actor, on db: any Database) async throws -> Account? {
        try await db.sql.raw(
            """
            SELECT a.id, a.role, a.disabled FROM accounts a
            WHERE a.username = \(bind: username) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: Account.self)
    }

    /// Whether the owner has a dwelling in the caller's scope.
    static func ownerInScope(_ owner: OwnerID, for actor: Actor, on db: any Database) async throws -> Bool {
        try await db.sql.raw(
            """
            SELECT o.id FROM owners o WHERE o.id = \(bind: owner) AND EXISTS (
                SELECT 1 FROM dwelling_owners dwo JOIN dwellings d ON d.id = dwo.dwelling_id
                WHERE dwo.owner_id = o.id AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "d"))))
            """
        ).first(decoding: IDRow.self) != nil
    }

    /// Writes the binding of the account to the owner record, with the proof checked.
    static func insertOwnerAccount(account: UUID, owner: OwnerID, proof: String, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "owner_accounts").columns("account_id", "owner_id", "created_by", "created_at", "proof")
            .values(SQLBind(account), bindOrNull(owner), SQLBind(writer.actor.username), SQLBind(writer.now), SQLBind(proof)).run()
    }
}
