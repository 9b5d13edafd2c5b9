import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// A property company's staff (persons of the register) and item 7's party-member share of each
/// company, on a real database: the share against a brute-force recount, hidden from roles that
/// may not see sensitive tags (JSON and page), bad input naming the field, one current row per
/// person (409, nothing half-written), ending service, and the page forms.
@Suite("Oversight: property companies' staff and their party-member share")
struct OversightStaffTests {
    typealias World = OversightTests.World

    /// Brute force: every current staff row and every party-member tag read back, counted in Swift.
    static func recount(_ sql: any SQLDatabase, company: UUID, today: String) async throws -> (staff: Int, party: Int) {
        struct S: Decodable { var person_id: UUID }
        struct T: Decodable { var person_id: UUID; var starts_on: String; var ends_on: String? }
        let staff = try await sql.raw("SELECT person_id FROM property_company_staff WHERE company_id = \(bind: company) AND ended_on IS NULL")
            .all(decoding: S.self).map(\.person_id)
        let tags = try await sql.raw(
            """
            SELECT pa.person_id, pa.starts_on, pa.ends_on FROM tag_assignments pa JOIN tags pt ON pt.id = pa.tag_id WHERE pt.code = 'id.party_member'
            """
        ).all(decoding: T.self)
        let party = Set(tags.filter { $0.starts_on <= today && ($0.ends_on.map { $0 > today } ?? true) }.map(\.person_id))
        return (staff.count, staff.filter { party.contains($0) }.count)
    }

    static func addStaff(_ client: TestClient, _ company: UUID, _ person: UUID, role: String = "steward") async throws -> TestingHTTPResponse {
        try await client.jsonObject(.POST, "/api/v1/oversight/companies/\(company)/staff", ["person_id": person.uuidString, "role": role])
    }

    @Test("the share equals a brute-force recount (this company, the demo's, the organisations figures); ending service leaves the share")
    func shareRecount() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106STAF000001")
            let today = CivilDate.today(now: TestClock.pinnedNow())
            var staffIDs: [UUID] = []
            var persons: [UUID] = []
            for n in 1...6 {
                let (_, person) = try await world.visits.household(40 + n, born: "19800101")
                persons.append(person)
                if n <= 3 { try await world.visits.tag(person, "id.party_member", starts: try CivilDate(parsing: "2015-01-01")) }
                // A tag that starts tomorrow: not a party member today.
                if n == 6 { try await world.visits.tag(person, "id.party_member", starts: try today.adding(days: 1)) }
                let added = try await Self.addStaff(world.cadre, company, person, role: n == 1 ? "manager" : "steward")
                #expect(added.status == .created, "\(added.body.string)")
                staffIDs.append(try added.createdID())
            }
            var detail = try await world.detail(company)
            #expect(detail.staff.count == 6)
            #expect(detail.party_share?.members == 6 && detail.party_share?.party_members == 3)
            #expect(detail.party_share?.percent == 50 && detail.party_share?.meets_target == true)
            let brute = try await Self.recount(world.sql, company: company, today: today.iso8601)
            #expect(brute.staff == 6 && brute.party == 3)

            // Ending a party member's service removes them from the share: 2 of 5, below the target.
            let ended = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/companies/\(company)/staff/\(staffIDs[0])/end", [:])
            #expect(ended.status == .ok, "\(ended.body.string)")
            let list = try ended.decode(CompanyStaffList.self)
            #expect(list.staff.count == 5 && !list.staff.contains { $0.person_id == persons[0] })
            #expect(list.party_share?.members == 5 && list.party_share?.party_members == 2 && list.party_share?.meets_target == false)
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/oversight/companies/\(company)/staff/\(staffIDs[0])/end", [:]).status == .conflict)
            detail = try await world.detail(company)
            #expect(detail.party_share?.percent == 40)
            let after = try await Self.recount(world.sql, company: company, today: today.iso8601)
            #expect(after.staff == 5 && after.party == 2)
            // Served and left: they may serve again (a new current row).
            #expect(try await Self.addStaff(world.cadre, company, persons[0]).status == .created)
            #expect(try await world.detail(company).party_share?.party_members == 3)

