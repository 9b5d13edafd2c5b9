import Foundation
import MinqingDomain

/// 6543 oversight in `/openapi.json` (the system test compares it with the routes).
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var date: [String: Any] { ["type": "string", "format": "date"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var created: (status: String, schema: [String: Any]?) { ("201", object(["id": uuid], required: ["id"])) }

    private static var company: [String: Any] {
        object([
            "id": uuid, "name": string, "licence_code": string, "manager_name": string, "score": integer,
            "standing": oneOf(ListStanding.allCases.map(\.rawValue)), "standing_reason_zh": string, "standing_reason_en": string,
            "open_rectifications": integer, "overdue_rectifications": integer, "compounds": integer
        ])
    }

    private static var creditEntry: [String: Any] {
        object([
            "id": uuid, "points": integer, "rule_code": oneOf(PropertyCredit.rules.map(\.code)), "reason_zh": string, "reason_en": string,
            "entry_date": date, "source": oneOf(CreditSource.allCases.map(\.rawValue)), "source_id": uuid, "recorded_by": string
        ])
    }

    private static var disclosure: [String: Any] {
        object([
            "id": uuid, "compound_id": uuid, "compound_name": string, "kind": oneOf(OversightService.disclosureKinds.keys.sorted()),
            "title": string, "body": string, "amount_fen": integer, "published_on": date
        ])
    }

    private static var inspection: [String: Any] {
        object(
            [
                "compound_id": uuid, "outcome": oneOf(InspectionOutcome.allCases.map(\.rawValue)), "finding": string,
                "case_category": string, "inspected_on": date
            ], required: ["outcome"])
    }

    private static var inspectionResult: [String: Any] {
        object([
            "id": uuid, "case_id": uuid, "case_number": string, "credit_entry_id": uuid, "rectification_id": uuid, "score": integer,
            "standing": string, "standing_reason_zh": string
        ])
    }

    private static var checklist: [String: Any] {
        object([
            "compound_id": uuid, "compound_name": string, "compound_type": oneOf(CompoundType.allCases.map(\.rawValue)), "goal_zh": string,
            "main_line_zh": string, "lead_department": string, "leader_name": string, "done": integer, "total": integer, "percent": integer,
            "measures": array(
                object([
                    "code": string, "name_zh": string, "name_en": string,
                    "status": oneOf(MeasureStatus.allCases.map(\.rawValue)), "note": string, "updated_on": date
                ]))
        ])
    }

    private static var project: [String: Any] {
        object([
            "id": uuid, "concern": oneOf(GovernanceConcern.allCases.map(\.rawValue)), "name": string, "compound_name": string, "department": string,
            "leader_name": string, "budget_fen": integer, "spent_fen": integer, "status": oneOf(OversightService.projectStatuses.map(\.code)),
            "milestones": array(object(["id": uuid, "name": string, "due_on": date, "done_on": date]))
        ])
    }

    static var oversightOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/oversight/companies",
                summary: "Property companies in scope with credit score and red/black-list standing and its reason (物业公司红黑榜)",
                tag: "oversight", response: ("200", array(company))),
            Operation(
                method: "post", path: "/api/v1/oversight/companies", summary: "Register a property company (登记物业公司)", tag: "oversight",
                request: object(["name": string, "licence_code": string, "manager_name": string, "node": string], required: ["name", "licence_code"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/oversight/companies/{id}",
                summary:
                    "A company's credit file (grid staff in scope; a property-company account its own company only): every entry with points, rule, reason and date, the total, contracts, inspections, rectifications, surveys, complaints (信用档案)",
                tag: "oversight",
                response: (
                    "200",
                    object([
                        "company": company, "base": integer, "entries": array(creditEntry), "contracts": array(object([:])),
                        "inspections": array(object([:])), "rectifications": array(object([:])), "surveys": array(object([:])),
                        "complaints": array(object([:])),
                        "answers": array(
                            object([
                                "id": uuid, "rectification_id": uuid, "complaint_id": uuid, "body": string, "done_on": date,
                                "answered_on": date, "answered_by": string, "answered_by_role": oneOf(Role.allCases.map(\.rawValue))
                            ]))
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/oversight/companies/{id}/contracts", summary: "A service contract with a compound (物业服务合同)",
                tag: "oversight",
                request: object(
                    ["compound_id": uuid, "starts_on": date, "ends_on": date, "fee_fen_per_m2": int(0...100_000)], required: ["compound_id"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/companies/{id}/inspections",
                summary:
                    "Record an inspection: the outcome's credit entry, a rectification for a serious problem, and with case_category the finding as a case, in one transaction (物业检查)",
                tag: "oversight", request: inspection, response: ("201", inspectionResult)),
            Operation(
                method: "post", path: "/api/v1/oversight/companies/{id}/surveys",
                summary: "Residents' satisfaction survey; ≥ 90 % or < 60 % writes a credit entry (满意度测评)", tag: "oversight",
                request: object(
                    ["compound_id": uuid, "respondents": int(1...100_000), "satisfied": int(0...100_000), "surveyed_on": date],
                    required: ["compound_id", "respondents", "satisfied"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/companies/{id}/complaints",
                summary: "Link a case as a complaint about the company (once per case); upheld costs points (投诉)", tag: "oversight",
                request: object(["case_id": uuid, "upheld": boolean], required: ["case_id"]), response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/rectifications/{id}/close",
                summary: "Complete an open rectification; 409 when it is not open; on time or late entry (整改销号)", tag: "oversight",
                request: object(["note": string, "closed_on": date], required: ["note"]), response: ("200", company)),
            Operation(
                method: "get", path: "/api/v1/oversight/committees", summary: "Owners' committees in scope (业委会)", tag: "oversight",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "compound_id": uuid, "compound_name": string, "elected_on": date,
                            "term_ends_on": date, "status": string, "members": integer
                        ]))
                )),
            Operation(
                method: "post", path: "/api/v1/oversight/committees", summary: "Record a compound's owners' committee (one per compound)",
                tag: "oversight", request: object(["compound_id": uuid, "elected_on": date, "term_ends_on": date], required: ["compound_id"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/oversight/committees/{id}",
                summary:
                    "Members with roles and terms, the party-member share against 50 % (only for roles that see sensitive tags), corrections and exits, disclosures",
                tag: "oversight",
                response: (
                    "200",
                    object([
                        "committee": object([:]),
                        "members": array(
                            object([
                                "id": uuid, "person_id": uuid, "name": string, "role": string,
                                "term_starts_on": date, "term_ends_on": date,
                                "ended_on": date, "party_member": boolean
                            ])),
                        "party_share": object([
                            "members": integer, "party_members": integer, "percent": integer,
                            "target_percent": integer, "meets_target": boolean
                        ]),
                        "records": array(object([:])), "disclosures": array(disclosure)
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/oversight/committees/{id}/members", summary: "Add a member (a person living in the compound)",
                tag: "oversight",
                request: object(
                    ["person_id": uuid, "role": oneOf(OversightService.memberRoles.keys.sorted()), "term_starts_on": date, "term_ends_on": date],
                    required: ["person_id"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/committees/{id}/records",
                summary: "A correction (纠错) or an exit (退出, ends the member's term; 409 when not serving)", tag: "oversight",
                request: object(
                    ["kind": oneOf(OversightService.recordKinds.keys.sorted()), "member_id": uuid, "reason": string], required: ["kind", "reason"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/committees/{id}/disclosures",
                summary: "Publish a disclosure (audit, minutes, maintenance-fund use, notice) to the compound's residents (信息公开)", tag: "oversight",
                request: object(
                    [
                        "kind": oneOf(OversightService.disclosureKinds.keys.sorted()), "title": string, "body": string,
                        "amount_fen": int(0...1_000_000_000_000)
                    ],
                    required: ["kind", "title", "body"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/oversight/disclosures/{id}",
                summary: "A disclosure: residents only of their own compound, staff in scope", tag: "oversight", response: ("200", disclosure)),
            Operation(
                method: "get", path: "/api/v1/oversight/my-compound",
                summary: "The resident's own compound: type and goal, the property companies' standing, the disclosures", tag: "oversight",
                response: (
                    "200",
                    array(
                        object([
                            "compound_id": uuid, "compound_name": string, "compound_type": string, "goal_zh": string,
                            "companies": array(company), "disclosures": array(disclosure)
                        ]))
                )),
            Operation(
                method: "get", path: "/api/v1/oversight/shops", summary: "Shops and units in scope (一店一档), phone masked, latest 门责制 pledge",
                tag: "oversight",
                response: (
                    "200",
                    object([
                        "total": integer,
                        "shops": array(
                            object([
                                "id": uuid, "name": string, "licence_code": string, "category": string,
                                "address": string, "contact_name": string, "phone_masked": string,
                                "grid_code": string, "grid_name": string, "pledged_on": date,
                                "duties": string
                            ]))
                    ])
                ),
                query: [("q", string, "name or address contains"), ("limit", integer, "1–500, default 100"), ("offset", integer, "skip this many")]),
            Operation(
                method: "post", path: "/api/v1/oversight/shops", summary: "Register a shop's file; the phone through the PII vault (一店一档)",
                tag: "oversight",
                request: object(
                    [
                        "name": string, "licence_code": string, "category": string, "address": string, "contact_name": string, "phone": string,
                        "node": string
                    ], required: ["name", "licence_code", "category", "address", "node"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/shops/{id}/pledges", summary: "A signed 门责制 pledge with its date and duties",
                tag: "oversight",
                request: object(["signed_on": date, "duties": array(string), "signed_by": string], required: ["signed_by"]), response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/shops/{id}/inspections",
                summary: "Inspect a shop; with case_category the finding becomes a case in the same transaction", tag: "oversight",
                request: inspection, response: ("201", inspectionResult)),
            Operation(
                method: "get", path: "/api/v1/oversight/checklists",
                summary: "Each compound's checklist of its type's measures with progress, lead department and leader (6543 分类治理)", tag: "oversight",
                response: ("200", array(checklist)), query: [("compound", uuid, "only this compound")]),
            Operation(
                method: "put", path: "/api/v1/oversight/checklists/{compound}/{measure}", summary: "Set a measure's status and note",
                tag: "oversight",
                request: object(["status": oneOf(MeasureStatus.allCases.map(\.rawValue)), "note": string], required: ["status"]),
                response: ("200", checklist)),
            Operation(
                method: "get", path: "/api/v1/oversight/programmes",
                summary: "The five concerns as programmes: projects, budgets and spending in fen, milestones, department and leader (五大关切)",
                tag: "oversight",
                response: (
                    "200",
                    array(
                        object([
                            "concern": oneOf(GovernanceConcern.allCases.map(\.rawValue)), "name_zh": string, "name_en": string,
                            "projects": integer, "budget_fen": integer, "spent_fen": integer, "milestones": integer,
                            "milestones_done": integer, "items": array(object([:]))
                        ]))
                )),
            Operation(
                method: "patch", path: "/api/v1/oversight/projects/{id}",
                summary: "Change a project's status, spending (fen), leader or department; only the fields given change (staff in scope)",
                tag: "oversight",
                request: object([
                    "status": oneOf(OversightService.projectStatuses.map(\.code)), "spent_fen": int(0...1_000_000_000_000), "leader_name": string,
                    "department": string
                ]),
                response: ("200", project)),
            Operation(
                method: "post", path: "/api/v1/oversight/projects/{id}/milestones", summary: "Add a milestone with its due day", tag: "oversight",
                request: object(["name": string, "due_on": date], required: ["name", "due_on"]), response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/milestones/{id}/done", summary: "Mark a milestone done; 409 when it is done already",
                tag: "oversight", request: object(["done_on": date]), response: ("200", project)),
            Operation(
                method: "put", path: "/api/v1/oversight/company-accounts/{username}",
                summary:
                    "Link a property-company account to its company (administrators and subdistrict staff); the account then reads that company's credit file only",
                tag: "oversight", request: object(["company_id": uuid], required: ["company_id"]), response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/oversight/companies/{id}/staff",
                summary:
                    "A company's current staff, names only; party_share (current staff holding the party-member tag / current staff, target 50 %) only for roles that see sensitive tags",
                tag: "oversight", response: ("200", staffList)),
            Operation(
                method: "post", path: "/api/v1/oversight/companies/{id}/staff",
                summary: "Add a person of the register in the caller's scope as the company's staff; 409 when they serve it already (物业从业人员)",
                tag: "oversight",
                request: object(["person_id": uuid, "role": oneOf(OversightQueries.staffRoleOrder), "started_on": date], required: ["person_id"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/companies/{id}/staff/{staff}/end",
                summary: "End a staff member's service (a conditional UPDATE; 409 when not serving); answers the current staff",
                tag: "oversight", request: object(["ended_on": date]), response: ("200", staffList)),
            Operation(
                method: "post", path: "/api/v1/oversight/rectifications/{id}/answers",
                summary:
                    "A property company reports on its own open rectification: what was done and the day (default today, not in the future); staff then close it; 409 when it is closed already (整改情况报告)",
                tag: "oversight", request: object(["body": string, "done_on": date], required: ["body"]), response: created),
            Operation(
                method: "post", path: "/api/v1/oversight/complaints/{id}/answers",
                summary: "A property company replies to a complaint linked to its own company (投诉答复)", tag: "oversight",
                request: object(["body": string], required: ["body"]), response: created)
        ]
    }

    private static var staffList: [String: Any] {
        object([
            "staff": array(
                object([
                    "id": uuid, "person_id": uuid, "name": string, "role": oneOf(OversightQueries.staffRoleOrder),
                    "started_on": date, "ended_on": date
                ])),
            "party_share": object([
                "members": integer, "party_members": integer, "percent": integer, "target_percent": integer, "meets_target": boolean
            ])
        ])
    }
}
