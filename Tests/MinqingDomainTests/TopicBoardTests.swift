import MinqingDomain
import Testing

@Suite("议事: topic and comment states")
struct TopicBoardTests {
    @Test(
        "every topic status × action: allowed moves and refusals",
        arguments: [
            (TopicStatus.collecting, TopicAction.takeToMeeting, TopicStatus?.some(.deliberating)),
            (.collecting, .linkVote, .deliberating),
            (.collecting, .decide, nil),
            (.collecting, .decline, .declined),
            (.deliberating, .takeToMeeting, .deliberating),
            (.deliberating, .linkVote, .deliberating),
            (.deliberating, .decide, .decided),
            (.deliberating, .decline, .declined),
            (.decided, .takeToMeeting, nil), (.decided, .linkVote, nil), (.decided, .decide, nil), (.decided, .decline, nil),
            (.declined, .takeToMeeting, nil), (.declined, .linkVote, nil), (.declined, .decide, nil), (.declined, .decline, nil)
        ])
    func topic(from: TopicStatus, action: TopicAction, to: TopicStatus?) {
        #expect(from.after(action) == to)
    }

    @Test("only collecting and deliberating topics take support and comments")
    func open() {
        #expect(TopicStatus.allCases.filter(\.isOpen) == [.collecting, .deliberating])
    }

    @Test(
        "every comment status × decision",
        arguments: [
            (TopicCommentStatus.held, TopicModeration.publish, TopicCommentStatus?.some(.published)),
            (.held, .hide, .hidden),
            (.published, .publish, nil),
            (.published, .hide, .hidden),
            (.hidden, .publish, .published),
            (.hidden, .hide, nil)
        ])
    func comment(from: TopicCommentStatus, decision: TopicModeration, to: TopicCommentStatus?) {
        #expect(from.after(decision) == to)
    }
}
