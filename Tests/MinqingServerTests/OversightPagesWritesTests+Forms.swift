import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Every oversight form that fails comes back with status 422, the fields as they were typed, and
/// each problem as a sentence beside its field (`#error-<input name>`, the input's name as the form
/// spells it even where the service calls it otherwise: `fee_yuan`, `case_ref`, `spent_yuan`,
/// `amount_yuan`); nothing is written.
extension OversightPagesWritesTests {
    /// One failed post: the status, the sentence beside `field`, and the values the page still shows.
    static func expectFailed(
        _ response: TestingHTTPResponse, beside field: String, says sentence: String, keeps values: [String] = [], text: [String] = []
    ) {
        #expect(response.status == .unprocessableEntity, "\(field): \(response.status)")
        let html = response.body.string
        #expect(beside(html, field) == sentence, "\(field): \(beside(html, field) ?? "no sentence")")
        for value in values { #expect(html.contains("value=\"\(value)\""), "\(field): \(value) was not kept") }
        for typed in text { #expect(html.contains(">\(typed)</textarea>"), "\(field): \(typed) was not kept") }
        expectSentences(html)
    }

    /// The row count of each table, recounted.
    static func rows(_ world: World, _ tables: [String]) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try await world.visits.count(table) }
        return counts
    }

    @Test("the company page's forms: contract, survey, complaint and closing come back typed with the sentence beside the field")
    func companyFormsKeepWhatWasTyped() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106KEEP000001")
            let inspected = try await world.inspect(company, "serious", finding: "楼道堆物").decode(InspectionResult.self)
            let rectification = try #require(inspected.rectification_id)
            let (web, csrf) = try await OversightFormsTests.browser(app, "cadre")
            let base = "/oversight/companies/\(company)"
            let compound = world.compoundA.uuidString
            let before = try await Self.rows(world, ["property_contracts", "satisfaction_surveys", "company_complaints", "oversight_inspections"])

            Self.expectFailed(
                try await web.form("\(base)/contracts", ["csrf": csrf, "compound_id": compound, "starts_on": "2026-01-01", "fee_yuan": "1.234"]),
                beside: "fee_yuan", says: "金额须为元，最多两位小数", keeps: ["1.234", "2026-01-01"])
            // The service's bound (in fen) stands beside the field typed in yuan.
            Self.expectFailed(
                try await web.form("\(base)/contracts", ["csrf": csrf, "compound_id": compound, "fee_yuan": "2000"]),
                beside: "fee_yuan", says: "物业费须在每平方米每月 0 至 1000 元之间", keeps: ["2000"])

            Self.expectFailed(
                try await web.form("\(base)/surveys", ["csrf": csrf, "compound_id": compound, "respondents": "10", "satisfied": "11"]),
                beside: "satisfied", says: "满意人数须在 0 与参与人数之间", keeps: ["10", "11"])
            Self.expectFailed(
                try await web.form("\(base)/surveys", ["csrf": csrf, "compound_id": compound, "respondents": "十", "satisfied": "1"]),
                beside: "respondents", says: "参与人数须为整数", keeps: ["十"])

            Self.expectFailed(
                try await web.form("\(base)/complaints", ["csrf": csrf, "case_ref": "2099-999999", "upheld": "1"]),
                beside: "case_ref", says: "案件不存在或不在您的范围内", keeps: ["2099-999999"])

            let close = try await web.form("/oversight/rectifications/\(rectification)/close", ["csrf": csrf, "note": "  "])
            Self.expectFailed(close, beside: "note", says: "请填写整改情况")
            #expect(close.body.string.contains("id=\"close-\(rectification.uuidString)-note\""))
            struct Status: Decodable { var status: String }
            let still = try await world.sql.raw("SELECT status FROM rectifications WHERE id = \(bind: rectification)").first(decoding: Status.self)
            #expect(still?.status == "open")

