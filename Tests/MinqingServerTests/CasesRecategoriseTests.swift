import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// 改类别 (a dispatcher corrects a case's category with a reason) and people by their names in
/// a case's history.
@Suite("Cases: recategorising and names in the history")
struct CasesRecategoriseTests {
    typealias F = CasesFixture

    /// What a recategorisation may write, counted straight from the tables.
    struct Written: Equatable {
        var category: String
        var lastSeq: Int
        var transitions: Int
        var changes: Int
        var audits: Int
    }

    static func written(_ app: Application, _ id: UUID) async throws -> Written {
        struct C: Decodable { var category_code: String; var last_seq: Int }
        struct N: Decodable { var n: Int }
        let sql = app.db.sql
        let row = try #require(
            try await sql.raw("SELECT category_code, last_seq FROM cases WHERE id = \(bind: id)").first(decoding: C.self))
        let transitions = try await sql.raw("SELECT COUNT(*) AS n FROM case_transitions WHERE case_id = \(bind: id)").first(decoding: N.self)
        let changes = try await sql.raw("SELECT COUNT(*) AS n FROM case_recategorisations WHERE case_id = \(bind: id)").first(decoding: N.self)
        let audits = try await sql.raw(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.recategorised' AND target_id = \(bind: id.uuidString)"
        ).first(decoding: N.self)
        return Written(
            category: row.category_code, lastSeq: row.last_seq, transitions: transitions?.n ?? -1, changes: changes?.n ?? -1, audits: audits?.n ?? -1)
    }

    static func recategorise(_ client: TestClient, _ id: UUID, _ body: [String: Any]) async throws -> TestingHTTPResponse {
        try await client.jsonObject(.POST, "/api/v1/cases/\(id)/category", body)
    }

    @Test("without a reason or with a wrong category: 422 naming the field, nothing written; with one: the case, its history and the audit trail")
    func recategorise() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident"), staff = try await F.client(app, "staff")
            let made = try await F.submit(resident) // E0404 楼道堆物
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            let before = try await Self.written(app, made.id)
            let dueBefore = try await F.dueAt(app, made.id)
            let refusals: [([String: Any], String)] = [
                (["category_code": "E0102"], "reason"), (["category_code": "E0102", "reason": "  "], "reason"),
                (["category_code": "E01", "reason": "大类不行"], "category_code"), (["category_code": "NOPE", "reason": "没有"], "category_code"),
                (["category_code": "E0404", "reason": "同一个"], "category_code")
            ]
            for (body, field) in refusals {
                let refused = try await Self.recategorise(staff, made.id, body)
                #expect(refused.status == .unprocessableEntity, "\(body)")
                #expect(refused.body.string.contains("\"field\":\"\(field)\""), "\(body): \(refused.body.string.prefix(300))")
                #expect(try await Self.written(app, made.id) == before, "\(body): nothing written")
            }
            clock.advance(3600)
            let done = try await Self.recategorise(staff, made.id, ["category_code": "E0102", "reason": "实为公共区域堆物，非楼道"])
            #expect(done.status == .ok, "\(done.body.string.prefix(300))")
            let after = try await Self.written(app, made.id)
            #expect(
                after
                    == Written(
                        category: "E0102", lastSeq: before.lastSeq + 1, transitions: before.transitions + 1, changes: 1, audits: 1))
            // The transition keeps the state and says why; the change holds both categories.
            struct T: Decodable { var action: String; var from_state: String?; var to_state: String; var reason: String; var seq: Int }
            let step = try #require(
                try await app.db.sql.raw(
                    "SELECT action, from_state, to_state, reason, seq FROM case_transitions WHERE case_id = \(bind: made.id) ORDER BY seq DESC"
                )
                .first(decoding: T.self))
            #expect(step.action == "recategorise" && step.from_state == "dispatched" && step.to_state == "dispatched")
            #expect(step.reason == "实为公共区域堆物，非楼道" && step.seq == after.lastSeq)
            struct R: Decodable { var from_code: String; var to_code: String; var seq: Int }
            let change = try #require(
                try await app.db.sql.raw("SELECT from_code, to_code, seq FROM case_recategorisations WHERE case_id = \(bind: made.id)").first(
                    decoding: R.self))
            #expect(change.from_code == "E0404" && change.to_code == "E0102" && change.seq == step.seq)
            struct A: Decodable { var detail: String; var actor_name: String? }
            let audit = try #require(
                try await app.db.sql.raw("SELECT detail, actor_name FROM audit_log WHERE action = 'case.recategorised'").first(decoding: A.self))
            #expect(audit.detail.contains("E0404") && audit.detail.contains("E0102") && audit.actor_name == "staff")
            // Dispatched already: the deadline and the department stay; the state too.
            #expect(try await F.dueAt(app, made.id) == dueBefore)
            let detail = try await F.detail(staff, made.id)
            #expect(detail.summary.state == "dispatched" && detail.summary.department_code == "fangguan")
            #expect(detail.transitions.last?.action == "recategorise")
            #expect(try await Self.recategorise(staff, made.id, ["category_code": "E0102", "reason": "再改"]).status == .unprocessableEntity)
        }
    }

    @Test("only dispatchers in scope, only while the case is open")
    func whoAndWhen() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident"), staff = try await F.client(app, "staff")
            let made = try await F.submit(resident)
            let body: [String: Any] = ["category_code": "E0102", "reason": "类别选错了"]
            let before = try await Self.written(app, made.id)
            #expect(try await Self.recategorise(resident, made.id, body).status == .forbidden)
            #expect(try await Self.recategorise(try await F.client(app, "handler"), made.id, body).status == .forbidden)
            // cadre2 works residential area 2; the case is in area 1.
            #expect(try await Self.recategorise(try await F.client(app, "cadre2"), made.id, body).status == .notFound)
            #expect(try await Self.written(app, made.id) == before)
            // The grid worker of the case's micro-grid may.
            #expect(try await Self.recategorise(try await F.client(app, "gridworker"), made.id, body).status == .ok)
            // Rejected: finished, refused with 409 and nothing written.
            try await F.act(staff, made.id, "reject", ["reason": "不属于受理范围"])
            let rejected = try await Self.written(app, made.id)
            let refused = try await Self.recategorise(staff, made.id, ["category_code": "E0101", "reason": "改回"])
            #expect(refused.status == .conflict)
            #expect(try await Self.written(app, made.id) == rejected)
        }
    }

    @Test("a case not yet dispatched takes the new category's time limit when dispatched")
    func deadlineFromDispatch() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let staff = try await F.client(app, "staff")
            let node = "310106019-1-01-1-01"
            let moved = try await F.submit(staff, category: "E0404", node: node, channel: "grid_patrol")
            let sameOld = try await F.submit(staff, category: "E0404", node: node, channel: "grid_patrol")
            let sameNew = try await F.submit(staff, category: "E0101", node: node, channel: "grid_patrol")
            for made in [moved, sameOld, sameNew] { try await F.act(staff, made.id, "file") }
            #expect(try await Self.recategorise(staff, moved.id, ["category_code": "E0101", "reason": "实为暴露垃圾"]).status == .ok)
            for made in [moved, sameOld, sameNew] { try await F.act(staff, made.id, "dispatch", ["department": "lvrong"]) }
            let due = try #require(try await F.dueAt(app, moved.id))
            let dueNew = try await F.dueAt(app, sameNew.id), dueOld = try await F.dueAt(app, sameOld.id)
            // Dispatched at the same instant: the deadline of the new category (8 working hours), not the old one's (2 days).
            #expect(due == dueNew && due != dueOld)
        }
    }

    @Test("the page: a select of categories by name and a reason; errors beside the fields, typed values kept; then the timeline")
    func page() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident")
            let made = try await F.submit(resident)
            let web = TestClient(app)
            #expect(try await web.signInWeb("staff").status == .seeOther)
            let page = try await web.get("/cases/\(made.id)").body.string
            #expect(page.contains("id=\"recategorise-form\"") && page.contains("乱堆物堆料"))
            let csrf = try #require(TestClient.csrf(in: page))
            let refused = try await web.form("/cases/\(made.id)/category", ["csrf": csrf, "category_code": "E0102", "reason": ""])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("id=\"error-reason\"") && html.contains("请说明为什么改类别"))
            // The category chosen stays chosen.
            let select = try #require(html.range(of: "id=\"recategorise-category\"").map { String(html[$0.lowerBound...]) })
            let option = try #require(select.range(of: "value=\"E0102\"").map { String(select[$0.lowerBound...].prefix { $0 != ">" }) })
            #expect(option.contains("selected"))
            #expect(try await F.state(app, made.id).seq == 1)
            let done = try await web.form("/cases/\(made.id)/category", ["csrf": csrf, "category_code": "E0102", "reason": "实为公共区域堆物"])
            #expect(done.status == .seeOther)
            let after = try await web.get("/cases/\(made.id)").body.string
            let timeline = try #require(Self.section(after, id: "timeline"))
            #expect(timeline.contains("改类别") && timeline.contains("楼道堆物 → 乱堆物堆料") && timeline.contains("实为公共区域堆物"))
            // A department handler has no such form.
            let handler = TestClient(app)
            #expect(try await handler.signInWeb("handler").status == .seeOther)
            let handlerCSRF = try #require(TestClient.csrf(in: try await handler.get("/cases/new").body.string))
            let form = ["csrf": handlerCSRF, "category_code": "E0101", "reason": "x"]
            #expect(try await handler.form("/cases/\(made.id)/category", form).status == .forbidden)
        }
    }

    @Test("the history names people: staff by name and role, a resident's name masked; never an account's username")
    func names() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident"), staff = try await F.client(app, "staff")
            let made = try await F.submit(resident)
            try await F.act(staff, made.id, "file")
            #expect(try await staff.jsonObject(.POST, "/api/v1/cases/\(made.id)/supervision", ["note": "请加快"]).status == .noContent)
            struct Name: Decodable { var username: String; var display_name: String }
            let names = try await app.db.sql.raw("SELECT username, display_name FROM accounts WHERE username IN ('staff', 'resident')")
                .all(decoding: Name.self)
            let staffName = try #require(names.first { $0.username == "staff" }?.display_name)
            let residentName = try #require(names.first { $0.username == "resident" }?.display_name)
            let masked = String(residentName.prefix(1)) + "**"
            #expect(residentName.count > 1 && masked != residentName)
            let detail = try await F.detail(staff, made.id)
            #expect(detail.transitions.map(\.actor_name) == [masked, staffName])
            // The page: the timeline and the supervision mark, with roles, no usernames, no full resident name.
            let web = TestClient(app)
            #expect(try await web.signInWeb("staff").status == .seeOther)
            let page = try await web.get("/cases/\(made.id)").body.string
            let timeline = try #require(Self.section(page, id: "timeline"))
            #expect(timeline.contains("\(staffName)（街道干部）") && timeline.contains("\(masked)（居民）"))
            #expect(!timeline.contains("staff") && !timeline.contains("resident") && !timeline.contains(residentName))
            let supervisions = try #require(Self.section(page, id: "supervisions"))
            #expect(supervisions.contains(staffName) && !supervisions.contains("staff"))
            // The resident's own page names the staff member too.
            let mine = TestClient(app)
            #expect(try await mine.signInWeb("resident").status == .seeOther)
            let own = try #require(Self.section(try await mine.get("/cases/\(made.id)").body.string, id: "timeline"))
            #expect(own.contains(staffName) && !own.contains("· staff"))
        }
    }

    @Test("the case forms: errors beside their fields in sentences that name no input, and what was typed kept, the phone too")
    func forms() async throws {
        try await withApp(demo: true) { app in
            let web = TestClient(app)
            #expect(try await web.signInWeb("resident").status == .seeOther)
            let csrf = try #require(TestClient.csrf(in: try await web.get("/cases/new").body.string))
            let bad = try await web.form(
                "/cases/new", ["csrf": csrf, "category_code": "", "description": "楼道灯坏了", "submitter_phone": "12345", "address": "3号楼"])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("id=\"error-category_code\"") && html.contains("id=\"error-submitter_phone\""))
            #expect(!html.contains("id=\"error-description\""))
            #expect(html.contains("value=\"12345\"") && html.contains("楼道灯坏了") && html.contains("value=\"3号楼\""))
            let sentences = Self.fieldErrors(html) + Self.errorBox(html)
            #expect(sentences.count >= 3)
            for word in ["category_code", "submitter_phone", "description", "service_code"] {
                #expect(!sentences.contains { $0.contains(word) }, "\(word) named on the page")
            }
            // An action's form on the case page: the reason that was too long comes back beside its field.
            try await CasesFixture.setUp(app)
            let made = try await CasesFixture.submit(try await CasesFixture.client(app, "resident"))
            let staff = TestClient(app)
            #expect(try await staff.signInWeb("staff").status == .seeOther)
            let staffCSRF = try #require(TestClient.csrf(in: try await staff.get("/cases/new").body.string))
            let long = String(repeating: "长", count: 1001)
            let refused = try await staff.form("/cases/\(made.id)/actions/reject", ["csrf": staffCSRF, "reason": long])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("id=\"error-reason\"") && refused.body.string.contains(long))
            #expect(try await CasesFixture.state(app, made.id).state == "reported")
        }
    }

    /// The texts of the `p.field-error` sentences on a page.
    static func fieldErrors(_ html: String) -> [String] {
        html.matches(of: /<p class="field-error" id="[^"]*">([^<]*)<\/p>/).map { String($0.output.1) }
    }

    /// The texts of the error box's lines.
    static func errorBox(_ html: String) -> [String] {
        guard let start = html.range(of: "class=\"flash-error\"") else { return [] }
        let rest = html[start.upperBound...]
        let box = rest[..<(rest.range(of: "</div>")?.lowerBound ?? rest.endIndex)]
        return String(box).matches(of: /<(?:li|p)>([^<]*)<\/(?:li|p)>/).map { String($0.output.1) }
    }

    /// The element with `id` up to the end of its list (`</ol>` or `</ul>`).
    static func section(_ html: String, id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.lowerBound...]
        guard let end = rest.range(of: "</ol>") ?? rest.range(of: "</ul>") else { return nil }
        return String(rest[..<end.upperBound])
    }
}
