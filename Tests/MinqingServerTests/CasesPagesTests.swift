import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Cases: pages")
struct CasesPagesTests {
    typealias F = CasesFixture

    static func web(_ app: Application, _ username: String) async throws -> (TestClient, String) {
        let client = TestClient(app)
        #expect(try await client.signInWeb(username).status == .seeOther)
        let csrf = try #require(TestClient.csrf(in: try await client.get("/cases/new").body.string))
        return (client, csrf)
    }

    @Test("a resident leaves a message through the form: errors named, then the case page with its timeline; markup in the text stays text")
    func leaveMessage() async throws {
        try await withApp(demo: true) { app in
            let (resident, csrf) = try await Self.web(app, "resident")
            let form = try await resident.get("/cases/new").body.string
            #expect(form.contains("要留言") && form.contains("name=\"category_code\"") && !form.contains("name=\"channel\""))
            let bad = try await resident.form("/cases/new", ["csrf": csrf, "category_code": "", "description": " "])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("category_code") && bad.body.string.contains("description") && bad.body.string.contains("请描述问题"))
            let text = "楼道堆物 <script>alert(1)</script> \"引号\""
            let made = try await resident.form("/cases/new", ["csrf": csrf, "category_code": "E0404", "description": text, "address": "3号楼"])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers.first(name: .location))
            #expect(location.hasPrefix("/cases/"))
            let page = try await resident.get(String(location.split(separator: "?")[0])).body.string
            #expect(page.contains("已受理") && page.contains("id=\"timeline\""))
            #expect(!page.contains("<script>alert(1)</script>") && page.contains("&lt;script&gt;"))
            // The channel of a resident's own message.
            struct Row: Decodable { var channel: String; var submitter_account_id: UUID? }
            let row = try await app.db.sql.raw("SELECT channel, submitter_account_id FROM cases").first(decoding: Row.self)
            #expect(row?.channel == "resident_message" && row?.submitter_account_id != nil)
            // My requests lists it; English too.
            #expect(try await resident.get("/cases").body.string.contains("楼道堆物"))
            _ = try await resident.get("/lang/en?back=/cases")
            let english = try await resident.get("/cases").body.string
            #expect(english.contains("My requests") && english.contains("Leave a message"))
        }
    }

    @Test("the intake desk shows possible duplicates with a merge form; the dispatcher's buttons follow the state")
    func intakeDesk() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let api = try await F.client(app, "staff")
            let first = try await F.submit(api, node: "310106019-1-01-1-01", channel: "grid_patrol")
            let second = try await F.submit(api, node: "310106019-1-01-1-01", channel: "hotline_12345")
            let (staff, csrf) = try await Self.web(app, "staff")
            let desk = try await staff.get("/cases?state=reported").body.string
            #expect(desk.contains(first.number) && desk.contains(second.number))
            let page = try await staff.get("/cases/\(second.id)").body.string
            #expect(page.contains("id=\"duplicates\"") && page.contains(first.number) && page.contains("/actions/merge"))
            #expect(page.contains("id=\"action-file\"") && page.contains("id=\"action-reject\"") && !page.contains("id=\"action-dispatch\""))
            // Rejecting without a reason re-renders the page with the error (422), nothing changes.
            let refused = try await staff.form("/cases/\(second.id)/actions/reject", ["csrf": csrf])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("请说明理由"))
            #expect(try await F.state(app, second.id).state == "reported")
            // A transition not allowed from the state: 409 on the page.
            let conflict = try await staff.form("/cases/\(second.id)/actions/close", ["csrf": csrf])
            #expect(conflict.status == .conflict && conflict.body.string.contains("不能结案"))
            #expect(try await staff.form("/cases/\(second.id)/actions/merge", ["csrf": csrf, "primary_id": first.id.uuidString]).status == .seeOther)
            #expect(try await F.state(app, second.id).state == "merged")
            #expect(try await staff.form("/cases/\(first.id)/actions/file", ["csrf": csrf]).status == .seeOther)
            let filed = try await staff.get("/cases/\(first.id)").body.string
            #expect(filed.contains("id=\"action-dispatch\"") && filed.contains("co_departments[]"))
            #expect(
                try await staff.form(
                    "/cases/\(first.id)/actions/dispatch",
                    [
                        "csrf": csrf, "department": "fangguan",
                        "co_departments[]": "chengguan"
                    ]
                ).status == .seeOther)
            let detail = try await F.detail(api, first.id)
            #expect(Set(detail.assignments.map(\.department_code)) == ["fangguan", "chengguan"])
        }
    }

    @Test("the supervision view escalates overdue cases when read, once; the indicators page shows every rate")
    func supervisionAndIndicators() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let api = try await F.client(app, "staff")
            let made = try await F.submit(api, node: "310106019-1-01-1-01", channel: "grid_patrol")
            try await F.act(api, made.id, "file")
            try await F.act(api, made.id, "dispatch", ["department": "fangguan"])
            let (before, _) = try await Self.web(app, "staff")
            #expect(!(try await before.get("/cases/supervision").body.string.contains(made.number)))
            clock.advance(7 * 86_400)
            let (staff, _) = try await Self.web(app, "staff") // web sessions last 12 hours
            let page = try await staff.get("/cases/supervision").body.string
            #expect(page.contains("id=\"overdue\"") && page.contains(made.number))
            _ = try await staff.get("/cases/supervision")
            #expect(try await F.detail(api, made.id).supervisions.map(\.kind) == ["overdue"])
            let indicators = try await staff.get("/cases/indicators?by=department").body.string
            for name in ["立案率", "结案率", "按期结案率", "返工率", "响应率", "解决率", "满意率", "房管办"] {
                #expect(indicators.contains(name), "\(name)")
            }
            #expect(indicators.contains("100.0%")) // 立案率: 1 / 1
            // A resident may not open either.
            let (resident, _) = try await Self.web(app, "resident")
            #expect(try await resident.get("/cases/supervision").status == .forbidden)
        }
    }
}
