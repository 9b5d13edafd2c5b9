import MinqingDomain
import Plot
import Vapor

/// Account management pages for administrators and subdistrict staff.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(.admin, .subdistrictStaff))
        pages.get(.admin(.accounts), use: list)
        pages.post(.admin(.accounts), use: create)
        pages.post(.admin(.accountDisabled(.key)), use: toggle)
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await render(req, form: [:], errors: [], created: nil, status: .ok)
    }

    struct Form: Content { var username: String?; var display_name: String?; var role: String?; var scope: String? }

    @Sendable func create(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(Form.self)
        let values = ["username": form.username ?? "", "display_name": form.display_name ?? "", "role": form.role ?? "", "scope": form.scope ?? ""]
        do {
            let created = try await AccountService.create(
                NewAccount(
                    username: values["username"]!, displayName: values["display_name"]!, role: values["role"]!,
                    scopeCode: values["scope"]!, password: nil),
                by: .actor(actor, clientAddress: req.clientAddress), app: req.application, on: req.db, now: req.now)
            return try await render(req, form: [:], errors: [], created: created, status: .created)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, form: values, errors: error.fields, created: nil, status: .unprocessableEntity)
        }
    }

    struct Toggle: Content { var disabled: String? }

    @Sendable func toggle(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(Toggle.self)
        _ = try await AccountService.setDisabled(
            form.disabled == "1", username: req.parameters.get("username") ?? "", writer: WriteContext(actor, req), on: req.db)
        return req.redirect(to: SiteURL.admin(.accounts))
    }

    private func render(_ req: Request, form: [String: String], errors: [FieldError], created: AccountService.Created?, status: HTTPStatus)
        async throws -> Response
    {
        let actor = try req.requireActor()
        let rows = try await AccountQueries.list(in: actor.scope, role: nil, limit: 500, offset: 0, on: req.db)
        let ctx = req.pageContext
        let lang = ctx.lang
        let title = T("账号管理", "Accounts")
        return Layout.render(
            ctx, title: title(lang), status: status,
            .h1(.text(title(lang))),
            .p(.class("muted"), .text(T("管辖范围：", "Scope: ")(lang) + actor.scope.rootName + " (\(actor.scope.rootCode))")),
            createdNotice(created, lang: lang),
            formCard(actor: actor, ctx: ctx, form: form, errors: errors),
            table(rows, actor: actor, ctx: ctx))
    }

    private func createdNotice(_ created: AccountService.Created?, lang: Lang) -> Node<HTML.BodyContext> {
        guard let created else { return .empty }
        var parts: [Node<HTML.BodyContext>] = [.text(T("已创建账号 ", "Created account ")(lang)), .strong(.text(created.username))]
        if let password = created.initialPassword {
            parts.append(.text(T("，初始密码（仅显示一次，首次登录须修改）：", "; initial password (shown once, must be changed at first sign-in): ")(lang)))
            parts.append(.code(.class("mono"), .text(password)))
        }
        return .div(.class("flash-ok"), .id("account-created"), .attribute(named: "role", value: "status"), .group(parts))
    }

    private func formCard(actor: Actor, ctx: PageContext, form: [String: String], errors: [FieldError]) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        func errorFor(_ name: String) -> Node<HTML.FormContext> {
            .forEach(errors.filter { $0.field == name }) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) }
        }
        let options: [Node<HTML.SelectContext>] = actor.role.assignableRoles.map { role in
            .option(.value(role.rawValue), .label(lang == .zh ? role.nameZH : role.nameEN), .isSelected(form["role"] == role.rawValue))
        }
        let fields: [Node<HTML.FormContext>] = [
            Layout.csrfField(ctx.csrf),
            .label(.for("username"), .text(Texts.username(lang))),
            .input(.id("username"), .name("username"), .type(.text), .value((form["username"] ?? "").attributeSafe), .required(true)),
            errorFor("username"),
            .label(.for("display_name"), .text(T("姓名", "Display name")(lang))),
            .input(.id("display_name"), .name("display_name"), .type(.text), .value((form["display_name"] ?? "").attributeSafe), .required(true)),
            errorFor("display_name"),
            .label(.for("role"), .text(Texts.role(lang))),
            .select(.attribute(.attribute(named: "id", value: "role")), .attribute(.attribute(named: "name", value: "role")), .group(options)),
            errorFor("role"),
            .label(.for("scope"), .text(T("管辖网格编码", "Grid node code")(lang))),
            .input(.id("scope"), .name("scope"), .type(.text), .value((form["scope"] ?? actor.scope.rootCode).attributeSafe), .required(true)),
            errorFor("scope"),
            .button(.type(.submit), .text(T("创建", "Create")(lang)))
        ]
        return .div(
            .class("card"),
            .h2(.text(T("新建账号", "New account")(lang))),
            .form(.id("account-form"), .class("stack"), .method(.post), .action(SiteURL.admin(.accounts).path), .group(fields)))
    }

    private func table(_ rows: [AccountQueries.Row], actor: Actor, ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let head: Node<HTML.TableContext> = .thead(
            .tr(
                .th(.text(Texts.username(lang))), .th(.text(T("姓名", "Name")(lang))), .th(.text(Texts.role(lang))),
                .th(.text(Texts.scope(lang))), .th(.text(T("状态", "Status")(lang))), .th()))
        let body: [Node<HTML.TableContext>] = rows.map { row in .tr(.group(cells(row, actor: actor, ctx: ctx))) }
        return .div(.class("table-wrap"), .table(.id("accounts"), head, .tbody(.group(body))))
    }

    private func cells(_ row: AccountQueries.Row, actor: Actor, ctx: PageContext) -> [Node<HTML.TableRowContext>] {
        let lang = ctx.lang
        let role = row.role
        let status: String = row.disabled ? T("已停用", "Disabled")(lang) : T("正常", "Active")(lang)
        var action: Node<HTML.BodyContext> = .empty
        if row.id != actor.accountID && actor.role.assignableRoles.contains(role) {
            let label: String = row.disabled ? T("启用", "Enable")(lang) : T("停用", "Disable")(lang)
            action = .form(
                .class("inline"), .method(.post), .action(SiteURL.admin(.accountDisabled(.value(row.username))).path.attributeSafe),
                Layout.csrfField(ctx.csrf),
                .input(.type(.hidden), .name("disabled"), .value(row.disabled ? "0" : "1")),
                .button(.type(.submit), .text(label)))
            // A lost phone: the account enrols a new second factor at its next sign-in.
            action = .group(
                action,
                .form(
                    .class("inline"), .method(.post),
                    .action(SiteURL.admin(.accountSecondFactorReset(.value(row.username))).path.attributeSafe),
                    Layout.csrfField(ctx.csrf),
                    .button(.type(.submit), .class("small"), .text(T("重置动态口令", "Reset second factor")(lang)))))
        }
        return [
            .td(.class("mono"), .text(row.username)),
            .td(.text(row.display_name)),
            .td(.text(lang == .zh ? role.nameZH : role.nameEN)),
            .td(.text("\(row.node_name) "), .span(.class("muted mono"), .text(row.node_code))),
            .td(.span(.class(row.disabled ? "badge bad" : "badge ok"), .text(status))),
            .td(action)
        ]
    }
}
