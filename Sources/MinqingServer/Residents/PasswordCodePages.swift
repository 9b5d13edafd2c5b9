import Foundation
import MinqingDomain
import Vapor

/// `/password/forgot` and `/password/reset` (no account needed), and their JSON twins
/// `POST /api/v1/auth/password-code` and `POST /api/v1/auth/password-reset` (`PasswordCodes`).
struct PasswordCodePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.passwordForgot, use: forgotPage)
        routes.post(.passwordForgot, use: forgotForm)
        routes.get(.passwordReset, use: resetPage)
        routes.post(.passwordReset, use: resetForm)
        routes.post("api", "v1", "auth", "password-code", use: request)
        routes.post("api", "v1", "auth", "password-reset", use: reset)
    }

    struct Accepted: Content { var message: String }

    @Sendable func request(req: Request) async throws -> Response {
        let input = (try? req.content.decode(PasswordCodes.RequestInput.self)) ?? .init()
        try await PasswordCodes.request(input, now: req.now, address: req.clientAddress, app: req.application, on: req.db)
        return try await Accepted(message: "If the account has a mobile number on file, a code is on its way.")
            .encodeResponse(status: .accepted, for: req)
    }

    @Sendable func reset(req: Request) async throws -> HTTPStatus {
        let input = (try? req.content.decode(PasswordCodes.ResetInput.self)) ?? .init()
        try await PasswordCodes.reset(input, now: req.now, address: req.clientAddress, app: req.application, on: req.db)
        return .noContent
    }

    @Sendable func forgotPage(req: Request) async throws -> Response {
        InvitationViews.passwordForgot(req, username: "", errors: [], available: PasswordCodes.available(req.application), status: .ok)
    }

    @Sendable func forgotForm(req: Request) async throws -> Response {
        let input = (try? req.content.decode(PasswordCodes.RequestInput.self)) ?? .init()
        let username = String((input.username ?? "").prefix(64))
        do {
            try await PasswordCodes.request(input, now: req.now, address: req.clientAddress, app: req.application, on: req.db)
            return req.redirect(to: SiteURL.passwordReset.path([("username", username), ("sent", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict, .tooManyRequests].contains(error.status) {
            let fields = error.fields.isEmpty ? [FieldError(field: "username", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            return InvitationViews.passwordForgot(
                req, username: username, errors: fields, available: PasswordCodes.available(req.application), status: error.status)
        }
    }

    @Sendable func resetPage(req: Request) async throws -> Response {
        let username = String((req.query[String.self, at: "username"] ?? "").prefix(64))
        return InvitationViews.passwordReset(req, username: username, sent: req.query[String.self, at: "sent"] == "1", errors: [], status: .ok)
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        let input = (try? req.content.decode(PasswordCodes.ResetInput.self)) ?? .init()
        do {
            try await PasswordCodes.reset(input, now: req.now, address: req.clientAddress, app: req.application, on: req.db)
            return req.redirect(to: SiteURL.login.path([("reset", "1")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .tooManyRequests].contains(error.status) {
            let fields = error.fields.isEmpty ? [FieldError(field: "code", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            // The code and the passwords are not put back into the page.
            return InvitationViews.passwordReset(
                req, username: String((input.username ?? "").prefix(64)), sent: false, errors: fields, status: error.status)
        }
    }
}
