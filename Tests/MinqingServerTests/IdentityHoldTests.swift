import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Identity holds (`Registry/IdentityHolds*.swift`): an ID number registered only outside the
/// caller's scope must not change any answer the caller gets. The record is written as if the
/// number were new, under an identity hold that staff whose scope holds the existing record
/// resolve. In the demo, `cadre` is the area cadre of 310106019-1-01 and `cadre2` of
/// 310106019-1-02; `staff` sits at the subdistrict above both.
@Suite("Identity holds: no answer tells whether a number exists elsewhere")
struct IdentityHoldTests {
    static func id(_ body17: String) -> String { body17 + String(ResidentIDNumber.checkCharacter(for: body17)!) }

    /// A building group in cadre's residential area, and one in cadre2's.
    static let cadreGroup = "310106019-1-01-1-01"
    static let cadre2Group = "310106019-1-02-1-01"

    /// Registered first in cadre2's area, then entered again in cadre's.
    static let known = id("31010619560312001") // male, 1956-03-12
    /// Never registered before the test: the same birth date, sex and masked form as `known`,
    /// so that nothing but the number itself differs.
    static let fresh = sameMask(as: known)
    /// A second number registered in both areas, for the "different person" decision.
    static let other = id("31010619700101021") // male, 1970-01-01

    /// Another number of the same person-shape (birth date, odd sequence) with the same check
    /// character as `number`, hence the same masked form.
    static let zero = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    static func sameMask(as number: String) -> String {
        let prefix = String(number.prefix(14))
        for sequence in stride(from: 3, through: 999, by: 2) {
            let candidate = id(prefix + String(format: "%03d", sequence))
            if candidate != number, candidate.last == number.last { return candidate }
        }
        fatalError("no number with the same mask as \(number)")
    }

    // MARK: Helpers

    func client(_ app: Application, _ username: String) async throws -> TestClient {
        let client = TestClient(app)
        try await client.signInAPI(username)
        return client
    }

    func household(_ node: String, name: String, number: String) -> [String: Any] {
        [
            "node": node, "address": "汾西路 261 弄 3 号 502 室", "moved_in_on": "1998-05-01",
            "members": [["name": name, "id_number": number, "relation": "head", "residence_status": "registered"]]
        ]
    }

    func register(_ client: TestClient, _ node: String, name: String = "王建国", number: String) async throws -> TestingHTTPResponse {
        try await client.jsonObject(.POST, "/api/v1/registry/households", household(node, name: name, number: number))
    }

    /// Registers a household and answers its head's person id (through the household, not a lookup).
    func registerHead(_ client: TestClient, _ node: String, name: String = "王建国", number: String) async throws -> UUID {
        let response = try await register(client, node, name: name, number: number)
        guard response.status == .created else { throw TestFailure("register: \(response.status) \(response.body.string)") }
        struct Created: Decodable { var id: UUID }
        let household = try response.decode(Created.self).id
        let detail = try await client.get("/api/v1/registry/households/\(household)").decode(RegistryController.HouseholdDetail.self)
        return try #require(detail.members.first).id.rawValue
    }

    static func personsCSV(_ number: String) -> String {
        """
        household_key,node,address,name,sex,birth_date,id_number,phone,relation,residence_status,moved_in_on
        A1,\(cadreGroup),汾西路261弄3号,王建国,,,\(number),,户主,户籍,

        """
    }

