import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The register's everyday writes on the pages (issue 21): a new household from a node page, a
/// person added to a household (a birth or someone moving in), a help request, aid, moving out or
/// a death, and a node's CSV export. Each page write is checked against the rows it leaves (read
/// back by SQL) and against the same write through the API; a role outside the register or a
/// place outside the scope writes nothing; a bad ID number comes back beside its field as typed.
@Suite("Register: everyday writes on the pages")
struct RegistryWritePagesTests {
    static let group = RegistryPagesTests.group
    static let microGrid = "310106019-1-01-1"
    /// A building group of another micro-grid, outside the cadre's scope.
    static let outsideGroup = "310106019-1-02-1-01"
    static let head = RegistryPagesTests.head
    static let spouse = RegistryPagesTests.spouse
    static let phone = RegistryPagesTests.phone
    /// Input names that must never reach a page's text.
    static let inputNames = [
        "id_number", "members[", "moved_in_on", "residence_status", "amount_fen", "help_request_id", "requested_on", "given_on"
    ]

    func web(_ app: Application, _ username: String) async throws -> (client: TestClient, csrf: String) {
        let client = TestClient(app)
        #expect(try await client.signInWeb(username).status == .seeOther)
        return (client, try #require(TestClient.csrf(in: try await client.get("/account/password").body.string)))
    }

    func api(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    func count(_ app: Application, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try #require(try await app.db.sql.raw(query).first(decoding: N.self)).n
    }

    func audits(_ app: Application, _ action: String) async throws -> Int {
        try await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)")
    }

    /// The page as a person reads it: the markup's tags (and their attributes) left out.
    static func visibleText(_ html: String) -> String {
        html.replacing(/<[^>]*>/, with: " ")
    }

    /// The text of the element whose id is `id` up to its first closing `</p>` or `</div>`.
    static func element(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.upperBound...]
        let end = [rest.range(of: "</p>"), rest.range(of: "</div>")].compactMap { $0?.lowerBound }.min() ?? rest.endIndex
        return visibleText(String(rest[..<end]))
    }

    /// One row of a person as stored, with what the vault says of the numbers.
    struct Stored: Decodable, Equatable {
        var name: String; var sex: String; var birth_date: String; var relation: String; var residence_status: String
        var moved_in_on: String?; var grid_node_id: UUID; var subdistrict_id: UUID?; var id_index: String; var id_cipher: String
        var phone_masked: String?; var phone_cipher: String?
    }

    func persons(_ app: Application, household: UUID) async throws -> [Stored] {
        try await app.db.sql.raw(
            """
            SELECT name, sex, birth_date, relation, residence_status, moved_in_on, grid_node_id, subdistrict_id, id_index, id_cipher,
                   phone_masked, phone_cipher
            FROM persons WHERE household_id = \(bind: household) ORDER BY birth_date
            """
        ).all(decoding: Stored.self)
    }

