import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 居民账号关联户 at the desk: a resident who signed up comes to the neighbourhood office; the
/// worker finds their account in the list of resident accounts in scope (those not yet linked
/// first, by name or username), opens it and picks the household from those registered at the
/// resident's building group, by address. The link goes through `VisitSettingsService.linkResident`,
/// the service of `PUT /api/v1/visits/residents/{username}/household`.
extension VisitsPages {
    struct ResidentForm: Content, Sendable { var household_id: String? }

    /// At most this many households of a building group on the form; a larger group is narrowed
    /// by address.
    static let householdChoices = 200

    @Sendable func residents(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard VisitSettingsService.linksResidents(actor.role) else { throw AppError.forbidden }
        let page = RegistryPages.pageNumber(req)
        let size = RegistryPages.pageSize
        let text = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(50))
        let unlinked = req.query[String.self, at: "unlinked"] == "1"
        let rows = try await VisitsQueries.residentAccounts(
            matching: text, unlinkedOnly: unlinked, in: actor.scope, limit: size, offset: (page - 1) * size, on: req.db)
        let model = VisitsViews.ResidentsModel(
            rows: rows, total: rows.first?.total ?? 0, page: page, pageSize: size, query: text, unlinkedOnly: unlinked)
        return VisitsViews.residents(model, ctx: req.pageContext)
    }

    @Sendable func resident(req: Request) async throws -> Response {
        try await renderResident(req, actor: try req.requireActor())
    }

    /// A resident account inside the caller's scope (404 outside it) with the households of its
    /// building group to choose from; `q` narrows them by address.
    func renderResident(_ req: Request, actor: Actor, form: ResidentForm? = nil, error: AppError? = nil) async throws -> Response {
        guard VisitSettingsService.linksResidents(actor.role) else { throw AppError.forbidden }
        let username = req.parameters.get("username") ?? ""
        guard let account = try await VisitsQueries.residentAccount(username: username, in: actor.scope, on: req.db) else {
            throw AppError.notFound("账号不存在或不在您的管辖范围内", "No such account in your scope")
        }
        let text = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(50))
        let households = try await VisitsQueries.households(
            at: account.grid_node_id, matching: text, in: actor.scope, limit: Self.householdChoices, on: req.db)
        let model = VisitsViews.ResidentModel(
            account: account, households: households, query: text, limit: Self.householdChoices,
            chosen: form?.household_id ?? account.household_id?.uuidString, error: error,
            saved: req.query[String.self, at: "saved"] != nil)
        var ctx = req.pageContext
        ctx.path = SiteURL.visits(.resident(.value(account.username))).path
        return VisitsViews.resident(model, ctx: ctx, status: error?.status ?? .ok)
    }

    @Sendable func linkResident(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let username = req.parameters.get("username") ?? ""
        let form = try req.content.decode(ResidentForm.self)
        let household = form.household_id.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        do {
            try await VisitSettingsService.linkResident(
                username: username, .init(household_id: household), writer: WriteContext(actor, req), on: req.db)
            return req.redirect(to: SiteURL.visits(.resident(.value(username.lowercased()))).path([("saved", "1")]), redirectType: .normal)
        } catch {
            return try await renderResident(req, actor: actor, form: form, error: try Self.formFailure(error))
        }
    }
}
