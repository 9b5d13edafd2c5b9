import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Getting residents on (issue 22): letters per building group, sign-up with a code checked
/// against the household through the blind index, one answer for every mismatch, single use,
/// revocation (by staff and by itself after failures), the address budget, and the audit rows.
@Suite("Residents: invitation letters and sign-up")
struct InvitationsTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    static let head = id("31010619620415003")
    static let son = id("31010619900101004")
    /// A real-looking number of nobody in this household (of the demo register or of no one).
    static let stranger = id("31010619700202005")
    static let group = "310106019-1-01-1-01"

    struct Letter: Decodable { var id: UUID; var household_id: UUID; var address: String; var code: String; var expires_at: Date }
    struct Overview: Decodable {
        struct H: Decodable { var id: UUID; var accounts: Int; var letter_id: UUID?; var letter_until: Date? }
        struct C: Decodable { var code: String; var households: Int; var signed_up: Int; var letters_active: Int }
        var households: [H]; var children: [C]
    }

    func api(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    /// A household of two at the demo's first building group, and a neighbour of one; their ids.
    func household(_ admin: TestClient) async throws -> UUID {
        let members: [[String: Any]] = [
            ["name": "赵国强", "id_number": Self.head, "relation": "head", "residence_status": "registered"],
            ["name": "赵小明", "id_number": Self.son, "relation": "son", "residence_status": "registered"]
        ]
        let response = try await admin.jsonObject(
            .POST, "/api/v1/registry/households", ["node": Self.group, "address": "邀请路 1 号 101 室", "moved_in_on": "2001-01-01", "members": members])
        let neighbour = try await admin.jsonObject(
            .POST, "/api/v1/registry/households",
            [
                "node": Self.group, "address": "邀请路 1 号 102 室", "moved_in_on": "2003-03-03",
                "members": [["name": "孙丽", "id_number": Self.id("31010619750505006"), "relation": "head", "residence_status": "registered"]]
            ])
        #expect(neighbour.status == .created, "\(neighbour.body.string)")
        return try response.createdID()
    }

    func signup(_ code: String, name: String = "赵国强", id: String = head, username: String = "zhaoguoqiang") -> [String: Any] {
        ["code": code, "name": name, "id_number": id, "phone": "139 0013 9000", "username": username, "password": "Invite-Pass-2026"]
    }

    func count(_ app: Application, _ sql: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await app.db.sql.raw(sql).first(decoding: N.self)?.n ?? -1
    }

    @Test("a cadre prints letters for a building group; a resident signs up once, masked, audited; the letter is then used")
    func signUpWithLetter() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            let cadre = try await api(app, "cadre")
            let before = try await cadre.get("/api/v1/residents/invitations?node=\(Self.group)").decode(Overview.self)
            let waiting = before.households.filter { $0.accounts == 0 && $0.letter_id == nil }.count
            #expect(waiting >= 1 && before.households.contains { $0.id == home })

            let asked = TestClock.pinnedNow()
            let issued = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group, "valid_days": 14])
            let answered = TestClock.pinnedNow()
            #expect(issued.status == .created, "\(issued.body.string)")
            let letters = try issued.decode([Letter].self)
            #expect(letters.count == waiting, "one letter per household without an account or a letter")
            let letter = try #require(letters.first { $0.household_id == home })
            #expect(InvitationCode(typed: letter.code) != nil)
            // Valid 14 days from its issue (the test clock runs with real time; a loaded machine
            // may take seconds over the request).
            let validFor = (asked.timeIntervalSince(letter.expires_at) + 14 * 86_400, answered.timeIntervalSince(letter.expires_at) + 14 * 86_400)
            #expect(validFor.0 <= 1 && validFor.1 >= -1, "\(validFor)")
            // The code is kept only as a keyed hash.
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM resident_invitations WHERE code_hash LIKE \(bind: "%" + letter.code + "%")") == 0)
            // Asked again, nobody needs one.
            let again = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group])
            #expect(try again.decode([Letter].self).isEmpty)

            // Sign-up through the API, the code typed in lower case without the dash.
            let typed = letter.code.lowercased().replacingOccurrences(of: "-", with: "")
            let anonymous = TestClient(app)
            let done = try await anonymous.jsonObject(.POST, "/api/v1/residents/signup", signup(typed))
            #expect(done.status == .created, "\(done.body.string)")
            struct Row: Decodable {
                var role: String; var grid_node_id: UUID; var phone_masked: String; var phone_cipher: String; var household_id: UUID
            }
            let row = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT a.role, a.grid_node_id, r.phone_masked, r.phone_cipher, rh.household_id FROM accounts a
                    JOIN resident_accounts r ON r.account_id = a.id JOIN resident_households rh ON rh.account_id = a.id
                    WHERE a.username = 'zhaoguoqiang'
                    """
                ).first(decoding: Row.self))
            #expect(row.role == "resident" && row.household_id == home && row.phone_masked == "139****9000")
            #expect(!row.phone_cipher.contains("13900139000"))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'resident.signed_up'") == 1)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM resident_invitations WHERE id = \(bind: letter.id) AND used_at IS NOT NULL") == 1)

            // The new resident signs in and sees their household on My data.
            let web = TestClient(app)
            #expect(try await web.signInWeb("zhaoguoqiang", password: "Invite-Pass-2026").status == .seeOther)
            let mine = try await web.get("/account/data").body.string
            #expect(mine.contains("邀请路 1 号 101 室"))

            // The same letter again, for the son: used, so the one answer for every mismatch.
            let reuse = try await anonymous.jsonObject(
                .POST, "/api/v1/residents/signup", signup(letter.code, name: "赵小明", id: Self.son, username: "zhaoxiaoming"))
            #expect(reuse.status == .unprocessableEntity)
            #expect(reuse.body.string.contains("邀请码、姓名和身份证号码对不上"))

            // The overview counts the household as signed up, and so does the coverage one level up.
            let after = try await cadre.get("/api/v1/residents/invitations?node=\(Self.group)").decode(Overview.self)
            #expect(after.households.first { $0.id == home }?.accounts == 1)
            let up = try await cadre.get("/api/v1/residents/invitations?node=310106019-1-01-1").decode(Overview.self)
            let cell = try #require(up.children.first { $0.code == Self.group })
            #expect(cell.signed_up == after.households.filter { $0.accounts > 0 }.count)
            #expect(cell.households == after.households.count)
        }
    }

    @Test("a wrong name, a stranger's number or a wrong code get the same answer; five misses revoke the letter")
    func mismatches() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            let cadre = try await api(app, "cadre")
            let letters = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group]).decode([Letter].self)
            let letter = try #require(letters.first { $0.household_id == home })
            // Another household's letter of the same group, to try a real number of this household on.
            let other = try #require(letters.first { $0.household_id != home })
            let anonymous = TestClient(app)
            var answers: [String] = []
            for body in [
                signup(letter.code, name: "赵国"), signup(letter.code, id: Self.stranger), signup(other.code), signup("AAAAA-CCCCC")
            ] {
                let response = try await anonymous.jsonObject(.POST, "/api/v1/residents/signup", body)
                #expect(response.status == .unprocessableEntity, "\(response.body.string)")
                struct E: Decodable {
                    struct Inner: Decodable { var message: String; var fields: [F] }; struct F: Decodable { var field: String }; var error: Inner
                }
                let error = try response.decode(E.self).error
                #expect(error.fields.map(\.field) == ["code"])
                answers.append(error.message)
            }
            #expect(Set(answers).count == 1, "no answer tells which part did not match or whether the number exists elsewhere")
            // Malformed input names its field instead.
            let malformed = try await anonymous.jsonObject(.POST, "/api/v1/residents/signup", signup(letter.code, id: "310106", username: "x"))
            #expect(malformed.status == .unprocessableEntity)
            #expect(malformed.body.string.contains("id_number") && malformed.body.string.contains("username"))

            // Two misses on this letter so far; three more revoke it, and then even the right answer fails.
            for _ in 0..<3 { _ = try await anonymous.jsonObject(.POST, "/api/v1/residents/signup", signup(letter.code, name: "钱")) }
            #expect(
                try await count(app, "SELECT COUNT(*) AS n FROM resident_invitations WHERE id = \(bind: letter.id) AND revoked_by = 'system'") == 1)
            let late = try await anonymous.jsonObject(.POST, "/api/v1/residents/signup", signup(letter.code))
            #expect(late.status == .unprocessableEntity)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM accounts WHERE username = 'zhaoguoqiang'") == 0, "nothing written")
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.mismatch'") == 6)
        }
    }

    @Test("staff revoke a letter with a reason; outside their scope a letter or a group is not found; bad days are refused")
    func revokeAndScope() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            let cadre = try await api(app, "cadre")
            let letters = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group]).decode([Letter].self)
            let letter = try #require(letters.first { $0.household_id == home })
            let bad = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group, "valid_days": 0])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("valid_days"))
            let outside = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": "310106019-1-02-1-01"])
            #expect(outside.status == .notFound)
            // A second cadre elsewhere cannot revoke it, and gets the answer of a letter that does not exist.
            let other = try await api(app, "cadre2")
            let foreign = try await other.jsonObject(.POST, "/api/v1/residents/invitations/\(letter.id)/revoke", ["reason": "遗失"])
            let missing = try await other.jsonObject(.POST, "/api/v1/residents/invitations/\(UUID())/revoke", ["reason": "遗失"])
            #expect(foreign.status == .notFound && missing.status == .notFound && foreign.body.string == missing.body.string)
            let noReason = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations/\(letter.id)/revoke", ["reason": " "])
            #expect(noReason.status == .unprocessableEntity)
            let revoked = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations/\(letter.id)/revoke", ["reason": "遗失"])
            #expect(revoked.status == .noContent)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.revoked'") == 1)
            let late = try await TestClient(app).jsonObject(.POST, "/api/v1/residents/signup", signup(letter.code))
            #expect(late.status == .unprocessableEntity)
            // A new letter for that household alone.
            let reissued = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group, "household_id": home.uuidString])
            #expect(try reissued.decode([Letter].self).map(\.household_id) == [home])
            // Residents and grid workers do not issue letters.
            for username in ["resident", "gridworker"] {
                let refused = try await api(app, username).jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group])
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test("the pages: letters printed with code and QR, sign-up on the form signs the resident in; errors stand beside their fields")
    func pages() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            let cadre = TestClient(app)
            #expect(try await cadre.signInWeb("cadre").status == .seeOther)
            let overview = try await cadre.get("/residents/invitations").body.string
            #expect(overview.contains("id=\"coverage\"") && overview.contains("id=\"coverage-total\""))
            let groupPage = try await cadre.get("/residents/invitations?node=\(Self.group)").body.string
            #expect(groupPage.contains("household-\(home.uuidString)"))
            let token = try #require(TestClient.csrf(in: groupPage))
            let printed = try await cadre.form("/residents/invitations", ["node": Self.group, "valid_days": "30", "csrf": token])
            #expect(printed.status == .ok)
            let html = printed.body.string
            #expect(html.contains("class=\"letter card\"") && html.contains("<svg"))
            let codes = html.matches(of: /<strong class="mono">([A-Z0-9]{5}-[A-Z0-9]{5})<\/strong>/).map { String($0.output.1) }
            #expect(!codes.isEmpty)
            struct L: Decodable { var code_hash: String }
            // Which printed code is this household's: the one whose hash is on its row.
            let vault = app.services.vault
            let hash = try #require(
                try await app.db.sql.raw("SELECT code_hash FROM resident_invitations WHERE household_id = \(bind: home)").first(decoding: L.self)
            ).code_hash
            let code = try #require(codes.first { vault.pseudonym("invitation:" + InvitationCode(typed: $0)!.normalized) == hash })
            let bad = try await cadre.form("/residents/invitations", ["node": Self.group, "valid_days": "abc", "csrf": token])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("有效天数须在"))

            // A phone: the sign-up page, a mistake, then success.
            let phone = TestClient(app)
            let form = try await phone.get("/signup?code=\(code)").body.string
            #expect(form.contains("value=\"\(code)\""))
            let csrf = try #require(TestClient.csrf(in: form))
            var fields = signup(code).mapValues { "\($0)" }
            fields["csrf"] = csrf
            fields["confirm_password"] = "Other-Pass-2026"
            let wrong = try await phone.form("/signup", fields)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("id=\"error-confirm_password\"") && wrong.body.string.contains("两次输入的密码不一致"))
            #expect(!wrong.body.string.contains(Self.head), "the ID number is not put back into the page")
            fields["confirm_password"] = "Invite-Pass-2026"
            let done = try await phone.form("/signup", fields)
            #expect(done.status == .seeOther && done.headers.first(name: .location) == "/?welcome=1")
            let mine = try await phone.get("/account/data")
            #expect(mine.status == .ok && mine.body.string.contains("邀请路 1 号 101 室"))
            // The login page links to sign-up.
            #expect(try await TestClient(app).get("/login").body.string.contains("href=\"/signup\""))
        }
    }
}

extension InvitationsTests {
    @Test("a resident invites a household member, who signs up with the code; three unused codes at most; only household members fit")
    func memberInvitation() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            let cadre = try await api(app, "cadre")
            let letters = try await cadre.jsonObject(.POST, "/api/v1/residents/invitations", ["node": Self.group]).decode([Letter].self)
            let letter = try #require(letters.first { $0.household_id == home })
            let signed = try await TestClient(app).jsonObject(.POST, "/api/v1/residents/signup", signup(letter.code))
            #expect(signed.status == .created)
            let father = TestClient(app)
            try await father.signInAPI("zhaoguoqiang", password: "Invite-Pass-2026")
            // The neighbour's number on the son's code: the same one answer.
            let code = try await father.jsonObject(.POST, "/api/v1/me/household/invitations", [:]).decode(Letter.self)
            #expect(code.household_id == home)
            let neighbour = try await TestClient(app).jsonObject(
                .POST, "/api/v1/residents/signup", signup(code.code, name: "孙丽", id: Self.id("31010619750505006"), username: "sunli"))
            #expect(neighbour.status == .unprocessableEntity)
            let son = try await TestClient(app).jsonObject(
                .POST, "/api/v1/residents/signup", signup(code.code, name: "赵小明", id: Self.son, username: "zhaoxiaoming"))
            #expect(son.status == .created, "\(son.body.string)")
            // Three unused at most.
            for _ in 0..<3 { #expect(try await father.jsonObject(.POST, "/api/v1/me/household/invitations", [:]).status == .created) }
            let fourth = try await father.jsonObject(.POST, "/api/v1/me/household/invitations", [:])
            #expect(fourth.status == .conflict)
            // On the page: My data offers it, and the code is shown with its QR code.
            let web = TestClient(app)
            #expect(try await web.signInWeb("zhaoxiaoming", password: "Invite-Pass-2026").status == .seeOther)
            let data = try await web.get("/account/data").body.string
            #expect(data.contains("id=\"invite-form\""))
            let refused = try await web.form("/account/household/invite", ["csrf": try #require(TestClient.csrf(in: data))])
            #expect(refused.status == .conflict && refused.body.string.contains("id=\"invite-refused\""))
        }
    }

    @Test(
        "at the desk: the cadre signs a resident up with an initial password to change; a mismatch names the number, outside the scope the household")
    func desk() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            let cadre = try await api(app, "cadre")
            let body: [String: Any] = [
                "household_id": home.uuidString, "name": "赵小明", "id_number": Self.son, "phone": "13700137000", "username": "xiaoming"
            ]
            var wrong = body
            wrong["id_number"] = Self.head
            let mismatch = try await cadre.jsonObject(.POST, "/api/v1/residents/desk-signups", wrong)
            #expect(mismatch.status == .unprocessableEntity && mismatch.body.string.contains("id_number"))
            let other = try await api(app, "cadre2")
            let outside = try await other.jsonObject(.POST, "/api/v1/residents/desk-signups", body)
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("household_id"))
            // The dashboard's coverage: this area's and the subdistrict's signed-up households
            // rise by one with the sign-up, the other area's do not.
            let staff = try await api(app, "staff")
            func signedUp(_ node: String) async throws -> Int64? {
                try await staff.get("/api/v1/dashboard/panels/signup?node=\(node)").decode(DashboardPanel.self).figures.first {
                    $0.key == "signed_up"
                }?.value
            }
            let before = [try await signedUp("310106019"), try await signedUp("310106019-1-01"), try await signedUp("310106019-1-02")]
            let done = try await cadre.jsonObject(.POST, "/api/v1/residents/desk-signups", body)
            #expect(done.status == .created, "\(done.body.string)")
            let after = [try await signedUp("310106019"), try await signedUp("310106019-1-01"), try await signedUp("310106019-1-02")]
            #expect(after == [before[0].map { $0 + 1 }, before[1].map { $0 + 1 }, before[2]], "\(before) → \(after)")
            struct D: Decodable { var username: String; var initial_password: String }
            let made = try done.decode(D.self)
            let again = try await cadre.jsonObject(.POST, "/api/v1/residents/desk-signups", body.merging(["username": "xiaoming2"]) { _, b in b })
            #expect(again.status == .conflict)
            // The first sign-in asks for a new password.
            let web = TestClient(app)
            let first = try await web.signInWeb(made.username, password: made.initial_password)
            #expect(first.status == .seeOther)
            #expect(try await web.get("/").headers.first(name: .location)?.contains("/account/password") == true)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'resident.signed_up_at_desk'") == 1)
            // The page form: the error beside the number, the ID number not written back.
            let page = TestClient(app)
            #expect(try await page.signInWeb("cadre").status == .seeOther)
            let html = try await page.get("/residents/invitations?node=\(Self.group)").body.string
            #expect(html.contains("id=\"desk-form\""))
            let token = try #require(TestClient.csrf(in: html))
            let refused = try await page.form(
                "/residents/desk",
                [
                    "csrf": token, "node": Self.group, "household_id": home.uuidString, "name": "赵国强", "id_number": Self.son, "phone": "13700137001",
                    "username": "guoqiang"
                ])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("id=\"error-id_number\""))
            #expect(!refused.body.string.contains(Self.son))

            // A forgotten password, reset at the desk from the building group's page.
            let listed = try await page.get("/residents/invitations?node=\(Self.group)").body.string
            #expect(listed.contains("/residents/accounts/xiaoming/reset-password"))
            let reset = try await page.form("/residents/accounts/xiaoming/reset-password", ["csrf": token, "node": Self.group])
            #expect(reset.status == .ok)
            let fresh = try #require(reset.body.string.firstMatch(of: /id="reset-password">([^<]+)</).map { String($0.output.1) })
            #expect(fresh != made.initial_password)
            #expect(try await TestClient(app).signInWeb("xiaoming", password: made.initial_password).status != .seeOther)
            #expect(try await TestClient(app).signInWeb("xiaoming", password: fresh).status == .seeOther)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'password.reset_at_desk'") == 1)
            // Outside the scope, or not a resident: not found.
            #expect(try await other.jsonObject(.POST, "/api/v1/residents/accounts/xiaoming/reset-password", [:]).status == .notFound)
            #expect(try await cadre.jsonObject(.POST, "/api/v1/residents/accounts/gridworker/reset-password", [:]).status == .notFound)
        }
    }
}
