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
        /// 代办: a household member's person id, or empty for oneself.
        var on_behalf_of: String? = nil
    }
    struct ActionForm: Content {
        var reason: String?; var department: String?; var co_departments: [String]?; var days: String?; var primary_id: String?
        var verdict: String?; var resolved: String?
    }
    struct NoteForm: Content {
        var note: String?; var report: String?; var method: String?; var reached: String?; var verdict: String?; var resolved: String?
    }
    struct CategoryForm: Content { var category_code: String?; var reason: String? }
    typealias Failure = CasesViews.FormFailure

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
        staff.post(.cases(.category(.key)), use: recategorise)
        staff.post(.cases(.project(.key)), use: linkProject)
        try CasesCataloguePages().boot(routes: routes)
    }

    /// The list the caller works from: staff the dispatcher's board (filters, search, count,
    /// pages), a department its inbox (the same), everybody else their own requests. A filter that
    /// cannot be read answers 422 with the board, the sentence beside the filter and no rows.
    @Sendable func index(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let params = try req.query.decode(CaseBoardParams.self)
        var model = CasesViews.BoardModel(role: actor.role, params: params)
        do {
            let (filter, page) = try await CasesBoard.filter(params, paging: .page, now: req.now, on: req.db)
            let result = try await CasesQueries.board(filter, visibility: CasesQueries.visible(actor), now: req.now, on: req.db)
            (model.page, model.total, model.cases) = (page, result.total, result.cases)
        } catch let error as AppError where error.status == .unprocessableEntity {
            model.error = error
        }
        if actor.role == .departmentHandler { model.department = try await CasesQueries.department(of: actor.accountID, on: req.db) }
        if model.showsFilters {
            model.categories = try await CasesQueries.categories(on: req.db)
            model.areas = try await CasesQueries.areas(in: actor.scope, on: req.db)
            // A link may name a node the select does not offer (the dashboard's drill-down): offer it too.
            if let code = (params.area?.nilIfEmpty ?? params.node)?.nilIfEmpty, !model.areas.contains(where: { $0.code == code }),
                let named = try await CasesQueries.area(code: code, on: req.db)
            {
                model.areas.append(named)
            }
        }
        return CasesViews.board(model, ctx: req.pageContext, status: model.error == nil ? .ok : .unprocessableEntity)
    }

    @Sendable func newCase(req: Request) async throws -> Response {
        try await renderNew(req, form: nil, error: nil)
    }

    func renderNew(_ req: Request, form: CaseForm?, error: AppError?) async throws -> Response {
        let actor = try req.requireActor()
        let proxies =
            actor.role == .resident ? try await Proxies.overview(for: actor, today: CivilDate(req.now, in: .shanghai), on: req.db).links : []
        return CasesViews.newCase(
            categories: try await CasesQueries.categories(on: req.db), staff: actor.role.isGridStaff, proxies: proxies,
            form: form, error: error, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(CaseForm.self)
        let channel = actor.role.isGridStaff ? form.channel : Self.ownChannel(actor.role).rawValue
        let input = CaseIntakeInput(
            channel: channel, category_code: form.category_code, description: form.description,
            node: form.node?.nilIfEmpty, address: form.address, submitter_name: form.submitter_name,
            submitter_phone: form.submitter_phone, on_behalf_of: form.on_behalf_of.flatMap(UUID.init(uuidString:)), source_ref: form.source_ref)
        if let text = form.on_behalf_of, !text.isEmpty, UUID(uuidString: text) == nil {
            return try await renderNew(req, form: form, error: AppError.validation("on_behalf_of", zh: "请选择为谁反映", en: "Choose who it is for"))
        }
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
        try await render(req, id: CaseID(try req.pathID(notFound: CasesService.notFound)), failure: nil)
    }

    /// The case page, with a failed form's errors and typed values when there is one.
    func render(_ req: Request, id: CaseID, failure: Failure?) async throws -> Response {
        let actor = try req.requireActor()
        guard let detail = try await CasesQueries.detail(id, for: actor, now: req.now, on: req.db)?.noting(req.application.services.calendar) else {
            throw CasesService.notFound
        }
        let state = detail.summary.state
        var extras = CasesViews.DetailExtras(failure: failure)
        if actor.role.isGridStaff {
            if [.reported, .filed].contains(state) {
                extras.duplicates = try await CasesQueries.duplicates(of: id, visibility: CasesQueries.visible(actor), now: req.now, on: req.db)
            }
            extras.departments = try await CasesQueries.departments(on: req.db)
            if state.isOpen { extras.categories = try await CasesQueries.categories(on: req.db) }
            extras.projects = try await CasesQueries.projectChoices(for: actor, on: req.db)
            extras.project = try await CasesQueries.project(of: id, visibleTo: actor, on: req.db)
        }
        if actor.role == .departmentHandler, let mine = try await CasesQueries.department(of: actor.accountID, on: req.db) {
            extras.coReportPending = detail.assignments.contains { $0.active && !$0.lead && $0.department_code == mine.code && $0.report == nil }
        }
        return CasesViews.detail(
            detail, role: actor.role, extras: extras, ctx: req.pageContext, status: failure?.error.status ?? .ok)
    }

    @Sendable func act(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let form = try req.content.decode(ActionForm.self)
        let word = req.parameters.get("action") ?? ""
        do {
            guard let action = CaseAction(rawValue: word) else {
                throw AppError(.unprocessableEntity, code: "validation", zh: "没有这个操作，请刷新页面后重试", en: "There is no such action; reload the page")
            }
            let input = CaseActionInput(
                reason: form.reason, department: form.department?.nilIfEmpty, co_departments: form.co_departments,
                days: form.days.flatMap { Int($0) }, primary_id: form.primary_id.flatMap(CaseID.init(uuidString:)),
                verdict: form.verdict?.nilIfEmpty, resolved: form.resolved.map { $0 == "yes" })
            try await CasesWorkflow.perform(
                id, action, input, writer: WriteContext(actor, req), deadlines: CasesController.deadlines(req), on: req.db)
            return req.redirect(to: SiteURL.cases(.detail(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict, .forbidden].contains(error.status) {
            let typed = [
                "reason": form.reason ?? "", "department": form.department ?? "",
                "co_departments": (form.co_departments ?? []).joined(separator: ","), "days": form.days ?? "", "verdict": form.verdict ?? ""
            ]
            return try await render(req, id: id, failure: Failure(form: word, values: typed, error: error))
        }
    }

    /// 改类别 from the case page: back to the case, or the case again with the form's errors.
    @Sendable func recategorise(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let form = try req.content.decode(CategoryForm.self)
        return try await attempt(
            req, id, form: CasesService.recategoriseAction, typed: ["category_code": form.category_code ?? "", "reason": form.reason ?? ""]
        ) {
            try await CasesService.recategorise(
                id, CaseRecategoriseInput(category_code: form.category_code, reason: form.reason),
                writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func report(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let form = try req.content.decode(NoteForm.self)
        return try await attempt(req, id, form: "report", typed: ["report": form.report ?? ""]) {
            try await CasesSupervision.report(id, text: form.report, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func supervise(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let form = try req.content.decode(NoteForm.self)
        return try await attempt(req, id, form: "supervise", typed: ["note": form.note ?? ""]) {
            try await CasesSupervision.supervise(id, note: form.note, writer: WriteContext(try req.requireActor(), req), on: req.db)
        }
    }

    @Sendable func followUp(req: Request) async throws -> Response {
        let id = CaseID(try req.pathID(notFound: CasesService.notFound))
        let form = try req.content.decode(NoteForm.self)
        return try await attempt(req, id, form: "followup", typed: ["note": form.note ?? "", "verdict": form.verdict ?? ""]) {
            let input = CaseFollowUpInput(
                method: form.method, reached: form.reached.map { $0 == "yes" }, verdict: form.verdict?.nilIfEmpty,
                resolved: form.resolved.map { $0 == "yes" }, note: form.note)
            try await CasesSupervision.followUp(
                id, input, writer: WriteContext(try req.requireActor(), req), deadlines: CasesController.deadlines(req), on: req.db)
        }
    }

    /// Runs a form's write and goes back to the case; on a 422 or 409 shows the case again with
    /// the form `name`'s errors beside its fields and what was `typed`.
    func attempt(
        _ req: Request, _ id: CaseID, form name: String, typed: [String: String], _ body: () async throws -> Void
    ) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: SiteURL.cases(.detail(.value(id))))
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await render(req, id: id, failure: Failure(form: name, values: typed, error: error))
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
