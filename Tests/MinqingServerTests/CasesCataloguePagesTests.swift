import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// The catalogue and project pages (issue 21, item 1): each form writes what its API write
/// writes (recounted here from the rows), a role the API refuses gets 403 with nothing written,
/// and a bad form comes back with 422, what was typed, and each problem as a sentence beside its
/// field that never names an input.
@Suite("Cases: catalogue and project pages")
struct CasesCataloguePagesTests {
    typealias F = CasesFixture

    static func count(_ app: Application, _ query: SQLQueryString) async throws -> Int {
        struct N: Decodable { var n: Int64 }
        return Int(try await app.db.sql.raw(query).first(decoding: N.self)?.n ?? -1)
    }

    /// The sentence beside the field `name`, if any.
    static func beside(_ html: String, _ name: String) -> String? { VotingFormErrorsTests.beside(html, name) }

    /// The page from `marker` to the end of the form it stands in.
    static func form(_ html: String, _ marker: String) -> String {
        guard let start = html.range(of: marker) else { return "" }
        let rest = html[start.lowerBound...]
        return String(rest[..<(rest.range(of: "</form>")?.upperBound ?? rest.endIndex)])
    }

    /// Every problem the page prints: the sentences beside fields and the text of the box `box`.
    static func problems(_ html: String, box: String) -> [String] {
        var texts = html.matches(of: /<p class="field-error" id="error-[a-z_]+">([^<]*)<\/p>/).map { String($0.1) }
        if let start = html.range(of: "id=\"\(box)\""), let open = html[start.upperBound...].range(of: ">"),
            let end = html[open.upperBound...].range(of: "</div>")
        {
            texts.append(String(html[open.upperBound..<end.lowerBound]).replacing(/<[^>]*>/, with: " "))
        }
        return texts
    }

    /// Some problem is printed, and none names an input of these forms.
    static func noInputNames(_ html: String, box: String, _ context: String) {
        let texts = problems(html, box: box)
        #expect(!texts.isEmpty, "\(context): no problem printed")
        let names = ["parent_code", "name_zh", "name_en", "limit_", "department", "username", "project_id", "code", "kind", "year", "target"]
        for text in texts {
            #expect(!names.contains { text.contains($0) }, "\(context): \(text)")
        }
    }

    struct Category: Decodable, Equatable { var limit_handle: String; var department: String?; var active: Bool }

    static func category(_ app: Application, _ code: String) async throws -> Category? {
        try await app.db.sql.raw(
            """
            SELECT c.limit_handle, d.code AS department, c.active FROM case_categories c LEFT JOIN departments d ON d.id = c.department_id
            WHERE c.code = \(bind: code)
            """
        ).first(decoding: Category.self)
    }