    @Test("a new household from the node page: building groups by name, a row more without writing, the API's rows")
    func newHousehold() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/nodes/\(Self.microGrid)/new-household"
            #expect(try await cadre.get("/registry/nodes/\(Self.microGrid)").body.string.contains("href=\"\(path)\""))
            struct Names: Decodable { var name: String; var parent: String }
            let names = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT g.name, m.name AS parent FROM grid_nodes g JOIN grid_nodes m ON m.id = g.parent_id WHERE g.code = \(bind: Self.group)
                    """
                ).first(decoding: Names.self))
            let form = try await cadre.get(path)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("value=\"\(Self.group)\" label=\"\(names.parent) · \(names.name)\""))

            let typed = [
                "csrf": csrf, "node": Self.group, "address": "汾西路 261 弄 5 号 101 室", "moved_in_on": "2001-05-01",
                "members[0][name]": "王建国", "members[0][id_number]": Self.head, "members[0][phone]": Self.phone,
                "members[0][relation]": "head", "members[0][residence_status]": "registered",
                "members[1][name]": "李秀英", "members[1][id_number]": Self.spouse, "members[1][phone]": "",
                "members[1][relation]": "spouse", "members[1][residence_status]": "floating"
            ]
            // "One more member" shows the rows as typed and an empty one; nothing is written.
            var more = typed
            more["more"] = "1"
            let again = try await cadre.form(path, more)
            #expect(again.status == .ok)
            let html = again.body.string
            #expect(html.contains("id=\"member-2\"") && !html.contains("id=\"member-3\""))
            #expect(html.contains("value=\"\(Self.head)\"") && html.contains("value=\"\(Self.phone)\"") && html.contains("value=\"李秀英\""))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM households") == 0)

            let saved = try await cadre.form(path, typed)
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            let household = try #require(UUID(uuidString: String(location.dropFirst("/registry/households/".count).prefix(36))))
            #expect(location == "/registry/households/\(household.uuidString)?done=household")
            #expect(try await cadre.get(location).body.string.contains("id=\"household-flash\""))
            struct Home: Decodable { var address: String; var moved_in_on: String?; var code: String }
            let home = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT h.address, h.moved_in_on, n.code FROM households h JOIN grid_nodes n ON n.id = h.grid_node_id WHERE h.id = \(bind: household)
                    """
                ).first(decoding: Home.self))
            #expect(home.address == "汾西路 261 弄 5 号 101 室" && home.moved_in_on == "2001-05-01" && home.code == Self.group)
            let rows = try await persons(app, household: household)
            #expect(rows.map(\.name) == ["王建国", "李秀英"] && rows.map(\.sex) == ["male", "female"])
            #expect(rows.map(\.birth_date) == ["1956-03-12", "1958-07-20"] && rows.map(\.relation) == ["head", "spouse"])
            #expect(rows.map(\.residence_status) == ["registered", "floating"] && rows.allSatisfy { $0.moved_in_on == "2001-05-01" })
            let vault = app.services.vault
            #expect(rows.map(\.id_index) == [Self.head, Self.spouse].map { vault.blindIndex($0, kind: .idNumber) })
            #expect(try rows.map { try vault.open($0.id_cipher, kind: .idNumber) } == [Self.head, Self.spouse])
            #expect(rows[0].phone_masked == "138****8000" && rows[1].phone_masked == nil && rows[1].phone_cipher == nil)
            #expect(try rows[0].phone_cipher.map { try vault.open($0, kind: .phone) } == Self.phone)
            #expect(try await audits(app, "household.created") == 1)

            // The API's household of the same shape is stored alike, but for the names and numbers.
            let twinHead = RegistryPagesTests.id("31010619560312003"), twinSpouse = RegistryPagesTests.id("31010619580720004")
            let created = try await api(app, "cadre").jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": Self.group, "address": "汾西路 261 弄 5 号 102 室", "moved_in_on": "2001-05-01",
                    "members": [
                        ["name": "王建国", "id_number": twinHead, "phone": "13800138001", "relation": "head", "residence_status": "registered"],
                        ["name": "李秀英", "id_number": twinSpouse, "relation": "spouse", "residence_status": "floating"]
                    ]
                ])
            #expect(created.status == .created)
            struct Created: Decodable { var id: UUID }
            let twin = try await persons(app, household: try created.decode(Created.self).id)
            func shape(_ rows: [Stored]) -> [String] {
                rows.map {
                    "\($0.name)|\($0.sex)|\($0.birth_date)|\($0.relation)|\($0.residence_status)|\($0.moved_in_on ?? "")|"
                        + "\($0.grid_node_id)|\($0.subdistrict_id?.uuidString ?? "")|\($0.phone_cipher != nil)"
                }
            }
            #expect(shape(twin) == shape(rows))
        }
    }

    @Test("a bad ID number comes back beside its field as typed, in sentences; outside the scope or the role nothing is written")
    func newHouseholdRefused() async throws {
        try await withApp(demo: true) { app in
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/nodes/\(Self.microGrid)/new-household"
            let wrong = String(Self.head.dropLast()) + (Self.head.hasSuffix("1") ? "2" : "1")
            let bad = try await cadre.form(
                path,
                [
                    "csrf": csrf, "node": Self.group, "address": "汾西路 261 弄 5 号 101 室",
                    "members[0][name]": "王建国", "members[0][id_number]": wrong, "members[0][phone]": Self.phone,
                    "members[0][relation]": "head", "members[0][residence_status]": "registered"
                ])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            let sentence = try #require(Self.element("error-members[0].id_number", in: html))
            #expect(!sentence.trimmingCharacters(in: .whitespaces).isEmpty)
            #expect(html.contains("value=\"\(wrong)\"") && html.contains("value=\"\(Self.phone)\"") && html.contains("value=\"王建国\""))
            #expect(html.contains("id=\"new-household-error\""))
            let text = Self.visibleText(html)
            #expect(Self.inputNames.filter { text.contains($0) } == [], "an input's name on the page")
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM households") == 0)

            // A building group outside the scope, sent by hand: refused beside the choice.
            let outside = try await cadre.form(
                path,
                [
                    "csrf": csrf, "node": Self.outsideGroup, "address": "外面 1 号", "members[0][name]": "王建国",
                    "members[0][id_number]": Self.head, "members[0][relation]": "head", "members[0][residence_status]": "registered"
                ])
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("id=\"error-node\""))
            // A node outside the scope is not there; a role outside the register may not.
            #expect(try await cadre.get("/registry/nodes/310106019-1-02/new-household").status == .notFound)
            let far = try await cadre.form(
                "/registry/nodes/310106019-1-02/new-household",
                [
                    "csrf": csrf, "node": Self.group, "address": "x", "members[0][name]": "王建国", "members[0][id_number]": Self.head,
                    "members[0][relation]": "head", "members[0][residence_status]": "registered"
                ])
            #expect(far.status == .notFound)
            let (volunteer, volunteerCSRF) = try await web(app, "volunteer")
            #expect(try await volunteer.get(path).status == .forbidden)
            let refused = try await volunteer.form(
                path,
                [
                    "csrf": volunteerCSRF, "node": Self.group, "address": "x", "members[0][name]": "王建国",
                    "members[0][id_number]": Self.head, "members[0][relation]": "head", "members[0][residence_status]": "registered"
                ])
            #expect(refused.status == .forbidden)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM households") == 0)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM persons") == 0)
            #expect(try await audits(app, "household.created") == 0)
        }
    }

    @Test("on the household page: a birth and a move-in, as the API adds them; a second head and a bad number refused")
    func addMember() async throws {
        try await withApp(demo: true) { app in
            let pages = RegistryPagesTests()
            let cadreAPI = try await api(app, "cadre")
            let (household, _) = try await pages.household(cadreAPI)
            let (cadre, csrf) = try await web(app, "cadre")
            let path = "/registry/households/\(household)"
            #expect(try await cadre.get(path).body.string.contains("id=\"add-member-form\""))

            // A son born on 1 October 2026: his moving-in day is his birth date.
            let baby = RegistryPagesTests.id("31010620261001013")
            let born = try await cadre.form(
                "\(path)/members",
                ["csrf": csrf, "joined": "birth", "name": "王小宝", "id_number": baby, "phone": "", "relation": "son", "residence_status": "registered"])
            #expect(born.status == .seeOther)
            #expect(born.headers.first(name: .location) == "\(path)?done=member#members")
            let after = try await cadre.get("\(path)?done=member").body.string
            #expect(after.contains("id=\"household-flash\"") && after.contains("王小宝"))
            let rows = try await persons(app, household: household)
            let son = try #require(rows.first { $0.name == "王小宝" })
            #expect(son.birth_date == "2026-10-01" && son.moved_in_on == "2026-10-01" && son.sex == "male" && son.relation == "son")
            #expect(son.id_index == app.services.vault.blindIndex(baby, kind: .idNumber) && son.phone_cipher == nil)
            #expect(son.grid_node_id == rows[0].grid_node_id && son.subdistrict_id == rows[0].subdistrict_id)
            #expect(try await audits(app, "person.added") == 1)

            // The API adds a move-in the same way; its day is today when none is given.
            let today = CivilDate(TestClock.pinnedNow(), in: .shanghai).iso8601
            let daughter = RegistryPagesTests.id("31010619900202024")
            let added = try await cadreAPI.jsonObject(
                .POST, "/api/v1/registry/households/\(household)/members",
                ["name": "王芳", "id_number": daughter, "relation": "daughter", "residence_status": "resident"])
            #expect(added.status == .created)
            let byPage = try await cadre.form(
                "\(path)/members",
                [
                    "csrf": csrf, "joined": "moved_in", "name": "王丽", "id_number": RegistryPagesTests.id("31010619900202026"),
                    "relation": "daughter", "residence_status": "resident", "moved_in_on": ""
                ])
            #expect(byPage.status == .seeOther)
            let all = try await persons(app, household: household)
            let apiRow = try #require(all.first { $0.name == "王芳" }), pageRow = try #require(all.first { $0.name == "王丽" })
            #expect(apiRow.moved_in_on == today && pageRow.moved_in_on == today)
            #expect(
                [apiRow.sex, apiRow.birth_date, apiRow.relation, apiRow.residence_status]
                    == [pageRow.sex, pageRow.birth_date, pageRow.relation, pageRow.residence_status])
            #expect(try await audits(app, "person.added") == 3)

            // Problems come back beside their fields, as typed; nothing is written.
            let wrong = String(baby.dropLast()) + (baby.hasSuffix("1") ? "2" : "1")
            let bad = try await cadre.form(
                "\(path)/members",
                [
                    "csrf": csrf, "joined": "moved_in", "name": "错号", "id_number": wrong, "phone": "13900139000", "relation": "head",
                    "residence_status": "registered"
                ])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.element("error-id_number", in: html)?.isEmpty == false)
            #expect(Self.element("error-relation", in: html)?.contains("户主") == true, "the household has a head")
            #expect(
                html.contains("value=\"\(wrong)\"") && html.contains("value=\"13900139000\"")
                    && html.contains("<details class=\"card\" id=\"add-member\" open=\"open\">"))
            #expect(Self.inputNames.filter { Self.visibleText(html).contains($0) } == [])
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM persons WHERE household_id = \(bind: household)") == 5)

            // Outside the scope: not there; outside the register's roles: not allowed.
            let staff = try await api(app, "staff")
            let (outsideHome, _) = try await pages.household(
                staff, address: "外面 1 号", node: Self.outsideGroup, head: RegistryPagesTests.id("31010619700101015"), spouse: nil)
            let outside = try await cadre.form(
                "/registry/households/\(outsideHome)/members",
                [
                    "csrf": csrf, "name": "外人", "id_number": RegistryPagesTests.id("31010619700101031"), "relation": "son",
                    "residence_status": "registered"
                ])
            #expect(outside.status == .notFound)
            let (volunteer, volunteerCSRF) = try await web(app, "volunteer")
            let refused = try await volunteer.form(
                "\(path)/members",
                [
                    "csrf": volunteerCSRF, "name": "外人", "id_number": RegistryPagesTests.id("31010619700101031"), "relation": "son",
                    "residence_status": "registered"
                ])
            #expect(refused.status == .forbidden)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM persons") == 6)
            #expect(try await audits(app, "person.added") == 3)
        }
    }
}
