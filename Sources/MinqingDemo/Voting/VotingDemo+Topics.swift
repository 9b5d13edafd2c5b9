import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

extension VotingDemo {
    /// The seed's lift consultation on the topic board, from the resident's topic to the
    /// decision: proposed by the demo resident five weeks ago, supported by the stairwell's
    /// owners' accounts there are, discussed (one comment published, one hidden with its reason),
    /// a 听证会 with minutes and attendees, taken to the stairwell's lift ballot, and decided on
    /// its published result. A second topic still collecting support, with a comment held for
    /// moderation.
    static func loadTopics(
        ballot: BallotID, outcome: OwnersVoteTally.Outcome, residentID: UUID, cadreID: UUID, areaNode: UUID,
        subdistrict: UUID?, now: Date, on db: any Database
    ) async throws -> Int {
        struct Name: Decodable { var display_name: String }
        let residentName =
            try await db.sql.raw("SELECT display_name FROM accounts WHERE id = \(bind: residentID)").first(decoding: Name.self)?.display_name ?? "居民"
        let cadreName =
            try await db.sql.raw("SELECT display_name FROM accounts WHERE id = \(bind: cadreID)").first(decoding: Name.self)?.display_name ?? "社工"
        let day: TimeInterval = 86_400
        let lift = UUID(), litter = UUID()
        let decision =
            outcome == .approved
            ? "业主表决通过，按公示方案加装电梯；表决结果已公示，可在一年内依法请求撤销。"
            : "业主表决未通过（\(outcome.nameZH)），本次暂不加装；居委会将收集意见后再议。"
        try await db.sql.insert(into: "topics")
            .columns(
                "id", "subdistrict_id", "grid_node_id", "title", "body", "status", "proposed_by", "proposer_name", "ballot_id",
                "outcome", "decided_at", "decided_by", "created_at"
            )
            .values(
                SQLBind(lift), bindOrNull(subdistrict), SQLBind(areaNode), SQLBind("1 单元加装电梯"),
                SQLBind("单元里老人多，上下楼困难，建议加装电梯，费用按楼层分摊。"), SQLBind(TopicStatus.decided.rawValue),
                SQLBind(residentID), SQLBind(residentName), SQLBind(ballot), SQLBind(decision), SQLBind(now.addingTimeInterval(-day / 2)),
                SQLBind("cadre"), SQLBind(now.addingTimeInterval(-35 * day))
            )
            .values(
                SQLBind(litter), bindOrNull(subdistrict), SQLBind(areaNode), SQLBind("楼道堆物清理"),
                SQLBind("部分楼道堆放杂物，存在消防隐患，建议统一清理并约定规则。"), SQLBind(TopicStatus.collecting.rawValue),
                SQLBind(residentID), SQLBind(residentName), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                SQLBind(now.addingTimeInterval(-3 * day))
            )
            .run()
        try await db.sql.insert(into: "topic_supports").columns("topic_id", "account_id", "created_at")
            .values(SQLBind(lift), SQLBind(residentID), SQLBind(now.addingTimeInterval(-35 * day)))
            .values(SQLBind(lift), SQLBind(cadreID), SQLBind(now.addingTimeInterval(-34 * day)))
            .values(SQLBind(litter), SQLBind(residentID), SQLBind(now.addingTimeInterval(-3 * day)))
            .run()
        try await db.sql.insert(into: "topic_comments")
            .columns("id", "topic_id", "account_id", "author_name", "body", "status", "reason", "moderated_by", "moderated_at", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(lift), SQLBind(residentID), SQLBind(residentName), SQLBind("一楼住户担心采光和噪声，希望方案里写明补偿。"),
                SQLBind(TopicCommentStatus.published.rawValue), SQLLiteral.null, SQLBind("cadre"), SQLBind(now.addingTimeInterval(-33 * day)),
                SQLBind(now.addingTimeInterval(-33 * day))
            )
            .values(
                SQLBind(UUID()), SQLBind(lift), SQLBind(residentID), SQLBind(residentName), SQLBind("电梯安装找我，价格最低，电话见名片。"),
                SQLBind(TopicCommentStatus.hidden.rawValue), SQLBind("商业广告"), SQLBind("cadre"), SQLBind(now.addingTimeInterval(-32 * day)),
                SQLBind(now.addingTimeInterval(-32 * day))
            )
            .values(
                SQLBind(UUID()), SQLBind(litter), SQLBind(residentID), SQLBind(residentName), SQLBind("自行车也请统一停到车棚。"),
                SQLBind(TopicCommentStatus.held.rawValue), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                SQLBind(now.addingTimeInterval(-2 * day))
            )
            .run()
        try await db.sql.insert(into: "topic_meetings")
            .columns("id", "topic_id", "kind", "held_on", "place", "attendees", "minutes", "recorded_by", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(lift), SQLBind(TopicMeetingKind.hearing.rawValue),
                SQLBind(CivilDate(now.addingTimeInterval(-20 * day), in: .shanghai).iso8601), SQLBind("居委会会议室"),
                SQLBind("1 单元业主代表 9 人、居民区书记、物业经理、加梯公司代表、\(cadreName)"),
                SQLBind("介绍加装方案与费用分摊；低层业主提出采光和噪声顾虑，方案补充补偿条款；同意提交本单元业主表决。"),
                SQLBind("cadre"), SQLBind(now.addingTimeInterval(-20 * day))
            )
            .run()
        return 2
    }
}
