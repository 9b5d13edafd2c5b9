import MinqingDomain
import Plot
import Vapor

/// Sign-in, sign-out, language and password pages.
struct AccessPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.login, use: loginForm)
        routes.post(.login, use: login)
        routes.get(.lang(.key), use: switchLanguage)
        let signedIn = routes.grouped(RequireSignIn())
        signedIn.post(.logout, use: logout)
        signedIn.get(.account(.password), use: passwordForm)
        signedIn.post(.account(.password), use: changePassword)
    }

    // MARK: login

    struct LoginForm: Content { var username: String?; var password: String?; var next: String? }

    @Sendable func loginForm(req: Request) async throws -> Response {
        if req.actor != nil { return req.redirect(to: SiteURL.home) }
        return LoginView.render(req, username: "", error: nil, status: .ok)
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let username = form.username ?? ""
        do {
            let target = safeLocalPath(form.next) ?? SiteURL.home.path
            switch try await AccessService.signIn(username: username, password: form.password ?? "", kind: "web", request: req) {
            case .signedIn(let signedIn):
                return Self.signedIn(signedIn, target: target, req: req)
            case .secondFactor(let pending):
                let next = target == SiteURL.home.path ? "" : "?next=" + (target.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
                let response = req.redirect(to: SiteURL.loginSecondFactor.path + next, redirectType: .normal)
                response.cookies[SessionCookie.pending] = sessionCookie(pending.token, req: req, maxAge: Int(AccessService.pendingLifetime))
                return response
            }
        } catch let error as AppError where error.status == .unauthorized || error.status == .tooManyRequests {
            let response = LoginView.render(req, username: username, error: error.message(req.lang), status: error.status)
            for (name, value) in error.headers where name.lowercased() == "retry-after" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
    }

    /// The browser signed in: the session cookie, then the page asked for (or the password
    /// page for an initial password).
    static func signedIn(_ signedIn: AccessService.SignedIn, target: String, req: Request) -> Response {
        let response = req.redirect(to: signedIn.actor.mustChangePassword ? SiteURL.account(.password).path : target, redirectType: .normal)
        response.cookies[SessionCookie.name] = sessionCookie(signedIn.token, req: req, maxAge: Int(req.services.config.sessionLifetime))
        response.cookies[SessionCookie.pending] = sessionCookie("", req: req, maxAge: 0)
        return response
    }

    @Sendable func logout(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await AccessService.signOut(writer: WriteContext(actor, req), on: req.db)
        let response = req.redirect(to: SiteURL.login)
        response.cookies[SessionCookie.name] = sessionCookie("", req: req, maxAge: 0)
        return response
    }

    // MARK: language

    @Sendable func switchLanguage(req: Request) async throws -> Response {
        guard let lang = req.parameters.get("lang").flatMap(Lang.init(rawValue:)) else { throw AppError.notFound() }
        let back = safeLocalPath(try? req.query.get(String.self, at: "back")) ?? SiteURL.home.path
        let response = req.redirect(to: back, redirectType: .normal)
        response.cookies[Lang.cookieName] = HTTPCookies.Value(
            string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/",
            isSecure: req.services.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    // MARK: password

    struct PasswordForm: Content { var current_password: String?; var new_password: String?; var confirm_password: String? }

    @Sendable func passwordForm(req: Request) async throws -> Response {
        PasswordView.render(req, errors: [], done: false, status: .ok)
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(PasswordForm.self)
        do {
            try await AccessService.changePassword(
                current: form.current_password ?? "", new: form.new_password ?? "",
                confirm: form.confirm_password ?? "", writer: WriteContext(actor, req), app: req.application, on: req.db)
            if var updated = req.actor {
                updated.mustChangePassword = false
                req.actor = updated
            }
            return PasswordView.render(req, errors: [], done: true, status: .ok)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return PasswordView.render(req, errors: error.fields, done: false, status: .unprocessableEntity)
        }
    }
}

/// A path on this site, never another host (no open redirects).
/// Only printable ASCII without spaces, so nothing can break out of a `Location` header (CR/LF)
/// or be read by a browser as another host (`//`, `/\t/`, backslashes).
func safeLocalPath(_ raw: String?) -> String? {
    guard let raw, raw.utf8.count <= 2048, raw.hasPrefix("/"), !raw.hasPrefix("//"),
        raw.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }),
        !raw.contains("\\"), !raw.contains("://")
    else { return nil }
    return raw
}

func sessionCookie(_ value: String, req: Request, maxAge: Int) -> HTTPCookies.Value {
    HTTPCookies.Value(
        string: value, maxAge: maxAge, path: "/", isSecure: req.services.config.secureCookies,
        isHTTPOnly: true, sameSite: .lax)
}

enum LoginView {
    /// A page with a form sent before sign-in: its CSRF token is the `minqing_csrf` cookie's
    /// (double submit), set here when the browser has none yet.
    static func withPreLoginCSRF(_ req: Request, _ page: (PageContext) -> Response) -> Response {
        var ctx = req.pageContext
        var newCSRF: String?
        if ctx.csrf.isEmpty || req.actor == nil && req.cookies[SessionCookie.preLoginCSRF] == nil {
            newCSRF = Secrets.token()
            ctx.csrf = newCSRF!
        }
        let response = page(ctx)
        if let newCSRF {
            response.cookies[SessionCookie.preLoginCSRF] = HTTPCookies.Value(
                string: newCSRF, maxAge: 2 * 3600, path: "/",
                isSecure: req.services.config.secureCookies, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    static func render(_ req: Request, username: String, error: String?, status: HTTPStatus) -> Response {
        withPreLoginCSRF(req) { ctx in form(req, ctx: ctx, username: username, error: error, status: status) }
    }

    static func form(_ req: Request, ctx: PageContext, username: String, error: String?, status: HTTPStatus) -> Response {
        let lang = ctx.lang
        let next = safeLocalPath(try? req.query.get(String.self, at: "next"))
        return Layout.render(
            ctx, title: Texts.signIn(lang), status: status,
            .div(
                .class("card login"),
                .h1(.text(T("登录民情", "Sign in to Minqing")(lang))),
                .p(.class("muted"), .text(Texts.tagline(lang))),
                .unwrap(error) { .p(.class("flash-error"), .attribute(named: "role", value: "alert"), .text($0)) },
                .if(
                    error == nil && req.query[String.self, at: "reset"] == "1",
                    .p(
                        .class("flash-ok"), .id("password-was-reset"), .attribute(named: "role", value: "status"),
                        .text(T("密码已重设，请用新密码登录。", "Your password was reset: sign in with the new one.")(lang)))),
                .form(
                    .id("login-form"), .class("stack"), .method(.post), .action(SiteURL.login.path),
                    Layout.csrfField(ctx.csrf),
                    .unwrap(next) { .input(.type(.hidden), .name("next"), .value($0.attributeSafe)) },
                    .label(.for("username"), .text(Texts.username(lang))),
                    .input(
                        .id("username"), .name("username"), .type(.text), .value(username.attributeSafe), .required(true),
                        .attribute(named: "autocomplete", value: "username"), .attribute(named: "autocapitalize", value: "none")),
                    .label(.for("password"), .text(Texts.password(lang))),
                    .input(
                        .id("password"), .name("password"), .type(.password), .required(true),
                        .attribute(named: "autocomplete", value: "current-password")),
                    .button(.type(.submit), .text(Texts.signIn(lang)))),
                .p(
                    .class("muted"),
                    .a(.id("forgot-link"), .href(SiteURL.passwordForgot.path), .text(T("忘记密码？", "Forgot your password?")(lang)))),
                .p(
                    .class("muted"),
                    .a(
                        .id("signup-link"), .href(SiteURL.signup.path),
                        .text(T("第一次使用？用居委会的邀请函注册", "First time? Sign up with your residents' committee's letter")(lang))))))
    }
}

enum PasswordView {
    static func render(_ req: Request, errors: [FieldError], done: Bool, status: HTTPStatus) -> Response {
        let ctx = req.pageContext
        let lang = ctx.lang
        func fieldError(_ name: String) -> Node<HTML.FormContext> {
            .forEach(errors.filter { $0.field == name }) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) }
        }
        let mustChange = req.actor?.mustChangePassword == true
        return Layout.render(
            ctx, title: Texts.changePassword(lang), status: status,
            .div(
                .class("card login"),
                .h1(.text(Texts.changePassword(lang))),
                .if(mustChange, .p(.class("flash-error"), .text(T("这是初始密码，请先设置您自己的密码。", "This is an initial password; set your own first.")(lang)))),
                .if(
                    done,
                    .p(
                        .class("flash-ok"), .attribute(named: "role", value: "status"),
                        .text(T("密码已修改，其他设备上的登录已退出。", "Password changed; sign-ins on other devices have ended.")(lang)))),
                .p(
                    .class("muted"),
                    .text(
                        T(
                            "至少 10 个字符，包含字母、数字、符号中的两类，且不含用户名。",
                            "At least 10 characters mixing two of letters, digits and symbols, without the username.")(lang))),
                .form(
                    .id("password-form"), .class("stack"), .method(.post), .action(SiteURL.account(.password).path),
                    Layout.csrfField(ctx.csrf),
                    .label(.for("current_password"), .text(T("当前密码", "Current password")(lang))),
                    .input(
                        .id("current_password"), .name("current_password"), .type(.password), .required(true),
                        .attribute(named: "autocomplete", value: "current-password")),
                    fieldError("current_password"),
                    .label(.for("new_password"), .text(T("新密码", "New password")(lang))),
                    .input(
                        .id("new_password"), .name("new_password"), .type(.password), .required(true),
                        .attribute(named: "autocomplete", value: "new-password")),
                    fieldError("new_password"),
                    .label(.for("confirm_password"), .text(T("再次输入新密码", "New password again")(lang))),
                    .input(
                        .id("confirm_password"), .name("confirm_password"), .type(.password), .required(true),
                        .attribute(named: "autocomplete", value: "new-password")),
                    fieldError("confirm_password"),
                    .button(.type(.submit), .text(Texts.save(lang))))))
    }
}
