import Fluent
import Foundation
import MinqingDomain
import Vapor

/// JSON API of the case loop under `/api/v1/cases`.
struct CasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "cases").grouped(RequireSignIn())
        let staff = api.grouped(RequireRole(CasesQueries.dispatchers))
        api.get("categories", use: categories)
        api.get("departments", use: departments)
        api.get(use: list)
        api.post(use: submit)
        staff.get("indicators", use: indicators)
        staff.get("projects", use: projects)
        api.grouped(RequireRole(Role.admin, .subdistrictStaff)).put("department-accounts", ":username", use: bindDepartment)
        api.get(":id", use: detail)
        staff.get(":id", "duplicates", use: duplicates)
        api.post(":id", "actions", ":action", use: act)
        api.grouped(RequireRole(.departmentHandler)).post(":id", "reports", use: report)
        api.grouped(RequireRole(CasesQueries.supervisors)).post(":id", "supervision", use: supervise)
        staff.post(":id", "followups", use: followUp)
        staff.post(":id", "category", use: recategorise)
        let admin = api.grouped(RequireRole(.admin))
        admin.post("categories", use: createCategory)
        admin.put("categories", ":code", use: updateCategory)
        admin.post("departments", use: createDepartment)
        api.grouped(RequireRole(CasesQueries.supervisors)).post("projects", use: createProject)
        staff.put(":id", "project", use: linkProject)
    }

    @Sendable func createCategory(req: Request) async throws -> HTTPStatus {
        try await CasesCatalogueService.createCategory(
            try req.content.decode(CasesCatalogueService.CategoryInput.self),
            writer: WriteContext(try req.requireActor(), req), on: req.db)
        return .created
    }

    @Sendable func updateCategory(req: Request) async throws -> CaseCategoryRecord {
        try await CasesCatalogueService.updateCategory(
            req.parameters.get("code") ?? "", try req.content.decode(CasesCatalogueService.CategoryInput.self),
            writer: WriteContext(try req.requireActor(), req), on: req.db)
    }

    @Sendable func createDepartment(req: Request) async throws -> HTTPStatus {
        try await CasesCatalogueService.createDepartment(
            try req.content.decode(CasesCatalogueService.DepartmentInput.self),
            writer: WriteContext(try req.requireActor(), req), on: req.db)
        return .created
    }

    @Sendable func createProject(req: Request) async throws -> Response {
        let id = try await CasesCatalogueService.createProject(
            try req.content.decode(CasesCatalogueService.ProjectInput.self),
            writer: WriteContext(try req.requireActor(), req), on: req.db)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    @Sendable func linkProject(req: Request) async throws -> HTTPStatus {
        try await CasesCatalogueService.link(
            CaseID(try req.pathID(notFound: CasesService.notFound)),
            project: try req.content.decode(CasesCatalogueService.ProjectLink.self).project_id, writer: WriteContext(try req.requireActor(), req),
            on: req.db)
        return .noContent
    }

    static func deadlines(_ req: Request) -> CaseDeadlines { CaseDeadlines(calendar: req.application.services.calendar) }

    @Sendable func categories(req: Request) async throws -> [CaseCategoryRecord] { try await CasesQueries.categories(on: req.db) }

    @Sendable func departments(req: Request) async throws -> [CaseDepartment] { try await CasesQueries.departments(on: req.db) }

    /// Filters from the query string (`CasesBoard.filter`): `state` (comma-separated), `status=open|closed`,
    /// `category` (小类 or 大类 codes), `channel`, `node` or `area` (a grid node's code: its subtree),
    /// `overdue=1`, `supervised=1`, `department` (code), `q` (number, source reference, title,
    /// description or address), `number`, `from` / `to` (a day or an ISO 8601 time, reported time),
    /// `limit` (1–200), `offset`; a bad value answers 422 with a sentence per field.
    static func filter(_ req: Request) async throws -> CaseListFilter {
        try await CasesBoard.filter(try req.query.decode(CaseBoardParams.self), paging: .api, now: req.now, on: req.db).filter
    }

    /// The page of cases, newest first; `X-Total-Count` says how many match the filters in all.
    @Sendable func list(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let page = try await CasesQueries.board(try await Self.filter(req), visibility: CasesQueries.visible(actor), now: req.now, on: req.db)
        let response = try await page.cases.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(page.total))
        return response
    }

    /// 改类别: a dispatcher gives the case another 小类, with a reason; answers the case.
    @Sendable func recategorise(req: Request) async throws -> CaseDetail {
        let actor = try req.requireActor()
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let input = req.body.data == nil ? CaseRecategoriseInput() : try req.content.decode(CaseRecategoriseInput.self)
        try await CasesService.recategorise(id, input, writer: WriteContext(actor, req), on: req.db)
        guard let detail = try await CasesQueries.detail(id, for: actor, now: req.now, on: req.db) else { throw CasesService.notFound }
        return detail.noting(req.application.services.calendar)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let result = try await CasesService.submit(
            try req.content.decode(CaseIntakeInput.self), by: .account(try req.requireActor()),
            services: req.services, now: req.now, address: req.clientAddress, on: req.db)
        return try await result.encodeResponse(status: .created, for: req)
    }

    @Sendable func detail(req: Request) async throws -> CaseDetail {
        guard
            let detail = try await CasesQueries.detail(
                CaseID(try req.pathID(notFound: CasesService.notFound)), for: try req.requireActor(), now: req.now, on: req.db)
        else {
            throw CasesService.notFound
        }
        return detail.noting(req.application.services.calendar)
    }

    @Sendable func duplicates(req: Request) async throws -> [CaseSummary] {
        let actor = try req.requireActor()
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        guard try await CasesQueries.summary(id, visibility: CasesQueries.visible(actor), now: req.now, on: req.db) != nil else {
            throw CasesService.notFound
        }
        return try await CasesQueries.duplicates(of: id, visibility: CasesQueries.visible(actor), now: req.now, on: req.db)
    }

    @Sendable func act(req: Request) async throws -> CaseDetail {
        let actor = try req.requireActor()
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        guard let action = req.parameters.get("action").flatMap(CaseAction.init(rawValue:)) else {
            throw AppError.validation("action", zh: "未知的操作", en: "Unknown action")
        }
        let input = req.body.data == nil ? CaseActionInput() : try req.content.decode(CaseActionInput.self)
        try await CasesWorkflow.perform(id, action, input, writer: WriteContext(actor, req), deadlines: Self.deadlines(req), on: req.db)
        guard let detail = try await CasesQueries.detail(id, for: actor, now: req.now, on: req.db) else { throw CasesService.notFound }
        return detail.noting(req.application.services.calendar)
    }

    @Sendable func report(req: Request) async throws -> HTTPStatus {
        try await CasesSupervision.report(
            CaseID(try req.pathID(notFound: CasesService.notFound)), text: try req.content.decode(CaseReportInput.self).report,
            writer: WriteContext(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func supervise(req: Request) async throws -> HTTPStatus {
        try await CasesSupervision.supervise(
            CaseID(try req.pathID(notFound: CasesService.notFound)), note: try req.content.decode(CaseSuperviseInput.self).note,
            writer: WriteContext(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func followUp(req: Request) async throws -> HTTPStatus {
        try await CasesSupervision.followUp(
            CaseID(try req.pathID(notFound: CasesService.notFound)), try req.content.decode(CaseFollowUpInput.self),
            writer: WriteContext(try req.requireActor(), req), deadlines: Self.deadlines(req), on: req.db)
        return .created
    }

    @Sendable func bindDepartment(req: Request) async throws -> HTTPStatus {
        struct Input: Decodable { var department: String? }
        try await CasesSupervision.bind(
            username: req.parameters.get("username") ?? "", department: try req.content.decode(Input.self).department,
            writer: WriteContext(try req.requireActor(), req), on: req.db)
        return .noContent
    }

    @Sendable func indicators(req: Request) async throws -> CaseIndicatorReport {
        let actor = try req.requireActor()
        struct Query: Decodable { var year: Int?; var by: String? }
        let q = try req.query.decode(Query.self)
        let year = q.year ?? CivilDate(req.now, in: .shanghai).year
        guard (2000...2100).contains(year) else { throw AppError.validation("year", zh: "年份无效", en: "Invalid year") }
        let grouping = try CaseIndicatorGrouping(rawValue: q.by ?? "department").orThrow(
            AppError.validation("by", zh: "分组应为 department、category、node 或 month", en: "by is department, category, node or month"))
        return try await CasesIndicatorQueries.report(
            year: year, by: grouping, actor: actor, calendar: req.application.services.calendar, now: req.now, on: req.db)
    }

    @Sendable func projects(req: Request) async throws -> [CaseProjectProgress] {
        try await CasesIndicatorQueries.projects(actor: try req.requireActor(), on: req.db)
    }
}

extension Optional {
    /// The value, or the error.
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