            // The query function for the organisations figures agrees with the recount for every visible company.
            let figures = try await world.cadre.get("/api/v1/organisations/figures").decode(OrganisationFigures.self)
            let shares = try #require(figures.property_companies)
            // 3 party members of 6 staff: 50 %.
            #expect(
                shares.rows.contains { $0.company_id == company && $0.staff == 6 && $0.party_members == 3 && $0.percent == 50 && $0.meets_target })
            for row in shares.rows {
                let counted = try await Self.recount(world.sql, company: row.company_id, today: today.iso8601)
                #expect(row.staff == counted.staff && row.party_members == counted.party, "\(row.company_name)")
                // The share worked out here from the recount, not through the production share:
                // percent rounded half up in integers, (100 × party + staff / 2) / staff, written as
                // (200 × party + staff) / (2 × staff); 0 with no staff. The 50 % target is met when
                // 2 × party ≥ staff, and never with no staff.
                let percent = counted.staff == 0 ? 0 : (200 * counted.party + counted.staff) / (2 * counted.staff)
                #expect(row.percent == percent, "\(row.company_name): \(counted.party) of \(counted.staff)")
                #expect(
                    row.target_percent == 50 && row.meets_target == (counted.staff > 0 && 2 * counted.party >= counted.staff), "\(row.company_name)")
            }
            #expect(shares.companies == shares.rows.count && shares.staff == shares.rows.reduce(0) { $0 + $1.staff })
            let page = try await world.cadre.get("/organisations")
            #expect(page.body.string.contains("id=\"company-shares\""))
        }
    }

    @Test("a role without seesSensitiveTags sees the staff but not the share: absent from the JSON, nothing on the pages")
    func hiddenShare() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106STAF000002")
            let (_, person) = try await world.visits.household(51, born: "19800101")
            try await world.visits.tag(person, "id.party_member", starts: try CivilDate(parsing: "2015-01-01"))
            #expect(try await Self.addStaff(world.cadre, company, person).status == .created)
            let gridworker = TestClient(app)
            try await gridworker.signInAPI("gridworker")
            let json = try await gridworker.get("/api/v1/oversight/companies/\(company)")
            #expect(json.status == .ok)
            #expect(try json.decode(CompanyDetail.self).staff.count == 1)
            #expect(!json.body.string.contains("party_share") && !json.body.string.contains("party_members"))
            let staffJSON = try await gridworker.get("/api/v1/oversight/companies/\(company)/staff")
            #expect(staffJSON.status == .ok && !staffJSON.body.string.contains("party_share"))
            #expect(
                staffJSON.body.string.contains("住户51") && !staffJSON.body.string.contains("id_masked") && !staffJSON.body.string.contains("phone"))
            let web = TestClient(app)
            #expect(try await web.signInWeb("gridworker").status == .seeOther)
            let page = try await web.get("/oversight/companies/\(company)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("住户51"))
            #expect(!page.body.string.contains("staff-party-share") && !page.body.string.contains("党员"))
            let figures = try await gridworker.get("/api/v1/organisations/figures")
            #expect(figures.status == .ok && !figures.body.string.contains("property_companies"))
            let orgPage = try await web.get("/organisations")
            #expect(!orgPage.body.string.contains("company-shares"))
            // The cadre (a sensitive role) sees it on the page.
            let cadreWeb = TestClient(app)
            #expect(try await cadreWeb.signInWeb("cadre").status == .seeOther)
            #expect(try await cadreWeb.get("/oversight/companies/\(company)").body.string.contains("id=\"staff-party-share\""))
        }
    }

    @Test("bad input names the field; a second current row for the same person is refused (409) and nothing is half-written")
    func badInputAndConflict() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106STAF000003")
            let (_, person) = try await world.visits.household(52, born: "19800101")
            let cases: [([String: Any], String)] = [
                ([:], "person_id"),
                (["person_id": person.uuidString, "role": "boss"], "role"),
                (["person_id": person.uuidString, "started_on": "2026-13-40"], "started_on"),
                (["person_id": person.uuidString, "started_on": "2999-01-01"], "started_on"),
                (["person_id": UUID().uuidString], "person_id")
            ]
            for (body, field) in cases {
                let response = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/companies/\(company)/staff", body)
                #expect(response.status == .unprocessableEntity, "\(body)")
                #expect(response.body.string.contains("\"\(field)\""), "\(response.body.string)")
            }
            #expect(try await world.visits.count("property_company_staff") == 0)
            #expect(try await Self.addStaff(world.cadre, company, person).status == .created)
            let again = try await Self.addStaff(world.staff, company, person, role: "cleaner")
            #expect(again.status == .conflict, "\(again.body.string)")
            struct N: Decodable { var n: Int }
            #expect(
                try await world.sql.raw("SELECT COUNT(*) AS n FROM property_company_staff WHERE person_id = \(bind: person)").first(decoding: N.self)?
                    .n == 1)
            #expect(
                try await world.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'oversight.staff_added'").first(decoding: N.self)?.n == 1)
            // The database itself refuses a second current row, whatever the code path.
            await #expect(throws: (any Error).self) {
                try await world.sql.raw(
                    """
                    INSERT INTO property_company_staff (id, company_id, person_id, role, started_on) VALUES (\(bind: UUID()), \(bind: company), \(bind: person), 'other', '2026-01-01')
                    """
                ).run()
            }
            // Outside scope: a company serving only compound B is not the cadre's.
            let other = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies", ["name": "乙物业", "licence_code": "91310106STAF000004"])
                .createdID()
            _ = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies/\(other)/contracts", ["compound_id": world.compoundB.uuidString])
                .createdID()
            #expect(try await Self.addStaff(world.cadre, other, person).status == .notFound)
            #expect(try await world.cadre.get("/api/v1/oversight/companies/\(other)/staff").status == .notFound)
            // Ending: a date before the start names the field.
            let staffRow = try await world.detail(company).staff[0]
            let early = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/companies/\(company)/staff/\(staffRow.id)/end", ["ended_on": "2000-01-01"])
            #expect(early.status == .unprocessableEntity && early.body.string.contains("\"ended_on\""))
        }
    }

    @Test("company page: find by name, add (PRG), bad input re-rendered naming the field, a conflict re-rendered, end service")
    func pageForms() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106STAF000005")
            let (_, person) = try await world.visits.household(53, born: "19800101")
            let (web, csrf) = try await OversightFormsTests.browser(app, "cadre")
            let page = try await web.get("/oversight/companies/\(company)")
            #expect(page.body.string.contains("id=\"staff-search\"") && page.body.string.contains("id=\"staff-hint\""))
            let found = try await web.get(
                "/oversight/companies/\(company)?who=\("住户53".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)")
            #expect(found.body.string.contains("id=\"staff-form\"") && found.body.string.contains(person.uuidString))
            // "%" and "_" are taken literally (LIKE … ESCAPE), not as "anyone"
            for wildcard in ["%25", "_", "%25_"] {
                let none = try await web.get("/oversight/companies/\(company)?who=\(wildcard)")
                #expect(none.body.string.contains("id=\"no-staff-candidates\"") && !none.body.string.contains("id=\"staff-form\""))
            }
            let bad = try await web.form(
                "/oversight/companies/\(company)/staff", ["csrf": csrf, "person_id": person.uuidString, "role": "boss", "started_on": ""])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("role"))
            let posted = try await web.form(
                "/oversight/companies/\(company)/staff", ["csrf": csrf, "person_id": person.uuidString, "role": "security", "started_on": ""])
            #expect(posted.status == .seeOther)
            #expect(OversightFormsTests.location(posted) == "/oversight/companies/\(company.uuidString)?done=staff")
            let shown = try await web.get(OversightFormsTests.location(posted))
            #expect(shown.body.string.contains("员工已添加") && shown.body.string.contains("住户53"))
            let twice = try await web.form(
                "/oversight/companies/\(company)/staff", ["csrf": csrf, "person_id": person.uuidString, "role": "security"])
            #expect(twice.status == .conflict)
            let row = try await world.detail(company).staff[0]
            let end = try await web.form("/oversight/companies/\(company)/staff/\(row.id)/end", ["csrf": csrf])
            #expect(end.status == .seeOther)
            #expect(try await world.detail(company).staff.isEmpty)
        }
    }
}
