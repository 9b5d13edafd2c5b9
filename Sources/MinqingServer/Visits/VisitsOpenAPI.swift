import Foundation
import MinqingDomain

/// The visit log's operations in `/openapi.json` (the system test compares them with the routes).
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var date: [String: Any] { ["type": "string", "format": "date"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var outcome: [String: Any] { oneOf(VisitOutcome.allCases.map(\.rawValue)) }

    private static var visitInput: [String: Any] {
        object(
            [
                "households": array(uuid), "visitors": array(string), "visited_at": dateTime,
                "method": oneOf(VisitMethod.allCases.map(\.rawValue)), "kind": oneOf(["routine", "must_visit", "follow_up"]),
                "category": string, "follow_up_of": uuid, "summary": string,
                // met (the default) needs a summary or a finding; nobody_home takes neither
                // findings nor register changes, and counts for nothing (quota, 十必访).
                "outcome": outcome,
                "findings": array(
                    object(
                        [
                            "need": oneOf(VisitNeed.allCases.map(\.rawValue)), "note": string, "person_id": uuid,
                            "help_request": boolean, "case_category": string
                        ], required: ["need"])),
                "tags_added": array(object(["person_id": uuid, "code": string], required: ["person_id", "code"])),
                "tags_ended": array(object(["person_id": uuid, "assignment_id": uuid], required: ["person_id", "assignment_id"])),
                "person_updates": array(object(["person_id": uuid, "residence_status": string, "phone": string], required: ["person_id"]))
            ],
            required: ["households", "method"])
    }

    private static var visitRow: [String: Any] {
        object([
            "id": uuid, "visited_at": dateTime, "local_date": date, "method": string, "kind": string, "category_code": string,
            "household_id": uuid, "address": string, "grid_code": string, "recorded_by": string, "recorded_by_name": string,
            "recorded_by_role": string, "summary": string, "outcome": outcome
        ])
    }

    private static var visitDetail: [String: Any] {
        object([
            "id": uuid, "visited_at": dateTime, "local_date": date, "method": string, "kind": string, "category": string,
            "follow_up_of": uuid, "booking_id": uuid, "summary": string, "outcome": outcome, "recorded_by": string,
            "households": array(object(["id": uuid, "address": string, "grid_code": string, "grid_name": string])),
            "visitors": array(object(["username": string, "display_name": string, "role": string])),
            "findings": array(object(["need": string, "note": string, "person_id": uuid, "follow_up_kind": string, "follow_up_id": uuid])),
            "changes": array(
                object([
                    "change": oneOf(["tag_added", "tag_ended", "person_updated"]), "person_id": uuid, "person_name": string,
                    "tag_assignment_id": uuid, "tag_code": string, "field": string, "value": string
                ]))
        ])
    }

    private static var slot: [String: Any] {
        object([
            "id": uuid, "starts_at": dateTime, "ends_at": dateTime, "local_date": date, "place": string, "grid_code": string,
            "grid_name": string, "offered_by": string, "offered_by_name": string, "booking_id": uuid, "booking_status": string
        ])
    }

    private static var booking: [String: Any] {
        object([
            "id": uuid, "status": oneOf(BookingStatus.allCases.map(\.rawValue)), "slot_id": uuid, "starts_at": dateTime, "ends_at": dateTime,
            "local_date": date, "place": string, "offered_by_name": string, "resident": string, "resident_name": string,
            "household_id": uuid, "address": string, "note": string, "visit_id": uuid
        ])
    }

    private static var created: (status: String, schema: [String: Any]?) { ("201", object(["id": uuid])) }

    static var visitOperations: [Operation] {
        [
            Operation(
                method: "post", path: "/api/v1/visits",
                summary: "Record a visit, its findings and register changes in one transaction; nobody_home counts for nothing (记录走访)",
                tag: "visits", request: visitInput, response: created),
            Operation(
                method: "get", path: "/api/v1/visits", summary: "Visits with a household in the caller's scope, newest first (走访记录)",
                tag: "visits", response: ("200", object(["items": array(visitRow), "total": integer, "limit": integer, "offset": integer])),
                query: paging + [
                    ("household", uuid, "only this household"), ("from", date, "first local date"), ("to", date, "last local date"),
                    ("mine", boolean, "only visits the caller made"),
                    ("outcome", outcome, "only visits with this outcome (default: every one, attempts included)")
                ]),
            Operation(
                method: "get", path: "/api/v1/visits/{id}", summary: "One visit: households in scope, visitors, findings, changes (走访详情)",
                tag: "visits", response: ("200", visitDetail)),
            Operation(
                method: "get", path: "/api/v1/visits/must-visit",
                summary: "十必访: counts per category and the households due or overdue in the caller's scope (必访名单)", tag: "visits",
                response: (
                    "200",
                    object([
                        "today": date, "hidden": array(string), "total": integer, "limit": integer, "offset": integer,
                        "counts": array(
                            object([
                                "code": string, "name_zh": string, "name_en": string, "frequency_days": integer,
                                "households": integer, "due": integer, "overdue": integer
                            ])),
                        "items": array(
                            object([
                                "category": string, "household_id": uuid, "address": string, "grid_name": string,
                                "entered_on": date, "last_visit": date, "due_date": date, "days_past_due": integer
                            ]))
                    ])
                ),
                query: paging + [
                    ("status", oneOf(["due", "overdue", "all"]), "which households (default due)"),
                    ("category", string, "one category's code"), ("node", string, "a grid node code inside the caller's scope")
                ]),
            Operation(
                method: "get", path: "/api/v1/visits/must-visit/categories", summary: "The 十必访 categories and their frequencies (必访类别)",
                tag: "visits",
                response: (
                    "200",
                    array(
                        object([
                            "code": string, "name_zh": string, "name_en": string, "expression": string,
                            "frequency_days": integer
                        ]))
                )),
            Operation(
                method: "put", path: "/api/v1/visits/must-visit/categories/{code}", summary: "Set a category's frequency in days (admin) (设置走访频次)",
                tag: "visits", request: object(["frequency_days": int(1...366)], required: ["frequency_days"]),
                response: ("200", object(["code": string, "frequency_days": integer]))),
            Operation(
                method: "get", path: "/api/v1/visits/quotas", summary: "Visit quotas by role (走访指标)", tag: "visits",
                response: ("200", array(object(["role": string, "households": integer, "period": oneOf(["week", "working_day"])])))),
            Operation(
                method: "put", path: "/api/v1/visits/quotas/{role}", summary: "Set a role's quota (admin) (设置走访指标)", tag: "visits",
                request: object(["households": int(1...50), "period": oneOf(["week", "working_day"])], required: ["households", "period"]),
                response: ("200", object(["role": string, "households": integer, "period": string]))),
            Operation(
                method: "put", path: "/api/v1/visits/postings/{username}",
                summary: "Set a staff member's posting: workload share, first and last day in post (在岗情况)", tag: "visits",
                request: object(["workload_percent": int(1...100), "first_day": date, "last_day": date]), response: ("204", nil)),
            Operation(
                method: "put", path: "/api/v1/visits/residents/{username}/household",
                summary: "Link a resident account to their household (居民账号关联户)", tag: "visits",
                request: object(["household_id": uuid], required: ["household_id"]), response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/visits/compliance",
                summary: "Quota compliance by person and residential area for a week, month or year, inside the caller's scope (走访完成情况)",
                tag: "visits",
                response: (
                    "200",
                    object([
                        "period": string, "label": string, "from": date, "to": date, "years_without_calendar": array(integer),
                        "people_total": integer, "people_met": integer, "required": integer, "done": integer,
                        "people": array(
                            object([
                                "username": string, "display_name": string, "role": string, "team_code": string,
                                "team_name": string, "quota_households": integer, "quota_period": string,
                                "workload_percent": integer, "working_days": integer, "required": integer,
                                "done": integer, "shortfall": integer, "met": boolean, "units_owed": integer,
                                "units_met": integer
                            ])),
                        "teams": array(
                            object([
                                "code": string, "name": string, "people": integer, "people_met": integer,
                                "required": integer, "done": integer, "shortfall": integer
                            ]))
                    ])
                ),
                query: [
                    ("period", oneOf(["week", "month", "year"]), "default month"), ("date", date, "a day in the period (default today)"),
                    ("node", string, "a grid node code inside the caller's scope")
                ]),
            Operation(
                method: "post", path: "/api/v1/visits/slots", summary: "Offer a time slot for residents to book (开放预约时段)", tag: "visits",
                request: object(["starts_at": dateTime, "ends_at": dateTime, "place": string, "node": string], required: ["starts_at", "ends_at"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/visits/slots",
                summary: "Staff: slots offered in scope; residents: open slots for where they live (预约时段)", tag: "visits",
                response: ("200", array(slot)), query: [("limit", ["type": "integer", "minimum": 1, "maximum": 500, "default": 50], "at most")]),
            Operation(
                method: "post", path: "/api/v1/visits/bookings",
                summary: "A resident books a slot; 409 slot_taken when someone else has it (预约走访)", tag: "visits",
                request: object(["slot_id": uuid, "note": string], required: ["slot_id"]), response: created),
            Operation(
                method: "get", path: "/api/v1/visits/bookings", summary: "Staff: bookings in scope; residents: their own (预约列表)", tag: "visits",
                response: ("200", array(booking)),
                query: [
                    ("active", boolean, "only bookings holding a slot"),
                    ("limit", ["type": "integer", "minimum": 1, "maximum": 500, "default": 50], "at most")
                ]),
            Operation(method: "get", path: "/api/v1/visits/bookings/{id}", summary: "One booking (预约详情)", tag: "visits", response: ("200", booking)),
            Operation(
                method: "post", path: "/api/v1/visits/bookings/{id}/confirm", summary: "Staff confirm a requested booking (确认预约)",
                tag: "visits", response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/visits/bookings/{id}/propose",
                summary: "Staff propose another slot: an offered one or a new time (改约)", tag: "visits",
                request: object(["slot_id": uuid, "starts_at": dateTime, "ends_at": dateTime, "place": string]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/visits/bookings/{id}/accept", summary: "The resident accepts the proposed slot (接受改约)",
                tag: "visits", response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/visits/bookings/{id}/cancel", summary: "Cancel a booking; the slot is free again (取消预约)",
                tag: "visits", response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/visits/bookings/{id}/done",
                summary: "Record the booked visit and close the booking, in one transaction (预约走访完成)", tag: "visits",
                request: visitInput, response: created)
        ]
    }
}
