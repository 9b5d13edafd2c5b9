import Foundation
import MinqingDomain
import Plot
import Vapor

/// The two pages of a forgotten password, phone first: ask for a code, then set a new password.
extension InvitationViews {
    static func passwordForgot(_ req: Request, username: String, errors: [FieldError], available: Bool, status: HTTPStatus) -> Response {
        preLoginCard(req, title: T("忘记密码", "Forgot your password"), status: status) { ctx, lang in
            .group(
                available
                    ? .group(
                        .p(
                            .class("muted"),
                            .text(
                                T(
                                    "填写用户名，我们会把验证码发到您注册时登记的手机上，10 分钟内有效。",
                                    "Enter your username: we text a code to the mobile number you signed up with. It is valid for 10 minutes."
                                )(lang))),
                        .form(
                            .id("forgot-form"), .class("stack"), .method(.post), .action(SiteURL.passwordForgot.path),
                            Layout.csrfField(ctx.csrf),
                            input(
                                "username", T("用户名", "Username")(lang), value: username, autocomplete: "username", errors: errors, lang: lang,
                                form: "forgot"),
                            .button(.type(.submit), .text(T("发送验证码", "Text me a code")(lang)))))
                    : .p(
                        .class("flash-error"), .id("no-gateway"),
                        .text(lang == .zh ? PasswordCodes.noGateway.messageZH : PasswordCodes.noGateway.messageEN)),
                .p(
                    .class("muted"),
                    .text(
                        T(
                            "没有登记手机号，或收不到短信？请带身份证到居委会，工作人员可以当场为您重置。",
                            "No number on file, or no text arriving? Bring your ID card to the residents' committee: they can reset it at the desk."
                        )(lang))),
                .p(.class("muted"), .a(.href(SiteURL.login.path), .text(T("返回登录", "Back to sign-in")(lang)))))
        }
    }

    static func passwordReset(_ req: Request, username: String, sent: Bool, errors: [FieldError], status: HTTPStatus) -> Response {
        preLoginCard(req, title: T("设置新密码", "Set a new password"), status: status) { ctx, lang in
            .group(
                .if(
                    sent,
                    .p(
                        .class("flash-ok"), .id("code-sent"), .attribute(named: "role", value: "status"),
                        .text(
                            T(
                                "如果该账号登记了手机号，验证码已经发出，10 分钟内有效。一分钟后可以重新获取。",
                                "If the account has a mobile number on file, a code is on its way, valid for 10 minutes. You can ask again after a minute."
                            )(lang)))),
                .form(
                    .id("reset-form"), .class("stack"), .method(.post), .action(SiteURL.passwordReset.path), Layout.csrfField(ctx.csrf),
                    input(
                        "username", T("用户名", "Username")(lang), value: username, autocomplete: "username", errors: errors, lang: lang,
                        form: "reset"),
                    input(
                        "code", T("短信验证码", "Code from the text message")(lang), autocomplete: "one-time-code",
                        hint: T("6 位数字", "6 digits")(lang), errors: errors, lang: lang, form: "reset"),
                    input(
                        "new_password", T("新密码", "New password")(lang), type: .password, autocomplete: "new-password",
                        hint: T("至少 10 个字符，包含字母、数字、符号中的两类", "At least 10 characters mixing two of letters, digits and symbols")(lang),
                        errors: errors, lang: lang, form: "reset"),
                    input(
                        "confirm_password", T("再次输入新密码", "New password again")(lang), type: .password, autocomplete: "new-password",
                        errors: errors, lang: lang, form: "reset"),
                    .button(.type(.submit), .text(T("设置新密码", "Set the new password")(lang)))),
                .p(.class("muted"), .a(.href(SiteURL.passwordForgot.path), .text(T("重新获取验证码", "Ask for another code")(lang)))))
        }
    }
}
