import Foundation
import MinqingDomain

/// 约空间's slots in `/openapi.json`: the staff's week, generation and slot actions, and what
/// residents and organisations may book on the coming days.
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var date: [String: Any] { ["type": "string", "format": "date"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }

    private static var managedSlot: [String: Any] {
        object([
            "id": uuid, "resource_id": uuid, "starts_at": dateTime, "ends_at": dateTime, "local_date": date,
            "state": oneOf(ServiceSlotState.allCases.map(\.rawValue)), "reason": string, "booking_id": uuid,
            "booking_status": oneOf(ServiceBookingStatus.allCases.map(\.rawValue)), "booker_name": string, "organisation": string,
            "attendees": integer
        ])
    }

    static var slotOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/services/resources/{id}/week",
                summary: "Staff: a resource's slots over the ISO week holding a date, each with its state and booking (时段管理)", tag: "services",
                response: (
                    "200",
                    object([
                        "resource_id": uuid, "starts_on": date, "ends_on": date, "slots_through": date, "slots": array(managedSlot)
                    ])
                ),
                query: [("date", date, "a day of the week (default today, Asia/Shanghai)")]),
            Operation(
                method: "post", path: "/api/v1/services/resources/{id}/generate",
                summary:
                    "Staff: generate the slots of the next weeks from the opening hours; slots already there stay, holidays skipped for working-week resources (生成时段)",
                tag: "services", request: object(["weeks": int(1...12)]),
                response: ("200", object(["created": integer, "through": date]))),
            Operation(
                method: "post", path: "/api/v1/services/slots/{id}/{action}",
                summary: "Staff: open, close or block (with a reason) a slot; a booked or begun slot answers 409 and nothing changes (开放/关闭/占用时段)",
                tag: "services", request: object(["reason": string]), response: ("200", managedSlot)),
            Operation(
                method: "get", path: "/api/v1/services/open-slots",
                summary:
                    "Residents and organisations: what they may book on the coming seven days, and on one day the resources with open slots (可预约)",
                tag: "services",
                response: (
                    "200",
                    object([
                        "date": date, "category": string, "days": array(object(["date": date, "open": integer])),
                        "categories": array(string), "total": integer, "page": integer, "page_size": integer,
                        "resources": array(
                            object([
                                "id": uuid, "name": string, "unit_name": string, "place": string, "category": string, "capacity": integer,
                                "needs_approval": boolean, "open_count": integer,
                                "slots": array(object(["id": uuid, "starts_at": dateTime, "ends_at": dateTime]))
                            ]))
                    ])
                ),
                query: [
                    ("date", date, "the day (default the first of the coming seven with an open slot)"),
                    ("category", string, "only this category"), ("page", integer, "page of 20 resources (1–1000)")
                ])
        ]
    }
}
