import MinqingDomain

/// The operations of notifications: a person's inbox and choices, the staff's outbox.
extension OpenAPIDocument {
    static var notificationOperations: [Operation] {
        let item = object([
            "id": ["type": "string", "format": "uuid"], "kind": ["type": "string", "enum": NotificationKind.allCases.map(\.rawValue)],
            "title": string, "detail": string, "href": string, "urgent": boolean, "created_at": ["type": "string", "format": "date-time"],
            "read": boolean
        ])
        let choices: [String: Any] = [
            "type": "array", "items": object(["kind": string, "name": string, "to_phone": boolean])
        ]
        return [
            Operation(
                method: "get", path: "/api/v1/me/notifications",
                summary: "The caller's notifications of the last 180 days, newest first, 20 a page (消息)", tag: "notifications",
                response: (
                    "200",
                    object([
                        "total": integer, "unread": integer, "page": integer, "page_size": integer,
                        "items": ["type": "array", "items": item]
                    ])
                ),
                query: [
                    ("page", ["type": "integer", "minimum": 1, "maximum": 10_000], "page number"),
                    ("unread", ["type": "string", "enum": ["1"]], "only unread ones")
                ]),
            Operation(
                method: "post", path: "/api/v1/me/notifications/read",
                summary: "Marks the caller's notifications read: those named, or all (标为已读)", tag: "notifications",
                request: object(["ids": ["type": "array", "maxItems": 500, "items": ["type": "string", "format": "uuid"]]]),
                response: ("200", object(["marked": integer]))),
            Operation(
                method: "get", path: "/api/v1/me/notification-choices",
                summary: "The kinds of notification the caller receives, each with whether it also goes to their phone (消息设置)",
                tag: "notifications", response: ("200", choices)),
            Operation(
                method: "post", path: "/api/v1/me/notification-choices",
                summary: "Sets which kinds go to the caller's phone: every kind of their role, on or off", tag: "notifications",
                request: object(["to_phone": ["type": "object", "additionalProperties": boolean]], required: ["to_phone"]),
                response: ("200", choices)),
            Operation(
                method: "get", path: "/api/v1/notifications/outbox",
                summary:
                    "Phone messages by state, and the messages of one state (none: those the gateway did not take), for recipients in the caller's scope, 50 a page (短信发送)",
                tag: "notifications",
                response: (
                    "200",
                    object([
                        "gateway_configured": boolean, "counts": ["type": "object", "additionalProperties": integer], "state": string,
                        "page": integer, "page_size": integer, "items": ["type": "array", "items": ["type": "object"]]
                    ])
                ),
                query: [
                    ("state", ["type": "string", "enum": NotificationsService.outboxStates], "only this state"),
                    ("page", ["type": "integer", "minimum": 1, "maximum": 10_000], "page number")
                ]),
            Operation(
                method: "post", path: "/api/v1/notifications/outbox/{id}/retry",
                summary: "Sends a dead letter again (its tries start over); audited (重新发送)", tag: "notifications",
                response: ("204", nil))
        ]
    }
}
