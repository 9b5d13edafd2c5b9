import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// PIPL arts. 45–47 and 55: a resident sees and downloads their own data and asks for
/// corrections, staff answer inside their scope, persons who left long ago are erased, reads of
/// sensitive tags are logged, and administrators export the logs.
@Suite("PIPL: own data, corrections, retention, access log")
struct PrivacyRightsTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    static let head = id("31010619560312001") // male, 1956-03-12
    static let spouse = id("31010619580720002") // female, 1958-07-20
    static let phone = "13800138000"
    static let newPhone = "13900139000"
    static let group = "310106019-1-01-1-01"
    static let address = "汾西路 261 弄 3 号 502 室"

    struct Home { var household: UUID; var head: UUID; var spouse: UUID }

    /// Registers a household of a head (with a mobile number) and a spouse at the demo
    /// resident's building group, through the API as `client`.
    func household(_ client: TestClient) async throws -> Home {
        let members: [[String: Any]] = [
            ["name": "王建国", "id_number": Self.head, "phone": Self.phone, "relation": "head", "residence_status": "registered"],
            ["name": "李秀英", "id_number": Self.spouse, "relation": "spouse", "residence_status": "registered"]
        ]
        let response = try await client.jsonObject(
            .POST, "/api/v1/registry/households",
            ["node": Self.group, "address": Self.address, "moved_in_on": "1998-05-01", "members": members])
        let id = try response.createdID()
        struct Detail: Decodable { struct P: Decodable { var id: UUID; var relation: String }; var members: [P] }
        let detail = try await client.get("/api/v1/registry/households/\(id)").decode(Detail.self)
        let head = try #require(detail.members.first { $0.relation == "head" }).id
        let spouse = try #require(detail.members.first { $0.relation == "spouse" }).id
        return Home(household: id, head: head, spouse: spouse)
    }

    /// An API client signed in as `username`.
    func api(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    /// The admin registers the household and the cadre links the demo `resident` to it.
    func linkedResident(_ app: Application) async throws -> (home: Home, admin: TestClient, cadre: TestClient, resident: TestClient) {
        let admin = try await api(app, "admin")
        let home = try await household(admin)
        let cadre = try await api(app, "cadre")
        let link = try await cadre.jsonObject(.PUT, "/api/v1/visits/residents/resident/household", ["household_id": home.household.uuidString])
        #expect(link.status == .noContent, "\(link.body.string)")
        let resident = try await api(app, "resident")
        return (home, admin, cadre, resident)
    }

    func sql(_ app: Application) -> any SQLDatabase { app.db.sql }

    func audits(_ app: Application, _ action: String) async throws -> [AuditRow] {
        try await sql(app).raw(
            """
            SELECT action, detail, target_id, actor_name FROM audit_log WHERE action = \(bind: action) ORDER BY seq
            """
        ).all(decoding: AuditRow.self)
    }

    struct AuditRow: Decodable { var action: String; var detail: String; var target_id: String?; var actor_name: String? }

    func accountID(_ app: Application, _ username: String) async throws -> UUID {
        struct R: Decodable { var id: UUID }
        return try #require(try await sql(app).raw("SELECT id FROM accounts WHERE username = \(bind: username)").first(decoding: R.self)).id
    }

    func fields(_ response: TestingHTTPResponse) throws -> [String] {
        try response.decode(ErrorEnvelope.self).error.fields.map(\.field)
    }

    func section(_ export: PersonalData.Export, _ key: String) throws -> PersonalData.Section {
        try #require(export.sections.first { $0.key == key }, "no section \(key) in \(export.sections.map(\.key))")
    }

    // MARK: 1. own data (art. 45)

    @Test("a linked resident sees their account, household, masked members and bookings; the download is a POST with the token, audited")
    func ownData() async throws {
        try await withApp(demo: true) { app in
            let (home, _, cadre, resident) = try await linkedResident(app)
            // A visit booking of the resident's, to show up in the copy.
            let start = TestClock.pinnedNow().addingTimeInterval(86_400)
            let formatter = ISO8601DateFormatter()
            let slot = try await cadre.jsonObject(
                .POST, "/api/v1/visits/slots",
                [
                    "starts_at": formatter.string(from: start), "ends_at": formatter.string(from: start.addingTimeInterval(3600)),
                    "place": "居委会二楼接待室"
                ]
            ).createdID()
            _ = try await resident.jsonObject(.POST, "/api/v1/visits/bookings", ["slot_id": slot.uuidString, "note": "想问问养老补贴"]).createdID()

            let response = try await resident.get("/api/v1/me/data")
            #expect(response.status == .ok)
            let body = response.body.string
            for plain in [Self.head, Self.spouse, Self.phone] {
                #expect(!body.contains(plain), "a plain number in /api/v1/me/data")
            }
            let export = try response.decode(PersonalData.Export.self)
            #expect(export.username == "resident")
            let keys = Set(export.sections.map(\.key))
            #expect(keys.isSuperset(of: ["account", "household", "members", "visit_bookings", "corrections"]), "\(keys)")
            #expect(try section(export, "account").rows.first?.first == "resident")
            let householdRows = try section(export, "household").rows
            #expect(householdRows.count == 1 && householdRows.first?.first == Self.address)
            let members = try section(export, "members")
            #expect(members.rows.count == 2)
            let idColumn = try #require(members.columns.firstIndex(of: "id_number"))
            let phoneColumn = try #require(members.columns.firstIndex(of: "phone"))
            #expect(Set(members.rows.map { $0[idColumn] }) == [maskedID(Self.head), maskedID(Self.spouse)])
            #expect(members.rows.contains { $0[0] == "王建国" && $0[phoneColumn] == "138****8000" })
            let bookings = try section(export, "visit_bookings").rows
            #expect(bookings.count == 1 && bookings.first?.contains("居委会二楼接待室") == true)
            #expect(try section(export, "corrections").rows.isEmpty)
            _ = home

            // The page, and the download with and without the form's token.
            let web = TestClient(app)
            #expect(try await web.signInWeb("resident").status == .seeOther)
            let page = try await web.get("/account/data")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("id=\"data-household\""))
            #expect(html.contains("id=\"data-members\""))
            #expect(html.contains(maskedID(Self.head)))
            for plain in [Self.head, Self.spouse, Self.phone] { #expect(!html.contains(plain), "a plain number on /account/data") }
            // Headings and vocabulary in the page's language, never a column key or a state code.
            #expect(html.contains("<th>身份证号码</th>") && html.contains("<th>与户主关系</th>") && html.contains("户主"))
            // The sign-in just made is listed by what it was, not by its audit code.
            #expect(html.contains("<td>登录</td>"))
            for key in ["<th>id_number</th>", "<th>starts_at</th>", "<th>status</th>", ">requested<", ">head<", "<td>login</td>"] {
                #expect(!html.contains(key), "\(key) on the Chinese page")
            }
            web.cookies["minqing_lang"] = "en"
            let english = try await web.get("/account/data").body.string
            web.cookies["minqing_lang"] = "zh"
            #expect(english.contains("<th>ID number</th>") && english.contains("<th>Relation</th>") && english.contains("<td>Head</td>"))
            #expect(!english.contains("户主") && !english.contains("<th>id_number</th>"))
            #expect(english.contains("<td>Signed in</td>") && !english.contains("<td>login</td>"))
            let token = try #require(TestClient.csrf(in: html))

            let refused = try await web.form("/account/data/download", [:])
            #expect(refused.status == .forbidden)
            let forged = try await web.form("/account/data/download", ["csrf": "not-the-token"])
            #expect(forged.status == .forbidden)
            #expect(try await audits(app, "personal_data.downloaded").isEmpty)

            let download = try await web.form("/account/data/download", ["csrf": token])
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentDisposition)?.contains("minqing-my-data.json") == true)
            #expect(download.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            #expect(download.headers.first(name: .cacheControl) == "no-store")
            #expect(download.headers.contentType?.subType == "json")
            let copy = try download.decode(PersonalData.Export.self)
            #expect(copy.username == "resident")
            #expect(try section(copy, "members").rows.count == 2)
            for plain in [Self.head, Self.spouse, Self.phone] { #expect(!download.body.string.contains(plain)) }
            let audited = try await audits(app, "personal_data.downloaded")
            #expect(audited.count == 1)
            #expect(audited.first?.target_id == "resident" && audited.first?.actor_name == "resident")
        }
    }

    @Test("an account without a household gets its account section and no household")
    func ownDataWithoutHousehold() async throws {
        try await withApp(demo: true) { app in
            let resident = try await api(app, "resident")
            let export = try await resident.get("/api/v1/me/data").decode(PersonalData.Export.self)
            let keys = export.sections.map(\.key)
            #expect(keys.contains("account") && !keys.contains("household") && !keys.contains("members"))
            // Staff see their own copy too (no household), never another's.
            let cadre = try await api(app, "cadre")
            let staffCopy = try await cadre.get("/api/v1/me/data").decode(PersonalData.Export.self)
            #expect(staffCopy.username == "cadre")
            #expect(try section(staffCopy, "account").rows.first?.first == "cadre")
            // Signed out: no copy.
            #expect(try await TestClient(app).get("/api/v1/me/data").status == .unauthorized)
        }
    }

    // MARK: 2. corrections (art. 46)

    @Test("a correction request is stored masked, seen by staff in scope only, answered once, and the answer reaches the resident")
    func corrections() async throws {
        try await withApp(demo: true) { app in
            let (home, _, cadre, resident) = try await linkedResident(app)
            let created = try await resident.jsonObject(
                .POST, "/api/v1/me/corrections",
                [
                    "field": "phone", "requested": Self.newPhone, "person_id": home.head.uuidString, "note": "换了号码"
                ])
            #expect(created.status == .created, "\(created.body.string)")
            let request = try created.createdID()

            struct Stored: Decodable {
                var field: String; var requested: String; var requested_cipher: String?; var status: String
                var person_id: UUID?; var household_id: UUID; var note: String
            }
            let stored = try #require(
                try await sql(app).raw(
                    """
                    SELECT field, requested, requested_cipher, status, person_id, household_id, note FROM correction_requests WHERE id = \(bind: request)
                    """
                ).first(decoding: Stored.self))
            #expect(stored.requested == "139****9000")
            let cipher = try #require(stored.requested_cipher)
            #expect(!cipher.isEmpty && !cipher.contains(Self.newPhone))
            #expect(stored.field == "phone" && stored.status == "open" && stored.person_id == home.head && stored.household_id == home.household)
            #expect(stored.note == "换了号码")
            let requested = try await audits(app, "correction.requested")
            #expect(requested.count == 1 && requested.first?.target_id == home.household.uuidString)
            #expect(requested.allSatisfy { !$0.detail.contains(Self.newPhone) })

            // Bad input names the field and stores nothing.
            let noField = try await resident.jsonObject(.POST, "/api/v1/me/corrections", ["requested": "王建民"])
            #expect(noField.status == .unprocessableEntity)
            #expect(try fields(noField).contains("field"))
            let badPhone = try await resident.jsonObject(.POST, "/api/v1/me/corrections", ["field": "phone", "requested": "1371234567"])
            #expect(badPhone.status == .unprocessableEntity)
            #expect(try fields(badPhone) == ["requested"])
            #expect(!badPhone.body.string.contains("1371234567"))
            let stranger = try await resident.jsonObject(
                .POST, "/api/v1/me/corrections", ["field": "name", "requested": "王建民", "person_id": UUID().uuidString])
            #expect(stranger.status == .unprocessableEntity)
            #expect(try fields(stranger).contains("person_id"))
            struct N: Decodable { var n: Int }
            #expect(try await sql(app).raw("SELECT COUNT(*) AS n FROM correction_requests").first(decoding: N.self)?.n == 1)

            // The web form re-renders with the error and without the number typed.
            let web = TestClient(app)
            #expect(try await web.signInWeb("resident").status == .seeOther)
            let page = try await web.get("/account/data")
            #expect(page.body.string.contains("id=\"correction-form\""))
            let token = try #require(TestClient.csrf(in: page.body.string))
            let failed = try await web.form(
                "/account/data/corrections",
                [
                    "csrf": token, "field": "phone", "requested": "1371234567",
                    "person_id": home.head.uuidString
                ])
            #expect(failed.status == .unprocessableEntity)
            #expect(failed.body.string.contains("id=\"error-requested\""))
            #expect(!failed.body.string.contains("1371234567"))
            #expect(try await sql(app).raw("SELECT COUNT(*) AS n FROM correction_requests").first(decoding: N.self)?.n == 1)
            // A good one through the form lands and redirects back to the page.
            let sent = try await web.form(
                "/account/data/corrections",
                [
                    "csrf": token, "field": "name", "requested": "王建民",
                    "person_id": home.head.uuidString
                ])
            #expect(sent.status == .seeOther)
            #expect(sent.headers.first(name: .location)?.contains("done=correction") == true)
            #expect(try await sql(app).raw("SELECT COUNT(*) AS n FROM correction_requests").first(decoding: N.self)?.n == 2)

            // The queue: the grid worker of the building group sees it; other areas and micro-grids do not.
            let grid = try await api(app, "gridworker")
            let queue = try await grid.get("/api/v1/registry/corrections")
            #expect(queue.status == .ok)
            #expect(!queue.body.string.contains(Self.newPhone))
            let rows = try queue.decode([CorrectionRequests.Row].self)
            let row = try #require(rows.first { $0.id == request })
            #expect(row.requested == "139****9000" && row.field == .phone && row.status == .open)
            #expect(row.submitted_by == "resident" && row.person_id?.rawValue == home.head && row.grid_code == Self.group)
            #expect(try await cadre.get("/api/v1/registry/corrections").decode([CorrectionRequests.Row].self).contains { $0.id == request })
            let cadre2 = try await api(app, "cadre2")
            #expect(try await cadre2.get("/api/v1/registry/corrections").decode([CorrectionRequests.Row].self).isEmpty)
            _ = try await AccountService.create(
                NewAccount(
                    username: "gridworker2", displayName: "邻格网格员", role: "grid_worker",
                    scopeCode: "310106019-1-01-2", password: demoPassword, mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let grid2 = try await api(app, "gridworker2")
            #expect(try await grid2.get("/api/v1/registry/corrections").decode([CorrectionRequests.Row].self).isEmpty)
            // Residents have no queue.
            #expect(try await resident.get("/api/v1/registry/corrections").status == .forbidden)

            // Answering: out of scope is 404, a missing reply 422, then once only.
            let answer: [String: Any] = ["status": "done", "reply": "已在居民库中更正"]
            #expect(try await cadre2.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", answer).status == .notFound)
            #expect(try await grid2.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", answer).status == .notFound)
            let noReply = try await grid.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", ["status": "done"])
            #expect(noReply.status == .unprocessableEntity)
            #expect(try fields(noReply) == ["reply"])
            let badStatus = try await grid.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", ["status": "open", "reply": "已在居民库中更正"])
            #expect(badStatus.status == .unprocessableEntity)
            #expect(try fields(badStatus) == ["status"])
            #expect(try await grid.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", answer).status == .noContent)
            #expect(try await grid.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", answer).status == .notFound)
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/corrections/\(request)", ["status": "refused", "reply": "不改"]).status == .notFound
            )
            let answered = try await audits(app, "correction.answered")
            #expect(answered.count == 1 && answered.first?.actor_name == "gridworker" && answered.first?.target_id == request.uuidString)
            let open = try await grid.get("/api/v1/registry/corrections?status=open").decode([CorrectionRequests.Row].self)
            #expect(!open.contains { $0.id == request } && open.count == 1)
            let done = try await grid.get("/api/v1/registry/corrections?status=done").decode([CorrectionRequests.Row].self)
            #expect(done.map(\.id) == [request] && done.first?.handled_by == "gridworker" && done.first?.reply == "已在居民库中更正")

            // The resident sees the answer in their copy.
            let export = try await resident.get("/api/v1/me/data").decode(PersonalData.Export.self)
            let mine = try section(export, "corrections")
            let replyColumn = try #require(mine.columns.firstIndex(of: "reply"))
            let statusColumn = try #require(mine.columns.firstIndex(of: "status"))
            let requestedColumn = try #require(mine.columns.firstIndex(of: "requested"))
            #expect(mine.rows.count == 2)
            let answeredRow = try #require(mine.rows.first { $0[replyColumn] == "已在居民库中更正" })
            // States as the resident reads them (the copy speaks the caller's language).
            #expect(answeredRow[statusColumn] == "已更正" && answeredRow[requestedColumn] == "139****9000")
            #expect(mine.rows.contains { $0[statusColumn] == "待处理" && $0[replyColumn].isEmpty })

            // Only residents ask.
            #expect(try await cadre.jsonObject(.POST, "/api/v1/me/corrections", ["field": "phone", "requested": Self.newPhone]).status == .forbidden)
            #expect(try await grid.jsonObject(.POST, "/api/v1/me/corrections", ["field": "name", "requested": "王建民"]).status == .forbidden)
        }
    }

    @Test("a resident not linked to a household cannot ask for a correction")
    func correctionWithoutHousehold() async throws {
        try await withApp(demo: true) { app in
            let resident = try await api(app, "resident")
            let response = try await resident.jsonObject(.POST, "/api/v1/me/corrections", ["field": "name", "requested": "王建民"])
            #expect(response.status == .conflict)
            struct N: Decodable { var n: Int }
            #expect(try await sql(app).raw("SELECT COUNT(*) AS n FROM correction_requests").first(decoding: N.self)?.n == 0)
        }
    }

    // MARK: 3. retention (art. 47)

    @Test("retention: a dry run counts only; the run erases who left more than the period ago, once; the recent one stays")
    func retention() async throws {
        try await withApp(demo: true) { app in
            let admin = try await api(app, "admin")
            let home = try await household(admin)
            #expect(
                try await admin.jsonObject(
                    .POST, "/api/v1/registry/tags",
                    [
                        "code": "svc.retention", "name_zh": "测试服务", "name_en": "Test service",
                        "kind": "service"
                    ]
                ).status == .created)
            for person in [home.head, home.spouse] {
                #expect(try await admin.jsonObject(.POST, "/api/v1/registry/persons/\(person)/tags", ["code": "svc.retention"]).status == .created)
            }
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let longAgo = try today.adding(days: -5 * 365).iso8601
            let lately = try today.adding(days: -365).iso8601
            try await sql(app).raw("UPDATE persons SET moved_out_on = \(bind: longAgo) WHERE id = \(bind: home.head)").run()
            try await sql(app).raw("UPDATE persons SET died_on = \(bind: lately) WHERE id = \(bind: home.spouse)").run()

            struct P: Decodable {
                var name: String; var id_index: String; var id_cipher: String; var id_masked: String
                var phone_masked: String?; var phone_cipher: String?; var phone_index: String?; var birth_date: String
            }
            func person(_ id: UUID) async throws -> P {
                try #require(
                    try await sql(app).raw(
                        """
                        SELECT name, id_index, id_cipher, id_masked, phone_masked, phone_cipher, phone_index, birth_date FROM persons WHERE id = \(bind: id)
                        """
                    ).first(decoding: P.self))
            }
            struct N: Decodable { var n: Int }
            func tags(_ id: UUID) async throws -> Int {
                try await sql(app).raw("SELECT COUNT(*) AS n FROM tag_assignments WHERE person_id = \(bind: id)").first(decoding: N.self)!.n
            }
            let before = try await person(home.head)
            #expect(before.name == "王建国" && before.phone_masked == "138****8000" && before.birth_date == "1956-03-12")

            let dry = try await Retention.run(years: 3, dryRun: true, today: today, now: TestClock.pinnedNow(), on: app.db)
            #expect(dry.persons == 1)
            #expect(dry.cutoff == (try today.adding(days: -3 * 365)).iso8601)
            let afterDry = try await person(home.head)
            #expect(
                afterDry.name == before.name && afterDry.id_index == before.id_index && afterDry.phone_masked == before.phone_masked
                    && afterDry.birth_date == before.birth_date)
            #expect(try await tags(home.head) == 1)
            let checked = try await audits(app, "retention.checked")
            #expect(checked.count == 1 && checked.first?.detail.contains("\"persons\":\"1\"") == true)
            #expect(try await audits(app, "retention.erased").isEmpty)

            let run = try await Retention.run(years: 3, dryRun: false, today: today, now: TestClock.pinnedNow(), on: app.db)
            #expect(run.persons == 1)
            let erased = try await person(home.head)
            #expect(erased.name == Retention.erasedName)
            #expect(erased.name == "（已删除）")
            #expect(erased.id_index.hasPrefix("erased:"))
            #expect(
                erased.id_cipher.isEmpty && !erased.id_masked.contains(String(Self.head.prefix(1))) && !erased.id_masked.isEmpty
                    && erased.id_masked.allSatisfy { $0 == "*" })
            #expect(erased.phone_masked == nil && erased.phone_cipher == nil && erased.phone_index == nil)
            #expect(erased.birth_date == "1956-01-01")
            #expect(try await tags(home.head) == 0)
            let kept = try await person(home.spouse)
            #expect(
                kept.name == "李秀英" && !kept.id_index.hasPrefix("erased:") && kept.id_masked == maskedID(Self.spouse)
                    && kept.birth_date == "1958-07-20")
            #expect(try await tags(home.spouse) == 1)
            let erasedAudit = try await audits(app, "retention.erased")
            #expect(erasedAudit.count == 1 && erasedAudit.first?.detail.contains("\"persons\":\"1\"") == true)
            // The old number finds nobody any more; the recent one still does.
            #expect(try await admin.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.head]).status == .notFound)
            let found = try await admin.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": Self.spouse])
            #expect(found.status == .ok && (try? found.decode(RegistryQueries.PersonRow.self).id.rawValue) == home.spouse)

            let again = try await Retention.run(years: 3, dryRun: false, today: today, now: TestClock.pinnedNow(), on: app.db)
            #expect(again.persons == 0)
            let audited = try await audits(app, "retention.erased")
            #expect(audited.count == 2 && audited.last?.detail.contains("\"persons\":\"0\"") == true)
            #expect(try await person(home.spouse).name == "李秀英")
            // Out-of-range periods are refused.
            await #expect(throws: AppError.self) {
                try await Retention.run(years: 0, dryRun: true, today: today, now: TestClock.pinnedNow(), on: app.db)
            }
        }
    }

    // MARK: 4. access log (art. 55)

    /// The admin registers the household and gives its head a sensitive tag.
    func sensitivePerson(_ app: Application) async throws -> (home: Home, admin: TestClient) {
        let admin = try await api(app, "admin")
        let home = try await household(admin)
        let tag = try await admin.jsonObject(
            .POST, "/api/v1/registry/tags",
            [
                "code": "id.faith.test", "name_zh": "宗教信仰（测试）",
                "name_en": "Religion (test)", "kind": "identity", "sensitive": true
            ])
        #expect(tag.status == .created, "\(tag.body.string)")
        let given = try await admin.jsonObject(.POST, "/api/v1/registry/persons/\(home.head)/tags", ["code": "id.faith.test"])
        #expect(given.status == .created, "\(given.body.string)")
        return (home, admin)
    }

    struct AccessRow: Decodable {
        var account_id: UUID; var username: String; var role: String; var kind: String; var subject_type: String; var subject_id: String;
        var route: String
    }

    func accessRows(_ app: Application) async throws -> [AccessRow] {
        try await sql(app).raw(
            """
            SELECT account_id, username, role, kind, subject_type, subject_id, route FROM access_log ORDER BY at, route
            """
        ).all(decoding: AccessRow.self)
    }

    @Test("reading a person with a sensitive tag writes the access log, on the page and in the API; a grid worker who cannot see it writes none")
    func accessLog() async throws {
        try await withApp(demo: true) { app in
            let (home, _) = try await sensitivePerson(app)
            #expect(try await accessRows(app).filter { $0.kind == "sensitive_tags" }.isEmpty, "giving a tag is not a read")

            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let page = try await web.get("/registry/persons/\(home.head)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("宗教信仰（测试）"))
            let cadre = try await api(app, "cadre")
            let detail = try await cadre.get("/api/v1/registry/persons/\(home.head)")
            #expect(detail.status == .ok)
            struct Detail: Decodable { var tags: [RegistryQueries.TagRow] }
            #expect(try detail.decode(Detail.self).tags.contains { $0.code == "id.faith.test" && $0.sensitive })

            let cadreID = try await accountID(app, "cadre")
            let logged = try await accessRows(app).filter { $0.kind == "sensitive_tags" }
            #expect(logged.count == 2)
            #expect(logged.allSatisfy { $0.account_id == cadreID && $0.username == "cadre" && $0.role == "area_cadre" })
            #expect(logged.allSatisfy { $0.subject_type == "person" && $0.subject_id.lowercased() == home.head.uuidString.lowercased() })
            #expect(Set(logged.map(\.route)) == ["GET /registry/persons/:id", "GET /api/v1/registry/persons/:id"])

            // The spouse has no sensitive tag: reading them logs nothing.
            #expect(try await cadre.get("/api/v1/registry/persons/\(home.spouse)").status == .ok)
            #expect(try await accessRows(app).filter { $0.subject_id.lowercased() == home.spouse.uuidString.lowercased() }.isEmpty)

            // The grid worker reads the same person without the sensitive tag: no row.
            let grid = try await api(app, "gridworker")
            let gridDetail = try await grid.get("/api/v1/registry/persons/\(home.head)")
            #expect(gridDetail.status == .ok)
            #expect(try gridDetail.decode(Detail.self).tags.isEmpty)
            #expect(!gridDetail.body.string.contains("id.faith.test"))
            let gridWeb = TestClient(app)
            #expect(try await gridWeb.signInWeb("gridworker").status == .seeOther)
            let gridPage = try await gridWeb.get("/registry/persons/\(home.head)")
            #expect(gridPage.status == .ok && !gridPage.body.string.contains("宗教信仰（测试）"))
            let all = try await accessRows(app)
            #expect(!all.contains { $0.username == "gridworker" && $0.kind == "sensitive_tags" })
            #expect(!all.contains { $0.username == "gridworker" })
            #expect(all.filter { $0.kind == "sensitive_tags" }.count == 2)
            // Out of scope answers 404 and logs nothing either.
            let cadre2 = try await api(app, "cadre2")
            #expect(try await cadre2.get("/api/v1/registry/persons/\(home.head)").status == .notFound)
            #expect(!(try await accessRows(app)).contains { $0.username == "cadre2" })
        }
    }

    // MARK: 5. audit export

    @Test("an administrator exports the audit trail and the access log as CSV, audited; bad periods are 422, a cadre 403")
    func auditExport() async throws {
        try await withApp(demo: true) { app in
            let (home, admin) = try await sensitivePerson(app)
            let cadre = try await api(app, "cadre")
            #expect(try await cadre.get("/api/v1/registry/persons/\(home.head)").status == .ok)

            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai)
            let from = try today.adding(days: -30).iso8601
            let audit = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": from, "to": today.iso8601, "log": "audit"])
            #expect(audit.status == .ok)
            #expect(audit.headers.contentType?.subType == "csv")
            #expect(audit.headers.first(name: .contentDisposition)?.contains("audit-log.csv") == true)
            #expect(audit.headers.first(name: .cacheControl) == "no-store")
            let auditText = audit.body.string
            #expect(auditText.contains("seq,time,actor,action,target_type,target_id,detail,address,hash"))
            #expect(
                auditText.contains(",admin,tag.created,tag,id.faith.test,") && auditText.contains(",admin,household.created,"),
                "the period's entries are in the file")
            #expect(!auditText.contains(Self.head))
            let exported = try await audits(app, "audit.exported")
            #expect(exported.count == 1 && exported.first?.target_id == "audit" && exported.first?.actor_name == "admin")
            // The next export holds the first one.
            let second = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": from, "to": today.iso8601, "log": "audit"])
            #expect(second.body.string.contains("audit.exported"))

            let access = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": from, "to": today.iso8601, "log": "access"])
            #expect(access.status == .ok)
            #expect(access.headers.first(name: .contentDisposition)?.contains("access-log.csv") == true)
            let accessText = access.body.string.replacingOccurrences(of: "\u{FEFF}", with: "")
            #expect(accessText.hasPrefix("time,account,role,kind,subject_type,subject_id,route"))
            let lines = accessText.split(separator: "\r\n").map(String.init)
            #expect(lines.contains { $0.contains(",cadre,area_cadre,sensitive_tags,person,\(home.head.uuidString)") })
            #expect(try await audits(app, "audit.exported").count == 3)
            #expect(try await audits(app, "audit.exported").last?.target_id == "access")

            // A period before any reads holds only the header.
            let old = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": "2020-01-01", "to": "2020-01-31", "log": "access"])
            #expect(old.status == .ok)
            #expect(old.body.string.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").count == 1)

            // Bad periods.
            let backwards = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": today.iso8601, "to": from, "log": "audit"])
            #expect(backwards.status == .unprocessableEntity)
            #expect(try fields(backwards) == ["to"])
            let tooLong = try await admin.jsonObject(
                .POST, "/api/v1/audit/export", ["from": try today.adding(days: -400).iso8601, "to": today.iso8601])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(try fields(tooLong) == ["to"])
            let badLog = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": from, "to": today.iso8601, "log": "everything"])
            #expect(badLog.status == .unprocessableEntity)
            #expect(try fields(badLog) == ["log"])
            let badDate = try await admin.jsonObject(.POST, "/api/v1/audit/export", ["from": "yesterday", "to": today.iso8601])
            #expect(badDate.status == .unprocessableEntity)
            #expect(try fields(badDate) == ["from"])
            #expect(try await audits(app, "audit.exported").count == 4, "refused exports are not audited")

            // Not for cadres (nor subdistrict staff: the trail is the administrator's).
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/audit/export", ["from": from, "to": today.iso8601, "log": "audit"]).status == .forbidden)
            let staff = try await api(app, "staff")
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/audit/export", ["from": from, "to": today.iso8601, "log": "access"]).status == .forbidden)
            #expect(try await audits(app, "audit.exported").count == 4)
        }
    }

    // MARK: 6. the privacy notice

    @Test("the privacy notice is open to everyone, in Chinese by default and in English by cookie")
    func privacyNotice() async throws {
        try await withApp(demo: true) { app in
            let visitor = TestClient(app)
            let zh = try await visitor.get("/privacy")
            #expect(zh.status == .ok)
            let zhText = zh.body.string
            #expect(zhText.contains("lang=\"zh-CN\""))
            #expect(zhText.contains("<h1>隐私说明</h1>"))
            #expect(zhText.contains("第四十五条") && zhText.contains("第四十六条") && zhText.contains("第四十七条"))
            #expect(zhText.contains("href=\"/login\""))
            #expect(!zhText.contains("art. 45"))

            let english = TestClient(app)
            english.cookies["minqing_lang"] = "en"
            let en = try await english.get("/privacy")
            #expect(en.status == .ok)
            let enText = en.body.string
            #expect(enText.contains("lang=\"en\""))
            #expect(enText.contains("<h1>Privacy notice</h1>"))
            #expect(enText.contains("art. 45") && enText.contains("art. 46") && enText.contains("art. 47"))
            #expect(!enText.contains("第四十五条"))

            // Signed in, it links to the person's own data.
            let resident = TestClient(app)
            #expect(try await resident.signInWeb("resident").status == .seeOther)
            #expect(try await resident.get("/privacy").body.string.contains("id=\"my-data\""))
        }
    }
}
