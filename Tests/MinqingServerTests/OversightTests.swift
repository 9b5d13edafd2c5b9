import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 6543 oversight over HTTP on a real database: the credit ledger entry by entry and its total,
/// the list standing and its reason, inspection findings becoming cases, residents reading
/// only their own compound's disclosures, the party-member share for sensitive roles only,
/// shops with masked phones, checklists and programmes, and the demo.
@Suite("Oversight: 6543, credit files, committees, shops")
struct OversightTests {
    /// Two compounds: A in 临汾居民区 (a building at the cadre's building group) and B in the next area.
    struct World {
        let visits: VisitWorld
        let staff: TestClient
        let compoundA: UUID
        let compoundB: UUID
        var app: Application { visits.app }
        var cadre: TestClient { visits.cadre }
        var sql: any SQLDatabase { visits.sql }
        static let groupB = "310106019-1-02-1-01"

        static func make(_ app: Application) async throws -> World {
            let visits = try await VisitWorld.make(app)
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            var ids: [UUID] = []
            for (code, group, type) in [("OV-A", VisitWorld.group, "commodity_housing"), ("OV-B", groupB, "old_residential")] {
                let id = UUID()
                try await visits.sql.raw(
                    """
                    INSERT INTO compounds (id, subdistrict_id, grid_node_id, code, name, compound_type, address)
                    SELECT \(bind: id), a.subdistrict_id, a.id, \(bind: code), \(bind: "小区\(code)"), \(bind: type), '临汾路 1 号'
                    FROM grid_nodes g JOIN grid_closure c ON c.descendant_id = g.id JOIN grid_nodes a ON a.id = c.ancestor_id
                    WHERE g.code = \(bind: group) AND a.level = 'residential_area'
                    """
                ).run()
                try await visits.sql.raw(
                    """
                    INSERT INTO buildings (id, subdistrict_id, compound_id, grid_node_id, name, floors)
                    SELECT \(bind: UUID()), g.subdistrict_id, \(bind: id), g.id, '1 号楼', 6 FROM grid_nodes g WHERE g.code = \(bind: group)
                    """
                ).run()
                ids.append(id)
            }
            return World(visits: visits, staff: staff, compoundA: ids[0], compoundB: ids[1])
        }

        /// A company registered by `staff` with a contract on compound A.
        func company(_ licence: String) async throws -> UUID {
            let id = try await staff.jsonObject(
                .POST, "/api/v1/oversight/companies",
                [
                    "name": "测试物业\(licence)", "licence_code": licence,
                    "manager_name": "王经理"
                ]
            ).createdID()
            _ = try await staff.jsonObject(
                .POST, "/api/v1/oversight/companies/\(id)/contracts",
                ["compound_id": compoundA.uuidString, "fee_fen_per_m2": 180]
            ).createdID()
            return id
        }

        func inspect(_ company: UUID, _ outcome: String, finding: String = "", category: String? = nil, as client: TestClient? = nil) async throws
            -> TestingHTTPResponse
        {
            var body: [String: Any] = ["compound_id": compoundA.uuidString, "outcome": outcome, "finding": finding]
            if let category { body["case_category"] = category }
            return try await (client ?? cadre).jsonObject(.POST, "/api/v1/oversight/companies/\(company)/inspections", body)
        }

        func detail(_ company: UUID) async throws -> CompanyDetail {
            try await cadre.get("/api/v1/oversight/companies/\(company)").decode(CompanyDetail.self)
        }
    }

