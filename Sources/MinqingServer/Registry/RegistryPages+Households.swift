import Foundation
import MinqingDomain
import Vapor

/// The register's writes on households from the pages: a new household from a node page
/// (`RegistryService.createHousehold`), a person added to a household, born into it or moving in
/// (`RegistryService.addMember`), and the residents of a node as CSV (the export of
/// `POST /api/v1/registry/export/persons`). The same services as the API, so the same roles,
/// scope and checks; a form that fails comes back as typed, ID and mobile numbers included (only
/// to the person who typed them, in this one answer, never stored or logged as typed).
extension RegistryPages {
    /// The node (inside the caller's scope, else 404) and the building groups a household can go to.
    static func newHouseholdModel(_ req: Request, actor: Actor) async throws -> RegistryViews.NewHouseholdModel {
        guard let node = try await GridQueries.node(code: req.parameters.get("code") ?? "", in: actor.scope, on: req.db) else {
            throw Self.nodeNotFound
        }
        let crumbs = try await GridQueries.breadcrumb(to: node, in: actor.scope, on: req.db)
        var groups: [RegistryQueries.BuildingGroupChoice] = []
        if node.level >= RegistryViews.NewHouseholdModel.lowestListingLevel {
            let most = RegistryViews.NewHouseholdModel.maxGroups
            groups = try await RegistryQueries.buildingGroups(under: node, in: actor.scope, limit: most + 1, on: req.db)
            if groups.count > most { groups = [] }
        }
        return RegistryViews.NewHouseholdModel(node: node, crumbs: crumbs, groups: groups, today: CivilDate.today(now: req.now))
    }

    @Sendable func newHousehold(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return RegistryViews.newHousehold(try await Self.newHouseholdModel(req, actor: actor), ctx: req.pageContext)
    }

    /// Saves the household, or with "one more member" shows the form again with a row added.
    @Sendable func createHousehold(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        var model = try await Self.newHouseholdModel(req, actor: actor)
        let fields = try req.content.decode(RegistryViews.NewHouseholdFields.self)
        model.fields = fields
        model.rows = fields.rows
        if fields.more != nil {
            if model.rows.count < 30 { model.rows.append(RegistryViews.MemberRow(residence_status: ResidenceStatus.registered.rawValue)) }
            return RegistryViews.newHousehold(model, ctx: req.pageContext)
        }
        do {
            let id = try await RegistryService.createHousehold(
                .init(node: fields.node, address: fields.address, moved_in_on: fields.moved_in_on, members: model.rows.map(\.member)),
                writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
            return req.redirect(to: SiteURL.registry(.household(.value(id))).path([("done", "household")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            model.error = error
            return RegistryViews.newHousehold(model, ctx: req.pageContext, status: error.status)
        }
    }

    /// A person born into or moving into the household.
    @Sendable func addMember(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(RegistryViews.MemberFields.self)
        let household = req.parameters.get("id", as: UUID.self).map { HouseholdID($0) }
        do {
            _ = try await RegistryService.addMember(
                fields.input, household: household, writer: WriteContext(actor, req), vault: req.services.vault, on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            var model = try await Self.householdModel(req, actor: actor)
            model.memberForm = fields
            model.error = error
            var ctx = req.pageContext
            ctx.path = SiteURL.registry(.household(.value(model.household.id))).path
            return RegistryViews.household(model, ctx: ctx, status: error.status)
        }
        // `RegistryService.addMember` answered 404 for a missing household, so it is set here.
        guard let household else { throw Self.householdNotFound }
        return req.redirect(to: SiteURL.registry(.household(.value(household))).path([("done", "member")]) + "#members", redirectType: .normal)
    }

    /// The CSV of the residents under the node, through the API's own steps (the role check for
    /// plain numbers, the stated purpose, `RegistryTransferController.respond`); the node page
    /// again with the purpose's sentences when it is missing.
    @Sendable func exportPersons(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(RegistryViews.ExportFields.self)
        let plain = fields.plain == "1"
        if plain, !actor.role.mayRevealPersonalNumbers { throw AppError.forbidden }
        do {
            let stated = plain ? try StatedPurpose.required(purpose: fields.purpose, detail: fields.purpose_detail) : nil
            return try await RegistryTransferController.respond(
                req, actor: actor, node: req.parameters.get("code") ?? "", plain: plain, purpose: stated,
                lang: fields.lang.flatMap(Lang.init(rawValue:)) ?? req.fileLang)
        } catch let error as AppError where error.status == .unprocessableEntity {
            var model = try await Self.nodeModel(req, actor: actor)
            model.export = fields
            model.exportError = error
            var ctx = req.pageContext
            ctx.path = SiteURL.registry(.node(.value(model.node.code))).path
            return RegistryViews.node(model, ctx: ctx, status: .unprocessableEntity)
        }
    }
}
