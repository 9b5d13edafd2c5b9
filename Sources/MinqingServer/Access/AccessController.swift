import Fluent
import MinqingDomain
import Vapor

/// JSON API: tokens, the caller, the caller's password.
struct AccessController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.post("auth", "token", use: issueToken)
        let signedIn = api.grouped(RequireSignIn())
        signedIn.delete("auth", "token", use: revokeToken)
        signedIn.get("me", use: me)
        signedIn.put("me", "password", use: changePassword)
    }

    struct TokenRequest: Content { var username: String; var password: String; var otp: String? }
    struct TokenResponse: Content { var token: String; var token_type: String; var expires_at: Date; var account: AccountView }

    @Sendable func issueToken(req: Request) async throws -> Response {
        let body = try req.content.decode(TokenRequest.self)
        guard
            case .signedIn(let signedIn) = try await AccessService.signIn(
                username: body.username, password: body.password, kind: "api",
                otp: body.otp, request: req)
        else {
            throw AccessService.secondFactorRequired
        }
        let view = AccountView(actor: signedIn.actor)
        return try await TokenResponse(token: signedIn.token, token_type: "Bearer", expires_at: signedIn.expiresAt, account: view)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> HTTPStatus {
        let actor = try req.requireActor()
        try await AccessService.signOut(writer: WriteContext(actor, req), on: req.db)
        return .noContent
    }

    @Sendable func me(req: Request) async throws -> AccountView {
        AccountView(actor: try req.requireActor())
    }

    struct PasswordRequest: Content { var current_password: String; var new_password: String }

    @Sendable func changePassword(req: Request) async throws -> HTTPStatus {
        let actor = try req.requireActor()
        let body = try req.content.decode(PasswordRequest.self)
        try await AccessService.changePassword(
            current: body.current_password, new: body.new_password, confirm: nil, writer: WriteContext(actor, req), app: req.application,
            on: req.db)
        return .noContent
    }
}

/// An account as the API shows it.
struct AccountView: Content, Equatable {
    var id: UUID
    var username: String
    var display_name: String
    var role: Role
    var role_name: String
    var role_name_en: String
    var scope: ScopeView
    var must_change_password: Bool
    var disabled: Bool?

    struct ScopeView: Content, Equatable { var code: String; var name: String; var level: GridLevel }

    init(actor: Actor) {
        id = actor.accountID
        username = actor.username
        display_name = actor.displayName
        role = actor.role
        role_name = actor.role.nameZH
        role_name_en = actor.role.nameEN
        scope = ScopeView(code: actor.scope.rootCode, name: actor.scope.rootName, level: actor.scope.rootLevel)
        must_change_password = actor.mustChangePassword
        disabled = nil
    }

    init(row: AccountQueries.Row) {
        id = row.id
        username = row.username
        display_name = row.display_name
        let role = row.role
        self.role = role
        role_name = role.nameZH
        role_name_en = role.nameEN
        scope = ScopeView(code: row.node_code, name: row.node_name, level: row.node_level)
        must_change_password = row.must_change_password
        disabled = row.disabled
    }
}