    @Test("credit score: every entry with its points, rule, reason, date and source, and the total")
    func creditLedger() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106TEST000001")
            let today = CivilDate.today(now: TestClock.pinnedNow()).iso8601
            let first = try await world.inspect(company, "pass")
            #expect(first.status == .created, "\(first.body.string)")
            #expect(try await world.inspect(company, "minor", finding: "绿化养护不到位").status == .created)
            let serious = try await world.inspect(company, "serious", finding: "消防通道被占用", category: "E0401")
            #expect(serious.status == .created, "\(serious.body.string)")
            let result = try serious.decode(InspectionResult.self)
            let caseID = try #require(result.case_id)
            #expect(result.score == 89)
            #expect(result.standing == .normal)
            // The case is a real case of the loop: grid patrol, at the compound, pointing back.
            struct Case: Decodable { var id: UUID; var channel: String; var state: String; var compound_id: UUID?; var source_ref: String? }
            let caseRow = try await world.sql.raw("SELECT id, channel, state, compound_id, source_ref FROM cases WHERE id = \(bind: caseID)").first(
                decoding: Case.self)
            #expect(caseRow?.channel == "grid_patrol")
            #expect(caseRow?.state == "reported")
            #expect(caseRow?.compound_id == world.compoundA)
            #expect(caseRow?.source_ref == "inspection:\(result.id.uuidString.lowercased())")
            #expect(try await world.cadre.get("/api/v1/cases/\(caseID)").status == .ok)
            // A survey at 90 %, the case linked as an upheld complaint, the rectification closed in time.
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/companies/\(company)/surveys",
                    ["compound_id": world.compoundA.uuidString, "respondents": 50, "satisfied": 45]
                ).status == .created)
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/companies/\(company)/complaints",
                    ["case_id": caseID.uuidString, "upheld": true]
                ).status == .created)
            let again = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/companies/\(company)/complaints", ["case_id": caseID.uuidString, "upheld": true])
            #expect(again.status == .conflict)
            let rectification = try #require(result.rectification_id)
            let closed = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/rectifications/\(rectification)/close", ["note": "已清理通道"])
            #expect(closed.status == .ok, "\(closed.body.string)")
            #expect(
                try await world.cadre.jsonObject(.POST, "/api/v1/oversight/rectifications/\(rectification)/close", ["note": "再次"]).status == .conflict
            )

            let detail = try await world.detail(company)
            let expected: [(Int, String, String, String)] = [
                (2, "inspection.pass", "日常检查合格：小区OV-A", "inspection"),
                (-3, "inspection.minor", "检查发现一般问题：小区OV-A 绿化养护不到位", "inspection"),
                (-10, "inspection.serious", "检查发现严重问题，责令整改：小区OV-A 消防通道被占用", "inspection"),
                (5, "survey.high", "业主满意度达到 90%：小区OV-A 45/50", "survey"),
                (-4, "case.complaint_upheld", "投诉经核实属实：案件 \(result.case_number ?? "")", "case"),
                (3, "rectification.completed", "整改按期完成：小区OV-A：消防通道被占用", "rectification")
            ]
            let entries = detail.entries.reversed().map { $0 }
            #expect(entries.count == expected.count)
            for (entry, want) in zip(entries, expected) {
                #expect(entry.points == want.0)
                #expect(entry.rule_code == want.1)
                #expect(entry.reason_zh == want.2)
                #expect(entry.source.rawValue == want.3)
                #expect(entry.entry_date == today)
                #expect(!entry.reason_en.isEmpty)
                #expect(entry.recorded_by == "cadre")
            }
            #expect(detail.base == 100)
            #expect(detail.company.score == 100 + 2 - 3 - 10 + 5 - 4 + 3)
            #expect(detail.company.score == detail.base + detail.entries.reduce(0) { $0 + $1.points })
            #expect(detail.company.standing == .normal)
            #expect(detail.company.standing_reason_zh == "信用分 93 在 70–109 分之间")
            #expect(detail.inspections.first?.case_id == caseID)
            #expect(detail.complaints.first?.case_id == caseID)
            // The ledger is append-only.
            await #expect(throws: (any Error).self) { try await world.sql.raw("UPDATE credit_entries SET points = 50").run() }
            await #expect(throws: (any Error).self) { try await world.sql.raw("DELETE FROM credit_entries").run() }
        }
    }

    @Test("the list standing changes with the reason shown: red list, an open rectification, closed again")
    func standing() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106TEST000002")
            for _ in 0..<5 { #expect(try await world.inspect(company, "pass").status == .created) }
            var row = try await world.detail(company).company
            #expect(row.score == 110)
            #expect(row.standing == .redList)
            #expect(row.standing_reason_zh == "信用分 110 不低于 110 分，且无未完成整改")
            for _ in 0..<5 { _ = try await world.inspect(company, "pass") }
            let serious = try await world.inspect(company, "serious", finding: "电梯困人未及时处置").decode(InspectionResult.self)
            #expect(serious.score == 110)
            #expect(serious.standing == .normal)
            #expect(serious.standing_reason_zh == "信用分 110 达到红榜线，但有 1 项整改未完成")
            #expect(serious.case_id == nil)
            let closed = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/rectifications/\(serious.rectification_id!)/close", ["note": "已整改"])
            row = try closed.decode(CompanyRow.self)
            #expect(row.score == 113)
            #expect(row.standing == .redList)
            // The list shows it too, best first.
            let list = try await world.cadre.get("/api/v1/oversight/companies").decode([CompanyRow].self)
            #expect(list.first?.id == company)
        }
    }

    @Test("bad input names the field and writes nothing: no case, no entry, no inspection")
    func badInput() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let company = try await world.company("91310106TEST000003")
            for (body, field) in [
                (["compound_id": world.compoundA.uuidString, "outcome": "awful"], "outcome"),
                (["compound_id": world.compoundA.uuidString, "outcome": "minor", "finding": "x", "case_category": "E04"], "case_category"),
                (["compound_id": world.compoundA.uuidString, "outcome": "minor"], "finding"),
                (["compound_id": world.compoundB.uuidString, "outcome": "minor", "finding": "x"], "compound_id")
            ] as [([String: Any], String)] {
                let response = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies/\(company)/inspections", body)
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("\"\(field)\""), "\(response.body.string)")
            }
            for table in ["oversight_inspections", "credit_entries", "cases", "rectifications"] {
                #expect(try await world.visits.count(table) == 0, "\(table)")
            }
            // A grid worker outside compound B's area does not see the company serving only B.
            let other = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies", ["name": "乙物业", "licence_code": "91310106TEST000004"])
                .createdID()
            _ = try await world.staff.jsonObject(.POST, "/api/v1/oversight/companies/\(other)/contracts", ["compound_id": world.compoundB.uuidString])
                .createdID()
            #expect(try await world.cadre.get("/api/v1/oversight/companies/\(other)").status == .notFound)
            #expect(try await world.cadre.get("/api/v1/oversight/companies/\(company)").status == .ok)
        }
    }

    @Test("a resident sees the disclosures of their own compound only")
    func residentDisclosures() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let homeA = try await world.household(1)
            // Link `resident` to a household of A, and a second resident to one of B (by SQL: outside the cadre's reach).
            #expect(
                try await world.cadre.jsonObject(.PUT, "/api/v1/visits/residents/resident/household", ["household_id": homeA.uuidString]).status
                    == .noContent)
            _ = try await AccountService.create(
                NewAccount(
                    username: "resb", displayName: "乙居民", role: "resident", scopeCode: World.groupB,
                    password: demoPassword, mustChangePassword: false), by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            let householdB = try await world.staff.jsonObject(
                .POST, "/api/v1/registry/households",
                [
                    "node": World.groupB, "address": "乙 1 号",
                    "members": [
                        [
                            "name": "乙", "id_number": VisitWorld.idNumber(born: "19700101", 77),
                            "relation": "head", "residence_status": "registered"
                        ]
                    ]
                ]
            ).createdID()
            try await world.sql.raw(
                """
                INSERT INTO resident_households (id, account_id, household_id) SELECT \(bind: UUID()), id, \(bind: householdB) FROM accounts WHERE username = 'resb'
                """
            ).run()
            let committeeA = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/committees", ["compound_id": world.compoundA.uuidString])
                .createdID()
            let committeeB = try await world.staff.jsonObject(.POST, "/api/v1/oversight/committees", ["compound_id": world.compoundB.uuidString])
                .createdID()
            #expect(
                try await world.staff.jsonObject(.POST, "/api/v1/oversight/committees", ["compound_id": world.compoundB.uuidString]).status
                    == .conflict)
            let audit = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/committees/\(committeeA)/disclosures",
                ["kind": "financial_audit", "title": "甲小区审计", "body": "收支相符", "amount_fen": 1_234_500]
            ).createdID()
            let fund = try await world.staff.jsonObject(
                .POST, "/api/v1/oversight/committees/\(committeeB)/disclosures",
                ["kind": "maintenance_fund", "title": "乙小区维修资金", "body": "屋面防水"]
            ).createdID()
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/committees/\(committeeB)/disclosures",
                    ["kind": "minutes", "title": "越权", "body": "x"]
                ).status == .notFound)
            let company = try await world.company("91310106TEST000005")

            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            let mine = try await resident.get("/api/v1/oversight/my-compound").decode([MyCompound].self)
            #expect(mine.map(\.compound_id) == [world.compoundA])
            #expect(mine.first?.disclosures.map(\.id) == [audit])
            #expect(mine.first?.companies.map(\.id) == [company])
            #expect(try await resident.get("/api/v1/oversight/disclosures/\(audit)").status == .ok)
            #expect(try await resident.get("/api/v1/oversight/disclosures/\(fund)").status == .notFound)
            #expect(try await resident.get("/api/v1/oversight/committees/\(committeeA)").status == .forbidden)
            let page = try await resident.get("/oversight/my-compound")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("甲小区审计") && !page.body.string.contains("乙小区维修资金"))

            // The committee page's form publishes too; the amount typed in yuan is kept in fen.
            let web = TestClient(app)
            #expect(try await web.signInWeb("cadre").status == .seeOther)
            let committeePage = try await web.get("/oversight/committees/\(committeeA)")
            let csrf = try #require(TestClient.csrf(in: committeePage.body.string))
            let badAmount = try await web.form(
                "/oversight/committees/\(committeeA)/disclosures",
                ["csrf": csrf, "kind": "maintenance_fund", "title": "网页公示", "body": "电梯维修", "amount_yuan": "1.234"])
            #expect(badAmount.status == .unprocessableEntity && badAmount.body.string.contains("amount_yuan"))
            let posted = try await web.form(
                "/oversight/committees/\(committeeA)/disclosures",
                ["csrf": csrf, "kind": "maintenance_fund", "title": "网页公示", "body": "电梯维修", "amount_yuan": "1234.5"])
            #expect(posted.status == .seeOther)
            let after = try await resident.get("/api/v1/oversight/my-compound").decode([MyCompound].self)
            #expect(after.first?.disclosures.count == 2)
            #expect(after.first?.disclosures.first { $0.title == "网页公示" }?.amount_fen == 123_450)

            let residentB = TestClient(app)
            try await residentB.signInAPI("resb")
            let theirs = try await residentB.get("/api/v1/oversight/my-compound").decode([MyCompound].self)
            #expect(theirs.map(\.compound_id) == [world.compoundB])
            #expect(theirs.first?.disclosures.map(\.id) == [fund])
            // Each publication reached its own compound's residents in their inbox, no others.
            struct Note: Decodable { var kind: String; var detail: String }
            struct Inbox: Decodable { var items: [Note] }
            let notesA = try await resident.get("/api/v1/me/notifications").decode(Inbox.self).items.filter { $0.kind == "notice" }.map(\.detail)
            #expect(Set(notesA) == ["甲小区审计", "网页公示"] && notesA.count == 2, "\(notesA)")
            let notesB = try await residentB.get("/api/v1/me/notifications").decode(Inbox.self).items.filter { $0.kind == "notice" }.map(\.detail)
            #expect(notesB == ["乙小区维修资金"], "\(notesB)")
            #expect(theirs.first?.disclosures.contains { $0.title == "网页公示" } == false)
            #expect(theirs.first?.companies.isEmpty == true)
            #expect(try await residentB.get("/api/v1/oversight/disclosures/\(audit)").status == .notFound)
        }
    }

    @Test("party-member share: count and ratio for roles that see sensitive tags only; exits recorded")
    func partyShare() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let committee = try await world.cadre.jsonObject(.POST, "/api/v1/oversight/committees", ["compound_id": world.compoundA.uuidString])
                .createdID()
            var members: [UUID] = []
            for n in 1...4 {
                let (_, person) = try await world.visits.household(10 + n, born: "19700101")
                if n <= 2 { try await world.visits.tag(person, "id.party_member", starts: try CivilDate(parsing: "2010-01-01")) }
                members.append(
                    try await world.cadre.jsonObject(
                        .POST, "/api/v1/oversight/committees/\(committee)/members",
                        ["person_id": person.uuidString, "role": n == 1 ? "director" : "member"]
                    ).createdID())
                if n == 1 {
                    #expect(
                        try await world.cadre.jsonObject(
                            .POST, "/api/v1/oversight/committees/\(committee)/members",
                            ["person_id": person.uuidString]
                        ).status == .conflict)
                }
            }
            var detail = try await world.cadre.get("/api/v1/oversight/committees/\(committee)").decode(CommitteeDetail.self)
            #expect(detail.party_share?.members == 4)
            #expect(detail.party_share?.party_members == 2)
            #expect(detail.party_share?.percent == 50)
            #expect(detail.party_share?.meets_target == true)
            #expect(detail.members.filter { $0.party_member == true }.count == 2)

            let gridworker = TestClient(app)
            try await gridworker.signInAPI("gridworker")
            let seen = try await gridworker.get("/api/v1/oversight/committees/\(committee)")
            #expect(seen.status == .ok)
            let hidden = try seen.decode(CommitteeDetail.self)
            #expect(hidden.party_share == nil)
            #expect(hidden.members.count == detail.members.count && hidden.members.allSatisfy { $0.party_member == nil })
            #expect(!seen.body.string.contains("party_members"))
            let page = try await gridworker.get("/oversight/committees/\(committee)")
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("党员"))

            // A member the committee does not have is a field error, not a foreign-key 500 (found by the fuzzer).
            let stranger = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/committees/\(committee)/records",
                ["kind": "correction", "member_id": UUID().uuidString, "reason": "补充"])
            #expect(stranger.status == .unprocessableEntity && stranger.body.string.contains("member_id"))

            // A party member leaves: 1 of 3, below the target.
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/committees/\(committee)/records",
                    ["kind": "exit", "member_id": members[0].uuidString, "reason": "违规履职"]
                ).status == .created)
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/committees/\(committee)/records",
                    ["kind": "exit", "member_id": members[0].uuidString, "reason": "再次"]
                ).status == .conflict)
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/committees/\(committee)/records",
                    ["kind": "correction", "reason": "补充公示维修资金"]
                ).status == .created)
            detail = try await world.cadre.get("/api/v1/oversight/committees/\(committee)").decode(CommitteeDetail.self)
            #expect(detail.party_share?.members == 3)
            #expect(detail.party_share?.party_members == 1)
            #expect(detail.party_share?.meets_target == false)
            #expect(detail.records.count == 2)
            #expect(detail.members.first { $0.id == members[0] }?.ended_on != nil)
        }
    }

    @Test("shops: the phone only masked, a 门责制 pledge, an inspection finding becomes a case")
    func shops() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            let shop = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/shops",
                [
                    "name": "好邻居便利店", "licence_code": "92310106MA00000001", "category": "零售", "address": "临汾路 88 号", "contact_name": "李女士",
                    "phone": "13800138000", "node": VisitWorld.group
                ]
            ).createdID()
            let bad = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/shops",
                [
                    "name": "x", "licence_code": "y", "category": "零售", "address": "z", "phone": "12345", "node": VisitWorld.group
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("\"phone\""))
            #expect(
                try await world.cadre.jsonObject(
                    .POST, "/api/v1/oversight/shops/\(shop)/pledges",
                    ["signed_by": "李女士", "duties": ["门前环境卫生", "门前秩序"]]
                ).status == .created)
            let list = try await world.cadre.get("/api/v1/oversight/shops")
            #expect(!list.body.string.contains("13800138000"))
            struct Page: Decodable { var total: Int; var shops: [ShopRow] }
            let page = try list.decode(Page.self)
            #expect(page.total == 1)
            #expect(page.shops.first?.phone_masked == "138****8000")
            #expect(page.shops.first?.duties == "门前环境卫生；门前秩序")
            struct Raw: Decodable { var phone_cipher: String?; var phone_masked: String? }
            let raw = try await world.sql.raw("SELECT phone_cipher, phone_masked FROM shops").first(decoding: Raw.self)
            #expect(raw?.phone_cipher?.contains("13800138000") == false)
            let inspected = try await world.cadre.jsonObject(
                .POST, "/api/v1/oversight/shops/\(shop)/inspections",
                ["outcome": "minor", "finding": "门前占道经营", "case_category": "E0201"])
            #expect(inspected.status == .created, "\(inspected.body.string)")
            let result = try inspected.decode(InspectionResult.self)
            let caseID = try #require(result.case_id)
            struct Case: Decodable { var channel: String; var category_code: String; var grid_node_id: UUID }
            let row = try await world.sql.raw("SELECT channel, category_code, grid_node_id FROM cases WHERE id = \(bind: caseID)").first(
                decoding: Case.self)
            #expect(row?.channel == "grid_patrol")
            #expect(row?.category_code == "E0201")
            #expect(try await world.visits.count("credit_entries") == 0)
            // Outside the grid worker's micro-grid: not found.
            let gridworker = TestClient(app)
            try await gridworker.signInAPI("gridworker")
            let far = try await world.staff.jsonObject(
                .POST, "/api/v1/oversight/shops",
                [
                    "name": "远处小店", "licence_code": "92310106MA00000002", "category": "餐饮", "address": "远处", "node": World.groupB
                ]
            ).createdID()
            #expect(try await gridworker.jsonObject(.POST, "/api/v1/oversight/shops/\(far)/pledges", ["signed_by": "某"]).status == .notFound)
        }
    }

    @Test("checklists by compound type with progress, and the five concerns' programmes")
    func checklists() async throws {
        try await withApp(demo: true) { app in
            let world = try await World.make(app)
            var rows = try await world.cadre.get("/api/v1/oversight/checklists?compound=\(world.compoundA)").decode([ChecklistRow].self)
            // The commodity-housing checklist, written out rather than read from the catalogue that builds the list.
            #expect(rows.first?.measures.map(\.code) == ["ch.committee", "ch.property_link", "ch.online_disclosure", "ch.topics"])
            #expect(rows.first?.done == 0)
            let set = try await world.cadre.jsonObject(
                .PUT, "/api/v1/oversight/checklists/\(world.compoundA)/ch.online_disclosure",
                ["status": "done", "note": "网上居务公开已上线"])
            #expect(set.status == .ok, "\(set.body.string)")
            let row = try set.decode(ChecklistRow.self)
            #expect(row.done == 1 && row.total == 4 && row.percent == 25)
            #expect(
                try await world.cadre.jsonObject(.PUT, "/api/v1/oversight/checklists/\(world.compoundA)/old.renovation", ["status": "done"]).status
                    == .notFound)
            #expect(
                try await world.cadre.jsonObject(.PUT, "/api/v1/oversight/checklists/\(world.compoundA)/ch.topics", ["status": "finished"]).status
                    == .unprocessableEntity)
            #expect(
                try await world.cadre.jsonObject(.PUT, "/api/v1/oversight/checklists/\(world.compoundB)/old.renovation", ["status": "done"]).status
                    == .notFound)
            _ = try await world.cadre.jsonObject(
                .PUT, "/api/v1/oversight/checklists/\(world.compoundA)/ch.online_disclosure", ["status": "in_progress"])
            rows = try await world.cadre.get("/api/v1/oversight/checklists?compound=\(world.compoundA)").decode([ChecklistRow].self)
            #expect(rows.first?.done == 0)
            let programmes = try await world.cadre.get("/api/v1/oversight/programmes").decode([ProgrammeRow].self)
            #expect(programmes.map(\.concern) == GovernanceConcern.allCases)
            #expect(try await world.cadre.get("/oversight").status == .ok)
        }
    }

    @Test("the demo: 12 companies with histories (red list, black list with a rectification running), committees, 773 shops, checklists")
    func demo() async throws {
        try await withApp(demo: true, demoPeople: 0.02) { app in
            let staff = TestClient(app)
            try await staff.signInAPI("staff")
            let companies = try await staff.get("/api/v1/oversight/companies").decode([CompanyRow].self)
            #expect(companies.count == 12)
            #expect(companies.filter { $0.standing == .redList }.count >= 1)
            let black = companies.filter { $0.standing == .blackList }
            #expect(black.count == 1)
            #expect(black.first?.open_rectifications == 1)
            // The credit rules' points, written out here rather than taken from the code that records them.
            let rulePoints = [
                "inspection.pass": 2, "inspection.minor": -3, "inspection.serious": -10, "survey.high": 5, "survey.low": -5,
                "case.complaint_upheld": -4, "rectification.completed": 3, "rectification.late": -5
            ]
            var creditEntries = 0
            for company in companies {
                let detail = try await staff.get("/api/v1/oversight/companies/\(company.id)").decode(CompanyDetail.self)
                #expect(detail.company.score == 100 + detail.entries.reduce(0) { $0 + $1.points })
                #expect(detail.inspections.count == 12)
                #expect(detail.surveys.count == 4)
                #expect(detail.entries.allSatisfy { !$0.reason_zh.isEmpty })
                #expect(detail.entries.allSatisfy { rulePoints[$0.rule_code] == $0.points }, "\(detail.entries.map(\.rule_code))")
                creditEntries += detail.entries.count
            }
            #expect(creditEntries > 0)
            struct ShopPage: Decodable { var total: Int }
            #expect(try await staff.get("/api/v1/oversight/shops?limit=1").decode(ShopPage.self).total == 773)
            struct N: Decodable { var n: Int }
            let sql = app.db.sql
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM shop_pledges").first(decoding: N.self)?.n == 773)
            let commodity =
                try await sql.raw("SELECT COUNT(*) AS n FROM compounds WHERE compound_type = 'commodity_housing'").first(decoding: N.self)?.n ?? 0
            let committees = try await staff.get("/api/v1/oversight/committees").decode([CommitteeRow].self)
            #expect(committees.count >= commodity && commodity > 0)
            #expect(committees.contains { $0.members > 0 })
            let checklists = try await staff.get("/api/v1/oversight/checklists").decode([ChecklistRow].self)
            #expect(checklists.contains { $0.done > 0 } && checklists.contains { $0.lead_department != nil })
            let programmes = try await staff.get("/api/v1/oversight/programmes").decode([ProgrammeRow].self)
            #expect(!programmes.isEmpty && programmes.allSatisfy { $0.projects > 0 && $0.milestones > 0 })
            // The dashboard's figures: against literals and recounts from the tables.
            struct Root: Decodable { var id: UUID; var code: String; var name: String; var depth: Int }
            let root = try #require(
                try await sql.raw("SELECT id, code, name, depth FROM grid_nodes WHERE code = '310106019'").first(decoding: Root.self))
            let scope = GridScope(rootID: root.id, rootCode: root.code, rootName: root.name, rootLevel: .subdistrict, rootDepth: root.depth)
            let standings = try await OversightQueries.standingCounts(in: scope, now: TestClock.pinnedNow(), on: app.db)
            #expect(standings["black_list"] == 1)
            #expect(standings.values.reduce(0, +) == companies.count)
            let shopCounts = try await OversightQueries.shopCounts(in: scope, on: app.db)
            #expect(shopCounts.shops == 773 && shopCounts.pledged == 773)
            // Measures done and projects per concern, recounted from the tables (the compounds and
            // the projects in the subdistrict's subtree, through the closure), not through the lists
            // that the summaries are made from.
            let inRoot: SQLQueryString = "SELECT descendant_id FROM grid_closure WHERE ancestor_id = \(bind: root.id)"
            let compoundsInRoot: SQLQueryString = """
                SELECT c.id FROM compounds c WHERE c.grid_node_id IN (\(inRoot))
                   OR EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id AND b.grid_node_id IN (\(inRoot)))
                """
            let done = try #require(
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM compound_measures WHERE status = 'done' AND compound_id IN (\(compoundsInRoot))"
                ).first(decoding: N.self)
            ).n
            #expect(done > 0)
            let summary = try await OversightQueries.checklistSummary(in: scope, on: app.db)
            #expect(summary.values.reduce(0) { $0 + $1.done } == done)
            #expect(checklists.reduce(0) { $0 + $1.done } == done)
            struct ConcernCount: Decodable { var concern: String; var n: Int }
            let concernRows = try await sql.raw(
                """
                SELECT concern, COUNT(*) AS n FROM governance_projects
                WHERE (compound_id IS NULL AND subdistrict_id IN (\(inRoot))) OR compound_id IN (\(compoundsInRoot))
                GROUP BY concern
                """
            ).all(decoding: ConcernCount.self)
            let projectCounts = Dictionary(concernRows.map { ($0.concern, $0.n) }, uniquingKeysWith: +)
            #expect(!projectCounts.isEmpty)
            let programmeSummaries = try await OversightQueries.programmeSummaries(in: scope, on: app.db)
            for list in [programmes, programmeSummaries] {
                #expect(list.reduce(0) { $0 + $1.projects } == projectCounts.values.reduce(0, +))
                for row in list { #expect(row.projects == projectCounts[row.concern.rawValue] ?? 0, "\(row.concern)") }
            }
            // Every company has staff from the register; the shares vary around 50 % and match a recount.
            let shares = try #require(try await staff.get("/api/v1/organisations/figures").decode(OrganisationFigures.self).property_companies)
            #expect(shares.rows.count == companies.count && shares.rows.allSatisfy { $0.staff > 0 })
            #expect(shares.rows.contains { $0.meets_target } && shares.rows.contains { !$0.meets_target })
            for row in shares.rows {
                let counted = try await OversightStaffTests.recount(
                    sql, company: row.company_id, today: CivilDate.today(now: TestClock.pinnedNow()).iso8601)
                #expect(row.staff == counted.staff && row.party_members == counted.party, "\(row.company_name)")
            }
            #expect(
                (try await sql.raw("SELECT COUNT(*) AS n FROM property_company_staff WHERE ended_on IS NOT NULL").first(decoding: N.self)?.n ?? 0) > 0
            )

            let resident = TestClient(app)
            try await resident.signInAPI("resident")
            let mine = try await resident.get("/api/v1/oversight/my-compound").decode([MyCompound].self)
            #expect(mine.count == 1)
            #expect(mine.first?.disclosures.isEmpty == false)
            #expect(mine.first?.companies.isEmpty == false)
        }
    }
}

extension OversightTests.World {
    func household(_ n: Int) async throws -> UUID { try await visits.household(n).id }
}
