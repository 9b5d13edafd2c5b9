import MinqingDomain
import Plot
import Vapor

/// The second factor on the pages and in the API: the sign-in step after the password
/// (`/login/second-factor`), enrolment and removal (`/account/second-factor…`,
/// `/api/v1/me/second-factor…`), and a manager's reset of another account's factor.
struct SecondFactorPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.loginSecondFactor, use: stepForm)
        routes.post(.loginSecondFactor, use: step)
        let signedIn = routes.grouped(RequireSignIn())
        signedIn.get(.account(.secondFactor), use: page)
        signedIn.post(.account(.secondFactorStart), use: startForm)
        signedIn.post(.account(.secondFactorConfirm), use: confirmForm)
        signedIn.post(.account(.secondFactorRecoveryCodes), use: recoveryForm)
        signedIn.post(.account(.secondFactorDisable), use: disableForm)
        signedIn.grouped(RequireRole(.admin, .subdistrictStaff)).post(.admin(.accountSecondFactorReset(.key)), use: resetForm)
        let api = routes.grouped("api", "v1").grouped(RequireSignIn())
        api.get("me", "second-factor", use: state)
        api.post("me", "second-factor", use: start)
        api.post("me", "second-factor", "confirm", use: confirm)
        api.post("me", "second-factor", "recovery-codes", use: recovery)
        api.post("me", "second-factor", "disable", use: disable)
        api.grouped(RequireRole(.admin, .subdistrictStaff)).post("accounts", ":username", "second-factor", "reset", use: reset)
    }

    struct CodeInput: Content { var code: String? }
    struct StepInput: Content { var code: String?; var next: String? }

    // MARK: sign-in step

    @Sendable func stepForm(req: Request) async throws -> Response {
        guard try await pending(req) != nil else { return req.redirect(to: SiteURL.login) }
        return SecondFactorViews.step(req, error: nil, status: .ok)
    }

    /// The code (or a recovery code) for the pending sign-in: a web session on success; the
    /// form again with the error beside the field otherwise.
    @Sendable func step(req: Request) async throws -> Response {
        guard let pending = try await pending(req) else { return req.redirect(to: SiteURL.login) }
        let input = try req.content.decode(StepInput.self)
        let ok: Bool
        do {
            ok = try await SecondFactor.verify(input.code ?? "", account: pending.account, vault: req.services.vault, now: req.now, on: req.db)
        } catch let error as AppError where error.status == .tooManyRequests {
            return SecondFactorViews.step(
                req, error: FieldError(field: "code", messageZH: error.messageZH, messageEN: error.messageEN),
                status: .tooManyRequests)
        }
        guard ok else {
            let now = req.now
            let address = req.clientAddress
            try await req.db.write { db in
                try await AuditLog.append(
                    AuditEntry(
                        action: "login.failed", actorID: pending.account, actorName: pending.username,
                        targetType: "account", targetID: pending.username,
                        detail: ["reason": "bad_second_factor", "via": "web"], clientAddress: address), at: now, on: db)
            }
            return SecondFactorViews.step(req, error: SecondFactor.wrongCode.fields.first, status: .unauthorized)
        }
        try await req.db.write { db in try await AccountQueries.deleteSession(pending.session, on: db) }
        let signedIn = try await AccessService.openSession(
            account: pending.account, username: pending.username, kind: "web",
            detail: ["second_factor": "yes"], request: req)
        return AccessPages.signedIn(signedIn, target: safeLocalPath(input.next) ?? SiteURL.home.path, req: req)
    }

    private func pending(_ req: Request) async throws -> (session: UUID, account: UUID, username: String)? {
        guard let token = req.cookies[SessionCookie.pending]?.string, !token.isEmpty, token.count <= 128 else { return nil }
        return try await SessionQueries.pending(tokenHash: Secrets.hash(token), now: req.now, on: req.db)
    }

    // MARK: enrolment page

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, codes: nil, errors: [], status: .ok)
    }

    func render(_ req: Request, codes: [String]?, errors: [FieldError], status: HTTPStatus) async throws -> Response {
        let actor = try req.requireActor()
        let state = try await SecondFactor.state(actor, config: req.services.config, on: req.db)
        let pending = state.enrolled ? nil : try await SecondFactor.pending(actor, vault: req.services.vault, on: req.db)
        return SecondFactorViews.page(
            req, state: state, pending: pending, codes: codes, errors: errors,
            done: req.query[String.self, at: "done"], status: status)
    }

    @Sendable func startForm(req: Request) async throws -> Response {
        _ = try await SecondFactor.start(try req.requireActor(), vault: req.services.vault, now: req.now, on: req.db)
        return req.redirect(to: SiteURL.account(.secondFactor))
    }

    @Sendable func confirmForm(req: Request) async throws -> Response {
        let input = try req.content.decode(CodeInput.self)
        do {
            let confirmed = try await SecondFactor.confirm(code: input.code, writer: try req.writeContext(), vault: req.services.vault, on: req.db)
            // The recovery codes are shown on this response only (no-store), never again.
            var updated = try req.requireActor()
            updated.mustEnrolSecondFactor = false
            req.actor = updated
            return try await render(req, codes: confirmed.recovery_codes, errors: [], status: .ok)
        } catch let error as AppError where [.unprocessableEntity, .tooManyRequests, .conflict].contains(error.status) {
            return try await render(req, codes: nil, errors: fields(error), status: error.status)
        }
    }

    @Sendable func recoveryForm(req: Request) async throws -> Response {
        let input = try req.content.decode(CodeInput.self)
        do {
            let confirmed = try await SecondFactor.regenerate(code: input.code, writer: try req.writeContext(), vault: req.services.vault, on: req.db)
            return try await render(req, codes: confirmed.recovery_codes, errors: [], status: .ok)
        } catch let error as AppError where [.unprocessableEntity, .tooManyRequests].contains(error.status) {
            return try await render(req, codes: nil, errors: fields(error), status: error.status)
        }
    }

    @Sendable func disableForm(req: Request) async throws -> Response {
        let input = try req.content.decode(CodeInput.self)
        do {
            try await SecondFactor.disable(code: input.code, writer: try req.writeContext(), vault: req.services.vault, on: req.db)
            return req.redirect(to: SiteURL.account(.secondFactor).path([("done", "removed")]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .tooManyRequests].contains(error.status) {
            return try await render(req, codes: nil, errors: fields(error), status: error.status)
        }
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        let username = req.parameters.get("username") ?? ""
        try await SecondFactor.reset(username: username, writer: try req.writeContext(), on: req.db)
        return req.redirect(
            to: SiteURL.admin(.accounts).path + "?reset=\(username.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
            redirectType: .normal)
    }

    private func fields(_ error: AppError) -> [FieldError] {
        error.fields.isEmpty ? [FieldError(field: "code", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
    }

    // MARK: API

    @Sendable func state(req: Request) async throws -> SecondFactor.State {
        try await SecondFactor.state(try req.requireActor(), config: req.services.config, on: req.db)
    }

    @Sendable func start(req: Request) async throws -> Response {
        let started = try await SecondFactor.start(try req.requireActor(), vault: req.services.vault, now: req.now, on: req.db)
        let response = try await started.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        let writer = try req.writeContext()
        let confirmed = try await SecondFactor.confirm(
            code: try req.content.decode(CodeInput.self).code, writer: writer, vault: req.services.vault, on: req.db)
        let response = try await confirmed.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func recovery(req: Request) async throws -> Response {
        let writer = try req.writeContext()
        let confirmed = try await SecondFactor.regenerate(
            code: try req.content.decode(CodeInput.self).code, writer: writer, vault: req.services.vault, on: req.db)
        let response = try await confirmed.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func disable(req: Request) async throws -> HTTPStatus {
        let writer = try req.writeContext()
        try await SecondFactor.disable(code: try req.content.decode(CodeInput.self).code, writer: writer, vault: req.services.vault, on: req.db)
        return .noContent
    }

    @Sendable func reset(req: Request) async throws -> HTTPStatus {
        try await SecondFactor.reset(username: req.parameters.get("username") ?? "", writer: try req.writeContext(), on: req.db)
        return .noContent
    }
}

enum SecondFactorViews {
    static func step(_ req: Request, error: FieldError?, status: HTTPStatus) -> Response {
        let ctx = req.pageContext
        let lang = ctx.lang
        let next = safeLocalPath(try? req.query.get(String.self, at: "next"))
        // Before sign-in: the double-submit CSRF cookie of the login form is still there.
        var form = ctx
        if form.csrf.isEmpty { form.csrf = req.cookies[SessionCookie.preLoginCSRF]?.string ?? "" }
        return Layout.render(
            form, title: T("动态口令", "Second factor")(lang), status: status,
            .div(
                .class("card login"),
                .h1(.text(T("输入动态口令", "Enter your code")(lang))),
                .p(
                    .class("muted"),
                    .text(
                        T(
                            "打开手机上的验证器（如微信小程序、Google Authenticator、Microsoft Authenticator），输入“民情”显示的 6 位数字；手机不在身边时可输入一个恢复码。",
                            "Open the authenticator on your phone and enter the 6 digits it shows for Minqing; without your phone, enter a recovery code."
                        )(lang))),
                .form(
                    .id("second-factor-form"), .class("stack"), .method(.post),
                    .action(
                        SiteURL.loginSecondFactor.path
                            + (next.map { "?next=" + ($0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "") } ?? "")),
                    Layout.csrfField(form.csrf),
                    .unwrap(next) { .input(.type(.hidden), .name("next"), .value($0.attributeSafe)) },
                    .label(.for("code"), .text(T("动态口令或恢复码", "Code or recovery code")(lang))),
                    .input(
                        .id("code"), .name("code"), .type(.text), .required(true), .attribute(named: "autocomplete", value: "one-time-code"),
                        .attribute(named: "inputmode", value: "numeric"), .attribute(named: "maxlength", value: "20"),
                        .attribute(named: "autofocus", value: "autofocus")),
                    .unwrap(error) { .p(.class("field-error"), .id("code-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) },
                    .button(.type(.submit), .text(T("登录", "Sign in")(lang)))),
                .p(.a(.href(SiteURL.login.path), .text(T("用其他账号登录", "Sign in with another account")(lang))))))
    }

    static func page(
        _ req: Request, state: SecondFactor.State, pending: SecondFactor.Started?, codes: [String]?,
        errors: [FieldError], done: String?, status: HTTPStatus
    ) -> Response {
        let ctx = req.pageContext
        let lang = ctx.lang
        func error(_ field: String) -> Node<HTML.FormContext> {
            .forEach(errors.filter { $0.field == field }) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) }
        }
        func codeField(_ id: String) -> Node<HTML.FormContext> {
            .group(
                .label(.for(id), .text(T("验证器上当前的 6 位数字", "The 6 digits your authenticator shows now")(lang))),
                .input(
                    .id(id), .name("code"), .type(.text), .required(true), .attribute(named: "autocomplete", value: "one-time-code"),
                    .attribute(named: "inputmode", value: "numeric"), .attribute(named: "maxlength", value: "8")),
                error("code"))
        }
        let title = T("动态口令（双因素登录）", "Second factor (two-step sign-in)")(lang)
        var body: [Node<HTML.BodyContext>] = [.h1(.text(title))]
        if state.required && !state.enrolled {
            body.append(
                .p(
                    .class("flash-error"), .id("second-factor-required"),
                    .text(
                        T(
                            "您的角色须使用动态口令登录（等保 2.0 三级）。绑定后才能继续使用系统。",
                            "Your role signs in with a second factor (MLPS 2.0 level 3). Set it up to continue.")(lang))))
        }
        if done == "removed" {
            body.append(.p(.class("flash-ok"), .attribute(named: "role", value: "status"), .text(T("已解除绑定。", "Removed.")(lang))))
        }
        if let codes {
            body.append(
                .div(
                    .class("card"), .id("recovery-codes"),
                    .h2(.text(T("恢复码（只显示这一次）", "Recovery codes (shown this once)")(lang))),
                    .p(
                        .text(
                            T(
                                "请抄下或打印后妥善保管。手机不在身边时，每个恢复码可代替动态口令登录一次。",
                                "Write them down or print them and keep them safe. Without your phone, each signs you in once instead of a code.")(
                                    lang))),
                    .ul(.class("mono"), .forEach(codes) { .li(.text($0)) }),
                    .p(.a(.href(SiteURL.home.path), .text(T("继续", "Continue")(lang))))))
        } else if state.enrolled {
            body.append(
                .div(
                    .class("card"), .id("second-factor-on"),
                    .p(.strong(.text(T("已绑定动态口令。", "Your second factor is set up.")(lang)))),
                    .p(.text(T("剩余恢复码：\(state.recovery_codes_left) 个", "Recovery codes left: \(state.recovery_codes_left)")(lang))),
                    .form(
                        .class("stack"), .method(.post), .action(SiteURL.account(.secondFactorRecoveryCodes).path), Layout.csrfField(ctx.csrf),
                        codeField("code-recovery"),
                        .button(.type(.submit), .class("small"), .text(T("生成新的恢复码", "New recovery codes")(lang)))),
                    .form(
                        .class("stack"), .method(.post), .action(SiteURL.account(.secondFactorDisable).path), Layout.csrfField(ctx.csrf),
                        codeField("code-disable"),
                        .button(.type(.submit), .class("small"), .text(T("解除绑定（更换手机时）", "Remove (when changing phones)")(lang))))))
        } else if let pending {
            let qr = (try? QRCode(text: pending.otpauth_uri))?.svg(moduleSize: 4, title: T("动态口令二维码", "Second-factor QR code")(lang)) ?? ""
            let grouped = stride(from: 0, to: pending.secret.count, by: 4).map { start -> String in
                let a = pending.secret.index(pending.secret.startIndex, offsetBy: start)
                let b = pending.secret.index(a, offsetBy: min(4, pending.secret.count - start))
                return String(pending.secret[a..<b])
            }.joined(separator: " ")
            body.append(
                .div(
                    .class("card"), .id("second-factor-enrol"),
                    .p(.text(T("1. 用手机上的验证器扫描二维码：", "1. Scan the code with the authenticator on your phone:")(lang))),
                    .div(.class("qr"), .id("second-factor-qr"), PageParts.drawnSVG(qr)),
                    .p(.text(T("无法扫码时，在验证器中手动输入密钥：", "If you cannot scan it, type this key into the authenticator:")(lang))),
                    .p(.code(.class("mono"), .id("second-factor-key"), .text(grouped))),
                    .form(
                        .class("stack"), .id("second-factor-confirm"), .method(.post), .action(SiteURL.account(.secondFactorConfirm).path),
                        Layout.csrfField(ctx.csrf),
                        .p(.text(T("2. 输入验证器显示的 6 位数字完成绑定：", "2. Enter the 6 digits it shows to finish:")(lang))),
                        codeField("code"),
                        .button(.type(.submit), .text(T("完成绑定", "Finish")(lang))))))
        } else {
            body.append(
                .div(
                    .class("card"),
                    .p(
                        .text(
                            T(
                                "绑定后，登录时除了密码还要输入手机验证器上的 6 位数字，即使密码泄露，别人也无法登录。",
                                "With a second factor, signing in needs the 6 digits from your phone's authenticator besides the password, so a leaked password alone lets nobody in."
                            )(lang))),
                    .form(
                        .method(.post), .action(SiteURL.account(.secondFactorStart).path), Layout.csrfField(ctx.csrf),
                        .button(.type(.submit), .id("second-factor-start"), .text(T("开始绑定", "Set it up")(lang))))))
        }
        return Layout.render(ctx, title: title, status: status, .group(body))
    }
}
