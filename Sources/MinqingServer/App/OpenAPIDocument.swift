import Foundation
import MinqingDomain

/// The OpenAPI 3.1 description of every `/api/v1` route, served at `/openapi.json`. A test
/// compares its paths and methods with the routes the application registers, so it stays true.
/// Each capability adds its operations to `operations`.
enum OpenAPIDocument {
    struct Operation {
        var method: String
        /// OpenAPI form: `/api/v1/grid/nodes/{code}`.
        var path: String
        var summary: String
        var tag: String
        var secured: Bool = true
        var request: [String: Any]? = nil
        var response: (status: String, schema: [String: Any]?) = ("200", nil)
        var query: [(name: String, schema: [String: Any], description: String)] = []
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static var string: [String: Any] { ["type": "string"] }
    static var integer: [String: Any] { ["type": "integer"] }
    /// An integer a request carries, with the range the server accepts (a value outside it
    /// answers 422 naming the field; a test posts the extremes to every one of these).
    static func int(_ range: ClosedRange<Int64>) -> [String: Any] {
        ["type": "integer", "format": "int64", "minimum": range.lowerBound, "maximum": range.upperBound]
    }
    /// A decimal number a request carries, with its range.
    static func number(_ range: ClosedRange<Double>) -> [String: Any] {
        ["type": "number", "minimum": range.lowerBound, "maximum": range.upperBound]
    }
    static var boolean: [String: Any] { ["type": "boolean"] }
    /// A reason of `DisclosurePurpose` (with `purpose_detail`, the words that go with it).
    static var purposeCode: [String: Any] { ["type": "string", "enum": DisclosurePurpose.allCases.map(\.rawValue)] }
    static func object(_ properties: [String: [String: Any]], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    static var paging: [(name: String, schema: [String: Any], description: String)] {
        [
            ("limit", ["type": "integer", "minimum": 1, "maximum": 500, "default": 50], "page size"),
            ("offset", ["type": "integer", "minimum": 0, "default": 0], "rows to skip")
        ]
    }

    static var operations: [Operation] {
        [
            Operation(
                method: "post", path: "/api/v1/auth/token", summary: "Issue a bearer token for a username and password (登录换取令牌)",
                tag: "access", secured: false,
                request: object(
                    [
                        "username": string, "password": string,
                        "otp": ["type": "string", "description": "the second factor's 6-digit code or a recovery code, for an account that has one"]
                    ],
                    required: ["username", "password"]),
                response: ("201", ref("TokenResponse"))),
            Operation(
                method: "delete", path: "/api/v1/auth/token", summary: "Revoke the token in use (注销令牌)", tag: "access",
                response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/me", summary: "The caller's account and scope (当前账号)", tag: "access",
                response: ("200", ref("Account"))),
            Operation(
                method: "put", path: "/api/v1/me/password", summary: "Change the caller's password (修改密码)", tag: "access",
                request: object(["current_password": string, "new_password": string], required: ["current_password", "new_password"]),
                response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/accounts", summary: "Accounts in the caller's subtree (账号列表)", tag: "accounts",
                response: (
                    "200", object(["items": ["type": "array", "items": ref("Account")], "total": integer, "limit": integer, "offset": integer])
                ),
                query: paging + [("role", string, "only this role")]),
            Operation(
                method: "post", path: "/api/v1/accounts", summary: "Create an account in the caller's subtree (新建账号)", tag: "accounts",
                request: object(
                    ["username": string, "display_name": string, "role": ref("Role"), "scope": string, "password": string],
                    required: ["username", "display_name", "role", "scope"]),
                response: ("201", object(["account": ref("Account"), "initial_password": string]))),
            Operation(
                method: "get", path: "/api/v1/accounts/{username}", summary: "One account (账号详情)", tag: "accounts",
                response: ("200", ref("Account"))),
            Operation(
                method: "patch", path: "/api/v1/accounts/{username}", summary: "Disable or enable an account (停用/启用账号)", tag: "accounts",
                request: object(["disabled": boolean], required: ["disabled"]), response: ("200", ref("Account"))),
            Operation(
                method: "get", path: "/api/v1/grid/scope", summary: "The caller's root node and node counts by level (管辖范围)", tag: "grid",
                response: ("200", object(["root": ref("GridNode"), "counts": ["type": "object", "additionalProperties": integer]]))),
            Operation(
                method: "get", path: "/api/v1/grid/nodes/{code}", summary: "A grid node with its breadcrumb and children (网格节点)", tag: "grid",
                response: (
                    "200",
                    object([
                        "node": ref("GridNode"), "breadcrumb": ["type": "array", "items": ref("GridNode")],
                        "children": ["type": "array", "items": object(["node": ref("GridNode"), "descendants": integer, "building_groups": integer])]
                    ])
                )),
            Operation(
                method: "get", path: "/api/v1/registry/summary", summary: "Register counts inside the caller's scope (一居一库概况)", tag: "registry",
                response: (
                    "200",
                    object([
                        "households": integer, "persons": integer, "tags": ["type": "object", "additionalProperties": integer],
                        "help_requests": integer, "aid_records": integer, "records": integer
                    ])
                ),
                query: [("node", string, "a grid node code inside the caller's scope")]),
            Operation(
                method: "get", path: "/api/v1/registry/tags", summary: "The tag catalogue; sensitive tags only for roles that may see them (标签目录)",
                tag: "registry",
                response: (
                    "200",
                    [
                        "type": "array",
                        "items": object([
                            "code": string, "name_zh": string, "name_en": string, "kind": string,
                            "parent_code": string, "sensitive": boolean
                        ])
                    ]
                )),
            Operation(
                method: "post", path: "/api/v1/registry/households", summary: "Register a household with its members (登记住户)", tag: "registry",
                request: object(
                    [
                        "node": string, "address": string, "moved_in_on": string,
                        "members": ["type": "array", "items": ref("NewMember")]
                    ], required: ["node", "address", "members"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "get", path: "/api/v1/registry/households/{id}", summary: "A household, its members (masked) and its cumulative aid (住户)",
                tag: "registry",
                response: (
                    "200", object(["household": ["type": "object"], "members": ["type": "array", "items": ref("Person")], "aid": ref("AidTotals")])
                )),
            Operation(
                method: "get", path: "/api/v1/registry/compounds",
                summary: "Compounds in scope with type, governance goal (6543), buildings, dwellings, area (小区)", tag: "registry",
                response: (
                    "200",
                    [
                        "type": "array",
                        "items": object([
                            "id": string, "code": string, "name": string, "compound_type": string,
                            "goal_zh": string, "goal_en": string, "buildings": integer,
                            "dwellings": integer, "area_cm2": integer, "owners": integer
                        ])
                    ]
                ),
                query: [("node", string, "a grid node code inside the caller's scope")]),
            Operation(
                method: "get", path: "/api/v1/registry/compounds/{id}", summary: "A compound and its buildings in scope (小区)", tag: "registry",
                response: ("200", object(["compound": ["type": "object"], "buildings": ["type": "array", "items": ["type": "object"]]]))),
            Operation(
                method: "get", path: "/api/v1/registry/compounds/{id}/dwellings",
                summary: "A page of a compound's dwellings: areas in cm², flags, owners' names (房屋)", tag: "registry",
                response: (
                    "200", object(["items": ["type": "array", "items": ["type": "object"]], "total": integer, "limit": integer, "offset": integer])
                ),
                query: paging),
            Operation(
                method: "post", path: "/api/v1/registry/persons/lookup", summary: "Find a person by ID number through the blind index (按身份证号查找)",
                tag: "registry",
                request: object(["id_number": string], required: ["id_number"]), response: ("200", ref("Person"))),
            Operation(
                method: "get", path: "/api/v1/registry/persons/{id}", summary: "A person (masked), their tags with history and cumulative aid (居民)",
                tag: "registry",
                response: ("200", object(["person": ref("Person"), "tags": ["type": "array", "items": ["type": "object"]], "aid": ref("AidTotals")]))),
            Operation(
                method: "post", path: "/api/v1/registry/persons/{id}/reveal",
                summary: "Show a plain ID or phone number for a stated purpose; audited (查看完整号码)", tag: "registry",
                request: object(
                    ["field": ["type": "string", "enum": ["id_number", "phone"]], "purpose": purposeCode, "purpose_detail": string],
                    required: ["field", "purpose", "purpose_detail"]),
                response: ("200", object(["field": string, "value": string]))),
            Operation(
                method: "post", path: "/api/v1/registry/tags", summary: "Add a tag to the catalogue (新增标签)", tag: "registry",
                request: object(
                    [
                        "code": string, "name_zh": string, "name_en": string,
                        "kind": ["type": "string", "enum": ["identity", "service", "management"]], "parent": string, "sensitive": boolean
                    ],
                    required: ["code", "name_zh", "name_en", "kind"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "post", path: "/api/v1/registry/persons/{id}/tags", summary: "Give a person a tag (贴标签)", tag: "registry",
                request: object(
                    [
                        "code": string, "starts_on": ["type": "string", "format": "date"],
                        "source": ["type": "string", "enum": ["manual", "visit", "import", "self_report", "system"]]
                    ], required: ["code"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "post", path: "/api/v1/registry/persons/{id}/tags/{assignment}/end", summary: "End a tag; its history stays (结束标签)",
                tag: "registry",
                request: object(["ends_on": ["type": "string", "format": "date"]]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/registry/persons/{id}/help-requests", summary: "Record a help request (求助)", tag: "registry",
                request: object(
                    ["category": string, "description": string, "requested_on": ["type": "string", "format": "date"]],
                    required: ["category", "description"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "post", path: "/api/v1/registry/persons/{id}/aid",
                summary: "Record aid: cash (fen), in kind (quantity, unit) or service (minutes) (救助记录)", tag: "registry",
                request: object(
                    [
                        "programme": string, "kind": ["type": "string", "enum": ["cash", "in_kind", "service"]],
                        "amount_fen": int(AidAmountRange.fen),
                        "quantity": int(AidAmountRange.quantity), "unit": string, "minutes": int(AidAmountRange.minutes), "description": string,
                        "given_on": ["type": "string", "format": "date"], "help_request_id": ["type": "string", "format": "uuid"]
                    ],
                    required: ["programme", "kind"]),
                response: ("201", object(["id": ["type": "string", "format": "uuid"]]))),
            Operation(
                method: "post", path: "/api/v1/registry/smart-groups/preview", summary: "Evaluate smart-group criteria without saving (智能分组预览)",
                tag: "registry",
                request: object(["criteria": ref("SmartGroupCriteria"), "purpose": purposeCode, "purpose_detail": string], required: ["criteria"]),
                response: ("200", ref("PersonPage")), query: paging),
            Operation(
                method: "get", path: "/api/v1/registry/smart-groups", summary: "Saved smart groups inside the caller's scope (智能分组)", tag: "registry",
                response: ("200", ["type": "array", "items": ref("SmartGroup")])),
            Operation(
                method: "post", path: "/api/v1/registry/smart-groups", summary: "Save a smart group under a name (保存智能分组)", tag: "registry",
                request: object(["name": string, "criteria": ref("SmartGroupCriteria")], required: ["name", "criteria"]),
                response: ("201", ref("SmartGroup"))),
            Operation(
                method: "get", path: "/api/v1/registry/smart-groups/{id}/members", summary: "The group's current members, paged (分组成员)",
                tag: "registry",
                response: ("200", ref("PersonPage")), query: paging),
            Operation(
                method: "get", path: "/api/v1/registry/smart-groups/{id}/export", summary: "The group's members as CSV, masked, audited (导出)",
                tag: "registry",
                response: ("200", nil), query: [fileLangQuery]),
            Operation(
                method: "post", path: "/api/v1/registry/smart-groups/{id}/members",
                summary: "The members of a group by a sensitive tag, with a stated purpose; audited (敏感名单)", tag: "registry",
                request: object(["purpose": purposeCode, "purpose_detail": string], required: ["purpose", "purpose_detail"]),
                response: ("200", ref("PersonPage")), query: paging),
            Operation(
                method: "post", path: "/api/v1/registry/smart-groups/{id}/export",
                summary: "A group by a sensitive tag as CSV, masked, with a stated purpose; audited (导出敏感名单)", tag: "registry",
                request: object(["purpose": purposeCode, "purpose_detail": string], required: ["purpose", "purpose_detail"]),
                response: ("200", nil)),
            Operation(
                method: "post", path: "/api/v1/registry/import/persons",
                summary:
                    "Import persons with their households from CSV (text/csv body, UTF-8 or GB18030, ≤ 64 MB; or JSON {csv}); all rows or none, every bad row listed (居民导入)",
                tag: "registry", request: object(["csv": string], required: ["csv"]),
                response: (
                    "201",
                    object([
                        "dry_run": boolean, "encoding": string, "rows": integer, "households": integer,
                        "errors": ["type": "array", "items": object(["line": integer, "field": string, "message": string, "message_en": string])]
                    ])
                ),
                query: [
                    ("dry_run", ["type": "boolean", "default": true], "check only, write nothing (200; 422 with errors)"),
                    ("encoding", ["type": "string", "enum": ["auto", "utf-8", "gb18030"], "default": "auto"], "the file's character encoding")
                ]),
            Operation(
                method: "post", path: "/api/v1/registry/import/tags",
                summary:
                    "Import tag assignments from CSV (身份证号, 标签 code or name, 开始日期, 结束日期, 来源); persons in the caller's scope; all rows or none (标签导入)",
                tag: "registry", request: object(["csv": string], required: ["csv"]),
                response: (
                    "201",
                    object([
                        "dry_run": boolean, "encoding": string, "rows": integer,
                        "errors": ["type": "array", "items": object(["line": integer, "field": string, "message": string, "message_en": string])]
                    ])
                ),
                query: [
                    ("dry_run", ["type": "boolean", "default": true], "check only, write nothing (200; 422 with errors)"),
                    ("encoding", ["type": "string", "enum": ["auto", "utf-8", "gb18030"], "default": "auto"], "the file's character encoding")
                ]),
            Operation(
                method: "post", path: "/api/v1/registry/import/households",
                summary:
                    "Import households from CSV (楼组编码, 地址, optional 单元/室号 of a registered dwelling, 迁入日期, optional head: 户主姓名, 户主身份证号…); inside the caller's scope; all rows or none (住户导入)",
                tag: "registry", request: object(["csv": string], required: ["csv"]),
                response: (
                    "201",
                    object([
                        "dry_run": boolean, "encoding": string, "rows": integer, "households": integer, "persons": integer,
                        "errors": ["type": "array", "items": object(["line": integer, "field": string, "message": string, "message_en": string])]
                    ])
                ),
                query: [
                    ("dry_run", ["type": "boolean", "default": true], "check only, write nothing (200; 422 with errors)"),
                    ("encoding", ["type": "string", "enum": ["auto", "utf-8", "gb18030"], "default": "auto"], "the file's character encoding")
                ]),
            Operation(
                method: "post", path: "/api/v1/registry/import/dwellings",
                summary:
                    "Import dwellings from CSV, one owner a row (小区编码, 楼组编码, 楼栋, 单元, 室号, areas in m² with ≤ 2 decimals stored as cm², 开发商持有/未售/未交付, 业主姓名/类型/身份证号/手机号); new compounds and buildings are created; all rows or none (房屋导入)",
                tag: "registry", request: object(["csv": string], required: ["csv"]),
                response: (
                    "201",
                    object([
                        "dry_run": boolean, "encoding": string, "rows": integer, "dwellings": integer, "owners": integer,
                        "errors": ["type": "array", "items": object(["line": integer, "field": string, "message": string, "message_en": string])]
                    ])
                ),
                query: [
                    ("dry_run", ["type": "boolean", "default": true], "check only, write nothing (200; 422 with errors)"),
                    ("encoding", ["type": "string", "enum": ["auto", "utf-8", "gb18030"], "default": "auto"], "the file's character encoding")
                ]),
            Operation(
                method: "get", path: "/api/v1/registry/export/dwellings",
                summary:
                    "Dwellings inside a node with their owners as CSV (UTF-8 with BOM, one owner a row, areas in m²), owners' numbers masked, audited (房屋导出)",
                tag: "registry", response: ("200", nil),
                query: [("node", string, "a grid node code inside the caller's scope (default: the whole scope)"), fileLangQuery]),
            Operation(
                method: "get", path: "/api/v1/registry/export/persons",
                summary: "Persons inside a node as CSV (UTF-8 with BOM), numbers masked, audited (居民导出)",
                tag: "registry", response: ("200", nil),
                query: [("node", string, "a grid node code inside the caller's scope (default: the whole scope)"), fileLangQuery]),
            Operation(
                method: "post", path: "/api/v1/registry/export/persons",
                summary: "Persons as CSV; plain ID and phone numbers only for roles that may reveal them, with a stated purpose; audited (导出完整号码)",
                tag: "registry",
                request: object([
                    "node": string, "plain": boolean, "purpose": purposeCode, "purpose_detail": string,
                    "lang": ["type": "string", "enum": ["zh", "en"]]
                ]),
                response: ("200", nil)),
            Operation(
                method: "get", path: "/api/v1/audit", summary: "Audit entries, newest first (审计日志)", tag: "audit",
                response: ("200", object(["items": ["type": "array", "items": ref("AuditEntry")], "next_before": integer])),
                query: [
                    ("limit", ["type": "integer", "minimum": 1, "maximum": 1000, "default": 100], "page size"),
                    ("before", integer, "entries with a smaller sequence number")
                ]),
            Operation(
                method: "get", path: "/api/v1/audit/verify", summary: "Check the audit hash chain (校验审计链)", tag: "audit",
                response: ("200", object(["intact": boolean, "checked": integer, "first_bad_seq": integer, "reason": string])))
        ] + secondFactorOperations + residentOperations + notificationOperations + registryHoldOperations + visitOperations + votingOperations
            + caseOperations + serviceOperations + open311Operations + dashboardOperations + organisationOperations + oversightOperations
    }

    static var schemas: [String: Any] {
        [
            "Error": object(
                [
                    "error": object(
                        [
                            "code": string, "message": string, "message_en": string,
                            "fields": ["type": "array", "items": object(["field": string, "message": string, "message_en": string])]
                        ],
                        required: ["code", "message"])
                ], required: ["error"]),
            "Role": [
                "type": "string",
                "enum": [
                    "admin", "subdistrict_staff", "area_cadre", "grid_worker", "department_handler",
                    "property_company", "owners_committee", "volunteer", "resident"
                ]
            ],
            "Account": object(
                [
                    "id": ["type": "string", "format": "uuid"], "username": string, "display_name": string, "role": ref("Role"),
                    "role_name": string, "role_name_en": string, "must_change_password": boolean, "disabled": boolean,
                    "scope": object(["code": string, "name": string, "level": string])
                ],
                required: ["id", "username", "role", "scope"]),
            "TokenResponse": object(
                [
                    "token": string, "token_type": string, "expires_at": ["type": "string", "format": "date-time"],
                    "account": ref("Account")
                ], required: ["token", "token_type", "expires_at"]),
            "GridNode": object(["code": string, "name": string, "level": string, "level_name": string, "level_name_en": string, "depth": integer]),
            "NewMember": object(
                [
                    "name": string, "sex": ["type": "string", "enum": ["male", "female"]], "birth_date": ["type": "string", "format": "date"],
                    "id_number": string, "phone": string, "relation": string, "residence_status": string
                ],
                required: ["name", "id_number", "relation", "residence_status"]),
            "Person": object([
                "id": ["type": "string", "format": "uuid"], "household_id": ["type": "string", "format": "uuid"], "name": string,
                "sex": string, "birth_date": ["type": ["string", "null"], "description": "only for roles that may reveal numbers"],
                "birth_year": integer, "id_masked": string, "phone_masked": string, "relation": string,
                "residence_status": string, "grid_code": string, "grid_name": string
            ]),
            "AidTotals": object([
                "cash_fen": integer, "in_kind": ["type": "object", "additionalProperties": integer],
                "service_minutes": integer, "records": integer
            ]),
            "SmartGroupCriteria": object([
                "expression": string, "node": string, "min_age": int(0...150), "max_age": int(0...150),
                "sex": ["type": "string", "enum": ["male", "female"]]
            ]),
            "SmartGroup": object([
                "id": ["type": "string", "format": "uuid"], "name": string, "criteria": ref("SmartGroupCriteria"), "created_by": string
            ]),
            "PersonPage": object(["items": ["type": "array", "items": ref("Person")], "total": integer, "limit": integer, "offset": integer]),
            "AuditEntry": object([
                "seq": integer, "at": ["type": "string", "format": "date-time"], "actor": string, "action": string,
                "target_type": string, "target_id": string, "detail": string, "client_address": string, "hash": string
            ])
        ]
    }

    static func build() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        let errorResponse: [String: Any] = ["description": "error", "content": ["application/json": ["schema": ref("Error")]]]
        for op in operations {
            var operation: [String: Any] = [
                "summary": op.summary, "tags": [op.tag],
                "operationId": op.method
                    + op.path.replacingOccurrences(of: "/api/v1", with: "")
                    .replacingOccurrences(of: "{", with: "by_").replacingOccurrences(of: "}", with: "")
                    .replacingOccurrences(of: "/", with: "_")
            ]
            var parameters: [[String: Any]] = []
            for part in op.path.split(separator: "/") where part.hasPrefix("{") {
                parameters.append(["name": String(part.dropFirst().dropLast()), "in": "path", "required": true, "schema": string])
            }
            for q in op.query {
                parameters.append(["name": q.name, "in": "query", "required": false, "schema": q.schema, "description": q.description])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let request = op.request {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": request]]]
            }
            var responses: [String: Any] = ["default": errorResponse]
            if let schema = op.response.schema {
                responses[op.response.status] = ["description": "success", "content": ["application/json": ["schema": schema]]]
            } else {
                responses[op.response.status] = ["description": "success"]
            }
            if op.secured {
                responses["401"] = errorResponse
                operation["security"] = [["bearer": [String]()]]
            } else {
                operation["security"] = [[String: [String]]]()
            }
            operation["responses"] = responses
            paths[op.path, default: [:]][op.method] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Minqing API (民情)", "version": "1",
                "description": "Community governance platform. Errors: {\"error\":{\"code\",\"message\",\"message_en\",\"fields\"}}."
            ],
            "paths": paths,
            "components": [
                "schemas": schemas,
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]]
            ],
            "security": [["bearer": [String]()]]
        ]
    }

    static let json: Data = (try? JSONSerialization.data(withJSONObject: build(), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
}
