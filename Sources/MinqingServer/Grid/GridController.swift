import MinqingDomain
import Vapor

/// JSON API of the grid tree, inside the caller's subtree.
struct GridController: RouteCollection {
    static let staffRoles: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))

    func boot(routes: any RoutesBuilder) throws {
        let grid = routes.grouped("api", "v1", "grid").grouped(RequireSignIn(), RequireRole(Self.staffRoles))
        grid.get("scope", use: scope)
        grid.get("nodes", ":code", use: node)
    }

    struct NodeView: Content, Equatable {
        var code: String; var name: String; var level: String; var level_name: String; var level_name_en: String; var depth: Int
        init(_ node: GridNodeSummary) {
            code = node.code; name = node.name; level = node.level.rawValue
            level_name = node.level.nameZH; level_name_en = node.level.nameEN; depth = node.depth
        }
    }
    struct ChildView: Content { var node: NodeView; var descendants: Int; var building_groups: Int }
    struct NodeDetail: Content { var node: NodeView; var breadcrumb: [NodeView]; var children: [ChildView] }
    struct ScopeView: Content { var root: NodeView; var counts: [String: Int] }

    @Sendable func scope(req: Request) async throws -> ScopeView {
        let actor = try req.requireActor()
        guard let root = try await GridQueries.node(id: actor.scope.rootID, on: req.db) else { throw AppError.notFound() }
        let counts = try await GridQueries.levelCounts(in: actor.scope, on: req.db)
        return ScopeView(root: NodeView(root), counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }

    @Sendable func node(req: Request) async throws -> NodeDetail {
        let actor = try req.requireActor()
        let code = req.parameters.get("code") ?? ""
        guard let node = try await GridQueries.node(code: code, in: actor.scope, on: req.db) else {
            throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
        }
        let crumbs = try await GridQueries.breadcrumb(to: node, in: actor.scope, on: req.db)
        let children = try await GridQueries.children(of: node, in: actor.scope, on: req.db)
        return NodeDetail(
            node: NodeView(node), breadcrumb: crumbs.map(NodeView.init),
            children: children.map { ChildView(node: NodeView($0.node), descendants: $0.descendants, building_groups: $0.buildingGroups) })
    }
}
