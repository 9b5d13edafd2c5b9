import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The catalogue's pages (issue 21): `/cases/catalogue` lists the categories by 大类 with their
/// time limits and default department, the departments and the department accounts; its forms add
/// and change categories and departments (administrators) and bind a department account
/// (administrators and subdistrict staff). `/cases/projects` lists the projects (十大民生实事)
/// with their progress and sets new ones up (the subdistrict). Every form goes through the service
/// the API calls (`CasesCatalogueService`, `CasesSupervision.bind`), which checks the role again;
/// one that fails comes back with 422 (409 for a code taken), what was typed, and each problem as
/// a sentence beside its field; one that succeeds redirects (303).
struct CasesCataloguePages: RouteCollection {
    struct CategoryForm: Content {
        var code: String?; var parent_code: String?; var kind: String?; var name_zh: String?; var name_en: String?; var department: String?
        var limit_file: String?; var limit_dispatch: String?; var limit_response: String?; var limit_handle: String?; var limit_verify: String?
        /// `yes` (offered) or `no` (withdrawn); the edit form only.
        var active: String?

        /// The API's input: a field left empty is not sent (a new category's limit then takes the
        /// default, a changed category's stays as it is).
        var input: CasesCatalogueService.CategoryInput {
            let given = CasesCataloguePages.given
            let offered: Bool? =
                switch active ?? "" {
                case "yes": true
                case "no": false
                default: nil
                }
            return CasesCatalogueService.CategoryInput(
                code: code, parent_code: given(parent_code), kind: given(kind), name_zh: name_zh, name_en: name_en,
                department: given(department), limit_file: given(limit_file), limit_dispatch: given(limit_dispatch),
                limit_response: given(limit_response), limit_handle: given(limit_handle), limit_verify: given(limit_verify),
                active: offered)
        }

