import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Casting a vote in an owners' ballot (online by the owner's bound account; proxy and paper by
/// staff with their references).
///
/// The input and an organiser's scope are checked before the write; the electors each online
/// voter's account may vote for are read inside the batch's transaction, in one query for the
/// whole batch (a read per cast before it queued the batch behind 200 reads on the pool). The write itself is one conditional `INSERT … SELECT … ON CONFLICT
/// DO NOTHING RETURNING id` per vote, which inserts only while the ballot is open and before its
/// closing time, only for an elector of the snapshot (online: one whose owner record is bound to
/// the caller's account), and never a second vote for an elector (UNIQUE (ballot_id,
/// elector_id)); on PostgreSQL it share-locks the ballot row, so a close (FOR UPDATE) waits for
/// casts under way and a cast after the close finds it closed. Votes arriving together are
/// written by `VoteCastQueue` in one transaction with one audit append (group commit), because
/// the hash-chained audit trail and SQLite's single writer serialise every audited write. When
/// nothing was inserted, `diagnose` says why, after the transaction.
extension VotingService {
    package static func cast(_ id: BallotID, _ input: CastInput, writer: WriteContext, queue: VoteCastQueue.Queue, on db: any Database) async throws
        -> UUID
    {
        var vote = try checked(id, input, writer: writer)
        if vote.channel == .online {
            // The account's elector is found inside the batch's transaction (one query for the batch).
            vote.wanted = input.elector_id.map { ElectorID($0) }
        } else {
            guard try await VotingQueries.runsBallot(id, for: writer.actor, on: db) else { throw notFound }
        }
        switch try await queue.submit(vote, on: db) {
        case .inserted:
            return vote.id
        case .ambiguous:
            throw AppError.validation("elector_id", zh: "您可以代表多个表决权人投票，请选择一个", en: "You may vote for more than one elector; choose one.")
        case .notElector:
            try await diagnose(vote, on: db)
            throw notElector
        case .notInserted:
            try await diagnose(vote, on: db)
            throw alreadyVoted
        }
    }

    /// The vote as asked, with every problem of the input at once (422); 403 for a way of voting
    /// the caller's role may not use. Online is the owner's own vote through their resident
    /// account; staff and the committee record paper and proxy votes instead, with their references.
    static func checked(_ id: BallotID, _ input: CastInput, writer: WriteContext) throws -> VoteCastQueue.Vote {
        var errors: [FieldError] = []
        let choice = input.choice.flatMap(OwnersVoteChoice.init(rawValue:))
        if choice == nil {
            errors.append(FieldError(field: "choice", messageZH: "请选择同意、反对或弃权", messageEN: "Choose agree, disagree or abstain."))
        }
        guard let channel = VoteChannel(rawValue: input.channel ?? "online") else {
            throw AppError.validation(
                errors + [
                    FieldError(
                        field: "channel", messageZH: "请选择投票方式：线上、委托代理或纸质表决票",
                        messageEN: "Choose how the vote is cast: online, by proxy or on a paper ballot.")
                ])
        }
        if channel == .online, writer.actor.role != .resident {
            throw AppError(
                .forbidden, code: "online_vote_residents_only", zh: "线上表决只能由业主本人的居民账号进行；纸质或委托表决请按纸质、委托方式录入",
                en: "Only an owner's own resident account votes online; record paper or proxy votes as such")
        }
        if channel != .online, !VotingQueries.organisers.contains(writer.actor.role) { throw AppError.forbidden }
        func reference(_ value: String?, _ field: String, _ zh: String, _ en: String) -> String? {
            let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 200 else {
                errors.append(FieldError(field: field, messageZH: zh, messageEN: en))
                return nil
            }
            return text
        }
        var vote = VoteCastQueue.Vote(
            id: UUID(), ballot: id, elector: ElectorID(), owner: nil, choice: choice ?? .abstain, channel: channel,
            proxyName: nil, authorisationRef: nil, paperRef: nil, writer: writer)
        switch channel {
        case .online:
            break
        case .proxy:
            vote.proxyName = reference(input.proxy_name, "proxy_name", "请填写代理人姓名（不超过 200 字）", "Give the proxy's name (at most 200 characters).")
            vote.authorisationRef = reference(
                input.authorisation_ref, "authorisation_ref", "请填写授权委托书的编号或扫描件位置（不超过 200 字）",
                "Give the reference of the written authorisation (at most 200 characters).")
        case .paper:
            vote.paperRef = reference(
                input.paper_ref, "paper_ref", "请填写纸质表决票扫描件的编号（不超过 200 字）", "Give the reference of the scanned ballot sheet (at most 200 characters).")
        }
        if channel != .online {
            if let want = input.elector_id {
                vote.elector = ElectorID(want)
            } else {
                errors.append(FieldError(field: "elector_id", messageZH: "请选择业主", messageEN: "Choose the owner."))
            }
        }
        guard errors.isEmpty else { throw AppError.validation(errors) }
        return vote
    }

