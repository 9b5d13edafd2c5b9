import Foundation
import MinqingDomain
import Plot
import Vapor

/// Identity holds, JSON and page: `GET /api/v1/registry/identity-holds`,
/// `POST /api/v1/registry/identity-holds/:id/resolve`; `/registry/identity-holds` lists them with
/// one form each (PRG). For the roles that may reveal numbers, in their scope.
struct IdentityHoldsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reviewers = Set(Role.allCases.filter(IdentityHolds.reviews))
        let api = routes.grouped("api", "v1", "registry", "identity-holds").grouped(RequireSignIn(), RequireRole(reviewers))
        api.get(use: list)
        api.post(":id", "resolve", use: resolve)
        let pages = routes.grouped(RequireSignIn(), RequireRole(reviewers))
        pages.get(.registry(.identityHolds), use: page)
        pages.post(.registry(.identityHold(.key)), use: resolveForm)
    }

    struct Resolved: Content { var id: UUID; var status: IdentityHolds.Status }

    @Sendable func list(req: Request) async throws -> [IdentityHolds.Row] {
        try await IdentityHolds.open(for: try req.requireActor(), on: req.db)
    }

    @Sendable func resolve(req: Request) async throws -> Resolved {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound() }
        let input = try req.content.decode(IdentityHolds.Decision.self)
        let writer = WriteContext(actor, req)
        return Resolved(id: id, status: try await IdentityHolds.resolve(id, input, writer: writer, on: req.db))
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, failed: nil, status: .ok)
    }

    @Sendable func resolveForm(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound() }
        let input = try req.content.decode(IdentityHolds.Decision.self)
        let writer = WriteContext(actor, req)
        do {
            let status = try await IdentityHolds.resolve(id, input, writer: writer, on: req.db)
            return req.redirect(to: SiteURL.registry(.identityHolds).path + "?done=\(status.rawValue)", redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, failed: (id, error), status: error.status)
        }
    }

    func render(_ req: Request, failed: (UUID, AppError)?, status: HTTPStatus) async throws -> Response {
        let actor = try req.requireActor()
        let rows = try await IdentityHolds.open(for: actor, on: req.db)
        var ctx = req.pageContext
        ctx.path = SiteURL.registry(.identityHolds).path
        return IdentityHoldsView.render(rows, done: req.query[String.self, at: "done"], failed: failed, ctx: ctx, status: status)
    }
}

enum IdentityHoldsView {
    static func render(
        _ rows: [IdentityHolds.Row], done: String?, failed: (UUID, AppError)?, ctx: PageContext,
        status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let title = T("身份核验待办", "Identity checks")(lang)
        return Layout.render(
            ctx, title: title, status: status,
            .h1(.text(title)),
            .p(
                .class("muted"),
                .text(
                    T(
                        "以下居民或业主登记时填写的身份证号码，已属于您管辖范围内的另一条记录。请与登记人或本人核实后处理：同一人（已迁入对方处）时，原记录保留为迁出历史，号码转给新记录；不是同一人时，新记录标为号码未核实，由其所在居委核对证件。",
                        "The ID numbers of these new residents or owners already belong to another record in your scope. Check with whoever registered them, or the person: if it is the same person (moved there), the old record stays as history and the number passes to the new one; if not, the new record is marked unverified for its own staff to check against the document."
                    )(lang))),
            .if(done != nil, .p(.class("flash-ok"), .attribute(named: "role", value: "status"), .text(T("已处理。", "Done.")(lang)))),
            .if(rows.isEmpty, .p(.id("holds-empty"), .text(T("没有待核验的记录。", "Nothing waits for a check.")(lang)))),
            .forEach(rows) { row in card(row, error: failed?.0 == row.id ? failed?.1 : nil, ctx: ctx) })
    }

    static func card(_ row: IdentityHolds.Row, error: AppError?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let kind = (row.kind == .person ? T("居民", "Resident") : T("业主", "Owner"))(lang)
        let entered = LocalTime.short(row.submitted_at, year: true)
        let place: String = "\(row.new_name) \(row.new_id_masked ?? "") · \(row.new_grid_name) (\(row.new_grid_code))"
        let by: String = T("登记人 ", "by ")(lang)
        let newText: String = place + " · " + by + row.submitted_by + " · " + entered
        let existing: Node<HTML.BodyContext> =
            row.kind == .person
            ? .a(.href(SiteURL.registry(.person(.value(PersonID(row.existing_id)))).path.attributeSafe), .text(row.existing_name))
            : .text(row.existing_name)
        let id = row.id.uuidString
        let existingPlace: String = row.existing_grid_name.map { " · " + $0 } ?? ""
        let form = decisionForm(hold: row.id, error: error, ctx: ctx)
        return .div(
            .class("card"), .id("hold-\(id)"),
            .h2(.text(kind + "：" + row.new_name)),
            .p(.text(T("新登记：", "New: ")(lang) + newText)),
            .p(.text(T("已有记录：", "Existing: ")(lang)), existing, .text(existingPlace)),
            form)
    }

    static func decisionForm(hold: UUID, error: AppError?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let id = hold.uuidString
        let lang = ctx.lang
        let same: Node<HTML.FormContext> = .label(
            .class("chip"), .input(.type(.radio), .name("decision"), .value("same_person")),
            .text(T(" 同一人（已迁入新登记处）", " The same person (moved to the new place)")(lang)))
        let different: Node<HTML.FormContext> = .label(
            .class("chip"), .input(.type(.radio), .name("decision"), .value("different_person")),
            .text(T(" 不是同一人（号码有误）", " A different person (a wrong number)")(lang)))
        let noteLabel: String = T("说明（可选）", "Note (optional)")(lang)
        return .form(
            .method(.post), .action(SiteURL.registry(.identityHold(.value(hold))).path.attributeSafe), .class("stack"),
            Layout.csrfField(ctx.csrf),
            .p(.strong(.text(T("核实结果", "Result")(lang)))), same, different,
            fieldError(error, "decision", lang),
            .label(.for("note-\(id)"), .text(noteLabel)),
            .textarea(.id("note-\(id)"), .name("note"), .attribute(named: "maxlength", value: "500"), .text("")),
            fieldError(error, "note", lang),
            .button(.type(.submit), .text(T("确认", "Confirm")(lang))))
    }

    static func fieldError(_ error: AppError?, _ field: String, _ lang: Lang) -> Node<HTML.FormContext> {
        .forEach(error?.fields.filter { $0.field == field } ?? []) {
            .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN))
        }
    }
}