        /// What was typed, by input name, for the form shown again.
        var typed: [String: String] {
            let pairs: [(String, String?)] = [
                ("code", code), ("parent_code", parent_code), ("kind", kind), ("name_zh", name_zh), ("name_en", name_en),
                ("department", department), ("limit_file", limit_file), ("limit_dispatch", limit_dispatch),
                ("limit_response", limit_response), ("limit_handle", limit_handle), ("limit_verify", limit_verify), ("active", active)
            ]
            return Dictionary(pairs.compactMap { name, value in value.map { (name, $0) } }, uniquingKeysWith: { a, _ in a })
        }
    }
    struct DepartmentForm: Content { var code: String?; var name_zh: String?; var name_en: String? }
    struct AccountForm: Content { var username: String?; var department: String? }
    struct ProjectForm: Content {
        var code: String?; var name_zh: String?; var name_en: String?; var year: String?; var target: String?; var description: String?
    }
    typealias Failure = CasesViews.FormFailure

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let subdistrict = pages.grouped(RequireRole(CasesQueries.supervisors))
        let admin = pages.grouped(RequireRole(.admin))
        subdistrict.get(.cases(.catalogue), use: catalogue)
        admin.post(.cases(.catalogueCategories), use: createCategory)
        admin.post(.cases(.catalogueCategory(.key)), use: updateCategory)
        admin.post(.cases(.catalogueDepartments), use: createDepartment)
        // As the API: administrators and subdistrict staff (the account managers of the subdistrict).
        subdistrict.post(.cases(.catalogueDepartmentAccounts), use: bindAccount)
        pages.grouped(RequireRole(CasesQueries.dispatchers)).get(.cases(.projects), use: projects)
        subdistrict.post(.cases(.projects), use: createProject)
    }

    /// A form's text, trimmed; nil when nothing was typed.
    static func given(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }

    /// A whole number typed into a form: nil when left empty, -1 (which the service's ranges
    /// refuse, with the range's own sentence) when it is not a whole number.
    static func number(_ text: String?) -> Int? {
        guard let text = given(text) else { return nil }
        return Int(text) ?? -1
    }

    /// A code already taken (409) as a sentence beside the code field too; other problems as they are.
    static func besideCode(_ error: AppError) -> AppError {
        guard error.status == .conflict, error.fields.isEmpty else { return error }
        return AppError(
            .conflict, code: error.code, zh: error.messageZH, en: error.messageEN,
            fields: [FieldError(field: "code", messageZH: error.messageZH, messageEN: error.messageEN)])
    }

    // MARK: the catalogue

    @Sendable func catalogue(req: Request) async throws -> Response {
        try await renderCatalogue(req, failure: nil)
    }

    func renderCatalogue(_ req: Request, failure: Failure?) async throws -> Response {
        let actor = try req.requireActor()
        let model = CasesViews.CatalogueModel(
            role: actor.role, categories: try await CasesQueries.catalogue(on: req.db),
            departments: try await CasesQueries.departments(on: req.db),
            accounts: try await CasesQueries.departmentAccounts(in: actor.scope, on: req.db),
            saved: failure == nil ? req.query[String.self, at: "saved"] : nil, failure: failure)
        var ctx = req.pageContext
        ctx.path = SiteURL.cases(.catalogue).path
        return CasesViews.catalogue(model, ctx: ctx, status: failure?.error.status ?? .ok)
    }

    /// Runs a catalogue form's write and goes back to the catalogue at `anchor`; on a 422 or 409
    /// shows it again with the form `name`'s problems beside its fields and what was `typed`.
    private func attempt(
        _ req: Request, form name: String, typed: [String: String], anchor: String, _ body: () async throws -> Void
    ) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: SiteURL.cases(.catalogue).path([("saved", name)]) + "#" + anchor, redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderCatalogue(req, failure: Failure(form: name, values: typed, error: Self.besideCode(error)))
        }
    }

    @Sendable func createCategory(req: Request) async throws -> Response {
        let form = try req.content.decode(CategoryForm.self)
        return try await attempt(req, form: CasesViews.newCategoryForm, typed: form.typed, anchor: "categories") {
            try await CasesCatalogueService.createCategory(form.input, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func updateCategory(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        let form = try req.content.decode(CategoryForm.self)
        var input = form.input
        input.code = nil
        input.parent_code = nil
        input.kind = nil
        return try await attempt(req, form: CasesViews.editForm(code), typed: form.typed, anchor: "category-\(code)") {
            _ = try await CasesCatalogueService.updateCategory(code, input, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func createDepartment(req: Request) async throws -> Response {
        let form = try req.content.decode(DepartmentForm.self)
        let typed = ["code": form.code ?? "", "name_zh": form.name_zh ?? "", "name_en": form.name_en ?? ""]
        return try await attempt(req, form: CasesViews.newDepartmentForm, typed: typed, anchor: "departments") {
            try await CasesCatalogueService.createDepartment(
                .init(code: form.code, name_zh: form.name_zh, name_en: form.name_en), writer: WriteContext(try req.requireActor(), req),
                on: req.db)
        }
    }

    @Sendable func bindAccount(req: Request) async throws -> Response {
        let form = try req.content.decode(AccountForm.self)
        let typed = ["username": form.username ?? "", "department": form.department ?? ""]
        return try await attempt(req, form: CasesViews.bindAccountForm, typed: typed, anchor: "department-accounts") {
            try await CasesSupervision.bind(
                username: Self.given(form.username) ?? "", department: Self.given(form.department),
                writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    // MARK: projects

    @Sendable func projects(req: Request) async throws -> Response {
        try await renderProjects(req, form: nil, error: nil)
    }

    func renderProjects(_ req: Request, form: ProjectForm?, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let model = CasesViews.ProjectsModel(
            projects: try await CasesIndicatorQueries.projects(actor: actor, on: req.db),
            createsProjects: CasesQueries.supervisors.contains(actor.role), year: CivilDate(req.now, in: .shanghai).year,
            saved: error == nil && req.query[String.self, at: "saved"] != nil, form: form, error: error)
        var ctx = req.pageContext
        ctx.path = SiteURL.cases(.projects).path
        return CasesViews.projects(model, ctx: ctx, status: error?.status ?? .ok)
    }

    @Sendable func createProject(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(ProjectForm.self)
        let input = CasesCatalogueService.ProjectInput(
            code: form.code, name_zh: form.name_zh, name_en: Self.given(form.name_en), year: Self.number(form.year),
            target: Self.number(form.target), description: form.description)
        do {
            _ = try await CasesCatalogueService.createProject(input, writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.cases(.projects).path([("saved", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderProjects(req, form: form, error: Self.besideCode(error))
        }
    }
}
