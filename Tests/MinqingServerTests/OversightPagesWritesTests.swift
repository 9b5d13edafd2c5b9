import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Issue 21 for 6543 oversight: the writes the API had without a page (registering a property
/// company; a property company answering its rectifications and complaints, new in both), each
/// page writing exactly the rows the API writes (recounted by SQL), refused for other roles with
/// nothing written; and every oversight form that fails coming back as it was typed (the phone
/// too), with each problem as a sentence beside its field and no input's name in the text.
@Suite("Oversight: pages for every write, sentences beside the fields")
struct OversightPagesWritesTests {
    typealias World = OversightTests.World

    /// The sentence beside the field `name` (`p#error-<name>`), nil when it has none.
    static func beside(_ html: String, _ name: String) -> String? {
        guard let start = html.range(of: "id=\"error-\(name)\">") else { return nil }
        let rest = html[start.upperBound...]
        return rest.range(of: "</p>").map { String(rest[..<$0.lowerBound]) }
    }

    /// The text of the box above the forms (`#oversight-error`), tags taken out; nil without a box.
    static func box(_ html: String) -> String? {
        guard let id = html.range(of: "id=\"oversight-error\""), let open = html[id.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: open)...]
        guard let end = rest.range(of: "</div>") else { return nil }
        return String(rest[..<end.lowerBound]).replacing(/<[^>]*>/, with: " ")
    }

    /// Every problem a Chinese page shows — the box and each sentence beside a field — is there, and
    /// none holds a Latin letter: sentences, never an input's name (`licence_code`, `fee_yuan`).
    static func expectSentences(_ html: String) {
        let besides = html.matches(of: /class="field-error" id="error-[^"]*">([^<]*)<\/p>/).map { String($0.output.1) }
        #expect(!besides.isEmpty, "no sentence beside a field")
        let texts = besides + [box(html)].compactMap { $0 }
        #expect(texts.count > besides.count, "no error box")
        for text in texts { #expect(text.firstMatch(of: /[A-Za-z_]/) == nil, "not a sentence: \(text)") }
    }

    static func location(_ response: TestingHTTPResponse) -> String { response.headers.first(name: .location) ?? "" }

    static func audited(_ sql: any SQLDatabase, _ action: String) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)").first(decoding: N.self)?.n ?? 0
    }

    struct CompanyRow: Decodable, Equatable { var name: String; var manager_name: String; var subdistrict_id: UUID? }

    @Test("registering a company by page writes the row the API writes; other roles 403; a bad form comes back typed with sentences")
    func registerCompany() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let (web, csrf) = try await OversightFormsTests.browser(app, "staff")
            let (cadreWeb, cadreCSRF) = try await OversightFormsTests.browser(app, "cadre")
            #expect(try await web.get("/oversight").body.string.contains("id=\"company-form\""))
            #expect(!(try await cadreWeb.get("/oversight").body.string.contains("id=\"company-form\"")))
            let before = try await world.visits.count("property_companies")
            let auditedBefore = try await Self.audited(world.sql, "oversight.company_registered")

            let bad = try await web.form(
                "/oversight/companies", ["csrf": csrf, "name": "网页物业", "licence_code": "", "manager_name": "李经理", "node": "310106020"])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "licence_code") == "请填写统一社会信用代码")
            #expect(Self.beside(html, "node") == "街道不存在或不在您的范围内")
            #expect(html.contains("value=\"网页物业\"") && html.contains("value=\"李经理\"") && html.contains("value=\"310106020\""))
            Self.expectSentences(html)
            #expect(try await world.visits.count("property_companies") == before)

            let refused = try await cadreWeb.form(
                "/oversight/companies", ["csrf": cadreCSRF, "name": "网页物业", "licence_code": "91310106WEBC000001", "node": ""])
            #expect(refused.status == .forbidden)
            #expect(try await world.visits.count("property_companies") == before)

            let posted = try await web.form(
                "/oversight/companies", ["csrf": csrf, "name": "网页物业", "licence_code": "91310106WEBC000001", "manager_name": "李经理", "node": ""])
            #expect(posted.status == .seeOther)
            let api = try await world.staff.jsonObject(
                .POST, "/api/v1/oversight/companies", ["name": "网页物业", "licence_code": "91310106WEBC000002", "manager_name": "李经理"])
            #expect(api.status == .created)
            struct Sub: Decodable { var id: UUID }
            let subdistrict = try await world.sql.raw("SELECT id FROM grid_nodes WHERE code = '310106019'").first(decoding: Sub.self)?.id
            let byPage = try await world.sql.raw(
                "SELECT name, manager_name, subdistrict_id FROM property_companies WHERE licence_code = '91310106WEBC000001'"
            ).all(decoding: CompanyRow.self)
            let byAPI = try await world.sql.raw(
                "SELECT name, manager_name, subdistrict_id FROM property_companies WHERE licence_code = '91310106WEBC000002'"
            ).all(decoding: CompanyRow.self)
            #expect(byPage == [CompanyRow(name: "网页物业", manager_name: "李经理", subdistrict_id: subdistrict)] && byPage == byAPI)
            #expect(try await world.visits.count("property_companies") == before + 2)
            struct ID: Decodable { var id: UUID }
            let id = try #require(
                try await world.sql.raw("SELECT id FROM property_companies WHERE licence_code = '91310106WEBC000001'").first(decoding: ID.self)?.id)
            #expect(Self.location(posted) == "/oversight/companies/\(id.uuidString)?done=company")
            #expect(try await Self.audited(world.sql, "oversight.company_registered") == auditedBefore + 2)

            // The same licence again: 409, the form as typed, the box says why, nothing written.
            let twice = try await web.form(
                "/oversight/companies", ["csrf": csrf, "name": "网页物业二", "licence_code": "91310106WEBC000001", "node": ""])
            #expect(twice.status == .conflict && twice.body.string.contains("该统一社会信用代码已登记"))
            #expect(twice.body.string.contains("value=\"网页物业二\""))
            #expect(try await world.visits.count("property_companies") == before + 2)
        }
    }

    /// A company with a rectification (a serious finding that became a case) and that case linked as
    /// a complaint; a second company with a rectification of its own; the property-company account
    /// `wuye9` (甲物业经理) linked to the first.
    struct AnswerWorld {
        let world: World
        let company: UUID
        let rectification: UUID
        let complaint: UUID
        let otherRectification: UUID
        let account: UUID

        static func make(_ app: Application) async throws -> AnswerWorld {
            let world = try await World.make(app)
            let company = try await world.company("91310106ANSW000001")
            let inspected = try await world.inspect(company, "serious", finding: "消防通道堵塞", category: "E0401").decode(InspectionResult.self)
            let caseID = try #require(inspected.case_id)
            let complaint = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/companies/\(company)/complaints", ["case_id": caseID.uuidString, "upheld": false]
            ).createdID()
            let other = try await world.company("91310106ANSW000002")
            let otherRectification = try #require(
                try await world.inspect(other, "serious", finding: "电梯故障").decode(InspectionResult.self).rectification_id)
            let account = try await AccountService.create(
                NewAccount(
                    username: "wuye9", displayName: "甲物业经理", role: "property_company", scopeCode: "310106019-1-01",
                    password: demoPassword, mustChangePassword: false), by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let linked = try await world.staff.jsonObject(.PUT, "/api/v1/oversight/company-accounts/wuye9", ["company_id": company.uuidString])
            #expect(linked.status == .noContent)
            return AnswerWorld(
                world: world, company: company, rectification: try #require(inspected.rectification_id), complaint: complaint,
                otherRectification: otherRectification, account: account.id)
        }
    }

    struct AnswerRow: Decodable, Equatable {
        var company_id: UUID; var rectification_id: UUID?; var complaint_id: UUID?; var body: String; var done_on: String?
        var answered_on: String; var account_id: UUID
    }

    static func answers(_ sql: any SQLDatabase) async throws -> [AnswerRow] {
        try await sql.raw(
            "SELECT company_id, rectification_id, complaint_id, body, done_on, answered_on, account_id FROM company_answers ORDER BY body, created_at"
        ).all(decoding: AnswerRow.self)
    }

    @Test("a property company reports on its rectification by page as by the API; staff read it and close; others refused, nothing written")
    func rectificationReport() async throws {
        try await withApp(demo: true) { app in
            let w = try await AnswerWorld.make(app)
            let today = CivilDate.today(now: TestClock.pinnedNow()).iso8601
            let (web, csrf) = try await OversightFormsTests.browser(app, "wuye9")
            let page = try await web.get("/oversight/companies/\(w.company)").body.string
            #expect(page.contains("id=\"answer-\(w.rectification.uuidString)-form\"") && page.contains("id=\"reply-\(w.complaint.uuidString)-form\""))
            #expect(!page.contains("/close\"") && !page.contains("id=\"inspection-form\""))

            let path = "/oversight/rectifications/\(w.rectification)/answers"
            let bad = try await web.form(path, ["csrf": csrf, "body": "", "done_on": "2099-01-01"])
            #expect(bad.status == .unprocessableEntity)
            #expect(Self.beside(bad.body.string, "body") == "请填写整改情况")
            #expect(Self.beside(bad.body.string, "done_on") == "完成日期不能晚于今天")
            #expect(bad.body.string.contains("value=\"2099-01-01\""))
            Self.expectSentences(bad.body.string)
            let badDay = try await web.form(path, ["csrf": csrf, "body": "已清理", "done_on": "明天"])
            #expect(badDay.status == .unprocessableEntity && badDay.body.string.contains(">已清理</textarea>"))
            #expect(Self.beside(badDay.body.string, "done_on") == "请按“年-月-日”填写日期，如 2026-11-18")
            #expect(try await w.world.visits.count("company_answers") == 0)

            // Other roles and other companies: refused, nothing written.
            let (cadreWeb, cadreCSRF) = try await OversightFormsTests.browser(app, "cadre")
            #expect(try await cadreWeb.form(path, ["csrf": cadreCSRF, "body": "代为报告"]).status == .forbidden)
            #expect(try await web.form("/oversight/rectifications/\(w.otherRectification)/answers", ["csrf": csrf, "body": "越权"]).status == .notFound)
            let property = TestClient(app)
            try await property.signInAPI("wuye9")
            #expect(
                try await property.jsonObject(.POST, "/api/v1/oversight/rectifications/\(w.otherRectification)/answers", ["body": "越权"]).status
                    == .notFound)
            #expect(
                try await w.world.cadre.jsonObject(.POST, "/api/v1/oversight/rectifications/\(w.rectification)/answers", ["body": "代为"]).status
                    == .forbidden)
            #expect(try await w.world.visits.count("company_answers") == 0)

            let good = try await web.form(path, ["csrf": csrf, "body": "已清理消防通道", "done_on": ""])
            #expect(good.status == .seeOther)
            #expect(Self.location(good) == "/oversight/companies/\(w.company.uuidString)?done=answered#rectification-\(w.rectification.uuidString)")
            let api = try await property.jsonObject(.POST, "/api/v1/oversight/rectifications/\(w.rectification)/answers", ["body": "已清理消防通道"])
            #expect(api.status == .created)
            let expected = AnswerRow(
                company_id: w.company, rectification_id: w.rectification, complaint_id: nil, body: "已清理消防通道", done_on: today,
                answered_on: today, account_id: w.account)
            #expect(try await Self.answers(w.world.sql) == [expected, expected])
            #expect(try await Self.audited(w.world.sql, "oversight.rectification_answered") == 2)

            // Staff read the report by the company's name and role, then close with the close route they have.
            let staffPage = try await cadreWeb.get("/oversight/companies/\(w.company)").body.string
            #expect(staffPage.contains("已清理消防通道") && staffPage.contains("甲物业经理（物业公司）") && !staffPage.contains("wuye9"))
            #expect(
                try await cadreWeb.form("/oversight/rectifications/\(w.rectification)/close", ["csrf": cadreCSRF, "note": "核实已整改"]).status
                    == .seeOther)
            let late = try await web.form(path, ["csrf": csrf, "body": "再次报告"])
            #expect(late.status == .conflict && Self.box(late.body.string)?.contains("该整改已销号") == true)
            #expect(late.body.string.contains("再次报告") == false, "a closed rectification shows no report form")
            #expect(try await w.world.visits.count("company_answers") == 2)
        }
    }

    @Test("a property company replies to a complaint by page as by the API; a blank reply comes back with its sentence")
    func complaintReply() async throws {
        try await withApp(demo: true) { app in
            let w = try await AnswerWorld.make(app)
            let today = CivilDate.today(now: TestClock.pinnedNow()).iso8601
            let (web, csrf) = try await OversightFormsTests.browser(app, "wuye9")
            let path = "/oversight/complaints/\(w.complaint)/answers"
            let blank = try await web.form(path, ["csrf": csrf, "body": "   "])
            #expect(blank.status == .unprocessableEntity)
            #expect(Self.beside(blank.body.string, "body") == "请填写答复")
            Self.expectSentences(blank.body.string)
            let (cadreWeb, cadreCSRF) = try await OversightFormsTests.browser(app, "cadre")
            #expect(try await cadreWeb.form(path, ["csrf": cadreCSRF, "body": "代为答复"]).status == .forbidden)
            #expect(try await web.form("/oversight/complaints/\(UUID())/answers", ["csrf": csrf, "body": "无此投诉"]).status == .notFound)
            #expect(try await w.world.visits.count("company_answers") == 0)

            let good = try await web.form(path, ["csrf": csrf, "body": "已上门沟通并清理"])
            #expect(good.status == .seeOther)
            #expect(Self.location(good) == "/oversight/companies/\(w.company.uuidString)?done=complaint_answered#complaint-\(w.complaint.uuidString)")
            let property = TestClient(app)
            try await property.signInAPI("wuye9")
            #expect(
                try await property.jsonObject(.POST, "/api/v1/oversight/complaints/\(w.complaint)/answers", ["body": "已上门沟通并清理"]).status == .created)
            let expected = AnswerRow(
                company_id: w.company, rectification_id: nil, complaint_id: w.complaint, body: "已上门沟通并清理", done_on: nil,
                answered_on: today, account_id: w.account)
            #expect(try await Self.answers(w.world.sql) == [expected, expected])
            let detail = try await w.world.detail(w.company)
            #expect(detail.answers.map(\.complaint_id) == [w.complaint, w.complaint] && detail.answers.allSatisfy { $0.answered_by == "甲物业经理" })
            #expect(detail.answers.first?.answered_by_role == .propertyCompany)
        }
    }
}
