/// The register's operations added with the security work (identity holds), the search, and a
/// household's new members and departures.
extension OpenAPIDocument {
    static var registryHoldOperations: [Operation] {
        [
            Operation(
                method: "post", path: "/api/v1/registry/search",
                summary:
                    "Search the register in scope (居民库搜索): a name (its start, or the given name's), an address's words, a building; a whole ID number is looked up exactly through the blind index, budgeted and audited like the lookup",
                tag: "registry",
                request: object(
                    [
                        "q": ["type": "string", "maxLength": 60, "description": "a name, address words, or a whole ID number"],
                        "building": ["type": "string", "maxLength": 40, "description": "the building (楼号), part of its name"],
                        "page": int(1...100_000)
                    ]),
                response: (
                    "200",
                    object([
                        "matched_by": ["type": "string", "enum": ["id_number", "text", "none"]],
                        "items": ["type": "array", "items": ref("Person")], "total": integer, "page": integer, "page_size": integer
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/registry/households/{id}/members",
                summary:
                    "Add a person to a household in scope, born into it or moving in (添加成员、出生登记); the same checks as a new household's member, an ID number registered outside the scope put under an identity hold; audited",
                tag: "registry",
                request: object(
                    [
                        "name": string, "sex": ["type": "string", "enum": ["male", "female"]],
                        "birth_date": ["type": "string", "format": "date"], "id_number": string, "phone": string, "relation": string,
                        "residence_status": string, "joined": ["type": "string", "enum": ["birth", "moved_in"], "default": "moved_in"],
                        "moved_in_on": ["type": "string", "format": "date", "description": "moved_in only; today when absent"]
                    ],
                    required: ["name", "id_number", "relation", "residence_status"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "post", path: "/api/v1/registry/persons/{id}/departure",
                summary:
                    "Record that a person moved out or died (迁出、死亡) on a day (today when absent); their open tags end on it, smart groups leave them out; 409 once recorded; audited",
                tag: "registry",
                request: object(
                    [
                        "reason": ["type": "string", "enum": ["moved_out", "died"]],
                        "on": ["type": "string", "format": "date"]
                    ],
                    required: ["reason"]),
                response: (
                    "200",
                    object([
                        "person_id": ["type": "string", "format": "uuid"], "reason": ["type": "string", "enum": ["moved_out", "died"]],
                        "on": ["type": "string", "format": "date"], "tags_ended": integer
                    ])
                )),
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
                            "id": ["type": "string", "format": "uuid"], "name": string, "name_en": string,
                            "sensitive": boolean, "records": integer
                        ])
                    ]
                )),
            Operation(
                method: "put", path: "/api/v1/registry/aid-programmes/{id}",
                summary:
                    "Mark a programme sensitive or not, or give its English name (empty: none), or both (administrators and subdistrict staff); audited (救助项目敏感标记、英文名称)",
                tag: "registry",
                request: object(["sensitive": boolean, "name_en": ["type": "string", "maxLength": 80]]),
                response: (
                    "200",
                    object([
                        "id": ["type": "string", "format": "uuid"], "name": string, "name_en": string, "sensitive": boolean, "records": integer
                    ])
                ))
        ]
    }
}
