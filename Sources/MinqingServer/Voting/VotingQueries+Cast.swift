import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements of casting owners' votes (`VotingService.cast`, `insert`, `diagnose`): the
/// conditional INSERTs and the reads that say why one inserted nothing.
extension VotingQueries {
    struct Ballot: Decodable, Sendable { var status: BallotStatus; var closes_at: Date }
    struct Bound: Decodable, Sendable { var account_id: UUID; var ballot_id: BallotID; var elector_id: ElectorID; var owner_id: OwnerID }

    /// The ballot's status and closing time, if the caller may vote in it online (`online`: `ballotVisible`) or runs it (`ballotInScope`).
    static func ballotState(_ id: BallotID, for actor: Actor, online: Bool, on db: any Database) async throws -> Ballot? {
        try await db.sql.raw(
            """
            SELECT b.status, b.closes_at FROM owners_ballots b
            WHERE b.id = \(bind: id) AND \(online ? ballotVisible(actor) : ballotInScope(actor))
            """
        ).first(decoding: Ballot.self)
    }

    /// Whether `elector` is one of the ballot's electors.
    static func isElector(_ elector: ElectorID, ballot id: BallotID, on db: any Database) async throws -> Bool {
        try await db.sql.raw(
            """
            SELECT e.id FROM ballot_electors e WHERE e.id = \(bind: elector) AND e.ballot_id = \(bind: id)
            """
        ).first(decoding: IDRow.self) != nil
    }

    /// The electors (with the owner record) each of `accounts` may vote for in each of `ballots`, in one query,
    /// from the accounts' bindings outwards (CROSS JOIN fixes that order on SQLite, whose
    /// statistics may say the bindings table is tiny and start from the snapshot instead).
    static func boundElectors(accounts: [UUID], ballots: [BallotID], on db: any Database) async throws -> [Bound] {
        try await db.sql.raw(
            """
            SELECT oa.account_id, eo.ballot_id, eo.elector_id, eo.owner_id
            FROM owner_accounts oa CROSS JOIN ballot_elector_owners eo \(sqliteIndex("ballot_elector_owners_owner", db))
            WHERE eo.owner_id = oa.owner_id AND oa.account_id IN (\(binds: accounts))
              AND eo.ballot_id IN (\(binds: ballots))
            ORDER BY eo.elector_id, eo.owner_id
            """
        ).all(decoding: Bound.self)
    }

    /// Writes online votes (their elector and owner resolved) with one conditional multi-row INSERT: a
    /// `VALUES` list joined to the ballot, the snapshot and the account bindings; returns the ids inserted.
    static func insertOnlineVotes(_ chunk: ArraySlice<VoteCastQueue.Vote>, on db: any Database) async throws -> [UUID] {
        let lock: SQLQueryString = db.dialectName == "postgresql" ? "FOR SHARE OF b" : ""
        // SQLite: CROSS JOIN keeps the written order (the VALUES list outermost, then one index
        // look-up per vote); left to itself the planner scanned every account binding per
        // ballot with the VALUES list innermost (200 votes: ~200 ms). PostgreSQL plans it well.
        let join: SQLQueryString = db.dialectName == "sqlite" ? "CROSS JOIN" : "JOIN"
        let open = BallotStatus.open.rawValue
        var values: SQLQueryString = ""
        for (index, vote) in chunk.enumerated() {
            values =
                values + (index == 0 ? "" : ", ") + """
                    (\(bind: vote.id), \(bind: vote.ballot), \(bind: vote.elector), \(bindOrNull(vote.owner)), \(bind: vote.writer.actor.accountID),
                     \(bind: vote.choice.rawValue), \(bind: vote.writer.now))
                    """
        }
        let rows = try await db.sql.raw(
            """
            WITH x (id, ballot_id, elector_id, owner_id, account_id, choice, cast_at) AS (VALUES \(values))
            INSERT INTO owners_votes (id, ballot_id, elector_id, choice, channel, owner_id, recorded_by, proxy_name,
                                      authorisation_ref, paper_ref, cast_at)
            SELECT x.id, b.id, eo.elector_id, x.choice, \(bind: VoteChannel.online.rawValue), eo.owner_id, x.account_id, NULL, NULL, NULL, x.cast_at
            FROM x \(join) owners_ballots b ON b.id = x.ballot_id
            \(join) ballot_elector_owners eo \(sqliteIndex("ballot_elector_owners_owner", db))
                 ON eo.ballot_id = b.id AND eo.elector_id = x.elector_id AND eo.owner_id = x.owner_id
            \(join) owner_accounts oa ON oa.owner_id = eo.owner_id AND oa.account_id = x.account_id
            WHERE b.status = \(bind: open) AND b.closes_at > x.cast_at
            \(lock)
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all(decoding: IDRow.self)
        return rows.map(\.id)
    }

    /// Writes a staff-entered (proxy or paper) vote with one conditional INSERT; returns the id if inserted.
    static func insertStaffVote(_ vote: VoteCastQueue.Vote, on db: any Database) async throws -> [UUID] {
        let lock: SQLQueryString = db.dialectName == "postgresql" ? "FOR SHARE OF b" : ""
        let open = BallotStatus.open.rawValue
        let writer = vote.writer
        let rows = try await db.sql.raw(
            """
            INSERT INTO owners_votes (id, ballot_id, elector_id, choice, channel, owner_id, recorded_by, proxy_name,
                                      authorisation_ref, paper_ref, cast_at)
            SELECT \(bind: vote.id), b.id, e.id, \(bind: vote.choice.rawValue), \(bind: vote.channel.rawValue), NULL,
                   \(bind: writer.actor.accountID), \(bindOrNull(vote.proxyName)), \(bindOrNull(vote.authorisationRef)),
                   \(bindOrNull(vote.paperRef)), \(bind: writer.now)
            FROM owners_ballots b JOIN ballot_electors e ON e.ballot_id = b.id AND e.id = \(bind: vote.elector)
            WHERE b.id = \(bind: vote.ballot) AND b.status = \(bind: open) AND b.closes_at > \(bind: writer.now)
            \(lock)
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all(decoding: IDRow.self)
        return rows.map(\.id)
    }
}
