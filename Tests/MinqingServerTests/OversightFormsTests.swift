import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The oversight pages' write forms (they call the same service as the JSON API), the
/// property-company account linked to its company, and editing programmes and milestones — each
/// on a real database, with a bad-input case that names the field and a refusal outside scope.
@Suite("Oversight: page forms, property-company accounts, programmes")
struct OversightFormsTests {
    typealias World = OversightTests.World

    /// A browser session of `username` and its CSRF token.
    static func browser(_ app: Application, _ username: String) async throws -> (TestClient, String) {
        let web = TestClient(app)
        #expect(try await web.signInWeb(username).status == .seeOther)
        let page = try await web.get("/account/password")
        return (web, try #require(TestClient.csrf(in: page.body.string)))
    }

    static func location(_ response: TestingHTTPResponse) -> String { response.headers.first(name: .location) ?? "" }

    @Test("company page: contract (fee in yuan kept in fen), survey, complaint by case number; bad input names the field; outside scope 404")
    func companyForms() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106FORM000001")
            let (web, csrf) = try await Self.browser(app, "cadre")
            let page = try await web.get("/oversight/companies/\(company)")
            #expect(page.status == .ok)
            for id in ["contract-form", "survey-form", "complaint-form"] { #expect(page.body.string.contains("id=\"\(id)\""), "\(id)") }
            #expect(!page.body.string.contains("id=\"account-form\""), "only managers link accounts")

            let bad = try await web.form(
                "/oversight/companies/\(company)/contracts", ["csrf": csrf, "compound_id": world.compoundA.uuidString, "fee_yuan": "1.234"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("fee_yuan") && bad.body.string.contains("金额须为元"))
            #expect(try await world.visits.count("property_contracts") == 1)
            let posted = try await web.form(
                "/oversight/companies/\(company)/contracts",
                ["csrf": csrf, "compound_id": world.compoundA.uuidString, "starts_on": "2026-01-01", "ends_on": "2028-12-31", "fee_yuan": "2.5"])
            #expect(posted.status == .seeOther)
            #expect(Self.location(posted) == "/oversight/companies/\(company.uuidString)?done=contract")
            let detail = try await world.detail(company)
            #expect(detail.contracts.contains { $0.fee_fen_per_m2 == 250 && $0.starts_on == "2026-01-01" && $0.ends_on == "2028-12-31" })
            let shown = try await web.get(Self.location(posted))
            #expect(shown.body.string.contains("服务合同已登记") && shown.body.string.contains("¥2.50"))

            let tooMany = try await web.form(
                "/oversight/companies/\(company)/surveys",
                ["csrf": csrf, "compound_id": world.compoundA.uuidString, "respondents": "10", "satisfied": "11"])
            #expect(tooMany.status == .unprocessableEntity && tooMany.body.string.contains("satisfied"))
            let notNumber = try await web.form(
                "/oversight/companies/\(company)/surveys",
                ["csrf": csrf, "compound_id": world.compoundA.uuidString, "respondents": "十", "satisfied": "1"])
            #expect(notNumber.status == .unprocessableEntity && notNumber.body.string.contains("respondents"))
            #expect(
                try await web.form(
                    "/oversight/companies/\(company)/surveys",
                    ["csrf": csrf, "compound_id": world.compoundA.uuidString, "respondents": "40", "satisfied": "20"]
                ).status == .seeOther)
            var after = try await world.detail(company)
            #expect(after.surveys.count == 1 && after.entries.first?.rule_code == "survey.low")

            // A case found by its public number becomes an upheld complaint.
            let inspected = try await world.inspect(company, "minor", finding: "楼道灯不亮", category: "E0401").decode(InspectionResult.self)
            let number = try #require(inspected.case_number)
            let unknown = try await web.form("/oversight/companies/\(company)/complaints", ["csrf": csrf, "case_ref": "2099-999999", "upheld": "1"])
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("case_ref"))
            #expect(
                try await web.form("/oversight/companies/\(company)/complaints", ["csrf": csrf, "case_ref": number, "upheld": "1"]).status
                    == .seeOther)
            let twice = try await web.form("/oversight/companies/\(company)/complaints", ["csrf": csrf, "case_ref": number, "upheld": "1"])
            #expect(twice.status == .conflict && twice.body.string.contains("已登记为投诉"))
            after = try await world.detail(company)
            #expect(after.complaints.map(\.case_number) == [number])
            #expect(after.entries.first?.rule_code == "case.complaint_upheld")

