import Foundation
import MinqingDomain
import Plot
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

extension PageParts {
    /// The button that switches the account's pages to large, high-contrast type (适老化), or back;
    /// after it the browser returns to `back`.
    static func displaySwitch(_ ctx: PageContext, back: String) -> Node<HTML.BodyContext> {
        let large = ctx.user?.largeText == true
        return .form(
            .class("inline"), .id("display-form"), .method(.post), .action(SiteURL.account(.display).path),
            Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("large_text"), .value(large ? "off" : "on")),
            .input(.type(.hidden), .name("back"), .value(back.attributeSafe)),
            .button(
                .type(.submit), .id("display-switch"),
                .text(large ? T("恢复标准字号", "Standard type")(ctx.lang) : T("大字模式（字大、对比强）", "Large type, high contrast")(ctx.lang))))
    }
}
