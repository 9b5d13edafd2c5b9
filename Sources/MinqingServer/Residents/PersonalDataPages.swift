import Foundation
import MinqingDomain
import Plot
import Vapor

/// 我的信息: what the platform holds about the caller (every account; a resident also their
/// household), a JSON copy to download (PIPL art. 45, a POST, audited), and for residents the
/// correction request form (art. 46) with the answers. Staff handle the requests in
/// `/registry/corrections`. JSON: `GET /api/v1/me/data`, `POST /api/v1/me/corrections`,
/// `GET|POST /api/v1/registry/corrections…`.
struct PersonalDataPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RequireSignIn())
        signedIn.get(.account(.data), use: page)
        signedIn.post(.account(.dataDownload), use: download)
        signedIn.grouped(RequireRole(.resident)).post(.account(.dataCorrections), use: requestForm)
        let api = routes.grouped("api", "v1").grouped(RequireSignIn())
        api.get("me", "data", use: data)
        api.grouped(RequireRole(.resident)).post("me", "corrections", use: request)
        let staff = routes.grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        staff.get(.registry(.corrections), use: queuePage)
        staff.post(.registry(.correction(.key)), use: answerForm)
        staff.get("api", "v1", "registry", "corrections", use: queue)
        staff.post("api", "v1", "registry", "corrections", ":id", use: answer)
    }

    // MARK: the caller's own data

    @Sendable func data(req: Request) async throws -> PersonalData.Export {
        try await PersonalData.collect(for: try req.requireActor(), lang: req.pageContext.lang, now: req.now, on: req.db)
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, errors: [], form: .init(), status: .ok)
    }

    func render(
        _ req: Request, errors: [FieldError], form: CorrectionRequests.Input, status: HTTPStatus, proxyErrors: [FieldError] = []
    ) async throws -> Response {
        let actor = try req.requireActor()
        let export = try await PersonalData.collect(for: actor, lang: req.pageContext.lang, now: req.now, on: req.db)
        var members: [(PersonID, String)] = []
        var proxies: Proxies.Overview?
        if actor.role == .resident {
            members = try await PersonalDataQueries.householdMembers(of: actor.accountID, on: req.db).map { ($0.id, $0.name) }
            proxies = try await Proxies.overview(for: actor, today: CivilDate(req.now, in: .shanghai), on: req.db)
        }
        var ctx = req.pageContext
        ctx.path = SiteURL.account(.data).path
        return PersonalDataViews.page(
            export, resident: actor.role == .resident, members: members, errors: errors, form: form,
            done: req.query[String.self, at: "done"], proxies: proxies, proxyErrors: proxyErrors, ctx: ctx, status: status)
    }

    /// The whole copy as a JSON file (a POST with the form's token: a link could not make a
    /// browser download it), audited.
    @Sendable func download(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let export = try await PersonalData.collect(for: actor, lang: req.pageContext.lang, now: req.now, on: req.db)
        let now = req.now
        let address = req.clientAddress
        try await req.db.write { db in
            try await AuditLog.append(
                AuditEntry(
                    action: "personal_data.downloaded", actorID: actor.accountID, actorName: actor.username,
                    targetType: "account", targetID: actor.username, clientAddress: address), at: now, on: db)
        }
        let response = try await export.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"minqing-my-data.json\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func request(req: Request) async throws -> Response {
        let input = try req.content.decode(CorrectionRequests.Input.self)
        let id = try await CorrectionRequests.submit(
            input, actor: try req.requireActor(), vault: req.services.vault, now: req.now,
            address: req.clientAddress, on: req.db)
        return try await RegistryRecords.Created(id: id).encodeResponse(status: .created, for: req)
    }

    struct RequestForm: Content { var person_id: String?; var field: String?; var requested: String?; var note: String? }

    @Sendable func requestForm(req: Request) async throws -> Response {
        let form = try req.content.decode(RequestForm.self)
        let input = CorrectionRequests.Input(
            person_id: form.person_id.flatMap(UUID.init(uuidString:)), field: form.field,
            requested: form.requested, note: form.note)
        do {
            _ = try await CorrectionRequests.submit(
                input, actor: try req.requireActor(), vault: req.services.vault, now: req.now,
                address: req.clientAddress, on: req.db)
            return req.redirect(to: SiteURL.account(.data).path([("done", "correction")]) + "#corrections", redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let fields =
                error.fields.isEmpty ? [FieldError(field: "requested", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            // A number the resident typed is not shown back into the page.
            var kept = input
            if CorrectionRequests.Field(rawValue: input.field ?? "")?.isPersonalNumber == true { kept.requested = nil }
            return try await render(req, errors: fields, form: kept, status: error.status)
        }
    }

    // MARK: the staff's queue

    @Sendable func queue(req: Request) async throws -> [CorrectionRequests.Row] {
        let status = try req.query[String.self, at: "status"].map { raw -> CorrectionRequests.Status in
            guard let value = CorrectionRequests.Status(rawValue: raw) else {
                throw AppError.validation("status", zh: "状态须为 open、done 或 refused", en: "status must be open, done or refused")
            }
            return value
        }
        return try await CorrectionRequests.queue(for: try req.requireActor(), status: status, on: req.db)
    }

    @Sendable func answer(req: Request) async throws -> HTTPStatus {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound() }
        let writer = try req.writeContext()
        try await CorrectionRequests.answer(id, try req.content.decode(CorrectionRequests.Answer.self), writer: writer, on: req.db)
        return .noContent
    }

    @Sendable func queuePage(req: Request) async throws -> Response {
        try await renderQueue(req, failed: nil, status: .ok)
    }

    @Sendable func answerForm(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound() }
        let input = try req.content.decode(CorrectionRequests.Answer.self)
        let writer = try req.writeContext()
        do {
            try await CorrectionRequests.answer(id, input, writer: writer, on: req.db)
            return req.redirect(to: SiteURL.registry(.corrections).path([("done", "1")]), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderQueue(req, failed: (id, error.fields, input), status: .unprocessableEntity)
        }
    }

    func renderQueue(_ req: Request, failed: (UUID, [FieldError], CorrectionRequests.Answer)?, status: HTTPStatus) async throws -> Response {
        let rows = try await CorrectionRequests.queue(for: try req.requireActor(), status: nil, on: req.db)
        var ctx = req.pageContext
        ctx.path = SiteURL.registry(.corrections).path
        return PersonalDataViews.queue(rows, failed: failed, done: req.query[String.self, at: "done"] != nil, ctx: ctx, status: status)
    }
}

enum PersonalDataViews {
    /// Rows a section shows on the page (a phone screen or two); the download holds every row.
    static let pageRows = 20

    static func page(
        _ export: PersonalData.Export, resident: Bool, members: [(PersonID, String)], errors: [FieldError],
        form: CorrectionRequests.Input, done: String?, proxies: Proxies.Overview? = nil, proxyErrors: [FieldError] = [], ctx: PageContext,
        status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let title = T("我的信息", "My data")(lang)
        return Layout.render(
            ctx, title: title, status: status,
            .h1(.text(title)),
            .p(
                .class("muted"),
                .text(
                    T(
                        "这里是本平台保存的与您的账号有关的全部信息（《个人信息保护法》第四十五条）。身份证和手机号码只显示遮蔽形式。",
                        "This is everything the platform holds about your account (PIPL art. 45). ID and mobile numbers are shown masked.")(lang)),
                .text(" "), .a(.href(SiteURL.privacy.path), .text(T("隐私说明", "Privacy notice")(lang)))),
            .p(
                .class("actions"),
                .a(.href(SiteURL.account(.password).path), .text(Texts.changePassword(lang))),
                .a(.id("second-factor-link"), .href(SiteURL.account(.secondFactor).path), .text(T("动态口令（双因素登录）", "Second factor")(lang)))),
            .form(
                .id("download-form"), .method(.post), .action(SiteURL.account(.dataDownload).path), Layout.csrfField(ctx.csrf),
                .button(.type(.submit), .id("download"), .text(T("下载我的信息（JSON 文件）", "Download my data (a JSON file)")(lang)))),
            .if(
                done == "correction",
                .p(
                    .class("flash-ok"), .id("correction-sent"), .attribute(named: "role", value: "status"),
                    .text(
                        T(
                            "更正申请已提交，居委会处理后会在下方“更正申请”中答复。",
                            "Your request was sent; the residents' committee answers it under “Correction requests” below.")(lang)))),
            .forEach(export.sections) { section in
                .section(
                    .class("card"), .id("data-\(section.key)"),
                    .h2(.text(lang == .zh ? section.title_zh : section.title_en)),
                    section.rows.isEmpty
                        ? .p(.class("muted"), .text(T("没有记录。", "Nothing recorded.")(lang)))
                        : .div(
                            .class("table-wrap"),
                            .table(
                                .thead(.tr(.forEach(section.headers) { .th(.text($0)) })),
                                .tbody(.forEach(section.rows.prefix(pageRows)) { row in .tr(.forEach(row) { .td(.text($0)) }) }))),
                    .if(
                        section.rows.count > pageRows,
                        .p(
                            .class("muted"), .id("more-\(section.key)"),
                            .text(
                                T(
                                    "显示最近 \(pageRows) 条，共 \(section.rows.count) 条；下载的文件里有全部记录。",
                                    "The latest \(pageRows) of \(section.rows.count) are shown; the download holds them all.")(lang)))))
            },
            .if(resident && !members.isEmpty, inviteForm(ctx: ctx)),
            .unwrap(proxies) { ProxyViews.section($0, errors: proxyErrors, done: done, ctx: ctx) },
            .if(resident, correctionForm(members: members, errors: errors, form: form, ctx: ctx)))
    }

    /// A code for a member of the household to sign up with (issue 22).
    static func inviteForm(ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        return .section(
            .class("card"), .id("invite"),
            .h2(.text(T("邀请家人", "Invite your household")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "给在册的家人一个注册邀请码（\(Invitations.memberValidDays) 天内有效，用一次即失效）。",
                        "Give a registered member of your household a sign-up code (valid \(Invitations.memberValidDays) days, good for one sign-up)."
                    )(lang))),
            .form(
                .id("invite-form"), .method(.post), .action(SiteURL.account(.householdInvite).path), Layout.csrfField(ctx.csrf),
                .button(.type(.submit), .text(T("生成邀请码", "Make a code")(lang)))))
    }

    static func correctionForm(members: [(PersonID, String)], errors: [FieldError], form: CorrectionRequests.Input, ctx: PageContext) -> Node<
        HTML.BodyContext
    > {
        let lang = ctx.lang
        func error(_ field: String) -> Node<HTML.FormContext> {
            .forEach(errors.filter { $0.field == field }) {
                .p(.class("field-error"), .id("error-\(field)"), .text(lang == .zh ? $0.messageZH : $0.messageEN))
            }
        }
        let who: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("整户（地址等）", "The household (address…)")(lang)))]
            + members.map { id, name in .option(.value(id.uuidString), .label(name.attributeSafe), .isSelected(form.person_id == id.rawValue)) }
        let fields: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("请选择", "Choose")(lang)))]
            + CorrectionRequests.Field.allCases.map { f in
                .option(.value(f.rawValue), .label(lang == .zh ? f.nameZH : f.nameEN), .isSelected(form.field == f.rawValue))
            }
        return .section(
            .class("card"), .id("correction"),
            .h2(.text(T("申请更正", "Ask for a correction")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "信息有误？写明正确的内容，居委会核实后更正并答复（《个人信息保护法》第四十六条）。",
                        "Something wrong? Say what it should be; the residents' committee checks, corrects and answers (PIPL art. 46).")(lang))),
            .form(
                .id("correction-form"), .class("stack"), .method(.post), .action(SiteURL.account(.dataCorrections).path), Layout.csrfField(ctx.csrf),
                .label(.for("correction-person"), .text(T("关于谁", "About whom")(lang))),
                .select(.attribute(named: "id", value: "correction-person"), .attribute(named: "name", value: "person_id"), .group(who)),
                error("person_id"),
                .label(.for("correction-field"), .text(T("哪一项", "Which item")(lang))),
                .select(.attribute(named: "id", value: "correction-field"), .attribute(named: "name", value: "field"), .group(fields)),
                error("field"),
                .label(.for("correction-requested"), .text(T("正确的内容", "What it should be")(lang))),
                .input(
                    .id("correction-requested"), .name("requested"), .type(.text), .value((form.requested ?? "").attributeSafe),
                    .attribute(named: "maxlength", value: "200"), .required(true)),
                error("requested"),
                .label(.for("correction-note"), .text(T("说明（可选）", "Note (optional)")(lang))),
                .textarea(.id("correction-note"), .name("note"), .attribute(named: "maxlength", value: "500"), .text(form.note ?? "")),
                error("note"),
                .button(.type(.submit), .text(T("提交更正申请", "Send the request")(lang)))))
    }

    static func queue(
        _ rows: [CorrectionRequests.Row], failed: (UUID, [FieldError], CorrectionRequests.Answer)?, done: Bool,
        ctx: PageContext, status: HTTPStatus
    ) -> Response {
        let lang = ctx.lang
        let title = T("更正申请", "Correction requests")(lang)
        return Layout.render(
            ctx, title: title, status: status,
            .h1(.text(title)),
            .p(
                .class("muted"),
                .text(
                    T(
                        "居民对本户登记信息提出的更正（《个人信息保护法》第四十六条）。核实后在居民库中更正，再在这里写明改了什么；不予更正须说明理由。",
                        "Residents' corrections to their household's record (PIPL art. 46). Check, correct it in the register, then say here what changed; a refusal gives its reason."
                    )(lang))),
            .if(done, .p(.class("flash-ok"), .attribute(named: "role", value: "status"), .text(T("已答复。", "Answered.")(lang)))),
            .if(rows.isEmpty, .p(.id("corrections-empty"), .text(T("没有更正申请。", "No correction requests.")(lang)))),
            .forEach(rows) { row in
                let error = failed?.0 == row.id ? failed?.1 ?? [] : []
                let field = lang == .zh ? row.field.nameZH : row.field.nameEN
                let subject =
                    row.person_id.map { SiteURL.registry(.person(.value($0))).path } ?? SiteURL.registry(.household(.value(row.household_id))).path
                return .div(
                    .class("card"), .id("correction-\(row.id.uuidString)"),
                    .p(.a(.href(subject.attributeSafe), .text(row.person_name ?? row.address)), .text(" · \(row.address) · \(row.grid_code)")),
                    .p(.strong(.text(field + T("：", ": ")(lang))), .text(row.requested)),
                    .if(!row.note.isEmpty, .p(.class("muted"), .text(row.note))),
                    .p(.class("muted"), .text(row.submitted_by + " · " + LocalTime.short(row.created_at, year: true))),
                    row.status == .open
                        ? answerForm(row, errors: error, ctx: ctx)
                        : .p(
                            .span(.class("badge"), .text(row.status == .done ? T("已更正", "Done")(lang) : T("不予更正", "Refused")(lang))),
                            .text(" " + (row.reply ?? "") + " · " + (row.handled_by ?? ""))))
            })
    }

    static func answerForm(_ row: CorrectionRequests.Row, errors: [FieldError], ctx: PageContext) -> Node<HTML.BodyContext> {
        let lang = ctx.lang
        let id = row.id.uuidString
        let done: Node<HTML.FormContext> = .label(
            .class("chip"), .input(.type(.radio), .name("status"), .value("done")), .text(T(" 已更正", " Done")(lang)))
        let refused: Node<HTML.FormContext> = .label(
            .class("chip"), .input(.type(.radio), .name("status"), .value("refused")),
            .text(T(" 不予更正", " Refused")(lang)))
        let label: String = T("答复（改了什么，或为什么不改）", "Reply (what changed, or why not)")(lang)
        return .form(
            .class("stack"), .method(.post), .action(SiteURL.registry(.correction(.value(row.id))).path.attributeSafe), Layout.csrfField(ctx.csrf),
            done, refused,
            .forEach(errors.filter { $0.field == "status" }) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) },
            .label(.for("reply-\(id)"), .text(label)),
            .textarea(.id("reply-\(id)"), .name("reply"), .attribute(named: "maxlength", value: "500"), .text("")),
            .forEach(errors.filter { $0.field == "reply" }) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) },
            .button(.type(.submit), .text(T("答复", "Answer")(lang))))
    }
}