            // A company serving only compound B lies outside the cadre's scope.
            let other = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies", ["name": "乙物业", "licence_code": "91310106FORM000002"])
                .createdID()
            _ = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies/\(other)/contracts", ["compound_id": world.compoundB.uuidString])
                .createdID()
            let refused = try await web.form(
                "/oversight/companies/\(other)/contracts", ["csrf": csrf, "compound_id": world.compoundB.uuidString, "fee_yuan": "1"])
            #expect(refused.status == .notFound)
            #expect(
                try await web.form(
                    "/oversight/companies/\(other)/surveys",
                    ["csrf": csrf, "compound_id": world.compoundB.uuidString, "respondents": "5", "satisfied": "5"]
                ).status == .notFound)
        }
    }

    @Test("a property-company account sees its own company's credit file only, linked by subdistrict staff")
    func propertyAccount() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let own = try await world.company("91310106FORM000011")
            let other = try await world.company("91310106FORM000012")
            #expect(try await world.inspect(own, "serious", finding: "消防通道堵塞").status == .created)
            _ = try await AccountService.create(
                NewAccount(
                    username: "wuye1", displayName: "甲物业经理", role: "property_company", scopeCode: "310106019-1-01",
                    password: demoPassword, mustChangePassword: false), by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let property = TestClient(app)
            try await property.signInAPI("wuye1")
            // Not linked yet: nothing.
            #expect(try await property.get("/api/v1/oversight/companies/\(own)").status == .notFound)
            let (propertyWeb, _) = try await Self.browser(app, "wuye1")
            let none = try await propertyWeb.get("/oversight/my-company")
            #expect(none.status == .ok && none.body.string.contains("no-company"))

            // Only managers link, only property-company accounts, only companies in scope.
            #expect(
                try await world.cadre.jsonObject(.PUT, "/api/v1/oversight/company-accounts/wuye1", ["company_id": own.uuidString]).status
                    == .forbidden)
            let resident = try await world.staff.jsonObject(.PUT, "/api/v1/oversight/company-accounts/resident", ["company_id": own.uuidString])
            #expect(resident.status == .unprocessableEntity && resident.body.string.contains("\"username\""))
            let missing = try await world.staff.jsonObject(.PUT, "/api/v1/oversight/company-accounts/wuye1", [:])
            #expect(missing.status == .unprocessableEntity && missing.body.string.contains("\"company_id\""))
            #expect(
                try await world.staff.jsonObject(.PUT, "/api/v1/oversight/company-accounts/wuye1", ["company_id": own.uuidString]).status
                    == .noContent)

            let detail = try await property.get("/api/v1/oversight/companies/\(own)")
            #expect(detail.status == .ok)
            let file = try detail.decode(CompanyDetail.self)
            #expect(file.company.score == 90 && file.rectifications.count == 1 && file.inspections.count == 1 && file.entries.count == 1)
            #expect(try await property.get("/api/v1/oversight/companies/\(other)").status == .notFound)
            #expect(try await property.get("/api/v1/oversight/companies").status == .forbidden)
            #expect(
                try await property.jsonObject(
                    .POST, "/api/v1/oversight/companies/\(own)/inspections",
                    ["compound_id": world.compoundA.uuidString, "outcome": "pass"]
                ).status == .forbidden)
            let redirect = try await propertyWeb.get("/oversight/my-company")
            #expect(redirect.status == .seeOther && Self.location(redirect) == "/oversight/companies/\(own.uuidString)")
            let page = try await propertyWeb.get("/oversight/companies/\(own)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("id=\"ledger\"") && page.body.string.contains("消防通道堵塞"))
            #expect(!page.body.string.contains("id=\"inspection-form\"") && !page.body.string.contains("/close\""))
            #expect(try await propertyWeb.get("/oversight/companies/\(other)").status == .notFound)
            #expect(try await propertyWeb.get("/oversight").status == .forbidden)

            // The company page's form moves the link (subdistrict staff); a bad username is named.
            let (staffWeb, csrf) = try await Self.browser(app, "staff")
            let bad = try await staffWeb.form("/oversight/companies/\(other)/accounts", ["csrf": csrf, "username": "nobody"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("username"))
            #expect(try await staffWeb.form("/oversight/companies/\(other)/accounts", ["csrf": csrf, "username": "wuye1"]).status == .seeOther)
            #expect(try await staffWeb.get("/oversight/companies/\(other)").body.string.contains("wuye1"))
            #expect(try await property.get("/api/v1/oversight/companies/\(own)").status == .notFound)
            #expect(try await property.get("/api/v1/oversight/companies/\(other)").status == .ok)
        }
    }

    @Test("compound page: measure status per compound, committee recorded, members and records by form")
    func committeeForms() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let (web, csrf) = try await Self.browser(app, "cadre")
            let compoundPage = try await web.get("/oversight/compounds/\(world.compoundA)")
            #expect(compoundPage.status == .ok && compoundPage.body.string.contains("id=\"committee-form\""))
            let badStatus = try await web.form("/oversight/compounds/\(world.compoundA)/measures/ch.topics", ["csrf": csrf, "status": "finished"])
            #expect(badStatus.status == .unprocessableEntity && badStatus.body.string.contains("status"))
            #expect(
                try await web.form(
                    "/oversight/compounds/\(world.compoundA)/measures/ch.topics",
                    ["csrf": csrf, "status": "done", "note": "议事会已建立"]
                ).status == .seeOther)
            let rows = try await world.cadre.get("/api/v1/oversight/checklists?compound=\(world.compoundA)").decode([ChecklistRow].self)
            #expect(rows.first?.done == 1 && rows.first?.measures.first { $0.code == "ch.topics" }?.note == "议事会已建立")
            #expect(
                try await web.form("/oversight/compounds/\(world.compoundB)/measures/old.renovation", ["csrf": csrf, "status": "done"]).status
                    == .notFound)
            #expect(try await web.get("/oversight/compounds/\(world.compoundB)").status == .notFound)

            let badTerm = try await web.form(
                "/oversight/committees",
                [
                    "csrf": csrf, "compound_id": world.compoundA.uuidString,
                    "elected_on": "2026-01-01", "term_ends_on": "2025-01-01"
                ])
            #expect(
                badTerm.status == .unprocessableEntity && badTerm.body.string.contains("term_ends_on")
                    && badTerm.body.string.contains("committee-form"))
            let created = try await web.form(
                "/oversight/committees", ["csrf": csrf, "compound_id": world.compoundA.uuidString, "elected_on": "2026-01-01"])
            #expect(created.status == .seeOther)
            let committeePath = Self.location(created)
            #expect(committeePath.hasPrefix("/oversight/committees/"))
            let committee = try #require(UUID(uuidString: String(committeePath.dropFirst("/oversight/committees/".count).prefix(36))))
            #expect(try await web.form("/oversight/committees", ["csrf": csrf, "compound_id": world.compoundA.uuidString]).status == .conflict)
            #expect(
                try await web.form("/oversight/committees", ["csrf": csrf, "compound_id": world.compoundB.uuidString]).status == .unprocessableEntity)

            let (_, person) = try await world.visits.household(21, born: "19700101")
            let page = try await web.get("/oversight/committees/\(committee)")
            #expect(page.body.string.contains("id=\"member-form\"") && page.body.string.contains(person.uuidString))
            let found = try await web.get(
                "/oversight/committees/\(committee)?who=\("住户21".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(found.body.string.contains(person.uuidString))
            let nobody = try await web.get(
                "/oversight/committees/\(committee)?who=\("无此人".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(nobody.body.string.contains("no-candidates") && !nobody.body.string.contains(person.uuidString))
            let badRole = try await web.form(
                "/oversight/committees/\(committee)/members", ["csrf": csrf, "person_id": person.uuidString, "role": "boss"])
            #expect(badRole.status == .unprocessableEntity && badRole.body.string.contains("role"))
            #expect(
                try await web.form(
                    "/oversight/committees/\(committee)/members",
                    ["csrf": csrf, "person_id": person.uuidString, "role": "director"]
                ).status == .seeOther)
            #expect(
                try await web.form(
                    "/oversight/committees/\(committee)/members",
                    ["csrf": csrf, "person_id": person.uuidString, "role": "member"]
                ).status == .conflict)
            var detail = try await world.cadre.get("/api/v1/oversight/committees/\(committee)").decode(CommitteeDetail.self)
            let member = try #require(detail.members.first)
            #expect(member.role == "director" && member.term_starts_on == "2026-01-01")

            let noMember = try await web.form(
                "/oversight/committees/\(committee)/records", ["csrf": csrf, "kind": "exit", "member_id": "", "reason": "辞职"])
            #expect(noMember.status == .unprocessableEntity && noMember.body.string.contains("member_id"))
            #expect(
                try await web.form(
                    "/oversight/committees/\(committee)/records",
                    ["csrf": csrf, "kind": "exit", "member_id": member.id.uuidString, "reason": "辞职"]
                ).status == .seeOther)
            #expect(
                try await web.form(
                    "/oversight/committees/\(committee)/records",
                    ["csrf": csrf, "kind": "correction", "member_id": "", "reason": "补充公示"]
                ).status == .seeOther)
            detail = try await world.cadre.get("/api/v1/oversight/committees/\(committee)").decode(CommitteeDetail.self)
            #expect(detail.records.count == 2 && detail.members.first?.ended_on != nil)

            // A grid worker whose micro-grid does not hold the committee's compound is refused.
            let committeeB = try await world.staff.jsonObject(.POST, "/api/v1/oversight/committees", ["compound_id": world.compoundB.uuidString])
                .createdID()
            #expect(
                try await web.form("/oversight/committees/\(committeeB)/records", ["csrf": csrf, "kind": "correction", "reason": "x"]).status
                    == .notFound)
        }
    }

    @Test("shops by form: the file with a masked phone, a pledge, an inspection whose finding becomes a case")
    func shopForms() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let (web, csrf) = try await Self.browser(app, "cadre")
            #expect(try await web.get("/oversight/shops").status == .ok)
            let fields = [
                "csrf": csrf, "name": "好邻居便利店", "licence_code": "92310106MA0FORM001", "category": "零售", "address": "临汾路 88 号",
                "contact_name": "李女士", "node": VisitWorld.group
            ]
            let badPhone = try await web.form("/oversight/shops", fields.merging(["phone": "12345"]) { $1 })
            #expect(badPhone.status == .unprocessableEntity && badPhone.body.string.contains("phone"))
            // Every field keeps what was typed, the phone too, and its sentence stands beside it.
            #expect(badPhone.body.string.contains("好邻居便利店") && badPhone.body.string.contains("value=\"12345\""))
            #expect(badPhone.body.string.contains("id=\"error-phone\""))
            let outside = try await web.form("/oversight/shops", fields.merging(["node": World.groupB]) { $1 })
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("node"))
            #expect(try await world.visits.count("shops") == 0)
            let created = try await web.form("/oversight/shops", fields.merging(["phone": "13800138000"]) { $1 })
            #expect(created.status == .seeOther)
            let shopPath = Self.location(created)
            let shopPage = try await web.get(shopPath)
            #expect(shopPage.status == .ok && shopPage.body.string.contains("138****8000") && !shopPage.body.string.contains("13800138000"))
            let shop = try #require(UUID(uuidString: String(shopPath.dropFirst("/oversight/shops/".count).prefix(36))))

            let badDate = try await web.form("/oversight/shops/\(shop)/pledges", ["csrf": csrf, "signed_by": "李女士", "signed_on": "明天"])
            #expect(badDate.status == .unprocessableEntity && badDate.body.string.contains("signed_on"))
            #expect(
                try await web.form(
                    "/oversight/shops/\(shop)/pledges",
                    ["csrf": csrf, "signed_by": "李女士", "duties": "门前环境卫生\n门前秩序"]
                ).status == .seeOther)
            let noFinding = try await web.form(
                "/oversight/shops/\(shop)/inspections", ["csrf": csrf, "outcome": "minor", "finding": "", "case_category": ""])
            #expect(noFinding.status == .unprocessableEntity && noFinding.body.string.contains("finding"))
            #expect(try await world.visits.count("cases") == 0)
            let inspected = try await web.form(
                "/oversight/shops/\(shop)/inspections",
                ["csrf": csrf, "outcome": "minor", "finding": "门前占道经营", "case_category": "E0201"])
            #expect(inspected.status == .seeOther)
            let after = try await web.get("/oversight/shops/\(shop)")
            #expect(after.body.string.contains("门前环境卫生；门前秩序") && after.body.string.contains("case-link"))
            struct Case: Decodable { var channel: String; var category_code: String; var source_ref: String? }
            let row = try await world.sql.raw("SELECT channel, category_code, source_ref FROM cases").first(decoding: Case.self)
            #expect(row?.channel == "grid_patrol" && row?.category_code == "E0201" && row?.source_ref?.hasPrefix("inspection:") == true)

            let far = try await world.staff.jsonObject(
                .POST, "/api/v1/oversight/shops",
                [
                    "name": "远处小店", "licence_code": "92310106MA0FORM002", "category": "餐饮", "address": "远处", "node": World.groupB
                ]
            ).createdID()
            #expect(try await web.get("/oversight/shops/\(far)").status == .notFound)
            #expect(try await web.form("/oversight/shops/\(far)/inspections", ["csrf": csrf, "outcome": "pass"]).status == .notFound)
        }
    }

    @Test("programmes: status, spending typed in yuan kept in fen, leader, department; milestones added and done; scope")
    func programmes() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            struct Sub: Decodable { var subdistrict_id: UUID? }
            let subdistrict = try await world.sql.raw("SELECT subdistrict_id FROM compounds WHERE id = \(bind: world.compoundA)").first(
                decoding: Sub.self)?.subdistrict_id
            let atA = UUID(), wide = UUID()
            for (id, compound, name) in [(atA, world.compoundA as UUID?, "甲小区改造"), (wide, nil, "背街小巷整治")] {
                try await world.sql.raw(
                    """
                    INSERT INTO governance_projects (id, subdistrict_id, concern, name, compound_id, department, leader_name, budget_fen, spent_fen, status)
                    VALUES (\(bind: id), \(bind: subdistrict), 'old_facilities', \(bind: name), \(bind: compound), '区住建局', '李科长', 50000000, 0, 'planned')
                    """
                ).run()
            }
            let patched = try await world.cadre.jsonObject(
                .PATCH, "/api/v1/oversight/projects/\(atA)", ["status": "in_progress", "spent_fen": 1_234_500])
            #expect(patched.status == .ok, "\(patched.body.string)")
            #expect(try patched.decode(ProjectRow.self).spent_fen == 1_234_500)
            let bad = try await world.cadre.jsonObject(.PATCH, "/api/v1/oversight/projects/\(atA)", ["status": "paused", "spent_fen": -1])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("\"status\"") && bad.body.string.contains("\"spent_fen\""))
            #expect(try await world.cadre.jsonObject(.PATCH, "/api/v1/oversight/projects/\(atA)", [:]).status == .unprocessableEntity)
            // A subdistrict-wide project is for subdistrict staff; the area cadre does not see it.
            #expect(try await world.cadre.jsonObject(.PATCH, "/api/v1/oversight/projects/\(wide)", ["status": "completed"]).status == .notFound)
            #expect(try await world.staff.jsonObject(.PATCH, "/api/v1/oversight/projects/\(wide)", ["leader_name": "王主任"]).status == .ok)

            let milestone = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/projects/\(atA)/milestones", ["name": "方案公示", "due_on": "2027-03-31"]
            ).createdID()
            let noDue = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/projects/\(atA)/milestones", ["name": "竣工"])
            #expect(noDue.status == .unprocessableEntity && noDue.body.string.contains("\"due_on\""))
            let done = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/milestones/\(milestone)/done", [:])
            #expect(done.status == .ok)
            #expect(
                try done.decode(ProjectRow.self).milestones.first { $0.id == milestone }?.done_on
                    == CivilDate.today(now: TestClock.pinnedNow()).iso8601)
            #expect(try await world.cadre.jsonObject(.POST, "/api/v1/oversight/milestones/\(milestone)/done", [:]).status == .conflict)

            // The page: spending typed in yuan, kept in fen; bad input names the field and changes nothing.
            let (web, csrf) = try await Self.browser(app, "cadre")
            #expect(try await web.get("/oversight/projects/\(atA)").status == .ok)
            #expect(try await web.get("/oversight/projects/\(wide)").status == .notFound)
            let badYuan = try await web.form(
                "/oversight/projects/\(atA)",
                [
                    "csrf": csrf, "status": "in_progress", "spent_yuan": "12.345",
                    "leader_name": "李科长", "department": "区住建局"
                ])
            #expect(badYuan.status == .unprocessableEntity && badYuan.body.string.contains("spent_yuan"))
            let saved = try await web.form(
                "/oversight/projects/\(atA)",
                [
                    "csrf": csrf, "status": "completed", "spent_yuan": "98765.4",
                    "leader_name": "赵科长", "department": "区房管局"
                ])
            #expect(saved.status == .seeOther)
            let row = try #require(try await OversightQueries.project(atA, in: try await Self.scope(app, "310106019"), on: app.db))
            #expect(row.spent_fen == 9_876_540 && row.status == "completed" && row.leader_name == "赵科长" && row.department == "区房管局")
            let badDue = try await web.form("/oversight/projects/\(atA)/milestones", ["csrf": csrf, "name": "验收", "due_on": "2027/06/30"])
            #expect(badDue.status == .unprocessableEntity && badDue.body.string.contains("due_on"))
            #expect(
                try await web.form("/oversight/projects/\(atA)/milestones", ["csrf": csrf, "name": "竣工验收", "due_on": "2027-06-30"]).status
                    == .seeOther)
            let added = try await world.cadre.get("/api/v1/oversight/programmes").decode([ProgrammeRow].self)
                .flatMap(\.items).first { $0.id == atA }
            let open = try #require(added?.milestones.first { $0.name == "竣工验收" })
            #expect(open.done_on == nil)
            let marked = try await web.form("/oversight/milestones/\(open.id)/done", ["csrf": csrf, "done_on": ""])
            #expect(marked.status == .seeOther && Self.location(marked) == "/oversight/projects/\(atA.uuidString)?done=milestone_done")
            let again = try await web.form("/oversight/milestones/\(open.id)/done", ["csrf": csrf, "done_on": ""])
            #expect(again.status == .conflict && again.body.string.contains("该节点已完成"))
        }
    }

    static func scope(_ app: Application, _ code: String) async throws -> GridScope {
        struct Root: Decodable { var id: UUID; var code: String; var name: String; var depth: Int }
        let root = try #require(
            try await app.db.sql.raw("SELECT id, code, name, depth FROM grid_nodes WHERE code = \(bind: code)")
                .first(decoding: Root.self))
        return GridScope(rootID: root.id, rootCode: root.code, rootName: root.name, rootLevel: .subdistrict, rootDepth: root.depth)
    }
}
