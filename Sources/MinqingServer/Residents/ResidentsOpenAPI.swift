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
                method: "get", path: "/api/v1/me/home",
                summary: "The resident's home: what needs them (votes, check-ins, bookings, cases to rate), what is new, the time bank (首页)",
                tag: "access",
                response: (
                    "200",
                    object([
                        "needs": ["type": "array", "items": ["type": "object"]], "news": ["type": "array", "items": ["type": "object"]],
                        "unread_notifications": integer,
                        "time_bank": object(["minutes": integer, "points": integer, "statement_href": string])
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
                method: "get", path: "/api/v1/me/proxies",
                summary: "代办: the elderly members of the resident's household they act for, and those aged 60 or over they may register for",
                tag: "access",
                response: (
                    "200",
                    object([
                        "links": ["type": "array", "items": object(["id": string, "person_id": string, "name": string, "age": integer])],
                        "may_link": ["type": "array", "items": object(["person_id": string, "name": string, "age": integer])]
                    ])
                )),
            Operation(
                method: "post", path: "/api/v1/me/proxies",
                summary:
                    "Register acting for a living member of one's own household aged 60 or over who agreed (consent: true); audited; 409 when already registered (登记代办)",
                tag: "access", request: object(["person_id": string, "consent": boolean], required: ["person_id", "consent"]),
                response: ("201", object(["id": string]))),
            Operation(
                method: "post", path: "/api/v1/me/proxies/{id}/end", summary: "Stop acting for the family member; the record stays (结束代办)",
                tag: "access", response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/auth/password-code",
                summary:
                    "A resident who forgot their password asks for a 6-digit code on the mobile number they signed up with, sent through the notification gateway; 202 whether or not the account exists; one a minute and five a day per account, limited per address (忘记密码：获取验证码)",
                tag: "access", request: object(["username": string], required: ["username"]),
                response: ("202", object(["message": string]))),
            Operation(
                method: "post", path: "/api/v1/auth/password-reset",
                summary:
                    "Set a new password with the texted code (10 minutes, 5 tries); ends every session of the account; a wrong or expired code is 422 on `code` (凭验证码重设密码)",
                tag: "access",
                request: object(
                    ["username": string, "code": string, "new_password": string, "confirm_password": string],
                    required: ["username", "code", "new_password"]),
                response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/residents/signup",
                summary:
                    "A resident signs up with the household's letter: code, name and ID number (checked against a current member), mobile, username, password; no sign-in needed; limited per address (用邀请函注册)",
                tag: "access",
                request: object(
                    [
                        "code": string, "name": string, "id_number": string, "phone": string, "username": string, "password": string,
                        "confirm_password": string
                    ], required: ["code", "name", "id_number", "phone", "username", "password"]),
                response: ("201", object(["account_id": ["type": "string", "format": "uuid"], "username": string]))),
            Operation(
                method: "get", path: "/api/v1/residents/invitations",
                summary: "Sign-up coverage of a node's children, or a building group's households with their letters (居民注册覆盖)",
                tag: "access",
                response: ("200", object(["node": ["type": "object"], "children": ["type": "array"], "households": ["type": "array"]])),
                query: [("node", string, "a grid node code inside the caller's scope (default: the caller's root)")]),
            Operation(
                method: "post", path: "/api/v1/residents/invitations",
                summary:
                    "Letters for a building group's households that have neither an account nor an unused letter, or for one household; the codes are in this answer only; audited (生成邀请函)",
                tag: "access",
                request: object(
                    [
                        "node": string, "valid_days": ["type": "integer", "minimum": 1, "maximum": 90],
                        "household_id": ["type": "string", "format": "uuid"]
                    ],
                    required: ["node"]),
                response: ("201", ["type": "array", "items": ["type": "object"]])),
            Operation(
                method: "post", path: "/api/v1/me/household/invitations",
                summary:
                    "A resident's sign-up code for a registered member of their household: valid 7 days, one use, at most 3 unused; the code is in this answer only; audited (邀请家人)",
                tag: "access", response: ("201", ["type": "object"])),
            Operation(
                method: "post", path: "/api/v1/residents/desk-signups",
                summary:
                    "The residents' committee signs a resident up at its desk: a household in scope, the person matched by name and ID number, an initial password shown once; audited (代为注册)",
                tag: "access",
                request: object(
                    ["household_id": ["type": "string", "format": "uuid"], "name": string, "id_number": string, "phone": string, "username": string],
                    required: ["household_id", "name", "id_number", "phone", "username"]),
                response: ("201", object(["account_id": ["type": "string", "format": "uuid"], "username": string, "initial_password": string]))),
            Operation(
                method: "post", path: "/api/v1/residents/accounts/{username}/reset-password",
                summary:
                    "The residents' committee resets a resident's forgotten password at its desk: an initial password shown once, changed at the next sign-in; sessions end; audited (重置密码)",
                tag: "access", response: ("200", object(["username": string, "initial_password": string]))),
            Operation(
                method: "post", path: "/api/v1/residents/invitations/{id}/revoke",
                summary: "Revoke an unused letter with a reason; audited (作废邀请函)", tag: "access",
                request: object(["reason": string], required: ["reason"]), response: ("204", nil)),
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
