import Foundation
import MinqingDomain

/// 协商室 and owners' voting in `/openapi.json` (the system test compares them with the routes).
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var date: [String: Any] { ["type": "string", "format": "date"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }

    private static var fraction: [String: Any] {
        object(["numerator": integer, "denominator": integer, "comparison": oneOf(VoteFraction.Comparison.allCases.map(\.rawValue))])
    }

    private static var ruleSet: [String: Any] {
        object([
            "code": string, "name_zh": string, "name_en": string, "basis_zh": string, "basis_en": string,
            "quorum_area": fraction, "quorum_heads": fraction, "approval_area": fraction, "approval_heads": fraction,
            "approval_base": oneOf(OwnersVoteRuleSet.ApprovalBase.allCases.map(\.rawValue)), "matter": integer
        ])
    }

    private static var figures: [String: Any] { object(["area_cm2": integer, "heads": integer]) }

    private static var tally: [String: Any] {
        object([
            "rule_set": ruleSet, "total": figures, "participating": figures, "agree": figures, "disagree": figures, "abstain": figures,
            "checks": array(
                object([
                    "kind": oneOf(OwnersVoteCheck.Kind.allCases.map(\.rawValue)), "part": integer, "whole": integer,
                    "fraction": fraction, "passed": boolean, "rule_zh": string, "rule_en": string, "formula": string
                ])),
            "outcome": oneOf(OwnersVoteTally.Outcome.allCases.map(\.rawValue))
        ])
    }

    private static var ballotSummary: [String: Any] {
        object([
            "id": uuid, "title": string, "compound_id": uuid, "compound_name": string, "building_id": uuid, "building_name": string,
            "stairwell": string,
            "scope_kind": oneOf(OwnersBallotScope.allCases.map(\.rawValue)), "rule_code": string,
            "status": oneOf(BallotStatus.allCases.map(\.rawValue)), "closes_at": dateTime,
            "outcome": oneOf(OwnersVoteTally.Outcome.allCases.map(\.rawValue))
        ])
    }

    private static var elector: [String: Any] {
        object([
            "elector_id": uuid, "label": string, "is_developer": boolean, "area_cm2": integer, "heads": integer,
            "dwellings": array(string), "choice": oneOf(OwnersVoteChoice.allCases.map(\.rawValue)),
            "channel": oneOf(VoteChannel.allCases.map(\.rawValue))
        ])
    }

    private static var ballotDetail: [String: Any] {
        object([
            "ballot": ballotSummary, "description": string, "rule": ruleSet, "results_live": boolean, "opened_at": dateTime,
            "closed_at": dateTime,
            "turnout": object(["total_area_cm2": integer, "total_heads": integer, "voted_area_cm2": integer, "voted_heads": integer]),
            "tally": tally, "published_on": date, "appeal_deadline": date, "my_electors": array(elector), "record": array(elector),
            "derived_calendar_years": array(integer)
        ])
    }

    private static var pollSummary: [String: Any] {
        object([
            "id": uuid, "title": string, "node_code": string, "node_name": string,
            "unit": oneOf(ResidentPollRules.Unit.allCases.map(\.rawValue)), "secrecy": oneOf(ResidentPollRules.Secrecy.allCases.map(\.rawValue)),
            "status": string, "closes_at": dateTime
        ])
    }

    private static var ownerSearch: [String: Any] {
        object([
            "q": string,
            "owners": array(object(["id": uuid, "name": string, "places": string])),
            "bindings": array(
                object([
                    "account_name": string, "owner_name": string, "proof": string, "created_by": string, "created_by_role": ref("Role"),
                    "created_at": dateTime
                ]))
        ])
    }

    static var votingOperations: [Operation] {
        ballotOperations + topicOperations
    }

    private static var ballotOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/voting/rule-sets",
                summary: "The rule sets a ballot can use: the nine matters of Civil Code art. 278 and local ones (表决规则)", tag: "voting",
                response: ("200", array(ruleSet))),
            Operation(
                method: "get", path: "/api/v1/voting/ballots", summary: "Owners' ballots the caller may see (业主表决列表)", tag: "voting",
                response: ("200", array(ballotSummary))),
            Operation(
                method: "post", path: "/api/v1/voting/ballots",
                summary: "Set up an owners' ballot for a compound, a building or a stairwell (发起业主表决)", tag: "voting",
                request: object(
                    [
                        "compound_id": uuid, "building_id": uuid, "stairwell": string, "title": string, "description": string,
                        "rule_code": string, "closes_at": dateTime, "results_live": boolean
                    ],
                    required: ["compound_id", "title", "rule_code", "closes_at"]),
                response: ("201", object(["id": uuid]))),
            Operation(
                method: "get", path: "/api/v1/voting/ballots/{id}",
                summary:
                    "A ballot: turnout, the caller's electors, the result once closed (or live if the ballot says so), the per-owner record (表决详情)",
                tag: "voting", response: ("200", ballotDetail)),
            Operation(
                method: "get", path: "/api/v1/voting/ballots/{id}/electors",
                summary:
                    "The electors of an open ballot the caller runs who have not voted yet, for entering paper and proxy votes; empty once closed (待录入的表决权人)",
                tag: "voting", response: ("200", array(object(["id": uuid, "label": string])))),
            Operation(
                method: "post", path: "/api/v1/voting/ballots/{id}/open",
                summary: "Open a ballot: take the electorate snapshot (area and headcount by the SPC interpretation) (开始表决)", tag: "voting",
                response: ("200", ballotDetail)),
            Operation(
                method: "post", path: "/api/v1/voting/ballots/{id}/votes",
                summary: "Cast a vote: online by the owner's bound account, or proxy / paper entered by staff with their reference (投票)",
                tag: "voting",
                request: object(
                    [
                        "choice": oneOf(OwnersVoteChoice.allCases.map(\.rawValue)), "elector_id": uuid,
                        "channel": oneOf(VoteChannel.allCases.map(\.rawValue)), "proxy_name": string,
                        "authorisation_ref": string, "paper_ref": string
                    ], required: ["choice"]),
                response: ("201", object(["id": uuid]))),
            Operation(
                method: "post", path: "/api/v1/voting/ballots/{id}/close",
                summary: "Close a ballot after its closing time (or when all have voted) and publish the tally (结束表决并公布)", tag: "voting",
                response: ("200", tally)),
            Operation(
                method: "put", path: "/api/v1/voting/owner-accounts/{username}",
                summary: "Bind a resident account to an owner record of the register (绑定业主身份)", tag: "voting",
                request: object(["owner_id": uuid, "proof": string], required: ["owner_id", "proof"]), response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/voting/owners",
                summary: "Owners with a dwelling in the caller's scope found by name (first 30), and the newest 50 bindings (查找业主、已绑定账号)",
                tag: "voting", response: ("200", ownerSearch),
                query: [("q", string, "part of the owner's name; none lists only the bindings")]),
            Operation(
                method: "get", path: "/api/v1/voting/polls", summary: "Resident polls the caller may see (居民投票列表)", tag: "voting",
                response: ("200", array(pollSummary))),
            Operation(
                method: "post", path: "/api/v1/voting/polls", summary: "Start a resident poll (not binding) (发起居民投票)", tag: "voting",
                request: object(
                    [
                        "node": string, "title": string, "description": string, "options": array(string),
                        "unit": oneOf(ResidentPollRules.Unit.allCases.map(\.rawValue)),
                        "secrecy": oneOf(ResidentPollRules.Secrecy.allCases.map(\.rawValue)), "closes_at": dateTime,
                        "results_live": boolean
                    ], required: ["node", "title", "options", "closes_at"]),
                response: ("201", object(["id": uuid]))),
            Operation(
                method: "get", path: "/api/v1/voting/polls/{id}", summary: "A poll: options, counts when shown, whether the caller voted (投票详情)",
                tag: "voting",
                response: (
                    "200",
                    object([
                        "poll": pollSummary, "description": string, "results_live": boolean,
                        "options": array(object(["id": uuid, "label": string, "votes": integer])), "voters": integer,
                        "i_voted": boolean, "may_vote": boolean,
                        "open_record": array(object(["voter": string, "option": string]))
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/voting/polls/{id}/votes", summary: "Vote in a poll (residents; one per person or household) (参与投票)",
                tag: "voting", request: object(["option_id": uuid], required: ["option_id"]), response: ("201", nil)),
            Operation(
                method: "post", path: "/api/v1/voting/polls/{id}/close", summary: "Close a poll (结束投票)", tag: "voting",
                response: ("204", nil))
        ]
    }
}
