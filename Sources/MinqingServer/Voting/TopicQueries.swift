import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// A topic in a list.
struct TopicSummary: Codable, Sendable {
    var id: UUID
    var title: String
    var status: TopicStatus
    var area_name: String
    var proposer_name: String
    var supports: Int64
    var created_at: Date
}

/// A topic that led to a poll or a ballot, shown on that poll's or ballot's page.
struct TopicLink: Codable, Sendable {
    var id: UUID
    var title: String
    var status: TopicStatus
}

struct TopicComment: Codable, Sendable {
    var id: UUID
    var account_id: UUID
    var author_name: String
    var body: String
    var status: TopicCommentStatus
    var reason: String?
    var moderated_by: String?
    var created_at: Date
}

struct TopicMeeting: Codable, Sendable {
    var id: UUID
    var kind: TopicMeetingKind
    var held_on: String
    var place: String
    var attendees: String
    var minutes: String
    /// The name of who recorded it.
    var recorded_by: String
}

struct TopicDetail: Sendable {
    var topic: TopicSummary
    var body: String
    var outcome: String?
    var decided_at: Date?
    /// The name of who concluded it.
    var decided_by: String?
    var poll: (id: UUID, title: String, status: BallotStatus)?
    var ballot: (id: BallotID, title: String, status: BallotStatus, outcome: OwnersVoteTally.Outcome?)?
    var i_support: Bool
    /// Published comments, hidden ones (reason only), and held ones for moderators and their author.
    var comments: [TopicComment]
    var meetings: [TopicMeeting]
    /// The caller may moderate and take the topic further (organiser with the topic in scope).
    var manages: Bool
}

/// Reads of the topic board, always inside what the caller may see.
enum TopicQueries {
    /// A topic is visible to anyone whose subtree holds its residential area, and to anyone bound
    /// inside that area (a resident sees the topics of their own residential area; a grid worker
    /// those of the area they work in).
    static func visible(_ actor: Actor, alias t: String = "t") -> SQLQueryString {
        """
        (\(actor.scope.contains(SQLColumn("grid_node_id", table: t)))
         OR \(ident: t).grid_node_id IN (SELECT ancestor_id FROM grid_closure WHERE descendant_id = \(bind: actor.scope.rootID)))
        """
    }

    /// Organisers manage (moderate, take to a meeting or a vote, decide) the topics in their subtree.
    static func managed(_ actor: Actor, alias t: String = "t") -> SQLQueryString {
        VotingQueries.organisers.contains(actor.role) ? actor.scope.contains(SQLColumn("grid_node_id", table: t)) : "1 = 0"
    }

    static let summaryColumns = """
        t.id, t.title, t.status, n.name AS area_name, t.proposer_name, t.created_at,
        (SELECT COUNT(*) FROM topic_supports s WHERE s.topic_id = t.id) AS supports
        """

    static func list(for actor: Actor, limit: Int = 100, on db: any Database) async throws -> [TopicSummary] {
        try await db.sql.raw(
            """
            SELECT \(unsafeRaw: summaryColumns) FROM topics t JOIN grid_nodes n ON n.id = t.grid_node_id
            WHERE \(visible(actor)) ORDER BY t.created_at DESC, t.id LIMIT \(count: limit)
            """
        ).all(decoding: TopicSummary.self)
    }

    static func detail(_ id: UUID, for actor: Actor, on db: any Database) async throws -> TopicDetail? {
        struct Row: Decodable {
            var id: UUID; var title: String; var status: TopicStatus; var area_name: String; var proposer_name: String; var created_at: Date
            var supports: Int64; var body: String; var outcome: String?; var decided_at: Date?; var decided_by: String?
            var poll_id: UUID?; var poll_title: String?; var poll_status: BallotStatus?
            var ballot_id: BallotID?; var ballot_title: String?; var ballot_status: BallotStatus?; var ballot_outcome: OwnersVoteTally.Outcome?
            var manages: Bool; var i_support: Bool
        }
        guard
            let r = try await db.sql.raw(
                """
                SELECT \(unsafeRaw: summaryColumns), t.body, t.outcome, t.decided_at, da.display_name AS decided_by,
                       p.id AS poll_id, p.title AS poll_title, p.status AS poll_status,
                       b.id AS ballot_id, b.title AS ballot_title, b.status AS ballot_status, b.outcome AS ballot_outcome,
                       CASE WHEN \(managed(actor)) THEN \(flag: true) ELSE \(flag: false) END AS manages,
                       CASE WHEN EXISTS (SELECT 1 FROM topic_supports s WHERE s.topic_id = t.id AND s.account_id = \(bind: actor.accountID))
                            THEN \(flag: true) ELSE \(flag: false) END AS i_support
                FROM topics t JOIN grid_nodes n ON n.id = t.grid_node_id
                LEFT JOIN polls p ON p.id = t.poll_id LEFT JOIN owners_ballots b ON b.id = t.ballot_id
                LEFT JOIN accounts da ON da.username = t.decided_by
                WHERE t.id = \(bind: id) AND \(visible(actor))
                """
            ).first(decoding: Row.self)
        else { return nil }
        let comments = try await db.sql.raw(
            """
            SELECT c.id, c.account_id, c.author_name, c.body, c.status, c.reason, c.moderated_by, c.created_at
            FROM topic_comments c WHERE c.topic_id = \(bind: id)
              AND (c.status <> \(bind: TopicCommentStatus.held.rawValue) OR \(bind: r.manages) OR c.account_id = \(bind: actor.accountID))
            ORDER BY c.created_at, c.id
            """
        ).all(decoding: TopicComment.self)
            .map { comment -> TopicComment in
                // A hidden comment shows its reason in its place; its text stays for moderators only.
                var comment = comment
                if comment.status == .hidden && !r.manages { comment.body = "" }
                return comment
            }
        let meetings = try await db.sql.raw(
            """
            SELECT m.id, m.kind, m.held_on, m.place, m.attendees, m.minutes, COALESCE(ra.display_name, '') AS recorded_by
            FROM topic_meetings m LEFT JOIN accounts ra ON ra.username = m.recorded_by
            WHERE m.topic_id = \(bind: id) ORDER BY m.held_on, m.created_at
            """
        ).all(decoding: TopicMeeting.self)
        let summary = TopicSummary(
            id: r.id, title: r.title, status: r.status, area_name: r.area_name, proposer_name: r.proposer_name,
            supports: r.supports, created_at: r.created_at)
        return TopicDetail(
            topic: summary, body: r.body, outcome: r.outcome, decided_at: r.decided_at, decided_by: r.decided_by,
            poll: r.poll_id.flatMap { id in r.poll_status.map { (id: id, title: r.poll_title ?? "", status: $0) } },
            ballot: r.ballot_id.flatMap { id in
                r.ballot_status.map { (id: id, title: r.ballot_title ?? "", status: $0, outcome: r.ballot_outcome) }
            },
            i_support: r.i_support, comments: comments, meetings: meetings, manages: r.manages)
    }

    /// The topics the caller may see that were taken to this ballot or poll.
    static func linked(ballot: BallotID?, poll: UUID?, for actor: Actor, on db: any Database) async throws -> [TopicLink] {
        let match: SQLQueryString = ballot.map { "t.ballot_id = \(bind: $0)" } ?? poll.map { "t.poll_id = \(bind: $0)" } ?? "1 = 0"
        return try await db.sql.raw(
            """
            SELECT t.id, t.title, t.status FROM topics t WHERE \(match) AND \(visible(actor)) ORDER BY t.created_at, t.id
            """
        ).all(decoding: TopicLink.self)
    }
}
