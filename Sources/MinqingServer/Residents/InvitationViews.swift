import Foundation
import MinqingDomain
import Plot
import Vapor

/// The sign-up page (phone first), the letters overview by grid node, and the printable letters.
enum InvitationViews {
    static func fieldError(_ errors: [FieldError], _ field: String, _ lang: Lang) -> Node<HTML.FormContext> {
        .forEach(errors.filter { $0.field == field }) {
            .p(.class("field-error"), .id("error-\(field)"), .text(lang == .zh ? $0.messageZH : $0.messageEN))
        }
    }

    /// One labelled input with its error beside it.
    static func input(
        _ name: String, _ label: String, type: HTMLInputType = .text, value: String? = nil, autocomplete: String, hint: String? = nil,
        errors: [FieldError], lang: Lang, form: String = "signup"
    ) -> Node<HTML.FormContext> {
        .group(
            .label(.for("\(form)-\(name)"), .text(label)),
            .unwrap(hint) { .p(.class("muted hint"), .text($0)) },
            .input(
                .id("\(form)-\(name)"), .name(name), .type(type), .value((value ?? "").attributeSafe), .required(true),
                .attribute(named: "autocomplete", value: autocomplete)),
            fieldError(errors, name, lang))
    }

    /// A page for people not signed in (sign-up, a forgotten password): one card, its title as
    /// the heading, with the pre-login CSRF token the forms need.
    static func preLoginCard(
        _ req: Request, title: T, status: HTTPStatus, _ body: (PageContext, Lang) -> Node<HTML.BodyContext>
    ) -> Response {
        LoginView.withPreLoginCSRF(req) { ctx in
            Layout.render(ctx, title: title(ctx.lang), status: status, .div(.class("card login"), .h1(.text(title(ctx.lang))), body(ctx, ctx.lang)))
        }
    }

    static func signup(_ req: Request, form: Invitations.SignupInput, errors: [FieldError], status: HTTPStatus) -> Response {
        preLoginCard(req, title: T("用邀请函注册", "Sign up with your letter"), status: status) { ctx, lang in
            .group(
                .p(
                    .class("muted"),
                    .text(
                        T(
                            "居委会发给每户一封邀请函。填写邀请码，以及身份证上的姓名和号码（只用于核对您是这一户的成员），再设一个用户名和密码。",
                            "Your residents' committee gives each household a letter. Enter its code and the name and number on your ID card (used only to check you belong to the household), then choose a username and a password."
                        )(lang))),
                .if(
                    !errors.isEmpty,
                    .p(
                        .class("flash-error"), .id("signup-errors"), .attribute(named: "role", value: "alert"),
                        .text(T("请按提示修改后再提交。", "Please correct what is marked and send again.")(lang)))),
                .form(
                    .id("signup-form"), .class("stack"), .method(.post), .action(SiteURL.signup.path), Layout.csrfField(ctx.csrf),
                    input(
                        "code", T("邀请码", "Code")(lang), value: form.code, autocomplete: "one-time-code",
                        hint: T("邀请函上的 10 位字母和数字，如 K9QM3-XPA4H", "10 letters and digits on the letter, e.g. K9QM3-XPA4H")(lang),
                        errors: errors, lang: lang),
                    input("name", T("姓名", "Name")(lang), value: form.name, autocomplete: "name", errors: errors, lang: lang),
                    input("id_number", T("身份证号码", "ID number")(lang), autocomplete: "off", errors: errors, lang: lang),
                    input(
                        "phone", T("手机号码", "Mobile number")(lang), type: .tel, value: form.phone, autocomplete: "tel",
                        hint: T("用于接收通知，不会公开", "For notices; never shown to others")(lang), errors: errors, lang: lang),
                    input(
                        "username", T("用户名", "Username")(lang), value: form.username, autocomplete: "username",
                        hint: T("3–32 个字母、数字、点、横线或下划线", "3 to 32 letters, digits, dots, dashes or underscores")(lang), errors: errors,
                        lang: lang),
                    input(
                        "password", T("密码", "Password")(lang), type: .password, autocomplete: "new-password",
                        hint: T("至少 10 个字符，包含字母、数字、符号中的两类", "At least 10 characters mixing two of letters, digits and symbols")(lang),
                        errors: errors, lang: lang),
                    input(
                        "confirm_password", T("再次输入密码", "Password again")(lang), type: .password, autocomplete: "new-password", errors: errors,
                        lang: lang),
                    .button(.type(.submit), .text(T("注册并登录", "Sign up and sign in")(lang)))),
                .p(.class("muted"), .a(.href(SiteURL.login.path), .text(T("已有账号？登录", "Have an account? Sign in")(lang)))))
        }
    }

