import MinqingDomain
import Plot
import Vapor

/// The trail covers the whole deployment, so only an administrator bound at a root node reads
/// it; an administrator bound lower down gets 403.
struct RequireRootScope: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard try request.requireActor().scope.rootDepth == 0 else { throw AppError.forbidden }
        return try await next.respond(to: request)
    }
}

/// The audit trail for administrators: recent entries and the chain's state, in HTML and JSON.
struct AuditPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireSignIn(), RequireRole(.admin), RequireRootScope()).get(.admin(.audit), use: page)
        let api = routes.grouped("api", "v1", "audit").grouped(RequireSignIn(), RequireRole(.admin), RequireRootScope())
        api.get(use: list)
        api.get("verify", use: verify)
        api.post("export", use: export)
        routes.grouped(RequireSignIn(), RequireRole(.admin), RequireRootScope()).post(.admin(.auditExport), use: exportForm)
    }

    struct ExportInput: Content { var from: String?; var to: String?; var log: String? }

    /// The audit trail or the access log of a period as CSV; the export itself is audited.
    @Sendable func export(req: Request) async throws -> Response {
        let input = try req.content.decode(ExportInput.self)
        return try await Self.exportCSV(req, period: try AuditExport.period(from: input.from, to: input.to, log: input.log))
    }

    @Sendable func exportForm(req: Request) async throws -> Response {
        let input = try req.content.decode(ExportInput.self)
        do {
            return try await Self.exportCSV(req, period: try AuditExport.period(from: input.from, to: input.to, log: input.log))
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, exportErrors: error.fields, form: input, status: .unprocessableEntity)
        }
    }

    static func exportCSV(_ req: Request, period: AuditExport.Period) async throws -> Response {
        let actor = try req.requireActor()
        let (text, rows) = try await AuditExport.csv(period, on: req.db)
        let now = req.now
        let address = req.clientAddress
        try await req.db.write { db in
            try await AuditLog.append(
                AuditEntry(
                    action: "audit.exported", actorID: actor.accountID, actorName: actor.username,
                    targetType: "log", targetID: period.log.rawValue,
                    detail: ["from": DisplayTime.format(period.from), "to": DisplayTime.format(period.to), "rows": String(rows)],
                    clientAddress: address), at: now, on: db)
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(period.log.rawValue)-log.csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    struct EntryView: Content {
        var seq: Int64; var at: Date; var actor: String?; var action: String
        var target_type: String?; var target_id: String?; var detail: String; var client_address: String?; var hash: String
        init(_ row: AuditRow) {
            seq = row.seq; at = Date(timeIntervalSince1970: Double(row.at_ms) / 1000); actor = row.actor_name
            action = row.action; target_type = row.target_type; target_id = row.target_id; detail = row.detail
            client_address = row.client_address; hash = row.hash
        }
    }
    struct ListView: Content { var items: [EntryView]; var next_before: Int64? }
    struct VerifyView: Content { var intact: Bool; var checked: Int; var first_bad_seq: Int64?; var reason: String? }

    @Sendable func list(req: Request) async throws -> ListView {
        let limit = try Paging.limit(req, default: 100, max: 1000)
        var before: Int64?
        if let raw = req.query[String.self, at: "before"] {
            guard let value = Int64(raw), value > 0 else {
                throw AppError.validation("before", zh: "before 须为正整数", en: "before must be a positive integer")
            }
            before = value
        }
        let rows = try await AuditLog.recent(limit: limit, before: before, on: req.db)
        return ListView(items: rows.map(EntryView.init), next_before: rows.count == limit ? rows.last?.seq : nil)
    }

    @Sendable func verify(req: Request) async throws -> VerifyView {
        let result = try await AuditLog.verify(on: req.db)
        return VerifyView(intact: result.isIntact, checked: result.checked, first_bad_seq: result.firstBadSeq, reason: result.reason)
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, exportErrors: [], form: ExportInput(), status: .ok)
    }

    func render(_ req: Request, exportErrors: [FieldError], form: ExportInput, status: HTTPStatus) async throws -> Response {
        let rows = try await AuditLog.recent(limit: 200, before: nil, on: req.db)
        // Checking the whole chain reads every row: only on request (?verify=1).
        let result: AuditLog.Verification? = req.query[String.self, at: "verify"] == "1" ? try await AuditLog.verify(on: req.db) : nil
        let ctx = req.pageContext
        let lang = ctx.lang
        let title = T("审计日志", "Audit trail")
        var ctx2 = ctx
        ctx2.path = SiteURL.admin(.audit).path
        let today = CivilDate(req.now, in: .shanghai)
        let monthAgo = (try? today.adding(days: -30)) ?? today
        func error(_ field: String) -> Node<HTML.FormContext> {
            .forEach(exportErrors.filter { $0.field == field }) { .p(.class("field-error"), .text(lang == .zh ? $0.messageZH : $0.messageEN)) }
        }
        let logs: [Node<HTML.SelectContext>] = [
            .option(.value("audit"), .label(T("审计日志", "Audit trail")(lang)), .isSelected(form.log != "access")),
            .option(.value("access"), .label(T("敏感信息访问日志", "Access log of sensitive reads")(lang)), .isSelected(form.log == "access"))
        ]
        let exportCard: Node<HTML.BodyContext> = .div(
            .class("card"), .id("audit-export"),
            .h2(.text(T("导出日志", "Export a log")(lang))),
            .p(
                .class("muted"),
                .text(
                    T(
                        "日志永久保存（不少于 180 天）。导出本身也记入审计日志；一次最多一年。",
                        "Logs are kept for good (at least 180 days). The export is audited too; at most a year a file.")(lang))),
            .form(
                .class("stack"), .method(.post), .action(SiteURL.admin(.auditExport).path), Layout.csrfField(ctx.csrf),
                .label(.for("export-log"), .text(T("日志", "Log")(lang))),
                .select(.attribute(named: "id", value: "export-log"), .attribute(named: "name", value: "log"), .group(logs)),
                .label(.for("export-from"), .text(T("开始日期", "From")(lang))),
                .input(.id("export-from"), .name("from"), .type(.date), .value((form.from ?? monthAgo.iso8601).attributeSafe), .required(true)),
                error("from"),
                .label(.for("export-to"), .text(T("结束日期（含）", "To (included)")(lang))),
                .input(.id("export-to"), .name("to"), .type(.date), .value((form.to ?? today.iso8601).attributeSafe), .required(true)),
                error("to"), error("log"),
                .button(.type(.submit), .text(T("导出 CSV", "Export CSV")(lang)))))
        return Layout.render(
            ctx2, title: title(lang), status: status,
            .h1(.text(title(lang))),
            exportCard,
            .unwrap(
                result,
                { result in
                    .p(
                        .id("audit-state"), .class(result.isIntact ? "flash-ok" : "flash-error"),
                        .text(
                            result.isIntact
                                ? T("哈希链完整，共校验 \(result.checked) 条。", "The hash chain is intact: \(result.checked) entries checked.")(lang)
                                : T("哈希链被破坏：", "The hash chain is broken: ")(lang) + (result.reason ?? "")))
                },
                else: .p(
                    .a(
                        .id("audit-verify"), .href(SiteURL.admin(.audit).path([("verify", "1")])),
                        .text(T("校验哈希链", "Verify the hash chain")(lang))))),
            .div(
                .class("table-wrap"),
                .table(
                    .thead(
                        .tr(
                            .th(.text("#")), .th(.text(T("时间", "Time")(lang))), .th(.text(T("操作人", "Actor")(lang))),
                            .th(.text(T("操作", "Action")(lang))), .th(.text(T("对象", "Target")(lang))),
                            .th(.text(T("地址", "Address")(lang))))),
                    .tbody(
                        .forEach(rows) { row in
                            .tr(
                                .td(.class("num"), .text("\(row.seq)")), .td(.text(DisplayTime.format(milliseconds: row.at_ms))),
                                .td(.text(row.actor_name ?? "—")),
                                .td(.text(AuditActions.name(row.action, zh: lang == .zh)), .br(), .span(.class("mono muted"), .text(row.action))),
                                .td(.text([row.target_type, row.target_id].compactMap { $0 }.joined(separator: " "))),
                                .td(.class("mono"), .text(row.client_address ?? "")))
                        }))))
    }
}