    func importCSV(_ client: TestClient, _ kind: String, _ csv: String, dryRun: Bool) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv")
        return try await client.send(.POST, "/api/v1/registry/import/\(kind)?dry_run=\(dryRun)", headers: headers, body: ByteBuffer(string: csv))
    }

    func lookup(_ client: TestClient, _ number: String) async throws -> TestingHTTPResponse {
        try await client.jsonObject(.POST, "/api/v1/registry/persons/lookup", ["id_number": number])
    }

    func fields(_ response: TestingHTTPResponse) throws -> [String] {
        try response.decode(ErrorEnvelope.self).error.fields.map(\.field)
    }

    /// The top-level keys of a JSON object answer.
    func keys(_ response: TestingHTTPResponse) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return Set(try #require(object as? [String: Any]).keys)
    }

    /// A hold as its reviewer lists it (the fields the tests need).
    struct Hold: Decodable {
        var id: UUID; var kind: String; var submitted_by: String; var new_name: String; var new_id_masked: String?
        var new_grid_code: String; var existing_id: UUID; var existing_name: String
    }

    func holds(_ client: TestClient) async throws -> [Hold] {
        let response = try await client.get("/api/v1/registry/identity-holds")
        guard response.status == .ok else { throw TestFailure("holds: \(response.status) \(response.body.string)") }
        return try response.decode([Hold].self)
    }

    struct AuditRow: Decodable { var action: String; var actor_name: String?; var target_id: String?; var detail: String }

    func audit(_ app: Application, _ action: String) async throws -> [AuditRow] {
        try await app.db.sql
            .raw("SELECT action, actor_name, target_id, detail FROM audit_log WHERE action = \(bind: action) ORDER BY seq")
            .all(decoding: AuditRow.self)
    }

    struct HoldRow: Decodable { var kind: String; var record_id: UUID; var status: String; var submitted_by: String }

    func holdRows(_ app: Application) async throws -> [HoldRow] {
        try await app.db.sql
            .raw("SELECT kind, record_id, status, submitted_by FROM identity_holds ORDER BY submitted_at, kind")
            .all(decoding: HoldRow.self)
    }

    // MARK: a) the same answers

    @Test("a number registered only outside the scope: the household is created and the dry run passes exactly as for a new number")
    func sameAnswers() async throws {
        #expect(maskedID(Self.known) == maskedID(Self.fresh) && Self.known != Self.fresh)
        try await withApp(demo: true) { app in
            let admin = try await client(app, "admin")
            #expect(try await register(admin, Self.cadre2Group, number: Self.known).status == .created)
            let cadre = try await client(app, "cadre")

            // A persons-import dry run: the same bytes back, clean (it used to say 该身份证号码已登记在册).
            let checkKnown = try await importCSV(cadre, "persons", Self.personsCSV(Self.known), dryRun: true)
            let checkFresh = try await importCSV(cadre, "persons", Self.personsCSV(Self.fresh), dryRun: true)
            #expect(checkKnown.status == .ok, "\(checkKnown.body.string)")
            #expect(checkFresh.status == checkKnown.status)
            #expect(checkKnown.body.string == checkFresh.body.string)
            #expect(try checkKnown.decode(ImportReport.self).errors == [])
            #expect(try checkKnown.decode(ImportReport.self) == (try checkFresh.decode(ImportReport.self)))

            // Creating a household: the same status and the same shape.
            let heldAnswer = try await register(cadre, Self.cadreGroup, number: Self.known)
            let freshAnswer = try await register(cadre, Self.cadreGroup, number: Self.fresh)
            #expect(heldAnswer.status == .created, "\(heldAnswer.body.string)")
            #expect(freshAnswer.status == heldAnswer.status)
            #expect(try keys(heldAnswer) == ["id"])
            #expect(try keys(freshAnswer) == (try keys(heldAnswer)))
            #expect(heldAnswer.headers.contentType == freshAnswer.headers.contentType)

            // Reading both back: the same household and member, apart from the record ids.
            struct Created: Decodable { var id: UUID }
            let held = try await cadre.get("/api/v1/registry/households/\(try heldAnswer.decode(Created.self).id)")
            let plain = try await cadre.get("/api/v1/registry/households/\(try freshAnswer.decode(Created.self).id)")
            #expect(held.status == .ok && plain.status == .ok)
            let heldDetail = try held.decode(RegistryController.HouseholdDetail.self)
            let plainDetail = try plain.decode(RegistryController.HouseholdDetail.self)
            let heldMember = try #require(heldDetail.members.first)
            let plainMember = try #require(plainDetail.members.first)
            #expect(heldDetail.members.count == 1 && plainDetail.members.count == 1)
            #expect(heldMember.id_masked == maskedID(Self.known))
            #expect(plainMember.id_masked == heldMember.id_masked)
            func withoutIDs(_ row: RegistryQueries.PersonRow) -> RegistryQueries.PersonRow {
                var row = row
                row.id = PersonID(Self.zero)
                row.household_id = HouseholdID(Self.zero)
                return row
            }
            #expect(withoutIDs(heldMember) == withoutIDs(plainMember))
            var heldHousehold = heldDetail.household, plainHousehold = plainDetail.household
            heldHousehold.id = HouseholdID(Self.zero)
            plainHousehold.id = HouseholdID(Self.zero)
            #expect(heldHousehold == plainHousehold)
            #expect(heldDetail.aid == plainDetail.aid)

            // Behind the scenes the first waits on a hold; the second does not.
            let rows = try await holdRows(app)
            #expect(rows.count == 1)
            #expect(rows.first?.kind == "person" && rows.first?.status == "open" && rows.first?.record_id == heldMember.id.rawValue)
            #expect(rows.first?.submitted_by == "cadre")
            // Neither answer nor any audit entry holds a plain number.
            for response in [checkKnown, heldAnswer, held] { #expect(!response.body.string.contains(Self.known)) }
        }
    }

    // MARK: b) duplicates inside the scope

    @Test("a number already registered inside the caller's scope is still reported, naming the member or the column")
    func duplicateInsideScope() async throws {
        try await withApp(demo: true) { app in
            let admin = try await client(app, "admin")
            #expect(try await register(admin, Self.cadre2Group, number: Self.known).status == .created)
            let cadre = try await client(app, "cadre")
            #expect(try await register(cadre, Self.cadreGroup, number: Self.known).status == .created) // held
            #expect(try await register(cadre, Self.cadreGroup, number: Self.fresh).status == .created) // plain

            // Both are now in cadre's scope: a second household with either number is refused.
            for number in [Self.known, Self.fresh] {
                let again = try await register(cadre, Self.cadreGroup, name: "李秀英", number: number)
                #expect(again.status == .unprocessableEntity, "\(again.body.string)")
                #expect(try fields(again) == ["members[0].id_number"])
                let check = try await importCSV(cadre, "persons", Self.personsCSV(number), dryRun: true)
                #expect(check.status == .unprocessableEntity)
                let errors = try check.decode(ImportReport.self).errors
                #expect(errors.map { "\($0.line) \($0.field)" } == ["2 id_number"])
                #expect(errors.first?.message_en.contains("in your scope") == true)
            }
            // cadre2 holds the original record: their own duplicate is reported too.
            let cadre2 = try await client(app, "cadre2")
            let inTheirs = try await register(cadre2, Self.cadre2Group, number: Self.known)
            #expect(inTheirs.status == .unprocessableEntity)
            #expect(try fields(inTheirs) == ["members[0].id_number"])
            // Nothing more was written: three persons, one hold.
            struct N: Decodable { var n: Int }
            #expect(try await app.db.sql.raw("SELECT COUNT(*) AS n FROM persons").first(decoding: N.self)?.n == 3)
            #expect(try await holdRows(app).count == 1)
        }
    }

    // MARK: c) lookup

    @Test("a lookup by number finds the record in the caller's own scope: the held one for cadre, the original for cadre2")
    func lookupFindsOwnRecord() async throws {
        try await withApp(demo: true) { app in
            let admin = try await client(app, "admin")
            let original = try await registerHead(admin, Self.cadre2Group, name: "王建国", number: Self.known)
            let cadre = try await client(app, "cadre")
            let held = try await registerHead(cadre, Self.cadreGroup, name: "王建民", number: Self.known)
            #expect(held != original)

            let found = try await lookup(cadre, Self.known)
            #expect(found.status == .ok, "\(found.body.string)")
            let row = try found.decode(RegistryQueries.PersonRow.self)
            #expect(row.id.rawValue == held)
            #expect(row.name == "王建民" && row.grid_code == Self.cadreGroup && row.id_masked == maskedID(Self.known))
            // The legacy 15-digit spelling finds it as well.
            #expect(try await lookup(cadre, "310106560312001").decode(RegistryQueries.PersonRow.self).id.rawValue == held)

            let cadre2 = try await client(app, "cadre2")
            #expect(try await lookup(cadre2, Self.known).decode(RegistryQueries.PersonRow.self).id.rawValue == original)
            // The grid worker under cadre finds the held record too (inside their micro-grid).
            let worker = try await client(app, "gridworker")
            #expect(try await lookup(worker, Self.known).decode(RegistryQueries.PersonRow.self).id.rawValue == held)
            // Every lookup is audited, found or not, without the number.
            let lookups = try await audit(app, "person.looked_up")
            #expect(lookups.count == 4)
            #expect(lookups.allSatisfy { $0.detail.contains("\"found\":\"yes\"") && !$0.detail.contains(Self.known) })
        }
    }

    // MARK: d) review

    @Test("holds are reviewed by staff whose scope holds the existing record; the same person moves the number, a different one marks it unverified")
    func review() async throws {
        try await withApp(demo: true) { app in
            let sql = app.db.sql
            let admin = try await client(app, "admin")
            let original = try await registerHead(admin, Self.cadre2Group, name: "王建国", number: Self.known)
            let otherOriginal = try await registerHead(admin, Self.cadre2Group, name: "赵六", number: Self.other)
            let cadre = try await client(app, "cadre")
            let moved = try await registerHead(cadre, Self.cadreGroup, name: "王建国", number: Self.known)
            let stranger = try await registerHead(cadre, Self.cadreGroup, name: "钱七", number: Self.other)

            // Who sees the holds: cadre2 (the existing records) and staff (above both); not cadre,
            // whose scope holds only the new records; a grid worker may not review at all.
            let cadre2 = try await client(app, "cadre2")
            let listed = try await holds(cadre2)
            #expect(listed.count == 2)
            let first = try #require(listed.first { $0.existing_id == original })
            #expect(first.kind == "person" && first.new_name == "王建国" && first.new_grid_code == Self.cadreGroup)
            #expect(first.new_id_masked == maskedID(Self.known) && first.submitted_by == "cadre" && first.existing_name == "王建国")
            let second = try #require(listed.first { $0.existing_id == otherOriginal })
            #expect(second.new_name == "钱七")
            let staff = try await client(app, "staff")
            #expect(Set(try await holds(staff).map(\.id)) == Set(listed.map(\.id)))
            #expect(try await holds(cadre).isEmpty)
            let worker = try await client(app, "gridworker")
            #expect(try await worker.get("/api/v1/registry/identity-holds").status == .forbidden)
            #expect(
                try await worker.jsonObject(.POST, "/api/v1/registry/identity-holds/\(first.id)/resolve", ["decision": "same_person"]).status
                    == .forbidden)
            // cadre cannot resolve a hold it does not review (404, as for one that does not exist).
            #expect(
                try await cadre.jsonObject(.POST, "/api/v1/registry/identity-holds/\(first.id)/resolve", ["decision": "same_person"]).status
                    == .notFound)

            // A decision outside the two answers is refused, naming the field.
            for bad: [String: Any] in [["decision": "maybe"], ["decision": "open"], [:]] {
                let refused = try await cadre2.jsonObject(.POST, "/api/v1/registry/identity-holds/\(first.id)/resolve", bad)
                #expect(refused.status == .unprocessableEntity, "\(bad)")
                #expect(try fields(refused) == ["decision"], "\(bad)")
            }

            // The same person: the number passes to the new record, the old one is kept as moved out.
            let same = try await cadre2.jsonObject(
                .POST, "/api/v1/registry/identity-holds/\(first.id)/resolve",
                ["decision": "same_person", "note": "本人已迁至临汾路"])
            #expect(same.status == .ok, "\(same.body.string)")
            struct Resolved: Decodable { var id: UUID; var status: String }
            #expect(try same.decode(Resolved.self).status == "same_person")
            #expect(try await lookup(cadre, Self.known).decode(RegistryQueries.PersonRow.self).id.rawValue == moved)
            #expect(try await lookup(cadre2, Self.known).status == .notFound)
            struct Person: Decodable { var id: UUID; var id_index: String; var moved_out_on: String? }
            let persons = try await sql.raw("SELECT id, id_index, moved_out_on FROM persons WHERE id IN (\(binds: [original, moved]))")
                .all(decoding: Person.self)
            let old = try #require(persons.first { $0.id == original })
            let new = try #require(persons.first { $0.id == moved })
            #expect(old.moved_out_on == CivilDate(TestClock.pinnedNow(), in: .shanghai).iso8601)
            #expect(old.id_index != new.id_index && !old.id_index.hasPrefix("held:") && new.moved_out_on == nil)
            #expect(new.id_index == app.services.vault.blindIndex(Self.known, kind: .idNumber))
            let resolved = try await audit(app, "identity_hold.resolved")
            #expect(resolved.count == 1)
            #expect(resolved.first?.actor_name == "cadre2" && resolved.first?.target_id == moved.uuidString)
            #expect(resolved.first?.detail.contains("same_person") == true && resolved.first?.detail.contains(first.id.uuidString) == true)
            // Once only.
            #expect(
                try await cadre2.jsonObject(.POST, "/api/v1/registry/identity-holds/\(first.id)/resolve", ["decision": "same_person"]).status
                    == .notFound)
            #expect(
                try await cadre2.jsonObject(.POST, "/api/v1/registry/identity-holds/\(first.id)/resolve", ["decision": "different_person"]).status
                    == .notFound)
            #expect(try await holds(cadre2).map(\.id) == [second.id])

            // A different person: the new record is marked unverified on its page, for its own staff.
            let different = try await cadre2.jsonObject(
                .POST, "/api/v1/registry/identity-holds/\(second.id)/resolve", ["decision": "different_person"])
            #expect(different.status == .ok, "\(different.body.string)")
            #expect(try different.decode(Resolved.self).status == "different_person")
            #expect(try await holds(cadre2).isEmpty)
            #expect(try await holds(staff).isEmpty)
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let strangerPage = try await web.get("/registry/persons/\(stranger)")
            #expect(strangerPage.status == .ok)
            #expect(strangerPage.body.string.contains("id=\"number-unverified\""))
            let movedPage = try await web.get("/registry/persons/\(moved)")
            #expect(movedPage.status == .ok)
            #expect(!movedPage.body.string.contains("number-unverified"))
            // The original keeps its number: cadre2 still finds it.
            #expect(try await lookup(cadre2, Self.other).decode(RegistryQueries.PersonRow.self).id.rawValue == otherOriginal)
            #expect(try await audit(app, "identity_hold.resolved").count == 2)
            #expect(try await holdRows(app).map(\.status).sorted() == ["different_person", "same_person"])
        }
    }

    // MARK: e) every import check is audited

    @Test("every import check is audited (registry.import_checked), clean or not, without the numbers")
    func checksAudited() async throws {
        try await withApp(demo: true) { app in
            let cadre = try await client(app, "cadre")
            #expect(try await audit(app, "registry.import_checked").isEmpty)
            #expect(try await importCSV(cadre, "persons", Self.personsCSV(Self.fresh), dryRun: true).status == .ok)
            let broken = Self.personsCSV(Self.fresh).replacingOccurrences(of: Self.cadreGroup, with: Self.cadre2Group)
            #expect(try await importCSV(cadre, "persons", broken, dryRun: true).status == .unprocessableEntity)
            let checks = try await audit(app, "registry.import_checked")
            #expect(checks.count == 2)
            #expect(checks.allSatisfy { $0.actor_name == "cadre" && $0.detail.contains("persons") && !$0.detail.contains(Self.fresh) })
            #expect(checks.first?.detail.contains("\"errors\":\"0\"") == true)
            #expect(checks.last?.detail.contains("\"errors\":\"1\"") == true)
            // A real run writes registry.imported instead, not another check.
            #expect(try await importCSV(cadre, "persons", Self.personsCSV(Self.fresh), dryRun: false).status == .created)
            #expect(try await audit(app, "registry.import_checked").count == 2)
            #expect(try await audit(app, "registry.imported").count == 1)
        }
    }

    // MARK: f) owners in a dwelling import

    static let dwellingHeader = "小区编码,小区名称,小区类型,小区地址,楼组编码,楼栋,总层数,单元,室号,登记面积（平方米）,实测面积（平方米）,合同面积（平方米）,开发商持有,未售,未交付,业主姓名,业主类型,业主身份证号,业主手机号"

    static func dwellingCSV(compound: String, name: String, node: String, owner: String, number: String) -> String {
        """
        \(dwellingHeader)
        \(compound),\(name),老旧,测试路1号,\(node),,6,1,101,80,,,否,否,否,\(owner),个人,\(number),

        """
    }

    @Test("a dwelling import naming an owner registered only outside the scope says nothing, writes a new owner and an owner hold")
    func ownerElsewhere() async throws {
        try await withApp(demo: true) { app in
            let sql = app.db.sql
            // staff registers an owner in cadre2's area.
            let staff = try await client(app, "staff")
            let outside = try await importCSV(
                staff, "dwellings",
                Self.dwellingCSV(
                    compound: "C-OUT", name: "外区小区", node: Self.cadre2Group,
                    owner: "王建国", number: Self.known), dryRun: false)
            #expect(outside.status == .created, "\(outside.body.string)")

            // cadre names the same number under another name: before the fix this was an
            // owner_name error ("registered under another name"), telling that the number exists.
            let cadre = try await client(app, "cadre")
            let inside = { (number: String) in Self.dwellingCSV(compound: "C-IN", name: "内区小区", node: Self.cadreGroup, owner: "李四", number: number) }
            let checkKnown = try await importCSV(cadre, "dwellings", inside(Self.known), dryRun: true)
            let checkFresh = try await importCSV(cadre, "dwellings", inside(Self.fresh), dryRun: true)
            #expect(checkKnown.status == .ok, "\(checkKnown.body.string)")
            #expect(try checkKnown.decode(ImportReport.self).errors == [])
            #expect(checkKnown.body.string == checkFresh.body.string)

            let written = try await importCSV(cadre, "dwellings", inside(Self.known), dryRun: false)
            #expect(written.status == .created, "\(written.body.string)")
            #expect(try written.decode(ImportReport.self).errors == [])
            struct Owner: Decodable { var id: UUID; var name: String; var id_index: String?; var id_masked: String? }
            let owners = try await sql.raw("SELECT id, name, id_index, id_masked FROM owners ORDER BY name").all(decoding: Owner.self)
            #expect(owners.count == 2)
            let wang = try #require(owners.first { $0.name == "王建国" })
            let li = try #require(owners.first { $0.name == "李四" })
            #expect(wang.id != li.id)
            #expect(wang.id_index == app.services.vault.blindIndex(Self.known, kind: .idNumber))
            #expect(li.id_index?.hasPrefix("held:") == true)
            #expect(li.id_masked == wang.id_masked)
            // The new owner holds cadre's dwelling; the old one still only its own.
            struct Held: Decodable { var room_node: String }
            let liDwellings = try await sql.raw(
                """
                SELECT n.code AS room_node FROM dwelling_owners x JOIN dwellings d ON d.id = x.dwelling_id JOIN grid_nodes n ON n.id = d.grid_node_id
                WHERE x.owner_id = \(bind: li.id)
                """
            ).all(decoding: Held.self)
            #expect(liDwellings.map(\.room_node) == [Self.cadreGroup])

            let rows = try await holdRows(app)
            #expect(rows.count == 1)
            #expect(rows.first?.kind == "owner" && rows.first?.record_id == li.id && rows.first?.status == "open")
            // cadre2, whose area holds the existing owner, reviews it; cadre does not.
            let cadre2 = try await client(app, "cadre2")
            let listed = try await holds(cadre2)
            #expect(listed.count == 1)
            #expect(listed.first?.kind == "owner" && listed.first?.existing_id == wang.id && listed.first?.new_name == "李四")
            #expect(try await holds(cadre).isEmpty)
        }
    }
}