    @Test("an administrator adds a category on the catalogue page as the API would; a bad one comes back as typed, sentences beside")
    func addCategory() async throws {
        try await withApp(demo: true) { app in
            let (admin, csrf) = try await CasesPagesTests.web(app, "admin")
            let page = try await admin.get("/cases/catalogue").body.string
            #expect(page.contains("id=\"family-E04\"") && page.contains("楼道堆物") && page.contains("房管办"))
            #expect(page.contains("id=\"new-category-form\"") && page.contains("id=\"category-E0404\""))
            let before = try await Self.count(app, "SELECT COUNT(*) AS n FROM case_categories")
            var fields = [
                "csrf": csrf, "parent_code": "E06", "code": "E0605", "name_zh": " ", "name_en": "Dog keeping", "department": "shequban",
                "limit_handle": "3w"
            ]
            let bad = try await admin.form("/cases/catalogue/categories", fields)
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "kind")?.contains("请选择事件类或部件类") == true)
            #expect(Self.beside(html, "name_zh")?.contains("名称不能为空") == true)
            #expect(Self.beside(html, "limit_handle")?.contains("时限格式") == true)
            #expect(Self.beside(html, "code") == nil && Self.beside(html, "department") == nil)
            Self.noInputNames(html, box: "catalogue-error", "new category")
            let typed = Self.form(html, "id=\"new-category\"")
            #expect(
                typed.contains("open=") && typed.contains("value=\"E0605\"") && typed.contains("value=\"Dog keeping\"")
                    && typed.contains("value=\"3w\""))
            #expect(typed.firstMatch(of: /value="E06"[^>]*selected/) != nil && typed.firstMatch(of: /value="shequban"[^>]*selected/) != nil)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM case_categories") == before)

            fields["kind"] = "event"
            fields["name_zh"] = "文明养犬"
            fields["limit_handle"] = "2d"
            fields["limit_file"] = ""
            let good = try await admin.form("/cases/catalogue/categories", fields)
            #expect(good.status == .seeOther && good.headers.first(name: .location) == "/cases/catalogue?saved=new-category#categories")
            // As POST /api/v1/cases/categories writes it: under E06, its department, the limits not typed at their defaults.
            struct Row: Decodable {
                var parent_code: String?; var kind: String; var name_zh: String; var name_en: String; var department: String?
                var limit_file: String; var limit_dispatch: String; var limit_response: String; var limit_handle: String; var limit_verify: String
                var active: Bool
            }
            let row = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT c.parent_code, c.kind, c.name_zh, c.name_en, d.code AS department, c.limit_file, c.limit_dispatch, c.limit_response,
                           c.limit_handle, c.limit_verify, c.active
                    FROM case_categories c LEFT JOIN departments d ON d.id = c.department_id WHERE c.code = 'E0605'
                    """
                ).first(decoding: Row.self))
            #expect(row.parent_code == "E06" && row.kind == "event" && row.name_zh == "文明养犬" && row.name_en == "Dog keeping")
            #expect(row.department == "shequban" && row.active)
            #expect([row.limit_file, row.limit_dispatch, row.limit_response, row.limit_handle, row.limit_verify] == ["2h", "2h", "4h", "2d", "1d"])
            #expect(
                try await Self.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case_category.created' AND target_id = 'E0605'") == 1)

            // The same code again: 409, the sentence beside the code, nothing more written.
            let again = try await admin.form("/cases/catalogue/categories", fields)
            #expect(again.status == .conflict && Self.beside(again.body.string, "code")?.contains("该分类编码已存在") == true)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM case_categories") == before + 1)
        }
    }

    @Test("an administrator changes a category on its own form as the API would; subdistrict staff read the catalogue and change nothing")
    func changeCategory() async throws {
        try await withApp(demo: true) { app in
            let (admin, csrf) = try await CasesPagesTests.web(app, "admin")
            var fields = [
                "csrf": csrf, "name_zh": "楼道堆物", "name_en": "Stairwell obstruction", "department": "chengguan", "limit_file": "2h",
                "limit_dispatch": "2h", "limit_response": "4h", "limit_handle": "0d", "limit_verify": "1d", "active": "yes"
            ]
            let bad = try await admin.form("/cases/catalogue/categories/E0404", fields)
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "limit_handle")?.contains("时限格式") == true && Self.beside(html, "department") == nil)
            Self.noInputNames(html, box: "catalogue-error", "change")
            let typed = Self.form(html, "id=\"category-E0404\"")
            #expect(typed.contains("open=") && typed.contains("value=\"0d\"") && typed.firstMatch(of: /value="chengguan"[^>]*selected/) != nil)
            #expect(try await Self.category(app, "E0404") == Category(limit_handle: "2d", department: "fangguan", active: true))

            fields["limit_handle"] = "1d"
            fields["active"] = "no"
            let good = try await admin.form("/cases/catalogue/categories/E0404", fields)
            #expect(good.status == .seeOther && good.headers.first(name: .location) == "/cases/catalogue?saved=category-E0404#category-E0404")
            #expect(try await Self.category(app, "E0404") == Category(limit_handle: "1d", department: "chengguan", active: false))
            #expect(
                try await Self.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case_category.updated' AND target_id = 'E0404'") == 1)

            // Subdistrict staff: the catalogue to read, no form that changes it; a post is refused and writes nothing.
            let (staff, staffCSRF) = try await CasesPagesTests.web(app, "staff")
            let page = try await staff.get("/cases/catalogue")
            #expect(page.status == .ok)
            let text = page.body.string
            #expect(text.contains("id=\"family-E04\"") && text.contains("城管执法中队") && text.contains("id=\"bind-account-form\""))
            #expect(!text.contains("new-category-form") && !text.contains("id=\"category-E0404\"") && !text.contains("new-department-form"))
            #expect(try await staff.form("/cases/catalogue/categories/E0404", ["csrf": staffCSRF, "limit_handle": "9d"]).status == .forbidden)
            let created = try await staff.form(
                "/cases/catalogue/categories",
                [
                    "csrf": staffCSRF, "parent_code": "E06", "kind": "event", "code": "E0699", "name_zh": "越权", "name_en": "No",
                    "department": "shequban"
                ])
            #expect(created.status == .forbidden)
            #expect(try await Self.category(app, "E0404")?.limit_handle == "1d")
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM case_categories WHERE code = 'E0699'") == 0)
            for username in ["cadre", "handler", "resident"] {
                let (other, _) = try await CasesPagesTests.web(app, username)
                #expect(try await other.get("/cases/catalogue").status == .forbidden, "\(username)")
            }
        }
    }

    @Test("an administrator adds a department on the catalogue page as the API would; staff may not")
    func addDepartment() async throws {
        try await withApp(demo: true) { app in
            let (admin, csrf) = try await CasesPagesTests.web(app, "admin")
            let before = try await Self.count(app, "SELECT COUNT(*) AS n FROM departments")
            var fields = ["csrf": csrf, "code": "bad code!", "name_zh": " ", "name_en": "Civility office"]
            let bad = try await admin.form("/cases/catalogue/departments", fields)
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "code")?.contains("编码只能由字母、数字组成") == true)
            #expect(Self.beside(html, "name_zh")?.contains("名称不能为空") == true && Self.beside(html, "name_en") == nil)
            Self.noInputNames(html, box: "catalogue-error", "department")
            let typed = Self.form(html, "id=\"new-department\"")
            #expect(typed.contains("open=") && typed.contains("value=\"bad code!\"") && typed.contains("value=\"Civility office\""))
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM departments") == before)

            fields["code"] = "wenming"
            fields["name_zh"] = "文明办"
            let good = try await admin.form("/cases/catalogue/departments", fields)
            #expect(good.status == .seeOther && good.headers.first(name: .location) == "/cases/catalogue?saved=new-department#departments")
            struct Row: Decodable { var name_zh: String; var name_en: String; var active: Bool }
            let rows = try await app.db.sql.raw("SELECT name_zh, name_en, active FROM departments WHERE code = 'wenming'").all(decoding: Row.self)
            #expect(rows.count == 1 && rows.first?.name_zh == "文明办" && rows.first?.name_en == "Civility office" && rows.first?.active == true)
            #expect(
                try await Self.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'department.created' AND target_id = 'wenming'") == 1)
            #expect(try await admin.get("/cases/catalogue").body.string.contains("文明办"))

            let (staff, staffCSRF) = try await CasesPagesTests.web(app, "staff")
            let refused = try await staff.form(
                "/cases/catalogue/departments", ["csrf": staffCSRF, "code": "jiedao", "name_zh": "越权部门", "name_en": "No"])
            #expect(refused.status == .forbidden)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM departments") == before + 1)
        }
    }

    @Test("subdistrict staff bind a department account chosen by the person's name, as the API would; an area cadre may not")
    func bindAccount() async throws {
        try await withApp(demo: true) { app in
            _ = try await AccountService.create(
                NewAccount(
                    username: "dh_new", displayName: "赵处置", role: "department_handler", scopeCode: "310106019", password: demoPassword,
                    mustChangePassword: false),
                by: .console, app: app, on: app.db, now: TestClock.pinnedNow())
            func bound() async throws -> [String] {
                struct Row: Decodable { var code: String }
                return try await app.db.sql.raw(
                    """
                    SELECT d.code FROM department_accounts da JOIN accounts a ON a.id = da.account_id JOIN departments d ON d.id = da.department_id
                    WHERE a.username = 'dh_new'
                    """
                ).all(decoding: Row.self).map(\.code)
            }
            let (staff, csrf) = try await CasesPagesTests.web(app, "staff")
            let page = try await staff.get("/cases/catalogue").body.string
            #expect(page.contains("赵处置（未绑定）") && !page.contains(">dh_new<"))

            let bad = try await staff.form("/cases/catalogue/department-accounts", ["csrf": csrf, "username": "dh_new", "department": ""])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "department")?.contains("请从列表中选择部门") == true && Self.beside(html, "username") == nil)
            Self.noInputNames(html, box: "catalogue-error", "binding")
            #expect(Self.form(html, "id=\"bind-account-form\"").firstMatch(of: /value="dh_new"[^>]*selected/) != nil)
            #expect(try await bound() == [])
            let none = try await staff.form("/cases/catalogue/department-accounts", ["csrf": csrf, "username": "", "department": "shiwu"])
            #expect(none.status == .unprocessableEntity && Self.beside(none.body.string, "username")?.contains("请选择") == true)

            let good = try await staff.form("/cases/catalogue/department-accounts", ["csrf": csrf, "username": "dh_new", "department": "shiwu"])
            #expect(good.status == .seeOther && good.headers.first(name: .location) == "/cases/catalogue?saved=bind-account#department-accounts")
            #expect(try await bound() == ["shiwu"])
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.department_bound'") == 1)
            #expect(try await staff.get("/cases/catalogue").body.string.contains("赵处置（水务所）"))

            let (cadre, cadreCSRF) = try await CasesPagesTests.web(app, "cadre")
            let refused = try await cadre.form(
                "/cases/catalogue/department-accounts", ["csrf": cadreCSRF, "username": "dh_new", "department": "chengguan"])
            #expect(refused.status == .forbidden)
            #expect(try await bound() == ["shiwu"])
        }
    }

    @Test("subdistrict staff set a project up on the projects page as the API would; an area cadre sees the list but may not")
    func setUpProject() async throws {
        try await withApp(demo: true) { app in
            let (staff, csrf) = try await CasesPagesTests.web(app, "staff")
            let page = try await staff.get("/cases/projects").body.string
            #expect(page.contains("id=\"new-project-form\""))
            let before = try await Self.count(app, "SELECT COUNT(*) AS n FROM case_projects")
            var fields = ["csrf": csrf, "code": "P2026-99", "name_zh": " ", "year": "abc", "target": "-5", "description": "每个楼道装感应灯"]
            let bad = try await staff.form("/cases/projects", fields)
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(Self.beside(html, "name_zh")?.contains("名称不能为空") == true)
            #expect(Self.beside(html, "year")?.contains("年份应为 2000 至 2100") == true)
            #expect(Self.beside(html, "target")?.contains("目标件数应为 0 至 100000") == true && Self.beside(html, "code") == nil)
            Self.noInputNames(html, box: "project-error", "project")
            let typed = Self.form(html, "id=\"new-project-form\"")
            #expect(
                typed.contains("value=\"P2026-99\"") && typed.contains("value=\"abc\"") && typed.contains("value=\"-5\"")
                    && typed.contains("每个楼道装感应灯"))
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM case_projects") == before)

            fields["name_zh"] = "楼道照明"
            fields["year"] = "2026"
            fields["target"] = "4"
            let good = try await staff.form("/cases/projects", fields)
            #expect(good.status == .seeOther && good.headers.first(name: .location) == "/cases/projects?saved=1")
            // As POST /api/v1/cases/projects writes it: the staff member's subdistrict, the English name the Chinese one.
            struct Row: Decodable { var name_en: String; var year: Int; var target: Int; var description: String; var subdistrict_id: UUID? }
            let row = try #require(
                try await app.db.sql.raw("SELECT name_en, year, target, description, subdistrict_id FROM case_projects WHERE code = 'P2026-99'")
                    .first(decoding: Row.self))
            struct Sub: Decodable { var subdistrict_id: UUID? }
            let own = try await app.db.sql.raw("SELECT subdistrict_id FROM accounts WHERE username = 'staff'").first(decoding: Sub.self)
            #expect(row.name_en == "楼道照明" && row.year == 2026 && row.target == 4 && row.description == "每个楼道装感应灯")
            #expect(row.subdistrict_id != nil && row.subdistrict_id == own?.subdistrict_id)
            #expect(
                try await Self.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case_project.created' AND target_id = 'P2026-99'") == 1
            )

            let (cadre, cadreCSRF) = try await CasesPagesTests.web(app, "cadre")
            let list = try await cadre.get("/cases/projects")
            #expect(list.status == .ok && list.body.string.contains("楼道照明") && !list.body.string.contains("new-project-form"))
            let refused = try await cadre.form("/cases/projects", ["csrf": cadreCSRF, "code": "P2026-98", "name_zh": "越权项目", "target": "1"])
            #expect(refused.status == .forbidden)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM case_projects") == before + 1)
            let (handler, _) = try await CasesPagesTests.web(app, "handler")
            #expect(try await handler.get("/cases/projects").status == .forbidden)
        }
    }

    @Test("an area cadre puts a case into a project and takes it out on the case page, as the API would; a resident may not")
    func linkProject() async throws {
        try await withApp(demo: true) { app in
            let api = try await F.client(app, "staff")
            let made = try await F.submit(api, node: "310106019-1-01-1-01", channel: "grid_patrol")
            let created = try await api.jsonObject(.POST, "/api/v1/cases/projects", ["code": "P2026-97", "name_zh": "楼道照明", "target": 3])
            struct Created: Decodable { var id: UUID }
            let project = try created.decode(Created.self).id
            func linked() async throws -> UUID? {
                struct Row: Decodable { var project_id: UUID? }
                return try await app.db.sql.raw("SELECT project_id FROM cases WHERE id = \(bind: made.id)").first(decoding: Row.self)?.project_id
            }
            let (cadre, csrf) = try await CasesPagesTests.web(app, "cadre")
            let page = try await cadre.get("/cases/\(made.id)").body.string
            #expect(page.contains("id=\"project-form\"") && page.contains("2026 · 楼道照明"))

            for wrong in ["not-a-project", UUID().uuidString] {
                let bad = try await cadre.form("/cases/\(made.id)/project", ["csrf": csrf, "project_id": wrong])
                #expect(bad.status == .unprocessableEntity)
                #expect(Self.beside(bad.body.string, "project_id")?.contains("请从列表中选择项目") == true)
                Self.noInputNames(bad.body.string, box: "case-error", "project")
                #expect(try await linked() == nil)
            }
            let good = try await cadre.form("/cases/\(made.id)/project", ["csrf": csrf, "project_id": project.uuidString])
            #expect(good.status == .seeOther && good.headers.first(name: .location) == "/cases/\(made.id.uuidString)")
            #expect(try await linked() == project)
            #expect(try await Self.count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.project'") == 1)
            let shown = Self.form(try await cadre.get("/cases/\(made.id)").body.string, "id=\"project-form\"")
            #expect(shown.firstMatch(of: try Regex("value=\"\(project.uuidString)\"[^>]*selected")) != nil)

            let (resident, residentCSRF) = try await CasesPagesTests.web(app, "resident")
            #expect(try await resident.form("/cases/\(made.id)/project", ["csrf": residentCSRF, "project_id": ""]).status == .forbidden)
            #expect(try await linked() == project)
            let out = try await cadre.form("/cases/\(made.id)/project", ["csrf": csrf, "project_id": ""])
            #expect(out.status == .seeOther)
            #expect(try await linked() == nil)
        }
    }
}
