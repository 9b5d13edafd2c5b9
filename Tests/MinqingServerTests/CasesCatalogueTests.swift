import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Cases: categories, departments and projects as data")
struct CasesCatalogueTests {
    typealias F = CasesFixture

    @Test("an administrator changes a category's limit and department; the next dispatch follows; bad limits are named")
    func categories() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let admin = try await F.client(app, "admin"), staff = try await F.client(app, "staff")
            let bad = try await admin.jsonObject(
                .PUT, "/api/v1/cases/categories/E0404", ["limit_handle": "3w", "limit_response": "0h", "department": "nope"])
            #expect(bad.status == .unprocessableEntity)
            struct E: Decodable { struct I: Decodable { struct Fd: Decodable { var field: String }; var fields: [Fd] }; var error: I }
            #expect(Set(try bad.decode(E.self).error.fields.map(\.field)) == ["limit_handle", "limit_response", "department"])
            let changed = try await admin.jsonObject(.PUT, "/api/v1/cases/categories/E0404", ["limit_handle": "1d", "department": "chengguan"])
            #expect(changed.status == .ok)
            let record = try changed.decode(CaseCategoryRecord.self)
            #expect(record.limit_handle == "1d" && record.department_code == "chengguan")
            let made = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "grid_patrol")
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch") // the category's default department now
            let detail = try await F.detail(staff, made.id)
            #expect(detail.summary.department_code == "chengguan")
            // Friday 10:00 + 1 working day: the end of Monday 9 March (Tuesday 00:00 Shanghai = Monday 16:00 UTC).
            #expect(try await F.dueAt(app, made.id) == Date(timeIntervalSince1970: 1_773_072_000))
            // Staff may not change the catalogue.
            #expect(try await staff.jsonObject(.PUT, "/api/v1/cases/categories/E0404", ["limit_handle": "2d"]).status == .forbidden)
        }
    }

    @Test("new categories and departments; a withdrawn category takes no new cases")
    func additions() async throws {
        try await withApp(demo: true) { app in
            let admin = try await F.client(app, "admin"), staff = try await F.client(app, "staff")
            #expect(
                try await admin.jsonObject(.POST, "/api/v1/cases/departments", ["code": "wenming", "name_zh": "文明办", "name_en": "Civility office"])
                    .status == .created)
            #expect(
                try await admin.jsonObject(.POST, "/api/v1/cases/departments", ["code": "wenming", "name_zh": "重复", "name_en": "Again"]).status
                    == .conflict)
            let wrongKind = try await admin.jsonObject(
                .POST, "/api/v1/cases/categories",
                [
                    "code": "E0605", "parent_code": "C01", "kind": "event",
                    "name_zh": "文明养犬", "name_en": "Dog keeping", "department": "wenming"
                ])
            #expect(wrongKind.status == .unprocessableEntity)
            #expect(
                try await admin.jsonObject(
                    .POST, "/api/v1/cases/categories",
                    [
                        "code": "E0605", "parent_code": "E06", "kind": "event", "name_zh": "文明养犬",
                        "name_en": "Dog keeping", "department": "wenming", "limit_handle": "2d"
                    ]
                ).status == .created)
            let made = try await F.submit(staff, category: "E0605", node: "310106019-1-01-1-01", channel: "grid_patrol")
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch")
            #expect(try await F.detail(staff, made.id).summary.department_code == "wenming")
            #expect(try await admin.jsonObject(.PUT, "/api/v1/cases/categories/E0605", ["active": false]).status == .ok)
            let refused = try await staff.jsonObject(.POST, "/api/v1/cases", ["channel": "grid_patrol", "category_code": "E0605", "description": "x"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("category_code"))
            struct C: Decodable { var code: String }
            #expect(!(try await staff.get("/api/v1/cases/categories").decode([C].self).map(\.code).contains("E0605")))
        }
    }

    @Test("projects group cases and show their progress")
    func projects() async throws {
        try await withApp(demo: true) { app in
            let staff = try await F.client(app, "staff")
            let created = try await staff.jsonObject(.POST, "/api/v1/cases/projects", ["code": "P2026-1", "name_zh": "楼道堆物清理", "target": 4])
            #expect(created.status == .created)
            struct Created: Decodable { var id: UUID }
            let project = try created.decode(Created.self).id
            for _ in 0..<2 {
                let made = try await F.submit(staff, node: "310106019-1-02-1-01", channel: "grid_patrol")
                #expect(try await staff.jsonObject(.PUT, "/api/v1/cases/\(made.id)/project", ["project_id": project.uuidString]).status == .noContent)
            }
            struct P: Decodable { var code: String; var cases: Int; var closed: Int; var target: Int; var progress: CaseRate }
            let list = try await staff.get("/api/v1/cases/projects").decode([P].self)
            let p = try #require(list.first { $0.code == "P2026-1" })
            #expect(p.cases == 2 && p.closed == 0 && p.target == 4 && p.progress == CaseRate(0, 4))
            // The grid worker of another micro-grid sees the project but none of its cases.
            let other = try await F.client(app, "gridworker")
            #expect(try await other.get("/api/v1/cases/projects").decode([P].self).first { $0.code == "P2026-1" }?.cases == 0)
        }
    }
}
