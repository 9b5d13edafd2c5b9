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
        routes.grouped("admin", "audit").grouped(RequireSignIn(), RequireRole(.admin), RequireRootScope()).get(use: page)
        let api = routes.grouped("api", "v1", "audit").grouped(RequireSignIn(), RequireRole(.admin), RequireRootScope())
        api.get(use: list)
        api.get("verify", use: verify)
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
        let rows = try await AuditLog.recent(limit: 200, before: nil, on: req.db)
        // Checking the whole chain reads every row: only on request (?verify=1).
        let result: AuditLog.Verification? = req.query[String.self, at: "verify"] == "1" ? try await AuditLog.verify(on: req.db) : nil
        let ctx = req.pageContext
        let lang = ctx.lang
        let title = T("审计日志", "Audit trail")
        return Layout.render(ctx, title: title(lang),
            .h1(.text(title(lang))),
            .unwrap(result, { result in
                .p(.id("audit-state"), .class(result.isIntact ? "flash-ok" : "flash-error"),
                   .text(result.isIntact
                         ? T("哈希链完整，共校验 \(result.checked) 条。", "The hash chain is intact: \(result.checked) entries checked.")(lang)
                         : T("哈希链被破坏：", "The hash chain is broken: ")(lang) + (result.reason ?? "")))
            }, else: .p(.a(.id("audit-verify"), .href("/admin/audit?verify=1"), .text(T("校验哈希链", "Verify the hash chain")(lang))))),
            .div(.class("table-wrap"),
                 .table(.thead(.tr(.th(.text("#")), .th(.text(T("时间", "Time")(lang))), .th(.text(T("操作人", "Actor")(lang))),
                                   .th(.text(T("操作", "Action")(lang))), .th(.text(T("对象", "Target")(lang))),
                                   .th(.text(T("地址", "Address")(lang))))),
                        .tbody(.forEach(rows) { row in
                            .tr(.td(.class("num"), .text("\(row.seq)")), .td(.text(DisplayTime.format(milliseconds: row.at_ms))),
                                .td(.text(row.actor_name ?? "—")), .td(.class("mono"), .text(row.action)),
                                .td(.text([row.target_type, row.target_id].compactMap { $0 }.joined(separator: " "))),
                                .td(.class("mono"), .text(row.client_address ?? "")))
                        }))))
    }
}
