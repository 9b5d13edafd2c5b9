import Foundation
import MinqingDomain

/// 约空间 / 临汾共享 / time bank in `/openapi.json` (the system test compares them with the routes).
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var created: (status: String, schema: [String: Any]?) { ("201", object(["id": uuid], required: ["id"])) }

    private static var resource: [String: Any] {
        object([
            "id": uuid, "unit_name": string, "name": string, "category": string, "kind": string, "place": string, "grid_code": string,
            "capacity": integer, "opening_hours": string, "slot_minutes": integer, "rules": string,
            "bookers": oneOf(ServiceBookers.allCases.map(\.rawValue)), "needs_approval": boolean
        ])
    }

    private static var booking: [String: Any] {
        object([
            "id": uuid, "resource_id": uuid, "resource_name": string, "slot_id": uuid, "starts_at": dateTime, "ends_at": dateTime,
            "status": oneOf(ServiceBookingStatus.allCases.map(\.rawValue)), "booker": string, "booker_name": string,
            "organisation": string, "purpose": string, "attendees": integer
        ])
    }

    private static var units: [String: Any] { oneOf(TimeBankLedger.Unit.allCases.map(\.rawValue)) }

    static var serviceOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/services/resources",
                summary: "Shared resources (临汾共享): staff see those in scope, residents and organisations those of their subdistrict (共享资源)",
                tag: "services", response: ("200", array(resource)),
                query: [("category", string, "only this category"), ("limit", integer, "at most this many (1–500, default 200)")]),
            Operation(
                method: "post", path: "/api/v1/services/resources",
                summary: "Register a unit's resource: category, kind, place, capacity, opening hours, rules, who books, approval (登记共享资源)",
                tag: "services",
                request: object(
                    [
                        "unit_name": string, "unit_kind": string, "name": string, "category": string, "kind": string, "node": string,
                        "place": string, "capacity": int(1...10_000), "opening_hours": string, "slot_minutes": int(10...480), "rules": string,
                        "bookers": oneOf(ServiceBookers.allCases.map(\.rawValue)), "needs_approval": boolean
                    ],
                    required: ["unit_name", "name", "category", "kind", "place", "capacity", "opening_hours"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/services/resources/{id}/slots",
                summary: "A resource's slots on a local date: taken or free, open, closed or blocked; tops up the weeks ahead (可约时段)",
                tag: "services",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "starts_at": dateTime, "ends_at": dateTime, "local_date": string, "taken": boolean,
                            "state": oneOf(ServiceSlotState.allCases.map(\.rawValue)), "reason": string
                        ]))
                ),
                query: [("date", ["type": "string", "format": "date"], "local date (default today, Asia/Shanghai)")]),
            Operation(
                method: "post", path: "/api/v1/services/resources/{id}/slots",
                summary: "Open a day's slots from the opening hours; existing slots stay (开放时段)", tag: "services",
                request: object(["date": ["type": "string", "format": "date"]], required: ["date"]),
                response: ("200", object(["open": integer]))),
            Operation(
                method: "get", path: "/api/v1/services/bookings", summary: "Bookings: one's own, or for staff those of resources in scope (预约列表)",
                tag: "services", response: ("200", array(booking))),
            Operation(
                method: "post", path: "/api/v1/services/bookings",
                summary: "Book a slot (约空间); a slot already held answers 409 slot_taken, settled by a UNIQUE index", tag: "services",
                request: object(["slot_id": uuid, "purpose": string, "organisation": string, "attendees": int(1...10_000)], required: ["slot_id"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/services/bookings/{id}/{action}",
                summary: "approve, reject, cancel, attended or no-show; a state that does not allow it answers 409 and changes nothing (预约处理)",
                tag: "services", response: ("200", booking)),
            Operation(
                method: "post", path: "/api/v1/services/campaigns",
                summary:
                    "Set up a campaign: a limited-stock reservation with a per-household limit and pick-up place (限量预约), a registration form of typed fields (登记), or a daily check-in with optional typed questions whose alert rules tell the grid workers and, with alert_category, open a case (每日打卡)",
                tag: "services",
                request: object(
                    [
                        "kind": oneOf(CampaignKind.allCases.map(\.rawValue)), "title": string, "description": string, "node": string,
                        "stock": int(1...10_000_000), "per_household_limit": int(1...1000), "pickup_place": string,
                        "starts_on": ["type": "string", "format": "date"], "ends_on": ["type": "string", "format": "date"],
                        "self_enrol": boolean, "roster_node": string, "alert_category": string,
                        "fields": [
                            "type": "array",
                            "items": object([
                                "label": string, "label_en": string, "type": string, "required": boolean,
                                "options": ["type": "array", "items": string],
                                "min": int(-1_000_000_000...1_000_000_000), "max": int(-1_000_000_000...1_000_000_000),
                                "alert_at_least": ["type": "number", "minimum": -1_000_000_000, "maximum": 1_000_000_000], "alert_option": string
                            ])
                        ],
                        "pickup_slots": [
                            "type": "array",
                            "items": object([
                                "starts_at": ["type": "string", "format": "date-time"],
                                "ends_at": ["type": "string", "format": "date-time"],
                                "capacity": int(1...100_000), "place": string
                            ])
                        ]
                    ],
                    required: ["title"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}", summary: "A campaign's live figures (实时数据)", tag: "services",
                response: (
                    "200",
                    object([
                        "id": uuid, "title": string, "status": string, "stock_total": integer, "remaining": integer,
                        "reserved": integer, "households": integer, "per_household_limit": integer, "pickup_place": string,
                        "my_claimed": integer
                    ])
                )),
            Operation(
                method: "get", path: "/api/v1/services/campaigns/{id}/reservations.csv",
                summary: "The reservations of households in the caller's scope as CSV (导出预约名单)", tag: "services",
                response: ("200", ["type": "string", "contentMediaType": "text/csv"]), query: [fileLangQuery]),
            Operation(
                method: "post", path: "/api/v1/services/campaigns/{id}/reservations",
                summary: "Reserve for the caller's household; sold out or over the household limit answers 409 (预约领取)", tag: "services",
                request: object(["quantity": int(1...1000)]), response: created),
            Operation(
                method: "post", path: "/api/v1/services/ledger/awards",
                summary: "Credit service minutes, points or green points to an account in scope from the pool (记入时间银行/积分)", tag: "services",
                request: object(
                    ["username": string, "unit": units, "amount": int(1...TimeBankLedger.maxAmount), "memo": string],
                    required: ["username", "unit", "amount"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/services/ledger/transfers/{id}/reverse",
                summary: "Reverse a transfer with a new transfer back, at most once (冲正)", tag: "services", response: created),
            Operation(
                method: "post", path: "/api/v1/services/ledger/redemptions",
                summary: "Redeem points for a reward; refused (409) beyond the balance (积分兑换)", tag: "services",
                request: object(
                    ["unit": units, "amount": int(1...TimeBankLedger.maxAmount), "reward": string], required: ["unit", "amount", "reward"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/services/ledger/me", summary: "The caller's balances (sum of movements) and latest movements (我的余额)",
                tag: "services",
                response: (
                    "200",
                    object([
                        "balances": array(object(["unit": units, "balance": integer])),
                        "movements": array(
                            object([
                                "transfer_id": uuid, "unit": units, "amount": integer, "memo": string,
                                "reverses_id": uuid, "created_at": dateTime
                            ]))
                    ])
                )),
            Operation(
                method: "get", path: "/api/v1/services/ledger/people/{username}",
                summary:
                    "A person's time-bank statement: balances in every unit and every transfer, 50 a page; one's own, or staff for people in scope (时间银行明细)",
                tag: "services",
                response: (
                    "200",
                    object([
                        "person": object(["id": uuid, "username": string, "name": string, "role": string, "grid_name": string]),
                        "balances": array(object(["unit": units, "balance": integer])),
                        "transfers": array(
                            object([
                                "transfer_id": uuid, "unit": units, "amount": integer, "memo": string, "reverses_id": uuid,
                                "created_at": dateTime, "counterpart_kind": oneOf(["pool", "rewards", "member"]), "counterpart_name": string,
                                "by_name": string, "by_role": string, "reversed": boolean, "reversible": boolean
                            ])),
                        "total": integer, "page": integer, "page_size": integer
                    ])
                ),
                query: [("page", ["type": "integer", "minimum": 1, "maximum": 100_000, "default": 1], "page of 50 transfers, newest first")]),
            Operation(
                method: "get", path: "/api/v1/services/activities",
                summary: "Volunteer activities not yet ended, with the caller's own sign-up (志愿活动)", tag: "services",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "team": string, "title": string, "place": string, "starts_at": dateTime,
                            "ends_at": dateTime, "minutes": integer, "capacity": integer, "signed_up": integer,
                            "my_status": oneOf(["signed_up", "checked_in"])
                        ]))
                )),
            Operation(
                method: "post", path: "/api/v1/services/activities",
                summary: "Post a volunteer activity: team, time, minutes credited, capacity (发布志愿活动)", tag: "services",
                request: object(
                    [
                        "team": string, "title": string, "place": string, "node": string, "starts_at": dateTime, "ends_at": dateTime,
                        "minutes": int(1...1440), "capacity": int(1...10_000)
                    ], required: ["team", "title", "starts_at", "ends_at", "minutes", "capacity"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/services/activities/{id}/signups",
                summary: "Sign up; full, begun or a second sign-up answers 409 (报名)", tag: "services", response: created),
            Operation(
                method: "post", path: "/api/v1/services/activities/{id}/check-ins",
                summary: "Check a signed-up person in, crediting the minutes to their time bank (签到记时)", tag: "services",
                request: object(["username": string], required: ["username"]), response: created)
        ] + campaignOperations + slotOperations
    }
}
