/// The operations of a person's own data and of correction requests.
extension OpenAPIDocument {
    static var residentOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/me/data",
                summary: "Everything the platform holds about the caller's account, by section (PIPL art. 45; numbers masked) (我的信息)",
                tag: "access",
                response: (
                    "200",
                    object([
                        "generated_at": string, "username": string,
                        "sections": ["type": "array", "items": ["type": "object"]]
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/me/corrections",
                summary: "A resident asks for a correction of their household's record (PIPL art. 46); audited (申请更正)",
                tag: "access",
                request: object(
                    [
                        "person_id": ["type": "string", "format": "uuid"],
                        "field": ["type": "string", "enum": CorrectionRequests.Field.allCases.map(\.rawValue)],
                        "requested": string, "note": string
                    ], required: ["field", "requested"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "get", path: "/api/v1/registry/corrections",
                summary: "Correction requests of households in the caller's scope, open first (更正申请)", tag: "registry",
                response: ("200", ["type": "array", "items": ["type": "object"]]),
                query: [("status", ["type": "string", "enum": ["open", "done", "refused"]], "only this status")]),
            Operation(
                method: "post", path: "/api/v1/registry/corrections/{id}",
                summary: "Answer a correction request: done (what changed) or refused (why); audited (答复更正申请)", tag: "registry",
                request: object(["status": ["type": "string", "enum": ["done", "refused"]], "reply": string], required: ["status", "reply"]),
                response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/audit/export",
                summary: "The audit trail or the access log of sensitive reads for a period as CSV (at most a year); audited (导出日志)", tag: "audit",
                request: object(
                    [
                        "from": ["type": "string", "format": "date"], "to": ["type": "string", "format": "date"],
                        "log": ["type": "string", "enum": ["audit", "access"]]
                    ], required: ["from", "to"]),
                response: ("200", nil))
        ]
    }
}
