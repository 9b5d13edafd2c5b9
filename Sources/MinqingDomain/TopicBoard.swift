/// 议事: the life of a residents' topic (自治议题征集) and of its comments, as pure rules.
///
/// A topic is proposed by a resident (or staff) and collects support; staff take it to a
/// meeting (听证会, 协调会, 评议会) with minutes, or to a resident poll or an owners' ballot,
/// which makes it "in deliberation"; a topic in deliberation ends with a decision; a topic not
/// yet decided may be declined with a reason. Decided and declined topics change no more.
public enum TopicStatus: String, Sendable, CaseIterable, Codable {
    /// 征集中
    case collecting
    /// 协商中: taken to a meeting, a poll or a ballot.
    case deliberating
    /// 已形成决定
    case decided
    /// 未采纳
    case declined

    public var nameZH: String {
        switch self {
        case .collecting: "征集中";
        case .deliberating: "协商中";
        case .decided: "已形成决定";
        case .declined: "未采纳"
        }
    }
    public var nameEN: String {
        switch self {
        case .collecting: "Collecting support";
        case .deliberating: "In deliberation";
        case .decided: "Decided";
        case .declined: "Declined"
        }
    }

    /// Support and comments are taken while the topic is still open.
    public var isOpen: Bool { self == .collecting || self == .deliberating }

    /// The status after `action`, or nil when the action is not allowed now (409).
    public func after(_ action: TopicAction) -> TopicStatus? {
        switch (self, action) {
        case (.collecting, .takeToMeeting), (.deliberating, .takeToMeeting),
            (.collecting, .linkVote), (.deliberating, .linkVote):
            .deliberating
        case (.deliberating, .decide): .decided
        case (.collecting, .decline), (.deliberating, .decline): .declined
        default: nil
        }
    }
}

/// What staff do with a topic.
public enum TopicAction: String, Sendable, CaseIterable {
    case takeToMeeting, linkVote, decide, decline
}

/// The three kinds of meeting of 三会 (hearing, coordination, review).
public enum TopicMeetingKind: String, Sendable, CaseIterable, Codable {
    /// 听证会
    case hearing
    /// 协调会
    case coordination
    /// 评议会
    case review

    public var nameZH: String {
        switch self {
        case .hearing: "听证会";
        case .coordination: "协调会";
        case .review: "评议会"
        }
    }
    public var nameEN: String {
        switch self {
        case .hearing: "Hearing";
        case .coordination: "Coordination meeting";
        case .review: "Review meeting"
        }
    }
}

/// A comment's moderation state: residents' comments wait (held) until a moderator publishes
/// them; a moderator may hide a comment, always with a reason that everyone sees in its place.
public enum TopicCommentStatus: String, Sendable, CaseIterable, Codable {
    case held, published, hidden

    public var nameZH: String {
        switch self {
        case .held: "待审核";
        case .published: "已公开";
        case .hidden: "已隐藏"
        }
    }
    public var nameEN: String {
        switch self {
        case .held: "Held for moderation";
        case .published: "Published";
        case .hidden: "Hidden"
        }
    }

    /// The state after a moderator's decision, or nil when it changes nothing (409).
    public func after(_ decision: TopicModeration) -> TopicCommentStatus? {
        switch (self, decision) {
        case (.held, .publish), (.hidden, .publish): .published
        case (.held, .hide), (.published, .hide): .hidden
        default: nil
        }
    }
}

/// A moderator's decision on a comment.
public enum TopicModeration: String, Sendable, CaseIterable {
    case publish, hide
}