    /// A node's coverage by child, or a building group's households with their letters.
    static func page(
        _ o: InvitationPages.Overview, errors: [FieldError], desk: (Invitations.DeskInput, [FieldError])?, done: String?, ctx: PageContext,
        status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let title = T("居民注册与邀请函", "Resident sign-up and letters")(lang)
        let here = o.node
        return Layout.render(
            ctx, title: "\(title) · \(here.name)", status: status,
            .h1(.text("\(title) · \(here.name)")),
            .if(
                done == "revoked",
                .p(.class("flash-ok"), .attribute(named: "role", value: "status"), .text(T("邀请函已作废。", "The letter was revoked.")(lang)))),
            .if(
                !errors.isEmpty,
                .div(
                    .class("flash-error"), .id("invitation-errors"), .attribute(named: "role", value: "alert"),
                    .forEach(errors) { .p(.text(lang == .zh ? $0.messageZH : $0.messageEN)) })),
            here.level == .buildingGroup ? households(o, ctx: ctx) : coverage(o, lang: lang),
            .if(here.level == .buildingGroup, deskForm(o, desk: desk, ctx: ctx)))
    }

    /// 代为注册: a resident at the 居委's desk signed up by staff.
    static func deskForm(_ o: InvitationPages.Overview, desk: (Invitations.DeskInput, [FieldError])?, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let form = desk?.0 ?? .init()
        let errors = desk?.1 ?? []
        let options: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("请选择", "Choose")(lang)))]
            + o.households.map { h in
                .option(.value(h.id.uuidString), .label(h.address.attributeSafe), .isSelected(form.household_id == h.id.rawValue))
            }
        return .section(
            .class("card"), .id("desk"),
            .h2(.text(T("在居委会代为注册", "Sign a resident up at the desk")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "居民本人在场、出示身份证时使用。账号的初始密码只显示一次，居民第一次登录时须改掉。",
                        "For a resident at the desk with their ID card. The initial password is shown once and must be changed at the first sign-in."
                    )(lang))),
            .form(
                .id("desk-form"), .class("stack"), .method(.post), .action(SiteURL.residents(.desk).path), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("node"), .value(o.node.code.attributeSafe)),
                .label(.for("desk-household_id"), .text(T("户", "Household")(lang))),
                .select(.attribute(named: "id", value: "desk-household_id"), .attribute(named: "name", value: "household_id"), .group(options)),
                fieldError(errors, "household_id", lang),
                deskInput("name", T("姓名", "Name")(lang), value: form.name, errors: errors, lang: lang),
                deskInput("id_number", T("身份证号码", "ID number")(lang), value: nil, errors: errors, lang: lang),
                deskInput("phone", T("手机号码", "Mobile number")(lang), value: form.phone, errors: errors, lang: lang),
                deskInput("username", T("用户名", "Username")(lang), value: form.username, errors: errors, lang: lang),
                .button(.type(.submit), .text(T("注册并生成初始密码", "Sign up with an initial password")(lang)))))
    }

    static func deskInput(_ name: String, _ label: String, value: String?, errors: [FieldError], lang: Lang) -> Node<HTML.FormContext> {
        .group(
            .label(.for("desk-\(name)"), .text(label)),
            .input(.id("desk-\(name)"), .name(name), .type(.text), .value((value ?? "").attributeSafe), .required(true)),
            fieldError(errors, name, lang))
    }

    static func deskDone(_ done: Invitations.DeskSignedUp, node: String, ctx: PageContext) -> Response {
        initialPassword(
            title: T("已代为注册", "Signed up at the desk"), id: "desk", username: done.username, password: done.initial_password,
            note: T(
                "请交给居民本人。只显示这一次；居民第一次登录时须设置自己的密码。",
                "Give it to the resident in person. It is shown only this once; the first sign-in asks for their own password."),
            node: node, ctx: ctx)
    }

    static func resetDone(_ done: Invitations.Reset, node: String, ctx: PageContext) -> Response {
        initialPassword(
            title: T("密码已重置", "Password reset"), id: "reset", username: done.username, password: done.initial_password,
            note: T(
                "请当面交给居民本人。只显示这一次；居民下次登录时须设置自己的密码，其他设备上的登录已退出。",
                "Give it to the resident in person. It is shown only this once; the next sign-in asks for their own password, and other sign-ins have ended."
            ),
            node: node, ctx: ctx)
    }

    /// An account's initial password made at the desk, shown this once (`id`-done, -username, -password).
    static func initialPassword(title: T, id: String, username: String, password: String, note: T, node: String, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: title(lang),
            .h1(.text(title(lang))),
            .div(
                .class("card"), .id("\(id)-done"),
                .p(.text(T("用户名：", "Username: ")(lang)), .strong(.class("mono"), .id("\(id)-username"), .text(username))),
                .p(.text(T("初始密码：", "Initial password: ")(lang)), .strong(.class("mono"), .id("\(id)-password"), .text(password))),
                .p(.class("muted"), .text(note(lang)))),
            .p(.a(.href(SiteURL.residents(.invitations).path([("node", node)]).attributeSafe), .text(T("返回", "Back")(lang)))))
    }

    /// A resident's invitation for their household: the code, the link and its QR code, once.
    static func memberLetter(_ letter: Invitations.Letter, origin: String, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let title = T("邀请家人注册", "Invite your household")(lang)
        return Layout.render(
            ctx, title: title,
            .h1(.text(title)),
            .article(
                .class("letter card"), .id("member-letter"),
                .p(
                    .text(
                        T(
                            "请家人用手机扫描二维码，或打开下面的网址，填写邀请码和本人的姓名、身份证号码。只有在册的本户成员能用它注册。",
                            "Ask your family member to scan the QR code or open the address below, then enter the code and their own name and ID number. Only a registered member of your household can use it."
                        )(lang))),
                codeAndLink(
                    letter, origin: origin, note: T("，只显示这一次，用一次即失效。", "; shown only this once, and good for one sign-up."), lang: lang)),
            .p(.a(.href(SiteURL.account(.data).path), .text(T("返回我的信息", "Back to My data")(lang)))))
    }

    static func memberLetterRefused(_ error: AppError, ctx: PageContext) -> Response {
        let lang = ctx.lang
        return Layout.render(
            ctx, title: T("邀请家人注册", "Invite your household")(lang), status: error.status,
            .h1(.text(T("邀请家人注册", "Invite your household")(lang))),
            .p(
                .class("flash-error"), .id("invite-refused"), .attribute(named: "role", value: "alert"),
                .text(lang == .zh ? error.messageZH : error.messageEN)),
            .p(.a(.href(SiteURL.account(.data).path), .text(T("返回我的信息", "Back to My data")(lang)))))
    }

    static func coverage(_ o: InvitationPages.Overview, lang: Lang) -> Node<HTML.BodyContext> {
        let households = o.children.reduce(0) { $0 + $1.households }, signed = o.children.reduce(0) { $0 + $1.signed_up }
        return .group(
            .p(
                .class("muted"), .id("coverage-total"),
                .text(
                    T(
                        "已注册 \(signed) 户，共 \(households) 户（\(percent(signed, households))）。选择下一级查看，到楼组打印邀请函。",
                        "\(signed) of \(households) households signed up (\(percent(signed, households))). Open a level below; letters are printed per building group."
                    )(lang))),
            .div(
                .class("table-wrap"),
                .table(
                    .class("data"), .id("coverage"),
                    .thead(
                        .tr(
                            .th(.text(T("网格", "Grid node")(lang))), .th(.class("num"), .text(T("户数", "Households")(lang))),
                            .th(.class("num"), .text(T("已注册户", "Signed up")(lang))), .th(.class("num"), .text(T("覆盖率", "Coverage")(lang))),
                            .th(.class("num"), .text(T("未用邀请函", "Letters out")(lang))))),
                    .tbody(
                        .forEach(o.children) { c in
                            .tr(
                                .td(.a(.href(SiteURL.residents(.invitations).path([("node", c.code)]).attributeSafe), .text(c.name))),
                                .td(.class("num"), .text(String(c.households))), .td(.class("num"), .text(String(c.signed_up))),
                                .td(.class("num"), .text(percent(c.signed_up, c.households))), .td(.class("num"), .text(String(c.letters_active))))
                        }))))
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    static func households(_ o: InvitationPages.Overview, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let waiting = o.households.filter { $0.accounts == 0 && $0.letter_id == nil }.count
        return .group(
            .form(
                .id("issue-form"), .class("stack card"), .method(.post), .action(SiteURL.residents(.invitations).path), Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("node"), .value(o.node.code.attributeSafe)),
                .p(
                    .text(
                        T(
                            "本楼组 \(o.households.count) 户，其中 \(waiting) 户既未注册也没有未用的邀请函。打印后每户一封，邀请码只在这一次显示。",
                            "\(o.households.count) households here; \(waiting) have neither an account nor an unused letter. Each gets one letter; the codes are shown this once."
                        )(lang))),
                .label(.for("valid_days"), .text(T("有效天数", "Valid for (days)")(lang))),
                .input(
                    .id("valid_days"), .name("valid_days"), .type(.number), .value(String(Invitations.defaultValidDays)),
                    .attribute(named: "min", value: String(Invitations.validDays.lowerBound)),
                    .attribute(named: "max", value: String(Invitations.validDays.upperBound))),
                .button(.type(.submit), .text(T("生成并打印邀请函（\(waiting) 封）", "Make and print letters (\(waiting))")(lang)))),
            .div(
                .class("table-wrap"),
                .table(
                    .class("data"), .id("households"),
                    .thead(
                        .tr(
                            .th(.text(T("地址", "Address")(lang))), .th(.text(T("注册", "Signed up")(lang))),
                            .th(.text(T("邀请函", "Letter")(lang))))),
                    .tbody(
                        .forEach(o.households) { h in
                            .tr(
                                .id("household-\(h.id.uuidString)"),
                                .td(.text(h.address)),
                                .td(
                                    .text(h.accounts > 0 ? T("已注册 \(h.accounts) 人", "\(h.accounts) signed up")(lang) : T("未注册", "Not yet")(lang)),
                                    .forEach(o.accounts.filter { $0.household_id == h.id }) { a in
                                        .form(
                                            .class("inline"), .method(.post),
                                            .action(SiteURL.residents(.accountReset(.value(a.username))).path.attributeSafe),
                                            Layout.csrfField(ctx.csrf),
                                            .input(.type(.hidden), .name("node"), .value(o.node.code.attributeSafe)),
                                            .text(" \(a.display_name)（\(a.username)）"),
                                            .button(.type(.submit), .class("secondary"), .text(T("重置密码", "Reset password")(lang))))
                                    }),
                                .td(letterCell(h, node: o.node.code, ctx: ctx)))
                        }))))
    }

    static func letterCell(_ h: InvitationQueries.Household, node: String, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        if let letter = h.letter_id, let until = h.letter_until {
            return .form(
                .class("inline"), .method(.post), .action(SiteURL.residents(.invitationRevoke(.value(letter))).path.attributeSafe),
                Layout.csrfField(ctx.csrf), .input(.type(.hidden), .name("node"), .value(node.attributeSafe)),
                .text(T("有效至 ", "Valid until ")(lang) + LocalTime.short(until, year: true) + " "),
                .label(.for("reason-\(letter.uuidString)"), .class("visually-hidden"), .text(T("作废原因", "Reason")(lang))),
                .input(
                    .id("reason-\(letter.uuidString)"), .name("reason"), .type(.text), .required(true),
                    .attribute(named: "placeholder", value: T("作废原因，如遗失", "Reason, e.g. lost")(lang))),
                .button(.type(.submit), .text(T("作废", "Revoke")(lang))))
        }
        return .form(
            .class("inline"), .method(.post), .action(SiteURL.residents(.invitations).path), Layout.csrfField(ctx.csrf),
            .input(.type(.hidden), .name("node"), .value(node.attributeSafe)),
            .input(.type(.hidden), .name("household_id"), .value(h.id.uuidString)),
            .button(.type(.submit), .text(h.accounts > 0 ? T("再发一封", "Another letter")(lang) : T("补发", "Issue a letter")(lang))))
    }

    /// The letters to print: one per page, large type, the code, the link and its QR code.
    static func letters(_ letters: [Invitations.Letter], node: GridNodeSummary, origin: String, ctx: PageContext) -> Response {
        let lang = ctx.lang
        let title = T("邀请函", "Letters")(lang)
        return Layout.render(
            ctx, title: "\(title) · \(node.name)",
            .h1(.class("no-print"), .text("\(title) · \(node.name)")),
            .p(
                .class("muted no-print"), .id("letters-count"),
                .text(
                    letters.isEmpty
                        ? T("没有需要发邀请函的户。", "No household needs a letter.")(lang)
                        : T(
                            "共 \(letters.count) 封。邀请码只显示这一次：请现在打印（浏览器菜单“打印”，A4）。",
                            "\(letters.count) letters. The codes are shown only this once: print now (A4 from the browser's menu).")(lang))),
            .p(
                .class("no-print"), .a(.href(SiteURL.residents(.invitations).path([("node", node.code)]).attributeSafe), .text(T("返回", "Back")(lang)))
            ),
            .forEach(letters) { letter in
                .article(
                    .class("letter card"), .id("letter-\(letter.id.uuidString)"),
                    .h2(.text(T("智慧临小二 · 居民注册邀请函", "Minqing · your invitation to sign up")(lang))),
                    .p(.class("letter-address"), .text(letter.address)),
                    .p(
                        .text(
                            T(
                                "请用手机扫描二维码或打开下面的网址，填写邀请码、姓名和身份证号码即可注册。每户一封。",
                                "Scan the QR code with your phone or open the address below, then enter the code, your name and your ID number. One letter per household."
                            )(lang))),
                    codeAndLink(
                        letter, origin: origin,
                        note: T("。请勿转交他人；遗失请到居委会作废补发。", ". Do not pass it on; if lost, the residents' committee revokes it and issues another."),
                        lang: lang))
            })
    }

    /// A letter's QR code of the sign-up link with the code in it, the link, the code in large
    /// type and how long it is valid, then `note`.
    static func codeAndLink(_ letter: Invitations.Letter, origin: String, note: T, lang: Lang) -> Node<HTML.BodyContext> {
        let link = origin + SiteURL.signup.path([("code", letter.code)])
        let qr = (try? QRCode(text: link))?.svg(moduleSize: 4, title: T("注册链接二维码", "QR code of the sign-up link")(lang)) ?? ""
        return .group(
            .div(.class("letter-qr"), PageParts.drawnSVG(qr)),
            .p(.class("letter-link mono"), .text(origin + SiteURL.signup.path)),
            .p(.class("letter-code"), .text(T("邀请码  ", "Code  ")(lang)), .strong(.class("mono"), .text(letter.code))),
            .p(.text(T("有效期至 ", "Valid until ")(lang) + LocalTime.short(letter.expires_at, year: true) + note(lang))))
    }
}