    /// Why a vote was not inserted, in the order a person would ask: no such ballot for them, not
    /// open, not an elector of it, already voted. Returns when none applies.
    static func diagnose(_ vote: VoteCastQueue.Vote, on db: any Database) async throws {
        let actor = vote.writer.actor
        guard let ballot = try await VotingQueries.ballotState(vote.ballot, for: actor, online: vote.channel == .online, on: db) else {
            throw notFound
        }
        guard ballot.status == .open, ballot.closes_at > vote.writer.now else { throw notOpen }
        if vote.channel != .online, try await !VotingQueries.isElector(vote.elector, ballot: vote.ballot, on: db) {
            throw AppError.validation("elector_id", zh: "该业主不在本次表决范围内", en: "That owner is not in this ballot's electorate.")
        }
    }

    /// Writes votes in one transaction: the online ones in conditional multi-row INSERTs (a
    /// `VALUES` list joined to the ballot, the snapshot and the account bindings), staff-entered
    /// ones one conditional INSERT each, then one audit append for those inserted, in the order
    /// given. Returns, for each vote, whether it was inserted.
    static func insert(_ votes: [VoteCastQueue.Vote], on db: any Database) async throws -> [VoteCastQueue.Result] {
        try await db.write { db in
            var votes = votes
            var done = Set<UUID>()
            var unresolved: [UUID: VoteCastQueue.Result] = [:]
            // The electors each online voter's account may vote for, for the whole batch in one query.
            let online = votes.indices.filter { votes[$0].channel == .online }
            if !online.isEmpty {
                let rows = try await VotingQueries.boundElectors(
                    accounts: Array(Set(online.map { votes[$0].writer.actor.accountID })),
                    ballots: Array(Set(online.map { votes[$0].ballot })), on: db)
                for index in online {
                    let vote = votes[index]
                    let mine = rows.filter {
                        $0.account_id == vote.writer.actor.accountID && $0.ballot_id == vote.ballot
                            && (vote.wanted == nil || $0.elector_id == vote.wanted)
                    }
                    guard let pick = mine.first else { unresolved[vote.id] = .notElector; continue }
                    guard Set(mine.map(\.elector_id)).count == 1 else { unresolved[vote.id] = .ambiguous; continue }
                    votes[index].elector = pick.elector_id
                    votes[index].owner = pick.owner_id
                }
            }
            let ready = votes.filter { $0.channel == .online && unresolved[$0.id] == nil }
            var start = 0
            while start < ready.count {
                let chunk = ready[start..<min(ready.count, start + 1000)]
                start += chunk.count
                let ids = try await VotingQueries.insertOnlineVotes(chunk, on: db)
                done.formUnion(ids)
            }
            for vote in votes where vote.channel != .online {
                let ids = try await VotingQueries.insertStaffVote(vote, on: db)
                done.formUnion(ids)
            }
            let entries = votes.filter { done.contains($0.id) }.map { vote in
                (
                    AuditEntry(
                        action: "ballot.vote_cast", actorID: vote.writer.actor.accountID, actorName: vote.writer.actor.username,
                        targetType: "owners_ballot", targetID: vote.ballot.uuidString,
                        detail: ["elector": vote.elector.uuidString, "channel": vote.channel.rawValue, "choice": vote.choice.rawValue],
                        clientAddress: vote.writer.address), vote.writer.now
                )
            }
            try await AuditLog.append(entries, on: db)
            return votes.map { done.contains($0.id) ? .inserted : unresolved[$0.id] ?? .notInserted }
        }
    }
}

/// Group commit of owners' votes (`GroupCommitQueue`), one queue per application: with one
/// writer at a time (SQLite; the audit chain's head on PostgreSQL) 200 casts at once cost a few
/// transactions instead of 200 in a row. `VotingService.insert` writes a batch.
package enum VoteCastQueue {
    package typealias Queue = GroupCommitQueue<Vote, Result>
    struct Key: StorageKey { typealias Value = Queue }

    package struct Vote: Sendable {
        var id: UUID
        var ballot: BallotID
        var elector: ElectorID
        var owner: OwnerID?
        /// Online: the elector the voter chose, when their account may vote for several.
        var wanted: ElectorID? = nil
        var choice: OwnersVoteChoice
        var channel: VoteChannel
        var proxyName: String?
        var authorisationRef: String?
        var paperRef: String?
        var writer: WriteContext
    }

    /// What became of a vote.
    package enum Result: Sendable { case inserted, notInserted, notElector, ambiguous }

    static func make() -> Queue { Queue(batchLimit: 400) { try await VotingService.insert($0, on: $1) } }
}

extension Application {
    /// The owners' vote queue of this application.
    package var voteCastQueue: VoteCastQueue.Queue {
        guard let queue = storage[VoteCastQueue.Key.self] else {
            fatalError("configure(_:config:) has not run") // start-up only
        }
        return queue
    }
}