            let inspection = try await web.form(
                "\(base)/inspections", ["csrf": csrf, "compound_id": compound, "outcome": "minor", "finding": "", "case_category": ""])
            Self.expectFailed(inspection, beside: "finding", says: "请填写发现的问题")
            let html = inspection.body.string
            let minor = try #require(html.range(of: "<option value=\"minor\""))
            #expect(html[minor.upperBound...].prefix { $0 != ">" }.contains("selected"), "the outcome chosen is kept")
            #expect(try await Self.rows(world, Array(before.keys)) == before, "a failed form writes nothing")
        }
    }

    @Test("shop, project, milestone, disclosure and measure forms come back typed — the shop's phone too — with the sentence beside the field")
    func otherFormsKeepWhatWasTyped() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let (web, csrf) = try await OversightFormsTests.browser(app, "cadre")
            let before = try await Self.rows(world, ["shops", "governance_milestones", "committee_disclosures", "compound_measures"])
            let shop = [
                "csrf": csrf, "name": "好邻居便利店", "licence_code": "92310106MA0KEEP01", "category": "零售", "address": "临汾路 88 号",
                "contact_name": "李女士", "phone": "12345", "node": VisitWorld.group
            ]
            Self.expectFailed(
                try await web.form("/oversight/shops", shop), beside: "phone", says: "手机号应为11位数字，现为5位",
                keeps: ["好邻居便利店", "92310106MA0KEEP01", "李女士", "12345", VisitWorld.group])
            // In English the sentence is English.
            web.cookies["minqing_lang"] = "en"
            let english = try await web.form("/oversight/shops", shop)
            #expect(english.status == .unprocessableEntity)
            #expect(Self.beside(english.body.string, "phone") == "A mobile number has 11 digits; this one has 5.")
            web.cookies["minqing_lang"] = nil

            let project = UUID()
            try await world.sql.raw(
                """
                INSERT INTO governance_projects (id, subdistrict_id, concern, name, compound_id, department, leader_name, budget_fen, spent_fen, status)
                SELECT \(bind: project), subdistrict_id, 'old_facilities', '甲小区改造', id, '区住建局', '李科长', 50000000, 0, 'planned'
                FROM compounds WHERE id = \(bind: world.compoundA)
                """
            ).run()
            Self.expectFailed(
                try await web.form(
                    "/oversight/projects/\(project)",
                    ["csrf": csrf, "status": "in_progress", "spent_yuan": "12.345", "leader_name": "赵科长", "department": "区房管局"]),
                beside: "spent_yuan", says: "金额须为元，最多两位小数", keeps: ["12.345", "赵科长", "区房管局"])
            Self.expectFailed(
                try await web.form("/oversight/projects/\(project)/milestones", ["csrf": csrf, "name": "竣工验收", "due_on": ""]),
                beside: "due_on", says: "请填写完成期限", keeps: ["竣工验收"])

            let committee = try await world.staff.jsonObject(.POST, "/api/v1/oversight/committees", ["compound_id": world.compoundA.uuidString])
                .createdID()
            Self.expectFailed(
                try await web.form(
                    "/oversight/committees/\(committee)/disclosures",
                    ["csrf": csrf, "kind": "maintenance_fund", "title": "电梯维修公示", "body": "更换钢丝绳", "amount_yuan": "1.234"]),
                beside: "amount_yuan", says: "金额须为元，最多两位小数", keeps: ["电梯维修公示", "1.234"], text: ["更换钢丝绳"])

            let measure = try await web.form(
                "/oversight/compounds/\(world.compoundA)/measures/ch.topics", ["csrf": csrf, "status": "finished", "note": "议事会筹备中"])
            Self.expectFailed(measure, beside: "status", says: "请选择状态：未开始、推进中、已完成", keeps: ["议事会筹备中"])
            #expect(try await Self.rows(world, Array(before.keys)) == before, "a failed form writes nothing")
        }
    }
}
