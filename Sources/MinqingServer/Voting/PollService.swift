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

    static func create(_ input: NewPollInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        var errors: [FieldError] = []
        var checked: (title: String, options: [String])?
        do { checked = try ResidentPollRules.validate(title: input.title ?? "", options: input.options ?? []) } catch {
            errors.append(error.fieldError)
            // A bad title stops the domain's check before the options: check them on their own, so
            // the form shows every problem at once.
            if case .badTitle = error {
                do { _ = try ResidentPollRules.validate(title: "-", options: input.options ?? []) } catch { errors.append(error.fieldError) }
            }
        }
        let unit = ResidentPollRules.Unit(rawValue: input.unit ?? "person")
        if unit == nil {
            errors.append(FieldError(field: "unit", messageZH: "请选择一人一票或一户一票", messageEN: "Choose one vote per person or one per household."))
        }
        let secrecy = ResidentPollRules.Secrecy(rawValue: input.secrecy ?? "open")
        if secrecy == nil {
            errors.append(FieldError(field: "secrecy", messageZH: "请选择记名投票或不记名投票", messageEN: "Choose an open or a secret vote."))
        }
        if input.closes_at.map({ $0 <= writer.now }) ?? true {
            errors.append(FieldError(field: "closes_at", messageZH: "截止时间应晚于现在", messageEN: "The closing time must be in the future."))
        }
        let description = (input.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > 5000 {
            errors.append(FieldError(field: "description", messageZH: "说明不超过 5000 字", messageEN: "The description has at most 5000 characters."))
        }
        let code = (input.node ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let node = code.isEmpty ? nil : try await GridQueries.node(code: code, in: writer.actor.scope, on: db)
        if node == nil {
            errors.append(
                FieldError(field: "node", messageZH: "请选择投票范围（您管辖范围内的网格）", messageEN: "Choose who votes: a part of the grid in your scope."))
        }
        guard errors.isEmpty, let checked, let unit, let secrecy, let closesAt = input.closes_at, let node else {
            throw AppError.validation(errors)
        }
        let id = UUID()
        try await db.write { db in
            try await PollQueries.insert(
                id: id, subdistrict: node.subdistrictID, node: node.id, title: checked.title, description: description,
                unit: unit, secrecy: secrecy, resultsLive: input.results_live ?? false,
                closesAt: closesAt, options: checked.options, writer: writer, on: db)
            try await VotingService.audit(
                "poll.created", target: id, type: "poll", detail: ["secrecy": secrecy.rawValue, "unit": unit.rawValue],
                by: writer, on: db)
            try await Notifications.pollOpened(id, title: checked.title, node: node.id, writer: writer, on: db)
        }
        return id
    }

    static func list(for actor: Actor, limit: Int = 100, on db: any Database) async throws -> [PollSummary] {
        try await PollQueries.list(for: actor, limit: limit, on: db).map(\.summary)
    }

    /// The voter key: the account, or the household the resident account speaks for.
    static func voterKey(_ actor: Actor, unit: ResidentPollRules.Unit, on db: any Database) async throws -> String? {
        guard actor.role == .resident else { return nil }
        if unit == .person { return "account:\(actor.accountID.uuidString.lowercased())" }
        return try await PollQueries.household(of: actor.accountID, on: db).map { "household:\($0.uuidString.lowercased())" }
    }

    static func detail(_ id: UUID, for actor: Actor, now: Date, on db: any Database) async throws -> PollDetail? {
        guard let row = try await PollQueries.poll(id, for: actor, on: db) else { return nil }
        let unit = row.unit
        let closed = row.status == .closed || row.closes_at <= now
        let show = closed || row.results_live
        let options = try await PollQueries.options(poll: id, on: db)
        let voters = try await PollQueries.voters(poll: id, on: db)
        let key = try await voterKey(actor, unit: unit, on: db)
        var voted = false
        if let key {
            voted = try await PollQueries.votes(poll: id, voterKey: key, on: db) > 0
        }
        var record: [OpenPollVote]?
        if show, row.secrecy == .open {
            record = try await PollQueries.openRecord(poll: id, on: db)
        }
        return PollDetail(
            poll: row.summary, description: row.description, results_live: row.results_live,
            options: options.map { PollOptionResult(id: $0.id, label: $0.label, votes: show ? $0.votes : nil) },
            voters: voters, i_voted: voted, may_vote: key != nil && !voted && !closed, open_record: record)
    }

    static func vote(_ id: UUID, _ input: PollVoteInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard actor.role == .resident else { throw AppError.forbidden }
        guard let option = input.option_id else { throw AppError.validation("option_id", zh: "请选择一个选项", en: "Choose an option") }
        do {
            try await db.write { db in
                guard let poll = try await PollQueries.pollForVote(id, for: actor, on: db) else { throw notFound }
                guard poll.status == .open, poll.closes_at > writer.now else { throw notOpen }
                guard try await PollQueries.hasOption(option, poll: id, on: db) else {
                    throw AppError.validation("option_id", zh: "选项不属于该投票", en: "The option is not one of this poll's")
                }
                guard let key = try await voterKey(actor, unit: poll.unit, on: db) else {
                    throw AppError.validation("unit", zh: "一户一票：您的账号尚未关联住户", en: "One vote per household: your account is not linked to a household")
                }
                let secret = poll.secrecy == .secret
                try await PollQueries.insertVote(poll: id, voterKey: key, option: option, secret: secret, writer: writer, on: db)
                try await VotingService.audit(
                    "poll.voted", target: id, type: "poll",
                    detail: secret ? [:] : ["option": option.uuidString], by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadyVoted
        }
    }

    static func close(_ id: UUID, writer: WriteContext, on db: any Database) async throws {
        guard VotingQueries.organisers.contains(writer.actor.role) else { throw AppError.forbidden }
        try await db.write { db in
            guard try await PollQueries.close(id, writer: writer, on: db) else {
                let exists = try await PollQueries.isVisible(id, for: writer.actor, on: db)
                throw exists ? AppError.conflict("投票已经结束", "The poll is already closed") : notFound
            }
            try await VotingService.audit("poll.closed", target: id, type: "poll", by: writer, on: db)
            try await Notifications.pollClosed(id, writer: writer, on: db)
        }
    }
}
