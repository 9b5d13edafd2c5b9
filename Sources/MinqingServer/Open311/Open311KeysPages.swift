import Foundation
import MinqingDomain
import Plot
import Vapor

/// The administrator's page for Open311 clients (the 12345 hotline's or a city platform's
/// system that files cases here): who holds a key, issue one (shown once, on the answer to the
/// POST — it is stored only hashed, so it cannot be shown again after a redirect), revoke one.
/// The same service and scope rules as `Open311KeysController`.
struct Open311KeysPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(.admin))
        pages.get(.admin(.open311Clients), use: list)
        pages.post(.admin(.open311Clients), use: issue)
        pages.post(.admin(.open311ClientRevoke(.key)), use: revoke)
    }

    struct Form: Content { var name: String?; var jurisdiction_id: String? }

    @Sendable func list(req: Request) async throws -> Response {
        try await render(req, form: Form(), issued: nil, error: nil, status: .ok)
    }

    @Sendable func issue(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(Form.self)
        do {
            let jurisdiction = try await Open311KeysController.jurisdiction(form.jurisdiction_id, for: actor, on: req.db)
            let (client, key) = try await Open311Service.issueKey(
                name: form.name ?? "", jurisdiction: jurisdiction, by: actor.auditName,
                actorID: actor.accountID, now: req.services.now(), on: req.db)
            return try await render(req, form: Form(), issued: (client, key), error: nil, status: .created)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, form: form, issued: nil, error: error, status: .unprocessableEntity)
        }
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else {
            throw AppError.notFound("客户端不存在或不在您的范围内", "No such client in your scope")
        }
        try await Open311Service.revoke(
            id, scope: actor.scope, by: actor.auditName, actorID: actor.accountID, now: req.services.now(), on: req.db)
        return req.redirect(to: SiteURL.admin(.open311Clients))
    }

    private func render(
        _ req: Request, form: Form, issued: (Open311ClientRecord, String)?, error: AppError?, status: HTTPStatus
    ) async throws -> Response {
        let actor = try req.requireActor()
        let clients = try await Open311Queries.clients(in: actor.scope, on: req.db)
        let subdistricts = try await Open311Queries.subdistrictChoices(in: actor.scope, on: req.db)
        let ctx = req.pageContext
        let lang = ctx.lang
        let title = T("Open311 接入密钥", "Open311 client keys")
        return Layout.render(
            ctx, title: title(lang), status: status,
            .h1(.text(title(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "12345 热线或城市运行平台等系统凭密钥向本系统报送案件。密钥只在签发时显示一次。",
                        "Systems such as the 12345 hotline file cases here with a key. A key is shown once, when it is issued.")(lang))),
            .unwrap(issued) { client, key in
                .div(
                    .class("flash-ok"), .id("issued-key"),
                    .p(
                        .text(
                            T("已为「\(client.name)」签发密钥，请立即复制，离开本页后无法再次查看：", "Key issued for “\(client.name)”. Copy it now: it cannot be shown again:")(
                                lang))),
                    .p(.class("mono"), .text(key)))
            },
            PageParts.errorBox(error, lang, id: "open311-error"),
            issueForm(form, subdistricts: subdistricts, error: error, ctx: ctx),
            clientTable(clients, ctx: ctx))
    }

    private func issueForm(
        _ form: Form, subdistricts: [Open311Queries.SubdistrictChoice], error: AppError?, ctx: PageContext
    ) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .div(
            .class("card"),
            .h2(.text(T("签发新密钥", "Issue a key")(lang))),
            .form(
                .id("open311-form"), .class("stack"), .method(.post), .action(SiteURL.admin(.open311Clients).path),
                Layout.csrfField(ctx.csrf),
                .label(.for("name"), .text(T("接入系统名称", "Name of the client system")(lang))),
                .input(
                    .id("name"), .name("name"), .type(.text), .value((form.name ?? "").attributeSafe), .required(true),
                    .placeholder(T("如：12345 市民服务热线", "e.g. 12345 citizen hotline")(lang))),
                PageParts.fieldError(error, "name", lang: lang),
                .label(.for("jurisdiction_id"), .text(T("所属街道", "Subdistrict")(lang))),
                .select(
                    .attribute(named: "id", value: "jurisdiction_id"), .attribute(named: "name", value: "jurisdiction_id"),
                    .forEach(subdistricts) { choice in
                        .option(
                            .value(choice.code.attributeSafe), .label(choice.name.attributeSafe),
                            .isSelected(choice.code == form.jurisdiction_id))
                    }),
                PageParts.fieldError(error, "jurisdiction_id", lang: lang),
                .button(.type(.submit), .text(T("签发", "Issue")(lang)))))
    }

    private func clientTable(_ clients: [Open311ClientRecord], ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .group(
            .h2(.text(T("已签发的密钥（\(clients.count)）", "Keys issued (\(clients.count))")(lang))),
            PageParts.table(
                id: "open311-clients",
                headers: [
                    .init(T("名称", "Name")(lang)), .init(T("街道", "Subdistrict")(lang)), .init(T("密钥尾号", "Key ends")(lang)),
                    .init(T("签发", "Issued")(lang)), .init(T("状态", "State")(lang))
                ],
                rows: clients
            ) { client in
                .tr(
                    .td(.text(client.name)), .td(.text(client.jurisdiction_id)), .td(.class("mono"), .text("…" + client.key_hint)),
                    .td(.text(LocalTime.short(client.created_at, year: true))),
                    .td(
                        .unwrap(
                            client.revoked_at,
                            { .span(.class("badge bad"), .text(T("已吊销 ", "Revoked ")(lang) + LocalTime.short($0, year: true))) },
                            else: .form(
                                .class("inline"), .method(.post),
                                .action(SiteURL.admin(.open311ClientRevoke(.value(client.id))).path.attributeSafe),
                                Layout.csrfField(ctx.csrf),
                                .button(.class("small"), .type(.submit), .text(T("吊销", "Revoke")(lang)))))))
            })
    }
}
