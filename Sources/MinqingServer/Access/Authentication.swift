import Crypto
import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The signed-in caller of a request: who, in which role, over which subtree.
public struct Actor: Sendable {
    public var accountID: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var subdistrictID: UUID?
    /// The subtree the account is bound to.
    public var scope: GridScope
    public var sessionID: UUID
    /// `web` (cookie) or `api` (bearer token).
    public var via: String
    public var csrfToken: String
    public var mustChangePassword: Bool
    /// The role must sign in with a second factor and the account has none yet: held at the
    /// enrolment page until it has.
    public var mustEnrolSecondFactor: Bool = false
    /// 适老化: pages in large, high-contrast type.
    public var largeText = false

    package init(
        accountID: UUID, username: String, displayName: String, role: Role, subdistrictID: UUID?, scope: GridScope,
        sessionID: UUID, via: String, csrfToken: String, mustChangePassword: Bool, mustEnrolSecondFactor: Bool = false
    ) {
        self.accountID = accountID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.subdistrictID = subdistrictID
        self.scope = scope
        self.sessionID = sessionID
        self.via = via
        self.csrfToken = csrfToken
        self.mustChangePassword = mustChangePassword
        self.mustEnrolSecondFactor = mustEnrolSecondFactor
    }

    package var shellUser: ShellUser {
        ShellUser(username: username, displayName: displayName, role: role, scopeName: scope.rootName, largeText: largeText)
    }

    var auditName: String { username }
}

enum SessionCookie {
    static let name = "minqing_session"
    /// The pending sign-in between the password and the second factor.
    static let pending = "minqing_mfa"
    /// The CSRF cookie of forms shown before sign-in (the login form).
    static let preLoginCSRF = "minqing_csrf"
}

/// Random secrets and their stored hashes.
package enum Secrets {
    /// 32 random bytes as base64url without padding.
    package static func token() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    package static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// Compares without leaking the position of the first difference through timing.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }

    /// The signed-in caller, if any.
    public var actor: Actor? {
        get { storage[ActorKey.self] }
        set { storage[ActorKey.self] = newValue }
    }

    /// The signed-in caller, or 401.
    public func requireActor() throws -> Actor {
        guard let actor else { throw AppError.unauthenticated }
        return actor
    }

    /// Whether the request is for the JSON API (JSON errors, bearer tokens).
    var isAPI: Bool { url.path.hasPrefix("/api/") }
}

/// Finds the caller from a bearer token (API) or the session cookie (web), in one query that
/// also loads the account's scope. Expired sessions and disabled accounts count as signed out.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var token: String?
        var via = "web"
        if let bearer = request.headers.bearerAuthorization?.token {
            token = bearer
            via = "api"
        } else if let cookie = request.cookies[SessionCookie.name]?.string, !cookie.isEmpty {
            token = cookie
        }
        if let token, token.count <= 128 {
            request.actor = try await SessionQueries.actor(
                tokenHash: Secrets.hash(token), kind: via,
                now: request.now, config: request.services.config, on: request.db)
        }
        return try await next.respond(to: request)
    }
}

/// Refuses callers who are not signed in: 401 for the API, a redirect to the login page for
/// browsers. Accounts that must change their password are held at the password page.
struct RequireSignIn: AsyncMiddleware {
    static let passwordPaths: Set<String> = [
        SiteURL.account(.password).path, "/api/v1/me", "/api/v1/me/password", SiteURL.logout.path, "/api/v1/auth/token"
    ]
    /// Where an account that must enrol a second factor may go meanwhile.
    static let enrolmentPaths: Set<String> = passwordPaths.union([
        SiteURL.account(.secondFactor).path, SiteURL.account(.secondFactorStart).path, SiteURL.account(.secondFactorConfirm).path,
        "/api/v1/me/second-factor", "/api/v1/me/second-factor/confirm", SiteURL.privacy.path
    ])

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let actor = request.actor else {
            if request.isAPI { throw AppError.unauthenticated }
            let next =
                request.url.path == SiteURL.home.path
                ? "" : "?next=" + (request.url.path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            return request.redirect(to: SiteURL.login.path + next)
        }
        if actor.mustChangePassword, !Self.passwordPaths.contains(request.url.path) {
            if request.isAPI {
                throw AppError(
                    .forbidden, code: "password_change_required",
                    zh: "请先修改初始密码", en: "Change your initial password first")
            }
            return request.redirect(to: SiteURL.account(.password))
        }
        if actor.mustEnrolSecondFactor, !Self.enrolmentPaths.contains(request.url.path) {
            if request.isAPI {
                throw AppError(
                    .forbidden, code: "second_factor_enrolment_required",
                    zh: "您的角色须先绑定动态口令（/api/v1/me/second-factor）", en: "Your role must set up a second factor first (/api/v1/me/second-factor)")
            }
            return request.redirect(to: SiteURL.account(.secondFactor))
        }
        return try await next.respond(to: request)
    }
}

/// Lets only the given roles through (403 otherwise).
struct RequireRole: AsyncMiddleware {
    let allowed: Set<Role>

    init(_ roles: Role...) { allowed = Set(roles) }
    init(_ roles: Set<Role>) { allowed = roles }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let actor = try request.requireActor()
        guard allowed.contains(actor.role) else { throw AppError.forbidden }
        return try await next.respond(to: request)
    }
}

/// Every state-changing browser request carries the CSRF token: the session's, or before sign-in
/// the one in the `minqing_csrf` cookie (double submit). API calls with a bearer token need none;
/// API calls that ride on the session cookie send it as `X-CSRF-Token`.
struct CSRFMiddleware: AsyncMiddleware {
    /// The largest multipart form a signed-in browser may send (a file and a few fields).
    static let maxUploadBody = 20 << 20
    /// The forms that carry a file.
    static let uploadPaths: Set<String> = [SiteURL.registry(.import).path]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        switch request.method {
        case .GET, .HEAD, .OPTIONS: return try await next.respond(to: request)
        default: break
        }
        if request.headers.bearerAuthorization != nil || request.url.path.hasPrefix("/open311/") {
            return try await next.respond(to: request)
        }
        if request.isAPI, request.actor == nil {
            // No ambient authority to abuse: the request authenticates itself (e.g. the token endpoint).
            return try await next.respond(to: request)
        }
        if request.headers.first(name: "X-CSRF-Token") == nil, request.body.data == nil {
            // The token is inside the body. Only the import wizard takes a file, and only from
            // roles that import: everywhere else a body is an ordinary form (1 MB at most).
            let upload =
                request.actor.map { Self.uploadPaths.contains(request.url.path) && $0.role.readsRegister } ?? false
                && request.headers.contentType?.type == "multipart"
            _ = try await request.body.collect(max: upload ? Self.maxUploadBody : 1 << 20).get()
        }
        let sent =
            request.headers.first(name: "X-CSRF-Token")
            ?? (try? request.content.get(String.self, at: "csrf"))
        let expected = request.actor?.csrfToken ?? request.cookies[SessionCookie.preLoginCSRF]?.string
        guard let sent, let expected, !expected.isEmpty, Secrets.constantTimeEquals(sent, expected) else {
            throw AppError.csrf
        }
        return try await next.respond(to: request)
    }
}
