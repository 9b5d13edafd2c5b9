import Foundation
import MinqingDomain

/// The case loop in `/openapi.json` (the system test compares it with the routes).
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var state: [String: Any] { oneOf(CaseState.allCases.map(\.rawValue)) }

    private static var caseSummary: [String: Any] {
        object([
            "id": uuid, "number": string, "channel": oneOf(CaseChannel.allCases.map(\.rawValue)), "category_code": string,
            "category_name_zh": string, "category_name_en": string, "title": string, "description": string, "state": state,
            "address": string, "address_id": string, "lat_e6": integer, "long_e6": integer, "media_url": string, "node_code": string,
            "node_name": string, "department_code": string, "department_name_zh": string, "department_name_en": string,
            "reported_at": dateTime, "updated_at": dateTime, "due_at": dateTime, "closed_at": dateTime, "supervised": boolean,
            "escalation_level": integer, "verdict": oneOf(CaseVerdict.allCases.map(\.rawValue)), "merged_into": uuid, "overdue": boolean
        ])
    }

    private static var caseDetail: [String: Any] {
        object([
            "summary": caseSummary, "token": string, "source_ref": string, "submitter_name": string, "submitter_phone_masked": string,
            "response_due_at": dateTime, "responded_at": dateTime, "filed_at": dateTime, "dispatched_at": dateTime, "handled_at": dateTime,
            "stage_due_at": dateTime, "derived_calendar_years": array(integer),
            "rework_count": integer, "reopen_count": integer, "extension_days": integer, "resolved": boolean,
            "transitions": array(
                object([
                    "seq": integer, "action": string, "from_state": state, "to_state": state, "actor_name": string,
                    "actor_role": string, "department_code": string, "reason": string, "at": dateTime,
                    "from_category_zh": string, "from_category_en": string, "to_category_zh": string, "to_category_en": string
                ])),
            "assignments": array(
                object([
                    "department_id": uuid, "department_code": string, "department_name_zh": string,
                    "department_name_en": string, "lead": boolean, "active": boolean, "report": string, "reported_at": dateTime
                ])),
            "supervisions": array(
                object([
                    "kind": oneOf(["mark", "overdue", "unsatisfied"]), "level": integer, "note": string, "at": dateTime, "actor_name": string,
                    "actor_role": string
                ])),
            "followups": array(
                object([
                    "method": string, "reached": boolean, "verdict": string, "resolved": boolean, "note": string, "at": dateTime,
                    "actor_name": string, "actor_role": string
                ])),
            "actions": array(oneOf(CaseAction.allCases.map(\.rawValue)))
        ])
    }

    private static var rate: [String: Any] { object(["numerator": integer, "denominator": integer]) }

    private static var indicatorRow: [String: Any] {
        let counts = [
            "accepted", "filed", "due", "closed", "closed_on_time", "handled", "reworked", "dispatched", "responded", "rated",
            "resolved", "satisfied", "basically_satisfied"
        ]
        let rates = ["filing_rate", "closing_rate", "on_time_closing_rate", "rework_rate", "response_rate", "resolution_rate", "satisfaction_rate"]
        return object([
            "key": string, "name_zh": string, "name_en": string,
            "counts": object(Dictionary(uniqueKeysWithValues: counts.map { ($0, integer) })),
            "indicators": object(Dictionary(uniqueKeysWithValues: rates.map { ($0, rate) })), "open": integer, "overdue": integer
        ])
    }

    static var caseOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/cases/categories",
                summary:
                    "Case categories, GB/T 30428 style: 大类 and 小类 with codes, event or component, default department and step time limits (案件分类)",
                tag: "cases",
                response: (
                    "200",
                    array(
                        object([
                            "code": string, "parent_code": string, "kind": oneOf(CaseCategoryKind.allCases.map(\.rawValue)),
                            "name_zh": string, "name_en": string, "department_code": string, "limit_file": string,
                            "limit_dispatch": string, "limit_response": string, "limit_handle": string, "limit_verify": string
                        ]))
                )),
            Operation(
                method: "get", path: "/api/v1/cases/departments", summary: "Handling departments (处置部门)", tag: "cases",
                response: ("200", array(object(["id": uuid, "code": string, "name_zh": string, "name_en": string])))),
            Operation(
                method: "get", path: "/api/v1/cases",
                summary:
                    "Cases the caller may see, newest first: staff by grid scope, a department those sent to it, others their own; the X-Total-Count header holds how many match the filters (案件列表、派单台)",
                tag: "cases",
                response: ("200", array(caseSummary)),
                query: [
                    ("state", string, "states, comma-separated"), ("status", oneOf(["open", "closed"]), "open or closed"),
                    ("category", string, "category codes, comma-separated: a 小类, or a 大类 for all its 小类"),
                    ("channel", string, "channels, comma-separated"),
                    ("node", string, "a grid node's code (a residential area …): cases in its subtree"), ("area", string, "the same as node"),
                    ("q", ["type": "string", "maxLength": 100], "words in the number, source reference, title, description or address"),
                    ("number", string, "case numbers, comma-separated"),
                    ("from", string, "reported at or after: a day (YYYY-MM-DD, Shanghai) or an ISO 8601 time"),
                    ("to", string, "reported before: a day (through its end) or an ISO 8601 time"),
                    ("overdue", oneOf(["0", "1"]), "1: overdue only"), ("supervised", oneOf(["0", "1"]), "1: under supervision only"),
                    ("department", string, "lead department code"),
                    ("limit", ["type": "integer", "minimum": 1, "maximum": 200, "default": 50], "page size"),
                    ("offset", ["type": "integer", "minimum": 0, "maximum": 1_000_000, "default": 0], "rows to skip")
                ]),
            Operation(
                method: "post", path: "/api/v1/cases",
                summary: "Hand a case in from any of the nine channels; answers its number, token and possible duplicates (一口汇集)", tag: "cases",
                request: object(
                    [
                        "channel": oneOf(CaseChannel.allCases.map(\.rawValue)), "category_code": string, "title": string,
                        "description": string, "node": string, "compound_id": uuid, "household_id": uuid, "address": string,
                        "address_id": string, "lat": number(-90...90), "long": number(-180...180), "media_url": string,
                        "submitter_name": string, "submitter_email": string, "submitter_phone": string, "device_id": string,
                        "client_account_id": string, "source_ref": string
                    ], required: ["channel", "category_code", "description"]),
                response: ("201", object(["id": uuid, "number": string, "token": string, "state": state, "duplicates": array(caseSummary)]))),
            Operation(
                method: "get", path: "/api/v1/cases/indicators",
                summary: "立案率、结案率、按期结案率、返工率、响应率、解决率、满意率 for a year, by department, category, residential area or month (案件指标)",
                tag: "cases",
                response: (
                    "200",
                    object([
                        "year": integer, "by": oneOf(CaseIndicatorGrouping.allCases.map(\.rawValue)), "rows": array(indicatorRow),
                        "total": indicatorRow, "years_without_calendar": array(integer)
                    ])
                ),
                query: [
                    ("year", integer, "the year the cases were reported in (default: this year)"),
                    ("by", oneOf(CaseIndicatorGrouping.allCases.map(\.rawValue)), "grouping (default department)")
                ]),
            Operation(
                method: "get", path: "/api/v1/cases/projects", summary: "Projects grouping cases (十大民生实事) with progress (项目清单)", tag: "cases",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "code": string, "name_zh": string, "name_en": string, "year": integer, "target": integer,
                            "cases": integer, "closed": integer, "progress": rate
                        ]))
                )),
            Operation(
                method: "put", path: "/api/v1/cases/department-accounts/{username}",
                summary: "Bind a department-handler account to its department (绑定处置部门)", tag: "cases",
                request: object(["department": string], required: ["department"]), response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/cases/{id}", summary: "A case with its timeline, departments, supervision and follow-ups (案件详情)",
                tag: "cases", response: ("200", caseDetail)),
            Operation(
                method: "get", path: "/api/v1/cases/{id}/duplicates",
                summary: "Possible duplicates: same category, same place or compound, the 7 days before (疑似重复)", tag: "cases",
                response: ("200", array(caseSummary))),
            Operation(
                method: "post", path: "/api/v1/cases/{id}/actions/{action}",
                summary: "Change the case's state (立案、派遣/吹哨、签收、退回、延期、挂起、处置、核查、返工、结案、评价); 409 when not allowed from its state",
                tag: "cases",
                request: object([
                    "reason": string, "department": string, "co_departments": array(string), "days": int(1...30), "primary_id": uuid,
                    "verdict": oneOf(CaseVerdict.allCases.map(\.rawValue)), "resolved": boolean
                ]),
                response: ("200", caseDetail)),
            Operation(
                method: "post", path: "/api/v1/cases/{id}/category",
                summary:
                    "Change an open case's category with a reason (改类别; dispatchers): recorded in its timeline and the audit trail; the department and deadlines stay",
                tag: "cases", request: object(["category_code": string, "reason": string], required: ["category_code", "reason"]),
                response: ("200", caseDetail)),
            Operation(
                method: "post", path: "/api/v1/cases/{id}/reports", summary: "A co-handling department's report under 吹哨 (协办报告)",
                tag: "cases", request: object(["report": string], required: ["report"]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/cases/{id}/supervision", summary: "Put a case under the subdistrict's supervision (督办)",
                tag: "cases", request: object(["note": string], required: ["note"]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/cases/{id}/followups",
                summary: "Record a follow-up call after closure; a verdict on a closed case applies it (回访)", tag: "cases",
                request: object([
                    "method": oneOf(["phone", "visit", "sms", "online"]), "reached": boolean,
                    "verdict": oneOf(CaseVerdict.allCases.map(\.rawValue)), "resolved": boolean, "note": string
                ]),
                response: ("201", nil)),
            Operation(
                method: "post", path: "/api/v1/cases/categories",
                summary: "Add a category: a 大类, or a 小类 under one with its default department and step limits (新增案件分类; administrators)",
                tag: "cases", request: categoryInput, response: ("201", nil)),
            Operation(
                method: "put", path: "/api/v1/cases/categories/{code}",
                summary: "Change a category's names, default department, time limits (4h / 3d) or whether it is offered (修改案件分类; administrators)",
                tag: "cases", request: categoryInput,
                response: (
                    "200",
                    object([
                        "code": string, "parent_code": string, "kind": string, "name_zh": string, "name_en": string,
                        "department_code": string, "limit_file": string, "limit_dispatch": string, "limit_response": string,
                        "limit_handle": string, "limit_verify": string
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/cases/departments", summary: "Add a handling department (新增处置部门; administrators)", tag: "cases",
                request: object(["code": string, "name_zh": string, "name_en": string], required: ["code", "name_zh", "name_en"]),
                response: ("201", nil)),
            Operation(
                method: "post", path: "/api/v1/cases/projects", summary: "Set up a project grouping cases (新建民生实事项目)", tag: "cases",
                request: object(
                    [
                        "code": string, "name_zh": string, "name_en": string, "year": int(2000...2100), "target": int(0...100_000),
                        "description": string
                    ],
                    required: ["code", "name_zh"]),
                response: ("201", object(["id": uuid]))),
            Operation(
                method: "put", path: "/api/v1/cases/{id}/project", summary: "Put a case into a project, or take it out with null (归入项目)",
                tag: "cases", request: object(["project_id": uuid]), response: ("204", nil))
        ]
    }

    private static var categoryInput: [String: Any] {
        object([
            "code": string, "parent_code": string, "kind": oneOf(CaseCategoryKind.allCases.map(\.rawValue)), "name_zh": string, "name_en": string,
            "department": string, "limit_file": string, "limit_dispatch": string, "limit_response": string, "limit_handle": string,
            "limit_verify": string, "active": boolean
        ])
    }
}
