/// The register's operations added with the security work (identity holds).
extension OpenAPIDocument {
    static var registryHoldOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/registry/identity-holds",
                summary: "Open identity holds whose existing record lies in the caller's scope (身份核验待办)", tag: "registry",
                response: ("200", ["type": "array", "items": ["type": "object"]])),
            Operation(
                method: "post", path: "/api/v1/registry/identity-holds/{id}/resolve",
                summary: "Resolve an identity hold: the same person (moved) or a different one (a wrong number); audited (核验结果)",
                tag: "registry",
                request: object(
                    ["decision": ["type": "string", "enum": ["same_person", "different_person"]], "note": string],
                    required: ["decision"]),
                response: ("200", object(["id": ["type": "string", "format": "uuid"], "status": string]))),
            Operation(
                method: "get", path: "/api/v1/registry/aid-programmes",
                summary: "The aid programmes the role may see, each with its sensitive mark and its records in scope (救助项目)", tag: "registry",
                response: (
                    "200",
                    [
                        "type": "array",
                        "items": object([
                            "id": ["type": "string", "format": "uuid"], "name": string,
                            "sensitive": boolean, "records": integer
                        ])
                    ]
                )),
            Operation(
                method: "put", path: "/api/v1/registry/aid-programmes/{id}",
                summary: "Mark a programme sensitive or not (administrators and subdistrict staff); audited (救助项目敏感标记)", tag: "registry",
                request: object(["sensitive": boolean], required: ["sensitive"]),
                response: ("200", object(["id": ["type": "string", "format": "uuid"], "name": string, "sensitive": boolean, "records": integer])))
        ]
    }
}
