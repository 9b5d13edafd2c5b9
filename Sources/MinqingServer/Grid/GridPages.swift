import MinqingDomain
import Plot
import Vapor

/// The grid browser: the caller's subtree, one node at a time, with a breadcrumb.
struct GridPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(GridController.staffRoles))
        pages.get(.grid(.index), use: root)
        pages.get(.grid(.node(.key)), use: node)
    }

    @Sendable func root(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return req.redirect(to: SiteURL.grid(.node(.value(actor.scope.rootCode))))
    }

    @Sendable func node(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let node = try await GridQueries.node(code: req.parameters.get("code") ?? "", in: actor.scope, on: req.db) else {
            throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
        }
        let crumbs = try await GridQueries.breadcrumb(to: node, in: actor.scope, on: req.db)
        let children = try await GridQueries.children(of: node, in: actor.scope, on: req.db)
        let ctx = req.pageContext
        let lang = ctx.lang
        let levelName = { (level: GridLevel) in lang == .zh ? level.nameZH : level.nameEN }
        return Layout.render(
            ctx, title: node.name,
            .ol(
                .class("crumbs"),
                .forEach(crumbs) { crumb in
                    .li(
                        crumb.id == node.id
                            ? .text(crumb.name) : .a(.href(SiteURL.grid(.node(.value(crumb.code))).path.attributeSafe), .text(crumb.name)))
                }),
            .h1(.text(node.name), .text(" "), .span(.class("badge"), .text(levelName(node.level)))),
            .p(.class("muted mono"), .text("\(Texts.code(lang))：\(node.code)")),
            .if(
                !children.isEmpty,
                .div(
                    .class("table-wrap"),
                    .table(
                        .id("grid-children"),
                        .caption(.text(Texts.children(lang) + "（\(children.count)）")),
                        .thead(
                            .tr(
                                .th(.text(Texts.name(lang))), .th(.text(Texts.level(lang))), .th(.text(Texts.code(lang))),
                                .th(.class("num"), .text(T("下级节点", "Nodes below")(lang))),
                                .th(.class("num"), .text(T("楼组", "Building groups")(lang))))),
                        .tbody(
                            .forEach(children) { child in
                                .tr(
                                    .td(.a(.href(SiteURL.grid(.node(.value(child.node.code))).path.attributeSafe), .text(child.node.name))),
                                    .td(.text(levelName(child.node.level))),
                                    .td(.class("mono"), .text(child.node.code)),
                                    .td(.class("num"), .text("\(child.descendants)")),
                                    .td(.class("num"), .text("\(child.buildingGroups)")))
                            }))),
                else: .p(.class("muted"), .text(T("这是最末一级网格。", "This node has no children.")(lang))))
        )
    }
}
