import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Writes of the topic board (议事). Each is one transaction with its audit entry; state changes
/// are conditional UPDATEs on the state the domain allows, so an illegal change answers 409 and
/// changes nothing; one support per person is the primary key of `topic_supports`.
enum TopicService {
    static let notFound = AppError.notFound("议题不存在或不在您的范围内", "No such topic in your scope")
    static let alreadySupported = AppError(.conflict, code: "already_supported", zh: "您已经支持过这个议题", en: "You already support this topic")
    static let closed = AppError(.conflict, code: "topic_closed", zh: "议题已经结束，不能再支持或评论", en: "The topic is closed to support and comments")

    static func text(_ value: String?, _ field: String, max: Int, _ zh: String, _ en: String) throws -> String {
        var errors: [FieldError] = []
        let trimmed = text(value, field, max: max, zh, en, into: &errors)
        guard errors.isEmpty else { throw AppError.validation(errors) }
        return trimmed
    }

    /// The text trimmed; empty or longer than `max`, a field error in `errors` (so a form learns every problem at once).
    static func text(_ value: String?, _ field: String, max: Int, _ zh: String, _ en: String, into errors: inout [FieldError]) -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.count > max { errors.append(FieldError(field: field, messageZH: zh, messageEN: en)) }
        return text
    }

    static func audit(_ action: String, topic: UUID, detail: [String: String] = [:], by writer: WriteContext, on db: any Database) async throws {
        try await VotingService.audit(action, target: topic, type: "topic", detail: detail, by: writer, on: db)
    }

    /// Proposes a topic for the caller's residential area (staff above the area name one in their subtree).
    static func propose(title: String?, body: String?, area: String?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let actor = writer.actor
        guard VotingQueries.viewers.contains(actor.role) else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let title = text(title, "title", max: 200, "标题不能为空，且不超过 200 字", "The title must not be empty or longer than 200 characters.", into: &errors)
        let body = text(body, "body", max: 5000, "请写明议题内容，不超过 5000 字", "Describe the topic in at most 5000 characters.", into: &errors)
        // The residential area above the caller's node, or (staff bound higher) the one they name in their subtree.
        var node = try await TopicQueries.areaAbove(actor, on: db)
        if node == nil, let code = area?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty {
            node = try await TopicQueries.area(code: code, for: actor, on: db)
        }
        if node == nil {
            errors.append(FieldError(field: "area", messageZH: "请选择您管辖范围内的居民区", messageEN: "Choose a residential area in your scope."))
        }
        guard errors.isEmpty, let node else { throw AppError.validation(errors) }
        let id = UUID()
        try await db.write { db in
            try await TopicQueries.insertTopic(
                id: id, subdistrict: node.subdistrict_id, node: node.id, title: title, body: body, writer: writer, on: db)
            try await audit("topic.proposed", topic: id, by: writer, on: db)
        }
        return id
    }

    /// The topic's status, if the caller may see it (`manage`: and manage it). FOR UPDATE on PostgreSQL.
    static func status(_ id: UUID, manage: Bool, writer: WriteContext, on db: any Database) async throws -> TopicStatus {
        guard let status = try await TopicQueries.status(id, manage: manage, for: writer.actor, on: db) else { throw notFound }
        return status
    }

    /// A resident supports a topic (附议). Only residents: support counts residents' wish to take a
    /// topic up, and staff or committee accounts would inflate it.
    static func support(_ id: UUID, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role == .resident else {
            throw AppError(.forbidden, code: "support_residents_only", zh: "只有居民可以附议", en: "Only residents support a topic")
        }
        do {
            try await db.write { db in
                guard try await status(id, manage: false, writer: writer, on: db).isOpen else { throw closed }
                try await TopicQueries.insertSupport(topic: id, writer: writer, on: db)
                try await audit("topic.supported", topic: id, by: writer, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadySupported
        }
    }

    /// A comment: held for moderation when a resident writes it, published at once from staff.
    static func comment(_ id: UUID, body: String?, writer: WriteContext, on db: any Database) async throws -> UUID {
        let body = try text(body, "body", max: 2000, "评论不能为空，且不超过 2000 字", "A comment must not be empty or longer than 2000 characters.")
        let comment = UUID()
        let state: TopicCommentStatus = VotingQueries.organisers.contains(writer.actor.role) ? .published : .held
        try await db.write { db in
            guard try await status(id, manage: false, writer: writer, on: db).isOpen else { throw closed }
            try await TopicQueries.insertComment(comment, topic: id, body: body, status: state, writer: writer, on: db)
            try await audit("topic.commented", topic: id, detail: ["comment": comment.uuidString, "status": state.rawValue], by: writer, on: db)
        }
        return comment
    }

    static func moderate(_ id: UUID, comment: UUID, decision: String?, reason: String?, writer: WriteContext, on db: any Database) async throws {
        guard let decision = decision.flatMap(TopicModeration.init(rawValue:)) else {
            throw AppError.validation("decision", zh: "请选择公开或隐藏这条评论", en: "Choose whether to publish or hide the comment.")
        }
        let reason =
            decision == .hide
            ? try text(reason, "reason", max: 300, "隐藏评论须写明理由，不超过 300 字", "Hiding a comment needs a reason of at most 300 characters.") : nil
        try await db.write { db in
            _ = try await status(id, manage: true, writer: writer, on: db)
            let allowedFrom = TopicCommentStatus.allCases.filter { $0.after(decision) != nil }
            guard let to = TopicCommentStatus.allCases.compactMap({ $0.after(decision) }).first else { throw AppError.conflict("", "") }
            guard
                try await TopicQueries.moderateComment(
                    comment, topic: id, to: to, allowedFrom: allowedFrom, reason: reason,
                    writer: writer, on: db)
            else {
                throw AppError.conflict("评论不存在，或已经是这个状态", "No such comment, or it is in that state already")
            }
            try await audit(
                "topic.comment_moderated", topic: id, detail: ["comment": comment.uuidString, "decision": decision.rawValue],
                by: writer, on: db)
        }
    }

    /// Moves the topic by `action` with one conditional UPDATE from the states that allow it.
    static func move(_ id: UUID, _ action: TopicAction, set fields: TopicQueries.MoveFields, on db: any Database) async throws {
        let from = TopicStatus.allCases.filter { $0.after(action) != nil }
        guard let to = TopicStatus.allCases.compactMap({ $0.after(action) }).first else { return }
        guard try await TopicQueries.move(id, from: from, to: to, fields: fields, on: db) else {
            throw AppError(.conflict, code: "topic_state", zh: "议题当前状态不允许这个操作", en: "The topic's state does not allow this")
        }
    }

    struct MeetingInput: Sendable {
        var kind: String?; var held_on: String?; var place: String?; var attendees: String?; var minutes: String?
    }

    static func recordMeeting(_ id: UUID, _ input: MeetingInput, writer: WriteContext, on db: any Database) async throws {
        var errors: [FieldError] = []
        let kind = input.kind.flatMap(TopicMeetingKind.init(rawValue:))
        if kind == nil {
            errors.append(
                FieldError(
                    field: "kind", messageZH: "请选择会议类型：听证会、协调会或评议会",
                    messageEN: "Choose the kind of meeting: a hearing, a coordination meeting or a review meeting."))
        }
        let day = input.held_on.flatMap { try? CivilDate(parsing: $0.trimmingCharacters(in: .whitespaces)) }
        if day == nil { errors.append(FieldError(field: "held_on", messageZH: "请填写会议日期", messageEN: "Give the meeting's date.")) }
        let place = text(input.place, "place", max: 200, "请填写会议地点，不超过 200 字", "Give the place (at most 200 characters).", into: &errors)
        let attendees = text(
            input.attendees, "attendees", max: 2000, "请填写参会人员，不超过 2000 字", "List the attendees (at most 2000 characters).", into: &errors)
        let minutes = text(
            input.minutes, "minutes", max: 10000, "请填写会议纪要，不超过 10000 字", "Give the minutes (at most 10000 characters).", into: &errors)
        guard errors.isEmpty, let kind, let day else { throw AppError.validation(errors) }
        try await db.write { db in
            _ = try await status(id, manage: true, writer: writer, on: db)
            try await move(id, .takeToMeeting, set: .statusOnly, on: db)
            let meeting = UUID()
            try await TopicQueries.insertMeeting(
                meeting, topic: id, kind: kind, heldOn: day, place: place, attendees: attendees,
                minutes: minutes, writer: writer, on: db)
            try await audit("topic.meeting_recorded", topic: id, detail: ["meeting": meeting.uuidString, "kind": kind.rawValue], by: writer, on: db)
        }
    }

    /// Takes the topic to a resident poll or an owners' ballot the caller runs (in scope).
    static func link(_ id: UUID, poll: UUID?, ballot: BallotID?, writer: WriteContext, on db: any Database) async throws {
        guard (poll == nil) != (ballot == nil) else {
            throw AppError.validation("ballot_id", zh: "请选择一项居民投票或一项业主表决", en: "Choose one resident poll or one owners' ballot.")
        }
        _ = try await status(id, manage: true, writer: writer, on: db)
        if let ballot, try await !VotingQueries.runsBallot(ballot, for: writer.actor, on: db) {
            throw AppError.validation("ballot_id", zh: "这项业主表决不存在或不在您的范围内", en: "That owners' ballot does not exist or is not in your scope.")
        }
        if let poll, try await !PollQueries.inScope(poll, for: writer.actor, on: db) {
            throw AppError.validation("poll_id", zh: "这项居民投票不存在或不在您的范围内", en: "That resident poll does not exist or is not in your scope.")
        }
        try await db.write { db in
            _ = try await status(id, manage: true, writer: writer, on: db)
            try await move(id, .linkVote, set: .link(ballot: ballot, poll: poll), on: db)
            try await audit(
                "topic.linked", topic: id, detail: ballot.map { ["ballot": $0.uuidString] } ?? ["poll": poll?.uuidString ?? ""],
                by: writer, on: db)
        }
    }

    /// Ends the topic: `decided` with the decision, or `declined` with the reason.
    static func conclude(_ id: UUID, outcome: String?, text value: String?, writer: WriteContext, on db: any Database) async throws {
        var errors: [FieldError] = []
        let action = outcome.flatMap { $0 == "decided" ? TopicAction.decide : $0 == "declined" ? .decline : nil }
        if action == nil {
            errors.append(
                FieldError(field: "outcome", messageZH: "请选择形成决定或不予采纳", messageEN: "Choose whether a decision was made or the topic is declined."))
        }
        let value = text(
            value, "text", max: 5000, "请写明决定内容或不予采纳的理由，不超过 5000 字", "State the decision or the reason for declining (at most 5000 characters).",
            into: &errors)
        guard errors.isEmpty, let action else { throw AppError.validation(errors) }
        try await db.write { db in
            _ = try await status(id, manage: true, writer: writer, on: db)
            try await move(id, action, set: .outcome(value, at: writer.now, by: writer.actor.username), on: db)
            try await audit("topic.concluded", topic: id, detail: ["outcome": outcome ?? ""], by: writer, on: db)
        }
    }
}
