import Foundation
import MinqingDomain

/// 组织力工程 in `/openapi.json` (the system test compares them with the routes).
extension OpenAPIDocument {
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var date: [String: Any] { ["type": "string", "format": "date"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func oneOf(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }
    private static var created: (status: String, schema: [String: Any]?) { ("201", object(["id": uuid], required: ["id"])) }

    private static var organisation: [String: Any] {
        object([
            "id": uuid, "name": string, "kind": oneOf(OrganisationKind.allCases.map(\.rawValue)),
            "basis": oneOf(OrganisationBasis.allCases.map(\.rawValue)), "sensitive": boolean, "grid_code": string, "grid_name": string,
            "parent_id": uuid, "parent_name": string, "service_unit_id": uuid, "unit_name": string, "compound_id": uuid, "purpose": string,
            "starts_on": date, "ends_on": date, "closed_on": date, "term_ends_on": date, "members": integer
        ])
    }
    private static var member: [String: Any] {
        object([
            "id": uuid, "person_id": uuid, "name": string, "grid_code": string, "role": oneOf(MemberRole.allCases.map(\.rawValue)),
            "starts_on": date, "ends_on": date, "shows_identity": boolean, "shows_identity_on": date
        ])
    }
    private static var registration: [String: Any] {
        object([
            "id": uuid, "member_name": string, "username": string, "community_code": string, "community_name": string, "service_unit_id": uuid,
            "unit_name": string, "shows_identity": boolean, "shows_identity_on": date, "registered_on": date, "minutes": integer
        ])
    }
    private static var detail: [String: Any] {
        object([
            "organisation": organisation, "open": boolean,
            "history": array(
                object([
                    "action": string, "old_value": string, "new_value": string, "reason": string, "actor_name": string,
                    "created_at": dateTime
                ])),
            "children": array(organisation),
            "terms": array(object(["seq": integer, "starts_on": date, "ends_on": date, "closed_on": date, "reason": string, "created_by": string]))
        ])
    }
    private static var committeeShares: [String: Any] {
        object([
            "committees": integer, "meeting_target": integer, "members": integer, "party_members": integer,
            "rows": array(
                object([
                    "committee_id": uuid, "compound_id": uuid, "compound_name": string, "members": integer, "party_members": integer,
                    "percent": integer, "target_percent": integer, "meets_target": boolean
                ]))
        ])
    }
    private static var companyShares: [String: Any] {
        object([
            "companies": integer, "meeting_target": integer, "staff": integer, "party_members": integer,
            "rows": array(
                object([
                    "company_id": uuid, "company_name": string, "staff": integer, "party_members": integer,
                    "percent": integer, "target_percent": integer, "meets_target": boolean
                ]))
        ])
    }
    private static var training: [String: Any] {
        object([
            "id": uuid, "title": string, "held_on": date, "place": string, "minutes": integer, "grid_code": string, "grid_name": string,
            "present": integer, "absent": integer, "excused": integer, "rate_percent": integer
        ])
    }
    private static var rotation: [String: Any] {
        object([
            "id": uuid, "account_id": uuid, "username": string, "display_name": string, "from_code": string, "from_name": string,
            "from_unit_name": string, "to_code": string, "to_name": string, "to_unit_name": string, "post": string, "purpose": string,
            "starts_on": date, "ends_on": date
        ])
    }
    private static var periodQuery: [(name: String, schema: [String: Any], description: String)] {
        [("from", date, "first day (YYYY-MM-DD, included)"), ("to", date, "last day (YYYY-MM-DD, included)")]
    }

    /// Item 6 (干部培训、挂职) and 换届.
    static var staffOperations: [Operation] {
        [
            Operation(
                method: "post", path: "/api/v1/organisations/{id}/terms",
                summary:
                    "换届: close the current term on the election day and open the next with the kind's term length; members whose role changes keep the old row as history (ended) and get a new one; offices not confirmed revert to member",
                tag: "organisations",
                request: object([
                    "elected_on": date, "reason": string,
                    "roles": array(object(["member_id": uuid, "role": oneOf(MemberRole.allCases.map(\.rawValue))], required: ["member_id", "role"]))
                ]),
                response: ("200", detail)),
            Operation(
                method: "get", path: "/api/v1/staff/trainings",
                summary:
                    "Training sessions organised in scope or attended by the caller, newest first, with present/absent/excused counts and the attendance rate (干部培训)",
                tag: "organisations", response: ("200", array(training)), query: periodQuery + paging),
            Operation(
                method: "post", path: "/api/v1/staff/trainings",
                summary: "Create a training session: title, date, organiser node in scope (default the caller's), length in minutes (15–2400), place",
                tag: "organisations",
                request: object(
                    ["title": string, "held_on": date, "node": string, "minutes": int(15...2400), "place": string],
                    required: ["title", "held_on", "minutes"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/staff/trainings/{id}",
                summary: "A session with its figures and the attendance of the cadres in scope", tag: "organisations",
                response: (
                    "200",
                    object([
                        "training": training,
                        "attendance": array(
                            object([
                                "account_id": uuid, "username": string, "display_name": string, "role": string,
                                "grid_name": string, "status": oneOf(AttendanceStatus.allCases.map(\.rawValue)),
                                "recorded_by": string
                            ]))
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/staff/trainings/{id}/attendance",
                summary:
                    "Record attendance at a session held already, one entry per cadre in scope (present, absent, excused); a cadre recorded before gets the new status; all in one transaction (出勤登记)",
                tag: "organisations",
                request: object(
                    [
                        "records": array(
                            object(
                                [
                                    "account_id": uuid, "username": string,
                                    "status": oneOf(AttendanceStatus.allCases.map(\.rawValue))
                                ], required: ["status"]))
                    ],
                    required: ["records"]),
                response: ("200", object(["recorded": integer, "training": training]))),
            Operation(
                method: "get", path: "/api/v1/staff/attendance",
                summary: "Each cadre's attendance over the sessions of a period (default this year): counts and rate, cadres in scope only (出勤率)",
                tag: "organisations",
                response: (
                    "200",
                    object([
                        "from": date, "to": date,
                        "cadres": array(
                            object([
                                "account_id": uuid, "username": string, "display_name": string, "role": string,
                                "grid_code": string, "grid_name": string, "present": integer, "absent": integer,
                                "excused": integer, "rate_percent": integer
                            ]))
                    ])
                ),
                query: periodQuery),
            Operation(
                method: "get", path: "/api/v1/staff/rotations",
                summary: "Rotations (挂职) whose cadre, origin or destination lies in scope, or the caller's own", tag: "organisations",
                response: ("200", array(rotation)), query: [("current", boolean, "only those not ended today")] + paging),
            Operation(
                method: "post", path: "/api/v1/staff/rotations",
                summary:
                    "Record a rotation (挂职): a cadre in scope, from a unit or node (default the cadre's node), to a unit or node in scope, post, purpose, dates (at most three years); an overlapping one answers 409",
                tag: "organisations",
                request: object(
                    [
                        "account_id": uuid, "username": string, "from_node": string, "from_unit_id": uuid, "to_node": string, "to_unit_id": uuid,
                        "post": string, "purpose": string, "starts_on": date, "ends_on": date
                    ],
                    required: ["post", "purpose", "ends_on"]),
                response: created)
        ]
    }
    private static var nodeQuery: (name: String, schema: [String: Any], description: String) {
        ("node", string, "a grid code inside the caller's scope")
    }

    static var organisationOperations: [Operation] { organisationCoreOperations + staffOperations }

    private static var organisationCoreOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/organisations",
                summary:
                    "Organisations built at nodes in scope, with current member counts (0 for party ones when the role may not see membership) (组织列表)",
                tag: "organisations", response: ("200", array(organisation)),
                query: [("kind", oneOf(OrganisationKind.allCases.map(\.rawValue)), "only this kind"), nodeQuery, ("open", boolean, "only open ones")]
                    + paging),
            Operation(
                method: "post", path: "/api/v1/organisations",
                summary:
                    "Create an organisation: kind, basis, node, parent (checked against the kind's allowed parents), dates (a temporary branch needs its end date) (建立组织)",
                tag: "organisations",
                request: object(
                    [
                        "name": string, "kind": oneOf(OrganisationKind.allCases.map(\.rawValue)),
                        "basis": oneOf(OrganisationBasis.allCases.map(\.rawValue)),
                        "node": string, "parent_id": uuid, "compound_id": uuid, "service_unit_id": uuid, "purpose": string,
                        "starts_on": date, "ends_on": date
                    ], required: ["name", "kind"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/organisations/figures",
                summary:
                    "Figures for the dashboard's 党的建设 and 社会参与 domains: open organisations by kind, coverage of compounds and micro-grids, members, 双报到 (组织力指标)",
                tag: "organisations",
                response: (
                    "200",
                    object([
                        "by_kind": array(object(["kind": string, "basis": string, "open": integer])), "compounds": integer,
                        "compounds_covered": integer, "micro_grids": integer, "micro_grids_covered": integer, "party_members": integer,
                        "members_showing_identity": integer, "households_showing_identity": integer, "dual_registered": integer,
                        "dual_serving": integer, "model_posts": integer, "responsibility_areas": integer, "commando_teams": integer,
                        "building_group_leaders": integer, "owners_committees": committeeShares,
                        "property_companies": companyShares
                    ])
                ),
                query: [nodeQuery]),
            Operation(
                method: "post", path: "/api/v1/organisations/close-expired",
                summary:
                    "Close every temporary branch in scope whose end date has come; memberships end on that date and stay as history (临时党支部到期撤销)",
                tag: "organisations", response: ("200", object(["closed": integer]))),
            Operation(
                method: "post", path: "/api/v1/organisations/export",
                summary:
                    "Organisations and members as CSV; party membership only for roles that may see it, when asked (sensitive: true) with a purpose; audited (导出)",
                tag: "organisations", request: object(["node": string, "sensitive": boolean, "purpose": purposeCode, "purpose_detail": string]),
                response: ("200", ["type": "string", "contentMediaType": "text/csv"]), query: [fileLangQuery]),
            Operation(
                method: "get", path: "/api/v1/organisations/posts",
                summary: "Model posts, responsibility areas and commando teams: staff in scope, a member those of their community (示范岗/责任区/突击队)",
                tag: "organisations",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "kind": oneOf(OrganisationPostKind.allCases.map(\.rawValue)), "name": string, "mission": string,
                            "grid_code": string, "grid_name": string, "organisation_name": string, "starts_on": date, "ends_on": date,
                            "claims": integer
                        ]))
                ),
                query: [("kind", oneOf(OrganisationPostKind.allCases.map(\.rawValue)), "only this kind"), nodeQuery]),
            Operation(
                method: "post", path: "/api/v1/organisations/posts",
                summary: "Create a model post, responsibility area (bound to a grid node) or commando team with its mission (设岗定责)",
                tag: "organisations",
                request: object(
                    [
                        "kind": oneOf(OrganisationPostKind.allCases.map(\.rawValue)), "name": string, "mission": string, "node": string,
                        "organisation_id": uuid, "starts_on": date, "ends_on": date
                    ], required: ["kind", "name", "node"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/organisations/units", summary: "The units (驻区单位) of the caller's subdistrict", tag: "organisations",
                response: ("200", array(object(["id": uuid, "name": string, "unit_kind": string])))),
            Operation(
                method: "get", path: "/api/v1/organisations/building-group-leaders", summary: "Current building-group leaders in scope (楼组长)",
                tag: "organisations",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "person_id": uuid, "name": string, "grid_code": string, "grid_name": string,
                            "starts_on": date, "ends_on": date
                        ]))
                ),
                query: [nodeQuery]),
            Operation(
                method: "post", path: "/api/v1/organisations/building-group-leaders",
                summary: "Make a person of the register the leader of their building group (楼组长)", tag: "organisations",
                request: object(["person_id": uuid, "organisation_id": uuid, "starts_on": date], required: ["person_id"]), response: created),
            Operation(
                method: "get", path: "/api/v1/organisations/{id}", summary: "An organisation with its history and sub-organisations (组织详情)",
                tag: "organisations", response: ("200", detail)),
            Operation(
                method: "post", path: "/api/v1/organisations/{id}/changes",
                summary: "Rename, move (new parent) or close, with a reason; kept as append-only history; a closed organisation answers 409 (组织变更)",
                tag: "organisations",
                request: object(
                    ["action": oneOf(["rename", "move", "close"]), "name": string, "parent_id": string, "closed_on": date, "reason": string],
                    required: ["action", "reason"]),
                response: ("200", detail)),
            Operation(
                method: "get", path: "/api/v1/organisations/{id}/members",
                summary: "Members in scope; for a party organisation only roles that may see sensitive identities, otherwise 403 (成员)",
                tag: "organisations", response: ("200", array(member)), query: [("ended", boolean, "include ended memberships")]),
            Operation(
                method: "post", path: "/api/v1/organisations/{id}/members",
                summary:
                    "Add a person of the register with a role and start; a party organisation's member gets the register's id.party_member tag (加入组织)",
                tag: "organisations",
                request: object(
                    ["person_id": uuid, "role": oneOf(MemberRole.allCases.map(\.rawValue)), "starts_on": date, "shows_identity": boolean],
                    required: ["person_id"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/organisations/{id}/members/{member}/end",
                summary: "End a membership; the row stays as history; an ended one answers 409 (离开组织)", tag: "organisations",
                request: object(["ends_on": date, "reason": string]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/organisations/{id}/members/{member}/identity",
                summary: "Record the member's choice to show (or stop showing) their identity, with the date (亮身份)", tag: "organisations",
                request: object(["shows": boolean]), response: ("204", nil)),
            Operation(
                method: "get", path: "/api/v1/dual/registrations",
                summary: "双报到 registrations: one's own, or for roles entitled to sensitive data those of communities in scope", tag: "organisations",
                response: ("200", array(registration)), query: [("unit", uuid, "only members of this unit")]),
            Operation(
                method: "post", path: "/api/v1/dual/registrations",
                summary:
                    "Register an in-service member and their work unit with the home community: oneself, or staff for a person or account in scope (双报到)",
                tag: "organisations",
                request: object(
                    ["service_unit_id": uuid, "person_id": uuid, "username": string, "shows_identity": boolean], required: ["service_unit_id"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/dual/registrations/{id}/claims",
                summary: "Claim a current post of the member's community; a second claim answers 409 (认领岗位)", tag: "organisations",
                request: object(["post_id": uuid], required: ["post_id"]), response: created),
            Operation(
                method: "get", path: "/api/v1/dual/registrations/{id}/service", summary: "A registration's service records (服务记录)",
                tag: "organisations",
                response: (
                    "200",
                    array(
                        object([
                            "id": uuid, "served_on": date, "minutes": integer, "description": string, "post_name": string,
                            "recorded_by": string
                        ]))
                )),
            Operation(
                method: "post", path: "/api/v1/dual/registrations/{id}/service",
                summary: "Record service: date within the past year, 1–720 minutes, what was done, optionally a claimed post (记录服务)",
                tag: "organisations",
                request: object(
                    ["served_on": date, "minutes": int(1...720), "description": string, "post_id": uuid], required: ["minutes", "description"]),
                response: created),
            Operation(
                method: "get", path: "/api/v1/dual/units/{id}/report",
                summary: "双报告: the service a unit's members recorded in communities in scope in a period, by member, with totals",
                tag: "organisations",
                response: (
                    "200",
                    object([
                        "unit_id": uuid, "unit_name": string, "from": date, "to": date,
                        "lines": array(
                            object([
                                "registration_id": uuid, "member_name": string, "community_name": string,
                                "records": integer, "minutes": integer
                            ])),
                        "records": integer, "minutes": integer
                    ])
                ),
                query: [("from", date, "first day (default: the first of this month)"), ("to", date, "last day (default: today)")]),
            Operation(
                method: "get", path: "/api/v1/cobuilding/rules", summary: "The published co-building points rules (积分规则)", tag: "organisations",
                response: (
                    "200", array(object(["code": string, "name": string, "name_en": string, "points": integer, "per": string, "per_en": string]))
                )),
            Operation(
                method: "get", path: "/api/v1/cobuilding/units/{id}",
                summary:
                    "A unit's co-building file: problem/resource/project lists, contracts with each side's commitments and delivery, points entries and their sum (共建档案)",
                tag: "organisations",
                response: (
                    "200",
                    object([
                        "unit": object(["id": uuid, "name": string, "unit_kind": string]),
                        "items": array(
                            object([
                                "id": uuid, "list_kind": oneOf(["problem", "resource", "project"]), "title": string,
                                "detail": string, "status": string
                            ])),
                        "contracts": array(
                            object([
                                "id": uuid, "title": string, "community": string, "starts_on": date, "ends_on": date,
                                "commitments": array(
                                    object([
                                        "id": uuid, "side": oneOf(["unit", "community"]),
                                        "content": string, "due_on": date, "delivered": boolean,
                                        "checked_on": date
                                    ]))
                            ])),
                        "points": array(
                            object([
                                "id": uuid, "rule_code": string, "quantity": integer, "points": integer, "explanation": string, "reason": string,
                                "earned_on": date, "created_by": string
                            ])), "points_total": integer
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/cobuilding/items", summary: "Add to a unit's problem, resource or project list (清单制)",
                tag: "organisations",
                request: object(
                    [
                        "service_unit_id": uuid, "list_kind": oneOf(["problem", "resource", "project"]), "title": string, "detail": string,
                        "node": string
                    ], required: ["service_unit_id", "list_kind", "title"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/cobuilding/contracts", summary: "A co-building contract with what each side commits (契约制)",
                tag: "organisations",
                request: object(
                    [
                        "service_unit_id": uuid, "node": string, "title": string, "starts_on": date, "ends_on": date,
                        "commitments": array(object(["side": oneOf(["unit", "community"]), "content": string, "due_on": date]))
                    ],
                    required: ["service_unit_id", "title", "commitments"]),
                response: created),
            Operation(
                method: "post", path: "/api/v1/cobuilding/commitments/{id}/check",
                summary: "Record once whether a commitment was delivered; a unit's own earns or loses points by the published rule (核验兑现)",
                tag: "organisations",
                request: object(["delivered": boolean], required: ["delivered"]), response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/cobuilding/points",
                summary: "Award points to a unit or an in-service member under a published rule, with a reason; each entry explained (积分制)",
                tag: "organisations",
                request: object(
                    [
                        "service_unit_id": uuid, "registration_id": uuid, "rule": oneOf(CoBuildingPoints.rules.map(\.code)),
                        "quantity": int(1...10_000),
                        "reason": string, "earned_on": date
                    ], required: ["rule", "reason"]),
                response: ("201", nil)),
            Operation(
                method: "get", path: "/api/v1/cobuilding/members/{id}/points", summary: "An in-service member's points entries and their sum (党员积分)",
                tag: "organisations",
                response: (
                    "200",
                    object([
                        "registration_id": uuid,
                        "points": array(
                            object([
                                "id": uuid, "rule_code": string, "quantity": integer, "points": integer, "explanation": string, "reason": string,
                                "earned_on": date, "created_by": string
                            ])), "points_total": integer
                    ])
                ))
        ]
    }
}
