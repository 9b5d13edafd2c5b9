import Foundation
import MinqingDomain
import Vapor

/// 适老化 (issue 22 item 5): an account switches its pages to large, high-contrast type and back
/// (`POST /account/display`, the button on every home page), remembered with the account; the
/// JSON twin is `POST /api/v1/me/display`.
struct DisplayPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RequireSignIn())
        signedIn.post(.account(.display), use: switchForm)
        signedIn.post("api", "v1", "me", "display", use: set)
    }

    struct Form: Content { var large_text: String?; var back: String? }
    struct Input: Content { var large_text: Bool? }
    struct Display: Content { var large_text: Bool }

    @Sendable func switchForm(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(Form.self)
        try await AccountQueries.setLargeText(actor.accountID, form.large_text == "on", now: req.now, on: req.db)
        return req.redirect(to: safeLocalPath(form.back) ?? SiteURL.home.path, redirectType: .normal)
    }

    @Sendable func set(req: Request) async throws -> Display {
        let actor = try req.requireActor()
        guard let on = try req.content.decode(Input.self).large_text else {
            throw AppError.validation("large_text", zh: "请选择是否使用大字模式。", en: "Say whether to use large type.")
        }
        try await AccountQueries.setLargeText(actor.accountID, on, now: req.now, on: req.db)
        return Display(large_text: on)
    }
}
