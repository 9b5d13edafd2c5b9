/// The second factor's operations (enrolment, recovery codes, removal, a manager's reset).
extension OpenAPIDocument {
    static var secondFactorOperations: [Operation] {
        let code = object(["code": ["type": "string", "pattern": "^[0-9]{6}$"]], required: ["code"])
        let codes = object(["recovery_codes": ["type": "array", "items": string]])
        return [
            Operation(
                method: "post", path: "/api/v1/me/display",
                summary: "Large, high-contrast type on the caller's pages, remembered with the account (适老化大字模式)",
                tag: "access", request: object(["large_text": boolean], required: ["large_text"]),
                response: ("200", object(["large_text": boolean]))),
            Operation(
                method: "get", path: "/api/v1/me/second-factor",
                summary: "Whether the caller has a second factor, whether the role requires one, recovery codes left (动态口令状态)",
                tag: "access", response: ("200", object(["enrolled": boolean, "required": boolean, "recovery_codes_left": integer]))),
            Operation(
                method: "post", path: "/api/v1/me/second-factor",
                summary: "Start enrolment: a new TOTP secret (base32) and its otpauth:// link, waiting for the first code (绑定动态口令)",
                tag: "access", response: ("201", object(["secret": string, "otpauth_uri": string]))),
            Operation(
                method: "post", path: "/api/v1/me/second-factor/confirm",
                summary: "Confirm enrolment with the first code; answers ten recovery codes, shown once; audited (确认绑定)",
                tag: "access", request: code, response: ("200", codes)),
            Operation(
                method: "post", path: "/api/v1/me/second-factor/recovery-codes",
                summary: "Ten new recovery codes after a current code; the old ones stop working; audited (新的恢复码)",
                tag: "access", request: code, response: ("200", codes)),
            Operation(
                method: "post", path: "/api/v1/me/second-factor/disable",
                summary: "Remove the caller's second factor after a current code; audited (解除绑定)",
                tag: "access", request: code, response: ("204", nil)),
            Operation(
                method: "post", path: "/api/v1/accounts/{username}/second-factor/reset",
                summary: "A manager removes the second factor of an account in scope (lost phone); its sessions end; audited (重置动态口令)",
                tag: "accounts", response: ("204", nil))
        ]
    }
}
