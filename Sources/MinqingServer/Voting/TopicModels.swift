import Foundation
import MinqingDomain
import Vapor

/// What the topic board's API answers: the same values its pages show, with snake_case keys.

/// The board (`GET /api/v1/voting/topics`): the topics the caller may see (newest first, first
/// 100, as the page), and the residential areas a proposal may name (staff bound above an area).
struct TopicBoard: Content, Sendable {
    var topics: [TopicSummary]
    var areas: [TopicQueries.AreaChoice]
}

/// A topic as its page shows it (`GET /api/v1/voting/topics/{id}`).
struct TopicPage: Content, Sendable {
    struct PollLink: Content, Sendable { var id: UUID; var title: String; var status: BallotStatus }
    struct BallotLink: Content, Sendable {
        var id: BallotID; var title: String; var status: BallotStatus; var outcome: OwnersVoteTally.Outcome?
    }
    /// A comment as shown: a hidden one with its reason and, for others than moderators, no text.
    struct Comment: Content, Sendable {
        var id: UUID; var author_name: String; var body: String; var status: TopicCommentStatus; var reason: String?; var created_at: Date
    }
    /// A poll or ballot the topic can be taken to (`POST …/link` with its id as `poll_id` or `ballot_id`).
    struct Target: Content, Sendable { var kind: String; var id: UUID; var title: String }

    var topic: TopicSummary
    var body: String
    var outcome: String?
    var decided_at: Date?
    var decided_by: String?
    var poll: PollLink?
    var ballot: BallotLink?
    var i_support: Bool
    var comments: [Comment]
    var meetings: [TopicMeeting]
    /// The caller may moderate, record meetings, link and conclude.
    var manages: Bool
    var link_targets: [Target]

    init(_ d: TopicDetail, targets: [TopicQueries.LinkTarget]) {
        topic = d.topic
        body = d.body
        outcome = d.outcome
        decided_at = d.decided_at
        decided_by = d.decided_by
        poll = d.poll.map { PollLink(id: $0.id, title: $0.title, status: $0.status) }
        ballot = d.ballot.map { BallotLink(id: $0.id, title: $0.title, status: $0.status, outcome: $0.outcome) }
        i_support = d.i_support
        comments = d.comments.map {
            Comment(id: $0.id, author_name: $0.author_name, body: $0.body, status: $0.status, reason: $0.reason, created_at: $0.created_at)
        }
        meetings = d.meetings
        manages = d.manages
        link_targets = targets.compactMap { target in
            let parts = target.value.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
            return Target(kind: parts[0], id: id, title: target.title)
        }
    }
}

/// `POST /api/v1/voting/topics/{id}/link`: one of the two.
struct TopicLinkInput: Content {
    var poll_id: UUID?
    var ballot_id: UUID?
}
