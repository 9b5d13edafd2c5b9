import Fluent
import Foundation
import MinqingDomain
import Plot
import Vapor

/// Pages of the case loop: the resident's "my requests" and 要留言 form, the intake desk and the
/// dispatcher's board (staff), the department's inbox, the supervision view with overdue marks,
/// a case's page with its timeline and the forms its caller may use, and the indicators. Every
/// form carries the CSRF token; a refused action shows the case again with the reason.
struct CasesPages: RouteCollection {
    struct CaseForm: Content {
        var channel: String?; var category_code: String?; var description: String?; var node: String?; var address: String?
        var submitter_name: String?; var submitter_phone: String?; var source_ref: String?
    }
    struct ActionForm: Content {
        var reason: String?; var department: String?; var co_departments: [String]?; var days: String?; var primary_id: String?
        var verdict: String?; var resolved: String?
    }
    struct NoteForm: Content {
        var note: String?; var report: String?; var method: String?; var reached: String?; var verdict: String?; var resolved: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn())
        let staff = pages.grouped(RequireRole(CasesQueries.dispatchers))
        pages.get(.cases(.index), use: index)
        pages.get(.cases(.new), use: newCase)
        pages.post(.cases(.new), use: create)
        staff.get(.cases(.supervision), use: supervision)
        staff.get(.cases(.indicators), use: indicators)
        pages.get(.cases(.detail(.key)), use: show)
        pages.post(.cases(.action(.key, .key)), use: act)
        pages.grouped(RequireRole(.departmentHandler)).post(.cases(.report(.key)), use: report)
        pages.grouped(RequireRole(CasesQueries.supervisors)).post(.cases(.supervise(.key)), use: supervise)
        staff.post(.cases(.followup(.key)), use: followUp)
    }

    /// The list the caller works from: staff the board (intake desk first), a department its
    /// inbox, everybody else their own requests.
    @Sendable func index(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let filter = try await CasesController.filter(req)
        let cases = try await CasesQueries.list(filter, visibility: CasesQueries.visible(actor), now: req.now, on: req.db)
        let department = actor.role == .departmentHandler ? try await CasesQueries.department(of: actor.accountID, on: req.db) : nil
        return CasesViews.index(cases, role: actor.role, department: department, states: filter.states, ctx: req.pageContext)
    }

    @Sendable func newCase(req: Request) async throws -> Response {
        try await renderNew(req, form: nil, error: nil)
    }

    func renderNew(_ req: Request, form: CaseForm?, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        return CasesViews.newCase(
            categories: try await CasesQueries.categories(on: req.db), staff: actor.role.isGridStaff,
            form: form, error: error, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(CaseForm.self)
        let channel = actor.role.isGridStaff ? form.channel : Self.ownChannel(actor.role).rawValue
        let input = CaseIntakeInput(
            channel: channel, category_code: form.category_code, description: form.description,
            node: form.node?.nilIfEmpty, address: form.address, submitter_name: form.submitter_name,
            submitter_phone: form.submitter_phone, source_ref: form.source_ref)
        do {
            let result = try await CasesService.submit(
                input, by: .account(actor), services: req.services, now: req.now,
                address: req.clientAddress, on: req.db)
            return req.redirect(to: SiteURL.cases(.detail(.value(result.id))).path([("new", "1")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderNew(req, form: form, error: error)
        }
    }

    /// The channel of a case handed in by its own submitter.
    static func ownChannel(_ role: Role) -> CaseChannel {
        switch role {
        case .volunteer: .volunteer
        case .propertyCompany, .ownersCommittee: .unit
        case .departmentHandler: .cityPlatform
        default: .residentMessage
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await render(req, id: CaseID(try req.pathID(notFound: CasesService.notFound)), error: nil)
    }

    func render(_ req: Request, id: CaseID, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await CasesQueries.detail(id, for: actor, now: req.now, on: req.db) else { throw CasesService.notFound }
        let state = detail.summary.state
        let duplicates =
            actor.role.isGridStaff && [.reported, .filed].contains(state)
            ? try await CasesQueries.duplicates(of: id, visibility: CasesQueries.visible(actor), now: req.now, on: req.db) : []
        let departments = actor.role.isGridStaff ? try await CasesQueries.departments(on: req.db) : []
        var coPending = false
        if actor.role == .departmentHandler, let mine = try await CasesQueries.department(of: actor.accountID, on: req.db) {
            coPending = detail.assignments.contains { $0.active && !$0.lead && $0.department_code == mine.code && $0.report == nil }
        }
        return CasesViews.detail(
            detail, role: actor.role, duplicates: duplicates, departments: departments, coReportPending: coPending,
            error: error, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func act(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let form = try req.content.decode(ActionForm.self)
        do {
            guard let action = req.parameters.get("action").flatMap(CaseAction.init(rawValue:)) else {
                throw AppError.validation("action", zh: "未知的操作", en: "Unknown action")
            }
            let input = CaseActionInput(
                reason: form.reason, department: form.department?.nilIfEmpty, co_departments: form.co_departments,
                days: form.days.flatMap { Int($0) }, primary_id: form.primary_id.flatMap(CaseID.init(uuidString:)),
                verdict: form.verdict?.nilIfEmpty, resolved: form.resolved.map { $0 == "yes" })
            try await CasesWorkflow.perform(
                id, action, input, writer: WriteContext(actor, req), deadlines: CasesController.deadlines(req), on: req.db)
            return req.redirect(to: SiteURL.cases(.detail(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict, .forbidden].contains(error.status) {
            return try await render(req, id: id, error: error)
        }
    }

    @Sendable func report(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        return try await attempt(req, id) {
            try await CasesSupervision.report(
                id, text: try req.content.decode(NoteForm.self).report, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func supervise(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        return try await attempt(req, id) {
            try await CasesSupervision.supervise(
                id, note: try req.content.decode(NoteForm.self).note, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func followUp(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        return try await attempt(req, id) {
            let form = try req.content.decode(NoteForm.self)
            let input = CaseFollowUpInput(
                method: form.method, reached: form.reached.map { $0 == "yes" }, verdict: form.verdict?.nilIfEmpty,
                resolved: form.resolved.map { $0 == "yes" }, note: form.note)
            try await CasesSupervision.followUp(
                id, input, writer: WriteContext(try req.requireActor(), req), deadlines: CasesController.deadlines(req), on: req.db)
        }
    }

    private func attempt(_ req: Request, _ id: CaseID, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: SiteURL.cases(.detail(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await render(req, id: id, error: error)
        }
    }

    /// Overdue and supervised cases, after the clock's escalation pass (idempotent, so a read may run it).
    @Sendable func supervision(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await CasesSupervision.escalateOverdue(now: req.now, on: req.db)
        let visibility = CasesQueries.visible(actor)
        let overdue = try await CasesQueries.list(CaseListFilter(overdueAt: req.now, limit: 200), visibility: visibility, now: req.now, on: req.db)
        let supervised = try await CasesQueries.list(
            CaseListFilter(open: true, supervisedOnly: true, limit: 200), visibility: visibility,
            now: req.now, on: req.db)
        return CasesViews.supervision(overdue: overdue, supervised: supervised, ctx: req.pageContext)
    }

    @Sendable func indicators(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Query: Decodable { var year: Int?; var by: String? }
        let q = try req.query.decode(Query.self)
        let year = min(max(q.year ?? CivilDate(req.now, in: .shanghai).year, 2000), 2100)
        let grouping = CaseIndicatorGrouping(rawValue: q.by ?? "department") ?? .department
        let report = try await CasesIndicatorQueries.report(
            year: year, by: grouping, actor: actor, calendar: req.application.services.calendar,
            now: req.now, on: req.db)
        let projects = try await CasesIndicatorQueries.projects(actor: actor, on: req.db)
        return CasesViews.indicators(report, projects: projects, ctx: req.pageContext)
    }
}
