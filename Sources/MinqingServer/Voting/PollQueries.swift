import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Reads and writes of resident polls (要投票), always inside what the caller may see.
enum PollQueries {
    /// A poll is visible when its node is in the caller's subtree or above the caller's node
    /// (a resident sees the polls of their building group, micro-grid, residential area…).
    static func visible(_ actor: Actor, alias p: String = "p") -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: p)))
         OR \(ident: p).grid_node_id IN (SELECT ancestor_id FROM grid_closure WHERE descendant_id = \(bind: actor.scope.rootID)))
        """
    }

    struct PollRow: Decodable, Sendable {
        var id: UUID; var title: String; var node_code: String; var node_name: String; var unit: ResidentPollRules.Unit
        var secrecy: ResidentPollRules.Secrecy; var status: BallotStatus; var closes_at: Date; var description: String; var results_live: Bool

        var summary: PollSummary {
            PollSummary(
                id: id, title: title, node_code: node_code, node_name: node_name, unit: unit, secrecy: secrecy, status: status,
                closes_at: closes_at)
        }
    }

    static let columns =
        "p.id, p.title, n.code AS node_code, n.name AS node_name, p.unit, p.secrecy, p.status, p.closes_at, p.description, p.results_live"

    struct Option: Decodable, Sendable { var id: UUID; var label: String; var votes: Int64 }
    struct Poll: Decodable, Sendable {
        var status: BallotStatus; var closes_at: Date; var unit: ResidentPollRules.Unit; var secrecy: ResidentPollRules.Secrecy
    }

    /// Writes a new open poll and its options (in the order given, no votes yet); runs inside the caller's write.
    static func insert(
        id: UUID, subdistrict: UUID?, node: UUID, title: String, description: String, unit: ResidentPollRules.Unit,
        secrecy: ResidentPollRules.Secrecy,
        resultsLive: Bool, closesAt: Date, options: [String], writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "polls")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "title", "description", "unit", "secrecy", "status", "results_live",
                "closes_at", "created_by", "created_at"
            )
            .values(
                SQLBind(id), bindOrNull(subdistrict), SQLBind(node), SQLBind(title), SQLBind(description),
                SQLBind(unit.rawValue), SQLBind(secrecy.rawValue), SQLBind(BallotStatus.open.rawValue),
                SQLBind(resultsLive), SQLBind(closesAt), SQLBind(writer.actor.accountID), SQLBind(writer.now)
            )
            .run()
        for (order, label) in options.enumerated() {
            try await db.sql.insert(into: "poll_options").columns("id", "poll_id", "label", "sort_order", "votes")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind(label), SQLBind(order), SQLBind(Int64(0))).run()
        }
    }

    /// The polls the caller may see, latest closing first (first `limit`).
    static func list(for actor: Actor, limit: Int, on db: any Database) async throws -> [PollRow] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns) FROM polls p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE \(visible(actor)) ORDER BY p.closes_at DESC, p.id LIMIT \(count: limit)
            """
        ).all(decoding: PollRow.self)
    }

    /// Open polls the caller may see and has not voted in, by the poll's unit: `person` polls by
    /// the account's key, `household` polls by the household's (none without a household);
    /// closing soonest first (the resident's home).
    static func waitingForVote(
        for actor: Actor, accountKey: String, householdKey: String?, now: Date, limit: Int, on db: any Database
    ) async throws -> [PollRow] {
        let household: SQLQueryString =
            householdKey.map {
                "OR (p.unit = 'household' AND NOT EXISTS (SELECT 1 FROM poll_roll r WHERE r.poll_id = p.id AND r.voter_key = \(bind: $0)))"
            } ?? ""
        return try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns) FROM polls p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE \(visible(actor)) AND p.status = \(bind: BallotStatus.open.rawValue) AND p.closes_at > \(bind: now)
              AND ((p.unit = 'person' AND NOT EXISTS (SELECT 1 FROM poll_roll r WHERE r.poll_id = p.id AND r.voter_key = \(bind: accountKey)))
                   \(household))
            ORDER BY p.closes_at, p.id LIMIT \(count: limit)
            """
        ).all(decoding: PollRow.self)
    }

    /// The household the resident account speaks for, if linked.
    static func household(of account: UUID, on db: any Database) async throws -> UUID? {
        struct H: Decodable { var household_id: UUID }
        return try await db.sql.raw("SELECT household_id FROM resident_households WHERE account_id = \(bind: account)")
            .first(decoding: H.self)?.household_id
    }

    /// The poll, if the caller may see it.
    static func poll(_ id: UUID, for actor: Actor, on db: any Database) async throws -> PollRow? {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: columns) FROM polls p JOIN grid_nodes n ON n.id = p.grid_node_id WHERE p.id = \(bind: id) AND \(visible(actor))
            """
        ).first(decoding: PollRow.self)
    }

    /// The poll's options with their counters, in their order.
    static func options(poll id: UUID, on db: any Database) async throws -> [Option] {
        try await db.sql.raw("SELECT id, label, votes FROM poll_options WHERE poll_id = \(bind: id) ORDER BY sort_order")
            .all(decoding: Option.self)
    }

    /// How many have voted in the poll (rows of its roll).
    static func voters(poll id: UUID, on db: any Database) async throws -> Int64 {
        struct N: Decodable { var n: Int64 }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM poll_roll WHERE poll_id = \(bind: id)").first(decoding: N.self)?.n ?? 0
    }

    /// How many roll rows of the poll carry the voter key (0 or 1).
    static func votes(poll id: UUID, voterKey key: String, on db: any Database) async throws -> Int64 {
        struct N: Decodable { var n: Int64 }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM poll_roll WHERE poll_id = \(bind: id) AND voter_key = \(bind: key)")
            .first(decoding: N.self)?.n ?? 0
    }

    /// Who voted for what in an open poll, by voter name.
    static func openRecord(poll id: UUID, on db: any Database) async throws -> [OpenPollVote] {
        try await db.sql.raw(
            """
            SELECT a.display_name AS voter, o.label AS option FROM poll_roll r JOIN accounts a ON a.id = r.account_id
            JOIN poll_options o ON o.id = r.option_id WHERE r.poll_id = \(bind: id) ORDER BY a.display_name
            """
        ).all(decoding: OpenPollVote.self)
    }

    /// The poll's state for a vote, if the caller may see it; `FOR SHARE` on PostgreSQL.
    static func pollForVote(_ id: UUID, for actor: Actor, on db: any Database) async throws -> Poll? {
        try await db.sql.raw(
            """
            SELECT p.status, p.closes_at, p.unit, p.secrecy FROM polls p WHERE p.id = \(bind: id) AND \(visible(actor))
            \(unsafeRaw: VotingService.share(db))
            """
        ).first(decoding: Poll.self)
    }

    /// Whether `option` is one of the poll's options.
    static func hasOption(_ option: UUID, poll id: UUID, on db: any Database) async throws -> Bool {
        try await db.sql.raw("SELECT id FROM poll_options WHERE id = \(bind: option) AND poll_id = \(bind: id)")
            .first(decoding: IDRow.self) != nil
    }

    /// Writes the voter's roll row (no option when `secret`) and bumps the counters with one
    /// UPDATE of every option row of the poll; runs inside the caller's write.
    static func insertVote(poll id: UUID, voterKey key: String, option: UUID, secret: Bool, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "poll_roll").columns("poll_id", "voter_key", "account_id", "option_id", "cast_at")
            .values(
                SQLBind(id), SQLBind(key), SQLBind(writer.actor.accountID), secret ? SQLLiteral.null as any SQLExpression : SQLBind(option),
                SQLBind(writer.now)
            )
            .run()
        try await db.sql.raw(
            """
            UPDATE poll_options SET votes = votes + CASE WHEN id = \(bind: option) THEN 1 ELSE 0 END WHERE poll_id = \(bind: id)
            """
        ).run()
    }

    /// Closes the open poll if it is in the writer's scope; returns whether it did.
    static func close(_ id: UUID, writer: WriteContext, on db: any Database) async throws -> Bool {
        let done = try await db.sql.raw(
            """
            UPDATE polls SET status = \(bind: BallotStatus.closed.rawValue), closed_at = \(bind: writer.now)
            WHERE id = \(bind: id) AND status = \(bind: BallotStatus.open.rawValue) AND \(writer.actor.scope.contains(SQLColumn("grid_node_id")))
            RETURNING id
            """
        ).all(decoding: IDRow.self)
        return !done.isEmpty
    }

    /// Whether the caller may see the poll.
    static func isVisible(_ id: UUID, for actor: Actor, on db: any Database) async throws -> Bool {
        try await db.sql.raw("SELECT p.id FROM polls p WHERE p.id = \(bind: id) AND \(visible(actor))")
            .first(decoding: IDRow.self) != nil
    }

    /// A part of the grid a poll can be put to: its code and name.
    struct NodeChoice: Codable, Sendable { var code: String; var name: String; var level: GridLevel }

    /// The nodes the poll form offers (first 500 by code): the caller's own node and, below it,
    /// everything down to the micro-grids (building groups are many; a worker bound to one gets theirs).
    static func nodeChoices(for actor: Actor, on db: any Database) async throws -> [NodeChoice] {
        try await db.sql.raw(
            """
            SELECT n.code, n.name, n.level FROM grid_nodes n
            WHERE \(actor.scope.contains(SQLColumn("id", table: "n")))
              AND (n.id = \(bind: actor.scope.rootID) OR n.level <> \(bind: GridLevel.buildingGroup.rawValue))
            ORDER BY n.code LIMIT 500
            """
        ).all(decoding: NodeChoice.self)
    }

    /// Whether the poll's node is in the caller's subtree (a poll they may take a topic to).
    static func inScope(_ id: UUID, for actor: Actor, on db: any Database) async throws -> Bool {
        try await db.sql.raw(
            """
            SELECT p.id FROM polls p WHERE p.id = \(bind: id) AND \(actor.scope.contains(SQLColumn("grid_node_id", table: "p")))
            """
        ).first(decoding: IDRow.self) != nil
    }
}
