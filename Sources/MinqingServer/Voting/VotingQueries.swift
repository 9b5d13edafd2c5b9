import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads of owners' ballots, always inside what the caller may see.
package enum VotingQueries {
    /// Who organises ballots and polls: grid staff and the owners' committee.
    static let organisers: Set<Role> = Set(Role.allCases.filter(\.isGridStaff)).union([.ownersCommittee])
    /// Who sees ballots and polls: organisers and residents.
    static let viewers: Set<Role> = organisers.union([.resident])

    /// A ballot is visible when its node is in the caller's subtree, or one of its compound's
    /// buildings is (staff bound below the residential area, residents of the compound), or the
    /// caller's account is bound to one of its electors' owner records (an owner living elsewhere).
    static func ballotVisible(_ actor: Actor, alias b: String = "b") -> SQLQueryString {
        """
        (\(ballotInScope(actor, alias: b))
         OR EXISTS (SELECT 1 FROM ballot_elector_owners veo JOIN owner_accounts voa ON voa.owner_id = veo.owner_id
                    WHERE veo.ballot_id = \(ident: b).id AND voa.account_id = \(bind: actor.accountID)))
        """
    }

    /// The ballots an organiser may run (open, close, enter paper and proxy votes): inside their
    /// scope only; being an owner somewhere else gives no say over that ballot's conduct.
    static func ballotInScope(_ actor: Actor, alias b: String = "b") -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: b)))
         OR EXISTS (SELECT 1 FROM buildings vx WHERE vx.compound_id = \(ident: b).compound_id AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "vx")))))
        """
    }

    /// A compound the caller may set a ballot up for: its residential area or one of its buildings in scope.
    static func compoundVisible(_ actor: Actor, alias c: String = "c") -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: c)))
         OR EXISTS (SELECT 1 FROM buildings vx WHERE vx.compound_id = \(ident: c).id AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "vx")))))
        """
    }

    /// `INDEXED BY name` on SQLite, nothing on PostgreSQL. The demo's ANALYZE (or any) takes the
    /// voting tables' statistics while they hold a few rows; a ballot then adds thousands at once
    /// (the snapshot at opening, the votes), and with "one row" statistics SQLite's planner scans
    /// the whole snapshot for every row of a join (a 5,000-owner tally took 5 s instead of 10 ms).
    /// No statistics stay true while a ballot fills, so the joins that matter name their index.
    static func sqliteIndex(_ name: String, _ db: any Database) -> SQLQueryString {
        db.dialectName == "sqlite" ? "INDEXED BY \(ident: name)" : ""
    }

    static let summaryColumns = """
        b.id, b.title, b.compound_id, c.name AS compound_name, b.building_id, bd.name AS building_name, b.stairwell, b.scope_kind, b.rule_code,
        b.status, b.closes_at, b.outcome
        """
    static let summaryFrom = "owners_ballots b JOIN compounds c ON c.id = b.compound_id LEFT JOIN buildings bd ON bd.id = b.building_id"

    static func list(for actor: Actor, limit: Int = 100, on db: any Database) async throws -> [BallotSummary] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: summaryColumns) FROM \(unsafeRaw: summaryFrom)
            WHERE \(ballotVisible(actor)) ORDER BY b.closes_at DESC, b.id LIMIT \(count: limit)
            """
        ).all(decoding: BallotSummary.self)
    }

    /// A ballot waiting for the caller's vote.
    struct Waiting: Decodable, Sendable { var id: UUID; var title: String; var closes_at: Date }

    /// Open owners' ballots in which an owner the account is bound to has an elector not yet voted
    /// for, closing soonest first (the resident's home).
    static func waitingForVote(account: UUID, now: Date, limit: Int, on db: any Database) async throws -> [Waiting] {
        try await db.sql.raw(
            """
            SELECT b.id, b.title, b.closes_at FROM owners_ballots b
            WHERE b.status = \(bind: BallotStatus.open.rawValue) AND b.closes_at > \(bind: now)
              AND EXISTS (SELECT 1 FROM owner_accounts oa JOIN ballot_elector_owners eo ON eo.owner_id = oa.owner_id
                          WHERE oa.account_id = \(bind: account) AND eo.ballot_id = b.id
                            AND NOT EXISTS (SELECT 1 FROM owners_votes v WHERE v.ballot_id = b.id AND v.elector_id = eo.elector_id))
            ORDER BY b.closes_at, b.id LIMIT \(count: limit)
            """
        ).all(decoding: Waiting.self)
    }

    struct BallotRow: Decodable {
        var id: BallotID; var title: String; var compound_id: UUID; var compound_name: String; var building_id: UUID?; var building_name: String?
        var stairwell: String?; var scope_kind: OwnersBallotScope; var rule_code: String; var status: BallotStatus; var closes_at: Date
        var outcome: OwnersVoteTally.Outcome?; var description: String; var rule_json: String; var results_live: Bool
        var opened_at: Date?; var closed_at: Date?; var total_area_cm2: Int64?; var total_heads: Int64?
        var tally_json: String?; var published_on: String?; var appeal_deadline: String?

        var summary: BallotSummary {
            BallotSummary(
                id: id, title: title, compound_id: compound_id, compound_name: compound_name, building_id: building_id, building_name: building_name,
                stairwell: stairwell, scope_kind: scope_kind, rule_code: rule_code, status: status, closes_at: closes_at,
                outcome: outcome)
        }
        var rule: OwnersVoteRuleSet? { try? JSONDecoder().decode(OwnersVoteRuleSet.self, from: Data(rule_json.utf8)) }
    }

    static func ballot(_ id: BallotID, for actor: Actor, on db: any Database) async throws -> BallotRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: summaryColumns), b.description, b.rule_json, b.results_live, b.opened_at, b.closed_at,
                   b.total_area_cm2, b.total_heads, b.tally_json, b.published_on, b.appeal_deadline
            FROM \(unsafeRaw: summaryFrom) WHERE b.id = \(bind: id) AND \(ballotVisible(actor))
            """
        ).first(decoding: BallotRow.self)
    }

    /// The tally recomputed from the raw votes: every elector of the snapshot with their
    /// vote, if any, through the domain's integer tally.
    package static func tally(ballot id: BallotID, rule: OwnersVoteRuleSet, on db: any Database) async throws -> OwnersVoteTally {
        // Summed by answer in SQL (four rows, whatever the size of the electorate); the domain
        // tally adds integers only, so the sums are the same figures it would add up itself.
        struct Row: Decodable { var area_cm2: Int64?; var heads: Int64?; var choice: OwnersVoteChoice? }
        let rows = try await db.sql.raw(
            """
            SELECT v.choice, CAST(SUM(e.area_cm2) AS BIGINT) AS area_cm2, CAST(SUM(e.heads) AS BIGINT) AS heads FROM ballot_electors e
            LEFT JOIN owners_votes v \(sqliteIndex("owners_votes_elector", db)) ON v.elector_id = e.id AND v.ballot_id = e.ballot_id
            WHERE e.ballot_id = \(bind: id) GROUP BY v.choice
            """
        ).all(decoding: Row.self)
        return OwnersVoteTally(
            ruleSet: rule,
            entries: rows.map {
                OwnersVoteTally.Entry(areaCM2: $0.area_cm2 ?? 0, heads: $0.heads ?? 0, choice: $0.choice)
            })
    }

    static func turnout(ballot id: BallotID, on db: any Database) async throws -> Turnout {
        struct Row: Decodable { var total_area: Int64?; var total_heads: Int64?; var voted_area: Int64?; var voted_heads: Int64? }
        let row = try await db.sql.raw(
            """
            SELECT CAST(SUM(e.area_cm2) AS BIGINT) AS total_area, CAST(SUM(e.heads) AS BIGINT) AS total_heads,
                   CAST(SUM(CASE WHEN v.id IS NULL THEN 0 ELSE e.area_cm2 END) AS BIGINT) AS voted_area,
                   CAST(SUM(CASE WHEN v.id IS NULL THEN 0 ELSE e.heads END) AS BIGINT) AS voted_heads
            FROM ballot_electors e LEFT JOIN owners_votes v \(sqliteIndex("owners_votes_elector", db)) ON v.elector_id = e.id AND v.ballot_id = e.ballot_id
            WHERE e.ballot_id = \(bind: id)
            """
        ).first(decoding: Row.self)
        return Turnout(
            total_area_cm2: row?.total_area ?? 0, total_heads: row?.total_heads ?? 0,
            voted_area_cm2: row?.voted_area ?? 0, voted_heads: row?.voted_heads ?? 0)
    }

    /// Electors with their dwellings and votes: all of them (`account` nil), or those the
    /// account is bound to.
    static func electors(ballot id: BallotID, account: UUID? = nil, on db: any Database) async throws -> [ElectorRecord] {
        struct Row: Decodable {
            var id: ElectorID; var label: String; var is_developer: Bool; var area_cm2: Int64; var heads: Int64
            var choice: OwnersVoteChoice?; var channel: VoteChannel?
        }
        let mine: SQLQueryString =
            account.map {
                "AND e.id IN (SELECT eo.elector_id FROM ballot_elector_owners eo \(sqliteIndex("ballot_elector_owners_owner", db)) JOIN owner_accounts oa ON oa.owner_id = eo.owner_id WHERE eo.ballot_id = \(bind: id) AND oa.account_id = \(bind: $0))"
            } ?? ""
        let rows = try await db.sql.raw(
            """
            SELECT e.id, e.label, e.is_developer, e.area_cm2, e.heads, v.choice, v.channel
            FROM ballot_electors e LEFT JOIN owners_votes v \(sqliteIndex("owners_votes_elector", db)) ON v.elector_id = e.id AND v.ballot_id = e.ballot_id
            WHERE e.ballot_id = \(bind: id) \(mine) ORDER BY e.label, e.id
            """
        ).all(decoding: Row.self)
        struct Place: Decodable { var elector_id: ElectorID; var building: String; var room: String }
        let places = try await db.sql.raw(
            """
            SELECT ed.elector_id, bd.name AS building, d.room FROM ballot_elector_dwellings ed
            JOIN dwellings d ON d.id = ed.dwelling_id JOIN buildings bd ON bd.id = d.building_id
            WHERE ed.ballot_id = \(bind: id) ORDER BY bd.name, d.room
            """
        ).all(decoding: Place.self)
        var byElector: [ElectorID: [String]] = [:]
        for place in places { byElector[place.elector_id, default: []].append("\(place.building) \(place.room)") }
        return rows.map {
            ElectorRecord(
                elector_id: $0.id, label: $0.label, is_developer: $0.is_developer, area_cm2: $0.area_cm2, heads: $0.heads,
                dwellings: byElector[$0.id] ?? [], choice: $0.choice, channel: $0.channel)
        }
    }

    /// The detail the caller may see: results only once closed, or while open when the
    /// ballot says results are live; the per-owner record once closed.
    static func detail(_ id: BallotID, for actor: Actor, on db: any Database) async throws -> BallotDetail? {
        guard let row = try await ballot(id, for: actor, on: db), let rule = row.rule else { return nil }
        let status = row.status
        var tally: OwnersVoteTally?
        if status == .closed, let json = row.tally_json {
            tally = try? JSONDecoder().decode(OwnersVoteTally.self, from: Data(json.utf8))
        } else if status == .open, row.results_live {
            tally = try await Self.tally(ballot: id, rule: rule, on: db)
        }
        return BallotDetail(
            ballot: row.summary, description: row.description, rule: rule, results_live: row.results_live,
            opened_at: row.opened_at, closed_at: row.closed_at,
            turnout: status == .draft ? nil : try await turnout(ballot: id, on: db),
            tally: tally, published_on: row.published_on, appeal_deadline: row.appeal_deadline,
            my_electors: status == .draft ? [] : try await electors(ballot: id, account: actor.accountID, on: db),
            record: status == .closed ? try await electors(ballot: id, on: db) : nil)
    }
}
