import Foundation
import MinqingDomain

/// The topic board (议事) in `/openapi.json`, joined to `votingOperations`.
extension OpenAPIDocument {
    static var topicOperations: [Operation] {
        let uuid: [String: Any] = ["type": "string", "format": "uuid"]
        let dateTime: [String: Any] = ["type": "string", "format": "date-time"]
        let date: [String: Any] = ["type": "string", "format": "date"]
        func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
        func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
        let status = oneOf(TopicStatus.allCases.map(\.rawValue))
        let ballotStatus = oneOf(BallotStatus.allCases.map(\.rawValue))
        let summary = object([
            "id": uuid, "title": string, "status": status, "area_name": string, "proposer_name": string, "supports": integer,
            "created_at": dateTime
        ])
        let page = object([
            "topic": summary, "body": string, "outcome": string, "decided_at": dateTime, "decided_by": string,
            "poll": object(["id": uuid, "title": string, "status": ballotStatus]),
            "ballot": object([
                "id": uuid, "title": string, "status": ballotStatus, "outcome": oneOf(OwnersVoteTally.Outcome.allCases.map(\.rawValue))
            ]),
            "i_support": boolean,
            "comments": array(
                object([
                    "id": uuid, "author_name": string, "body": string, "status": oneOf(TopicCommentStatus.allCases.map(\.rawValue)),
                    "reason": string, "created_at": dateTime
                ])),
            "meetings": array(
                object([
                    "id": uuid, "kind": oneOf(TopicMeetingKind.allCases.map(\.rawValue)), "held_on": date,
                    "place": string, "attendees": string, "minutes": string, "recorded_by": string
                ])),
            "manages": boolean,
            "link_targets": array(object(["kind": oneOf(["poll", "ballot"]), "id": uuid, "title": string]))
        ])
        return [
            Operation(
                method: "get", path: "/api/v1/voting/topics",
                summary: "The topic board: topics the caller may see (newest first, first 100) and the residential areas a proposal may name (议事厅)",
                tag: "voting",
                response: ("200", object(["topics": array(summary), "areas": array(object(["code": string, "name": string]))]))),
            Operation(
                method: "post", path: "/api/v1/voting/topics",
                summary: "Propose a topic for the caller's residential area; staff bound above one name it as `area` (提出议题)", tag: "voting",
                request: object(["title": string, "body": string, "area": string], required: ["title", "body"]),
                response: ("201", object(["id": uuid]))),
            Operation(
                method: "get", path: "/api/v1/voting/topics/{id}",
                summary: "A topic as its page shows it: comments, meetings, the vote it was taken to, the conclusion (议题详情)", tag: "voting",
                response: ("200", page)),
            Operation(
                method: "post", path: "/api/v1/voting/topics/{id}/support", summary: "Support a topic (residents; once each) (附议)",
                tag: "voting", response: ("201", nil)),
            Operation(
                method: "post", path: "/api/v1/voting/topics/{id}/comments",
                summary: "Comment on an open topic; a resident's comment waits for moderation (发表意见)", tag: "voting",
                request: object(["body": string], required: ["body"]), response: ("201", object(["id": uuid]))),
            Operation(
                method: "post", path: "/api/v1/voting/topics/{id}/comments/{comment}/moderate",
                summary: "Publish or hide a comment; hiding needs a reason (审核评论)", tag: "voting",
                request: object(["decision": oneOf(TopicModeration.allCases.map(\.rawValue)), "reason": string], required: ["decision"]),
                response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/voting/topics/{id}/meetings",
                summary: "Record a hearing, coordination or review meeting with its minutes (三会记录)", tag: "voting",
                request: object(
                    [
                        "kind": oneOf(TopicMeetingKind.allCases.map(\.rawValue)), "held_on": date,
                        "place": string, "attendees": string, "minutes": string
                    ], required: ["kind", "held_on", "place", "attendees", "minutes"]),
                response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/voting/topics/{id}/link",
                summary: "Take the topic to a resident poll or an owners' ballot the caller runs (提交投票或表决)", tag: "voting",
                request: object(["poll_id": uuid, "ballot_id": uuid]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/voting/topics/{id}/decision",
                summary: "Conclude the topic: decided, or declined with the reason (公布结论)", tag: "voting",
                request: object(["outcome": oneOf(["decided", "declined"]), "text": string], required: ["outcome", "text"]),
                response: ("204", nil))
        ]
    }
}
