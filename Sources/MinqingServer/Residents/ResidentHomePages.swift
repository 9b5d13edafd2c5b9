import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The resident's home: `/` for a signed-in resident (`HomePages` hands it over) and its JSON twin
/// `GET /api/v1/me/home`.
package struct ResidentHomePages: RouteCollection {
    package func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireSignIn(), RequireRole(.resident)).get("api", "v1", "me", "home", use: api)
    }

    @Sendable func api(req: Request) async throws -> ResidentHome {
        try await ResidentHome.load(for: try req.requireActor(), now: req.now, on: req.db)
    }

    static func page(req: Request, actor: Actor) async throws -> Response {
        let home = try await ResidentHome.load(for: actor, now: req.now, on: req.db)
        return ResidentHomeViews.page(
            home, name: actor.displayName, welcome: req.query[String.self, at: "welcome"] == "1", ctx: req.pageContext)
    }
}

extension ResidentHomePages {
    /// The page's HTML as `actor` sees it, in Chinese (minqing-bench's `residents.home`); its size in bytes.
    package static func rendered(for actor: Actor, now: Date, on db: any Database) async throws -> Int {
        let home = try await ResidentHome.load(for: actor, now: now, on: db)
        let ctx = PageContext(lang: .zh, user: actor.shellUser, csrf: "bench", path: "/")
        return ResidentHomeViews.page(home, name: actor.displayName, welcome: false, ctx: ctx).body.count
    }
}
