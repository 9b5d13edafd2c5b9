import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Resident polls (要投票): not binding; one vote per person or per household; open or secret.
///
/// A vote is one transaction: the roll row (UNIQUE per poll and voter, so a second vote is
/// refused by the database) and the counters. A secret poll's roll row carries no option, and
/// the counters are bumped by one UPDATE that rewrites every option row of the poll, so nothing
/// stored says which option a voter chose.
enum PollService {
    static let notFound = AppError.notFound("投票不存在或不在您的范围内", "No such poll in your scope")
    static let alreadyVoted = AppError(.conflict, code: "already_voted", zh: "您（或您家）已经投过票", en: "You (or your household) have already voted")
    static let notOpen = AppError(.conflict, code: "poll_not_open", zh: "投票已经结束", en: "The poll is closed")

    /// A poll is visible when its node is in the caller's subtree or above the caller's node
    /// (a resident sees the polls of their building group, micro-grid, residential area…).
    static func visible(_ actor: Actor, alias p: String = "p") -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: p)))
         OR \(ident: p).grid_node_id IN (SELECT ancestor_id FROM grid_closure WHERE descendant_id = \(bind: actor.scope.rootID)))
        """
    }

    static func create(_ input: NewPollInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        let checked: (title: String, options: [String])
        do { checked = try ResidentPollRules.validate(title: input.title ?? "", options: input.options ?? []) } catch {
            throw AppError.validation([error.fieldError])
        }
        guard let unit = ResidentPollRules.Unit(rawValue: input.unit ?? "person") else {
            throw AppError.validation("unit", zh: "计票单位应为一人一票或一户一票", en: "The unit must be person or household")
        }
        guard let secrecy = ResidentPollRules.Secrecy(rawValue: input.secrecy ?? "open") else {
            throw AppError.validation("secrecy", zh: "应为记名或不记名投票", en: "Secrecy must be open or secret")
        }
        guard let closesAt = input.closes_at, closesAt > writer.now else {
            throw AppError.validation("closes_at", zh: "截止时间应晚于现在", en: "The closing time must be in the future")
        }
        let description = (input.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.count <= 5000 else {
            throw AppError.validation("description", zh: "说明不超过 5000 字", en: "The description has at most 5000 characters")
        }
        guard let code = input.node, let node = try await GridQueries.node(code: code, in: writer.actor.scope, on: db) else {
            throw AppError.validation("node", zh: "网格节点不存在或不在您的管辖范围内", en: "No such grid node in your scope")
        }
        let id = UUID()
        try await db.write { db in
            try await db.sql.insert(into: "polls")
                .columns("id", "subdistrict_id", "grid_node_id", "title", "description", "unit", "secrecy", "status", "results_live",
                         "closes_at", "created_by", "created_at")
                .values(SQLBind(id), bindOrNull(node.subdistrictID), SQLBind(node.id), SQLBind(checked.title), SQLBind(description),
                        SQLBind(unit.rawValue), SQLBind(secrecy.rawValue), SQLBind(BallotStatus.open.rawValue),
                        SQLBind(input.results_live ?? false), SQLBind(closesAt), SQLBind(writer.actor.accountID), SQLBind(writer.now))
                .run()
            for (order, label) in checked.options.enumerated() {
                try await db.sql.insert(into: "poll_options").columns("id", "poll_id", "label", "sort_order", "votes")
                    .values(SQLBind(UUID()), SQLBind(id), SQLBind(label), SQLBind(order), SQLBind(Int64(0))).run()
            }
            try await VotingService.audit("poll.created", target: id, type: "poll", detail: ["secrecy": secrecy.rawValue, "unit": unit.rawValue],
                                          by: writer, on: db)
        }
        return id
    }

    struct PollRow: Decodable {
        var id: UUID; var title: String; var node_code: String; var node_name: String; var unit: String; var secrecy: String
        var status: String; var closes_at: Date; var description: String; var results_live: Bool

        var summary: PollSummary {
            PollSummary(id: id, title: title, node_code: node_code, node_name: node_name, unit: unit, secrecy: secrecy, status: status,
                        closes_at: closes_at)
        }
    }

    static let columns = "p.id, p.title, n.code AS node_code, n.name AS node_name, p.unit, p.secrecy, p.status, p.closes_at, p.description, p.results_live"

    static func list(for actor: Actor, limit: Int = 100, on db: any Database) async throws -> [PollSummary] {
        try await db.sql.raw("""
            SELECT \(unsafeRaw: columns) FROM polls p JOIN grid_nodes n ON n.id = p.grid_node_id
            WHERE \(visible(actor)) ORDER BY p.closes_at DESC, p.id LIMIT \(count: limit)
            """).all(decoding: PollRow.self).map(\.summary)
    }

    /// The voter key: the account, or the household the resident account speaks for.
    static func voterKey(_ actor: Actor, unit: ResidentPollRules.Unit, on db: any Database) async throws -> String? {
        guard actor.role == .resident else { return nil }
        if unit == .person { return "account:\(actor.accountID.uuidString.lowercased())" }
        struct H: Decodable { var household_id: UUID }
        return try await db.sql.raw("SELECT household_id FROM resident_households WHERE account_id = \(bind: actor.accountID)")
            .first(decoding: H.self).map { "household:\($0.household_id.uuidString.lowercased())" }
    }

    static func detail(_ id: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> PollDetail? {
        guard let row = try await db.sql.raw("""
            SELECT \(unsafeRaw: columns) FROM polls p JOIN grid_nodes n ON n.id = p.grid_node_id WHERE p.id = \(bind: id) AND \(visible(actor))
            """).first(decoding: PollRow.self) else { return nil }
        let unit = ResidentPollRules.Unit(rawValue: row.unit) ?? .person
        let closed = row.status == BallotStatus.closed.rawValue || row.closes_at <= now
        let show = closed || row.results_live
        struct Option: Decodable { var id: UUID; var label: String; var votes: Int64 }
        let options = try await db.sql.raw("SELECT id, label, votes FROM poll_options WHERE poll_id = \(bind: id) ORDER BY sort_order")
            .all(decoding: Option.self)
        struct N: Decodable { var n: Int64 }
        let voters = try await db.sql.raw("SELECT COUNT(*) AS n FROM poll_roll WHERE poll_id = \(bind: id)").first(decoding: N.self)?.n ?? 0
        let key = try await voterKey(actor, unit: unit, on: db)
        var voted = false
        if let key {
            voted = (try await db.sql.raw("SELECT COUNT(*) AS n FROM poll_roll WHERE poll_id = \(bind: id) AND voter_key = \(bind: key)")
                .first(decoding: N.self)?.n ?? 0) > 0
        }
        var record: [OpenPollVote]?
        if show, row.secrecy == ResidentPollRules.Secrecy.open.rawValue {
            record = try await db.sql.raw("""
                SELECT a.display_name AS voter, o.label AS option FROM poll_roll r JOIN accounts a ON a.id = r.account_id
                JOIN poll_options o ON o.id = r.option_id WHERE r.poll_id = \(bind: id) ORDER BY a.display_name
                """).all(decoding: OpenPollVote.self)
        }
        return PollDetail(poll: row.summary, description: row.description, results_live: row.results_live,
                          options: options.map { PollOptionResult(id: $0.id, label: $0.label, votes: show ? $0.votes : nil) },
                          voters: voters, i_voted: voted, may_vote: key != nil && !voted && !closed, open_record: record)
    }

    static func vote(_ id: UUID, _ input: PollVoteInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        guard let option = input.option_id else { throw AppError.validation("option_id", zh: "请选择一个选项", en: "Choose an option") }
        do {
            try await db.write { db in
                struct Poll: Decodable { var status: String; var closes_at: Date; var unit: String; var secrecy: String }
                guard let poll = try await db.sql.raw("""
                    SELECT p.status, p.closes_at, p.unit, p.secrecy FROM polls p WHERE p.id = \(bind: id) AND \(visible(actor))
                    \(unsafeRaw: VotingService.share(db))
                    """).first(decoding: Poll.self) else { throw notFound }
                guard poll.status == BallotStatus.open.rawValue, poll.closes_at > writer.now else { throw notOpen }
                guard try await db.sql.raw("SELECT id FROM poll_options WHERE id = \(bind: option) AND poll_id = \(bind: id)")
                    .first(decoding: IDRow.self) != nil else {
                    throw AppError.validation("option_id", zh: "选项不属于该投票", en: "The option is not one of this poll's")
                }
                guard let key = try await voterKey(actor, unit: ResidentPollRules.Unit(rawValue: poll.unit) ?? .person, on: db) else {
                    throw AppError.validation("unit", zh: "一户一票：您的账号尚未关联住户", en: "One vote per household: your account is not linked to a household")
                }
                let secret = poll.secrecy == ResidentPollRules.Secrecy.secret.rawValue
                try await db.sql.insert(into: "poll_roll").columns("poll_id", "voter_key", "account_id", "option_id", "cast_at")
                    .values(SQLBind(id), SQLBind(key), SQLBind(actor.accountID), secret ? SQLLiteral.null as any SQLExpression : SQLBind(option), SQLBind(writer.now))
                    .run()
                try await db.sql.raw("""
                    UPDATE poll_options SET votes = votes + CASE WHEN id = \(bind: option) THEN 1 ELSE 0 END WHERE poll_id = \(bind: id)
                    """).run()
                try await VotingService.audit("poll.voted", target: id, type: "poll",
                                              detail: secret ? [:] : ["option": option.uuidString], by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadyVoted
        }
    }

    static func close(_ id: UUID, writer: WriteContext, on db: any Database) async throws {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        try await db.write { db in
            let done = try await db.sql.raw("""
                UPDATE polls SET status = \(bind: BallotStatus.closed.rawValue), closed_at = \(bind: writer.now)
                WHERE id = \(bind: id) AND status = \(bind: BallotStatus.open.rawValue) AND \(writer.actor.scope.contains(SQLColumn("grid_node_id")))
                RETURNING id
                """).all(decoding: IDRow.self)
            guard !done.isEmpty else {
                let exists = try await db.sql.raw("SELECT p.id FROM polls p WHERE p.id = \(bind: id) AND \(visible(writer.actor))")
                    .first(decoding: IDRow.self) != nil
                throw exists ? AppError.conflict("投票已经结束", "The poll is already closed") : notFound
            }
            try await VotingService.audit("poll.closed", target: id, type: "poll", by: writer, on: db)
        }
    }
}
