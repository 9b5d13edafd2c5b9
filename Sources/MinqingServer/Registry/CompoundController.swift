import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Compounds (小区) in the JSON API and as pages: the six types of Guang'an's 6543 with their
/// governance goal, buildings, dwellings with their areas, flags and owners (the owners'
/// voting counts from these). Everything is read inside the caller's subtree.
struct CompoundController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "registry", "compounds").grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        api.get(use: list)
        api.get(":id", use: detail)
        api.get(":id", "dwellings", use: dwellings)
        let pages = routes.grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        pages.get(.registry(.compounds), use: listPage)
        pages.get(.registry(.compound(.key)), use: compoundPage)
    }

    static let notFound = AppError.notFound("小区不存在或不在您的管辖范围内", "No such compound in your scope")

    /// The caller's scope, or the node `?node=CODE` inside it.
    static func scope(_ req: Request, actor: Actor) async throws -> (GridScope, GridNodeSummary?) {
        guard let code = req.query[String.self, at: "node"], !code.isEmpty else { return (actor.scope, nil) }
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: req.db) else { throw RegistryPages.nodeNotFound }
        return (GridQueries.scope(rootedAt: node), node)
    }

    @Sendable func list(req: Request) async throws -> [CompoundQueries.CompoundRow] {
        let actor = try req.requireActor()
        let (scope, _) = try await Self.scope(req, actor: actor)
        return try await CompoundQueries.compounds(in: scope, on: req.db)
    }

    struct Detail: Content {
        var compound: CompoundQueries.CompoundRow
        var buildings: [CompoundQueries.BuildingRow]
    }

    static func compound(_ req: Request, actor: Actor) async throws -> CompoundQueries.CompoundRow {
        guard let id = req.parameters.get("id", as: UUID.self),
            let compound = try await CompoundQueries.compound(id: id, in: actor.scope, on: req.db)
        else { throw Self.notFound }
        return compound
    }

    @Sendable func detail(req: Request) async throws -> Detail {
        let actor = try req.requireActor()
        let compound = try await Self.compound(req, actor: actor)
        return Detail(compound: compound, buildings: try await CompoundQueries.buildings(of: compound.id, in: actor.scope, on: req.db))
    }

    @Sendable func dwellings(req: Request) async throws -> CompoundQueries.DwellingPage {
        let actor = try req.requireActor()
        let compound = try await Self.compound(req, actor: actor)
        return try await CompoundQueries.dwellings(
            of: compound.id, in: actor.scope, limit: try Paging.limit(req),
            offset: try Paging.offset(req), on: req.db)
    }

    // MARK: pages

    @Sendable func listPage(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let (scope, node) = try await Self.scope(req, actor: actor)
        let compounds = try await CompoundQueries.compounds(in: scope, on: req.db)
        let crumbs = try await RegistryPages.crumbs(to: node?.code ?? actor.scope.rootCode, actor: actor, on: req.db)
        return CompoundViews.list(
            .init(scopeName: node?.name ?? actor.scope.rootName, crumbs: crumbs, compounds: compounds),
            ctx: req.pageContext)
    }

    @Sendable func compoundPage(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let compound = try await Self.compound(req, actor: actor)
        let page = RegistryPages.pageNumber(req)
        let buildings = try await CompoundQueries.buildings(of: compound.id, in: actor.scope, on: req.db)
        let dwellings = try await CompoundQueries.dwellings(
            of: compound.id, in: actor.scope, limit: RegistryPages.pageSize,
            offset: (page - 1) * RegistryPages.pageSize, on: req.db)
        let crumbs = try await RegistryPages.crumbs(to: compound.grid_code, actor: actor, on: req.db)
        return CompoundViews.compound(
            .init(compound: compound, crumbs: crumbs, buildings: buildings, dwellings: dwellings, page: page),
            ctx: req.pageContext)
    }
}
