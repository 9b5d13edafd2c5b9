import Fluent
import Foundation
import MinqingDomain
import Vapor

/// `/dashboard` (社区大脑): the whole dashboard of a node inside the caller's scope, grouped by
/// the five domains, and `/dashboard/panels/{panel}`, one report on its own for printing. Grid
/// staff only; `node` and `year` as in the JSON API.
package struct DashboardPages: RouteCollection {
    package func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(DashboardController.viewers))
        pages.get(.dashboard(.index), use: page)
        pages.get(.dashboard(.panel(.key)), use: panel)
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await Self.page(
            try await DashboardController.context(req), page: req.pageContext, on: req.db, spread: { [app = req.application] in app.db })
    }

    /// The whole dashboard of `ctx`: the panels side by side, each card rendered in its panel's
    /// task (the bench's `dashboard.page` measures this).
    package static func page(
        _ ctx: DashboardContext, page: PageContext, on db: any Database, spread: @escaping @Sendable () -> any Database
    ) async throws -> Response {
        let (code, year, lang) = (ctx.node.code, ctx.year, page.lang)
        let (report, cards) = try await DashboardQueries.report(
            ctx, on: db, spread: spread, each: { DashboardViews.card($0, code, year, lang) })
        return DashboardViews.page(report, cards: cards, ctx: page)
    }

    @Sendable func panel(req: Request) async throws -> Response {
        let id = try DashboardController.panelID(req)
        let ctx = try await DashboardController.context(req)
        let panel = try await DashboardQueries.panel(id, ctx, on: req.db)
        let crumbs = try await GridQueries.breadcrumb(to: ctx.node, in: ctx.callerScope, on: req.db)
        let report = DashboardReport(
            node: DashboardNode(code: ctx.node.code, name: ctx.node.name, level: ctx.node.level),
            breadcrumb: crumbs.map { DashboardNode(code: $0.code, name: $0.name, level: $0.level) },
            year: ctx.year, generated_at: ctx.now, panels: [panel])
        return DashboardViews.single(panel, report: report, ctx: req.pageContext)
    }
}
