import Foundation
import MinqingDomain

/// Registration forms, daily check-ins, pick-up slots, volunteer teams and the reward catalogue
/// in `/openapi.json`.
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var date: [String: Any] { ["type": "string", "format": "date"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var created: (status: String, schema: [String: Any]?) { ("201", object(["id": uuid], required: ["id"])) }
    private static var csv: (status: String, schema: [String: Any]?) { ("200", ["type": "string", "contentMediaType": "text/csv"]) }

    static var campaignOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/services/campaigns",
                summary: "Campaigns: staff those in scope, residents those serving their home (活动列表)", tag: "services",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "kind": oneOf(CampaignKind.allCases.map(\.rawValue)), "title": string,
                            "status": string, "created_at": dateTime
                        ]))
                ),
                query: [("open", boolean, "true: only open campaigns")]),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/form",
                summary: "A registration campaign's form; staff get live counts per choice in their scope, residents their own answers (登记表)",
                tag: "services",
                response: (
                    "200",
                    object([
                        "id": uuid, "kind": string, "title": string, "description": string, "status": string,
                        "fields": array(
                            object([
                                "id": uuid, "label": string, "label_en": string,
                                "type": oneOf(CampaignForm.FieldType.allCases.map(\.rawValue)),
                                "required": boolean, "options": array(string), "min": integer, "max": integer,
                                "alert_at_least": string, "alert_option": string,
                                "counts": array(object(["option": string, "count": integer]))
                            ])),
                        "entries": integer,
                        "mine": array(object(["field_id": uuid, "value": string]))
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/entries",
                summary:
                    "Submit the registration form once per person (answers by field id; ID and mobile numbers sealed); a second entry answers 409 (提交登记)",
                tag: "services",
                request: object(["answers": ["type": "object", "additionalProperties": array(string)]], required: ["answers"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/entries.csv",
                summary: "Entries of people in the caller's scope as CSV, numbers masked; audited (导出登记)",
                tag: "services", response: csv, query: [fileLangQuery]),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/entries.csv",
                summary: "Entries with plain ID and mobile numbers, for roles that may reveal them, with a stated purpose; audited (导出完整号码)",
                tag: "services", request: object(["purpose": purposeCode, "purpose_detail": string], required: ["purpose", "purpose_detail"]),
                response: csv),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/roster",
                summary: "Put residents on a check-in roster: those under a grid node in scope and/or named accounts; already there stay (打卡名单)",
                tag: "services", request: object(["node": string, "usernames": array(string)]),
                response: ("200", object(["enrolled": integer, "roster": integer]))),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/days",
                summary: "Per day of a check-in campaign: roster in scope, checked in, missed (newest first) (每日统计)", tag: "services",
                response: ("200", array(object(["date": date, "roster": integer, "checked_in": integer, "missed": integer])))),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/remind",
                summary:
                    "Remind who on the check-in's roster in the caller's scope has not checked in today, each at most once a day; audited (提醒未打卡)",
                tag: "services", response: ("200", object(["reminded": integer]))),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/missed",
                summary: "Who on the roster (in scope) did not check in on a day (未打卡名单)", tag: "services",
                response: ("200", array(object(["username": string, "display_name": string, "grid_code": string]))),
                query: [
                    ("date", date, "local date (default today, Asia/Shanghai)"),
                    ("node", string, "only under this building group or grid node (in scope; another lists nobody)")
                ]),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/missed/by-group",
                summary: "The missed list's counts per building group on a day: roster and missed, most missed first (按楼组统计未打卡)",
                tag: "services",
                response: ("200", array(object(["code": string, "name": string, "roster": integer, "missed": integer]))),
                query: [("date", date, "local date (default today, Asia/Shanghai)")]),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/alerts",
                summary: "Abnormal check-ins on a day in the caller's scope: who, where, the answers, the case opened (打卡异常)",
                tag: "services",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "username": string, "display_name": string, "grid_code": string, "at": dateTime,
                            "answers": array(object(["label": string, "label_en": string, "value": string])), "case_id": uuid,
                            "case_number": string
                        ]))
                ),
                query: [("date", date, "local date (default today, Asia/Shanghai)")]),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/enrol",
                summary: "Put oneself on a check-in roster where the campaign allows it (自行加入)", tag: "services", response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/checkins",
                summary:
                    "Today's check-in with the form's answers by field id, once per day (UNIQUE); an answer meeting a field's alert rule tells the grid workers and may open a case; off the roster or outside the period answers 409 (打卡)",
                tag: "services",
                request: object(["note": string, "answers": object([:])]), response: ("201", object(["id": uuid, "alert": boolean]))),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/checkins/me",
                summary: "The caller's roster state and the days they checked in (我的打卡)", tag: "services",
                response: (
                    "200",
                    object([
                        "on_roster": boolean, "checked_today": boolean, "days": array(date), "self_enrol": boolean,
                        "fields": array(object([:])), "today": array(object(["label": string, "label_en": string, "value": string]))
                    ])
                )),
            Operation(
                method: "get", path: "/api/v1/services/teams",
                summary: "Volunteer teams: staff those in scope, others those of their subdistrict (志愿服务队)", tag: "services",
                response: ("200", array(team))),
            Operation(
                method: "post", path: "/api/v1/services/teams", summary: "Register a volunteer team: name, kind, grid node, leader (登记志愿队)",
                tag: "services", request: object(["name": string, "kind": string, "node": string, "leader": string], required: ["name", "kind"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/services/teams/{id}", summary: "A team and its members, current and past (队员)", tag: "services",
                response: (
                    "200",
                    object([
                        "team": team,
                        "members": array(
                            object([
                                "username": string, "display_name": string, "role": string,
                                "joined_on": date, "left_on": date
                            ]))
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/services/teams/{id}/members",
                summary: "Add a member (leader or member) joined on a date; a current member answers 409 (加入志愿队)", tag: "services",
                request: object(["username": string, "role": oneOf(TeamService.roles), "joined_on": date], required: ["username"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/services/teams/{id}/members/{username}/leave",
                summary: "A member leaves today; not a current member answers 409 (退出志愿队)", tag: "services", response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/services/rewards", summary: "The reward catalogue with price and stock left (积分兑换目录)",
                tag: "services",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "name": string, "unit": oneOf(["points", "green"]), "price": integer, "stock": integer,
                            "remaining": integer, "grid_code": string
                        ]))
                )),
            Operation(
                method: "post", path: "/api/v1/services/rewards", summary: "List a reward: price in points or green points, stock (登记奖品)",
                tag: "services",
                request: object(
                    [
                        "name": string, "unit": oneOf(["points", "green"]), "price": int(1...TimeBankLedger.maxAmount), "stock": int(0...1_000_000),
                        "node": string
                    ],
                    required: ["name", "price", "stock"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/services/rewards/{id}/redemptions",
                summary: "Redeem one: stock and ledger in one transaction; out of stock or balance short answers 409 (兑换)", tag: "services",
                response: created)
        ]
    }

    private static var team: [String: Any] {
        object(["id": uuid, "name": string, "kind": string, "grid_code": string, "leader": string, "members": integer])
    }
}
