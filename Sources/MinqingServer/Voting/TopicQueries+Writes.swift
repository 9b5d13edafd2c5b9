import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements of the topic board's writes (`TopicService`): the residential area a topic is
/// proposed for, the topic's status check, and the rows written.
extension TopicQueries {
    struct Node: Decodable, Sendable { var id: UUID; var subdistrict_id: UUID? }

    /// What a status change writes besides the status: nothing, the poll or ballot taken up, or the outcome.
    enum MoveFields: Sendable {
        case statusOnly
        case link(ballot: BallotID?, poll: UUID?)
        case outcome(String, at: Date, by: String)
    }

    /// The residential area above the caller's node, if any.
    static func areaAbove(_ actor: Actor, on db: any Database) async throws -> Node? {
        try await db.sql.raw(
            """
            SELECT n.id, n.subdistrict_id FROM grid_closure c JOIN grid_nodes n ON n.id = c.ancestor_id
            WHERE c.descendant_id = \(bind: actor.scope.rootID) AND n.level = 'residential_area'
            """
        ).first(decoding: Node.self)
    }

    /// The residential area with this code in the caller's subtree, if any.
    static func area(code: String, for actor: Actor, on db: any Database) async throws -> Node? {
        try await db.sql.raw(
            """
            SELECT n.id, n.subdistrict_id FROM grid_nodes n WHERE n.code = \(bind: code) AND n.level = 'residential_area'
            AND \(actor.scope.contains(SQLColumn("id", table: "n")))
            """
        ).first(decoding: Node.self)
    }

    /// Writes a new topic (collecting support) proposed by the writer.
    static func insertTopic(id: UUID, subdistrict: UUID?, node: UUID, title: String, body: String, writer: WriteContext, on db: any Database)
        async throws
    {
        let actor = writer.actor
        try await db.sql.insert(into: "topics")
            .columns("id", "subdistrict_id", "grid_node_id", "title", "body", "status", "proposed_by", "proposer_name", "created_at")
            .values(
                SQLBind(id), bindOrNull(subdistrict), SQLBind(node), SQLBind(title), SQLBind(body),
                SQLBind(TopicStatus.collecting.rawValue), SQLBind(actor.accountID), SQLBind(actor.displayName), SQLBind(writer.now)
            )
            .run()
    }

    /// The topic's status, if the caller may see it (`manage`: and manage it). FOR UPDATE on PostgreSQL.
    static func status(_ id: UUID, manage: Bool, for actor: Actor, on db: any Database) async throws -> TopicStatus? {
        struct Row: Decodable { var status: TopicStatus }
        let filter = manage ? managed(actor) : visible(actor)
        return try await db.sql.raw(
            """
            SELECT t.status FROM topics t WHERE t.id = \(bind: id) AND \(filter) \(unsafeRaw: VotingService.update(db))
            """
        ).first(decoding: Row.self)?.status
    }

    /// Writes the writer's support of the topic (the primary key refuses a second).
    static func insertSupport(topic id: UUID, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "topic_supports").columns("topic_id", "account_id", "created_at")
            .values(SQLBind(id), SQLBind(writer.actor.accountID), SQLBind(writer.now)).run()
    }

    /// Writes the writer's comment on the topic in the given state.
    static func insertComment(_ comment: UUID, topic id: UUID, body: String, status: TopicCommentStatus, writer: WriteContext, on db: any Database)
        async throws
    {
        try await db.sql.insert(into: "topic_comments")
            .columns("id", "topic_id", "account_id", "author_name", "body", "status", "created_at")
            .values(
                SQLBind(comment), SQLBind(id), SQLBind(writer.actor.accountID), SQLBind(writer.actor.displayName), SQLBind(body),
                SQLBind(status.rawValue), SQLBind(writer.now)
            ).run()
    }

    /// Moves the topic's comment to `to` from one of `allowedFrom`, with the reason and moderator; returns whether it did.
    static func moderateComment(
        _ comment: UUID, topic id: UUID, to: TopicCommentStatus, allowedFrom: [TopicCommentStatus], reason: String?,
        writer: WriteContext, on db: any Database
    ) async throws -> Bool {
        let allowed: [String] = allowedFrom.map(\.rawValue)
        let done = try await db.sql.raw(
            """
            UPDATE topic_comments SET status = \(bind: to.rawValue), reason = \(bindOrNull(reason)), moderated_by = \(bind: writer.actor.username),
                   moderated_at = \(bind: writer.now)
            WHERE id = \(bind: comment) AND topic_id = \(bind: id) AND status IN (\(binds: allowed)) RETURNING id
            """
        ).all(decoding: IDRow.self)
        return !done.isEmpty
    }

    /// One conditional UPDATE of the topic to `to` from one of `from`, writing `fields` too; returns whether it moved.
    static func move(_ id: UUID, from: [TopicStatus], to: TopicStatus, fields: MoveFields, on db: any Database) async throws -> Bool {
        let set: SQLQueryString
        switch fields {
        case .statusOnly: set = ""
        case let .link(ballot, poll): set = ballot.map { ", ballot_id = \(bind: $0)" } ?? poll.map { ", poll_id = \(bind: $0)" } ?? ""
        case let .outcome(value, decidedAt, decidedBy):
            set = ", outcome = \(bind: value), decided_at = \(bind: decidedAt), decided_by = \(bind: decidedBy)"
        }
        let states: [String] = from.map(\.rawValue)
        let done = try await db.sql.raw(
            """
            UPDATE topics SET status = \(bind: to.rawValue)\(set) WHERE id = \(bind: id) AND status IN (\(binds: states)) RETURNING id
            """
        ).all(decoding: IDRow.self)
        return !done.isEmpty
    }

    /// Writes the record of a meeting on the topic.
    static func insertMeeting(
        _ meeting: UUID, topic id: UUID, kind: TopicMeetingKind, heldOn: CivilDate, place: String, attendees: String,
        minutes: String, writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "topic_meetings")
            .columns("id", "topic_id", "kind", "held_on", "place", "attendees", "minutes", "recorded_by", "created_at")
            .values(
                SQLBind(meeting), SQLBind(id), SQLBind(kind.rawValue), SQLBind(heldOn.iso8601), SQLBind(place), SQLBind(attendees),
                SQLBind(minutes), SQLBind(writer.actor.username), SQLBind(writer.now)
            ).run()
    }
}
