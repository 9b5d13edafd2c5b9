import Fluent
import Foundation
import MinqingDomain
import Vapor

/// 社区大脑 as JSON under `/api/v1/dashboard` and every table as CSV under `/dashboard/csv`.
/// Grid staff only (their subtree); a node outside it answers 404 like a node that does not exist.
struct DashboardController: RouteCollection {
    static let viewers: Set<Role> = Set(Role.allCases.filter(\.isGridStaff))

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "dashboard").grouped(RequireSignIn(), RequireRole(Self.viewers))
        api.get(use: report)
        api.get("panels", ":panel", use: panel)
        routes.grouped(RequireSignIn(), RequireRole(Self.viewers)).get(.dashboard(.csv(.key, .key)), use: csv)
    }

    /// `node` (a grid code inside the caller's scope, default their root) and `year` (default this year).
    static func context(_ req: Request) async throws -> DashboardContext {
        let actor = try req.requireActor()
        struct Query: Decodable { var node: String?; var year: String? }
        let q = try req.query.decode(Query.self)
        var year: Int?
        if let text = q.year?.nilIfEmpty {
            guard let value = Int(text), (2000...2100).contains(value) else {
                throw AppError.validation("year", zh: "年份应为 2000 至 2100 之间的整数", en: "year is a whole number from 2000 to 2100")
            }
            year = value
        }
        guard
            let ctx = try await DashboardQueries.context(
                actor: actor, code: q.node, year: year, now: req.now,
                calendar: req.application.services.calendar, on: req.db)
        else {
            throw AppError.notFound("网格节点不存在或不在您的管辖范围内", "No such grid node in your scope")
        }
        return ctx
    }

    static func panelID(_ req: Request) throws -> DashboardPanelID {
        guard let id = DashboardPanelID(rawValue: req.parameters.get("panel") ?? "") else {
            throw AppError.notFound("没有这个报表", "No such panel")
        }
        return id
    }

    @Sendable func report(req: Request) async throws -> DashboardReport {
        try await DashboardQueries.report(try await Self.context(req), on: req.db, spread: { [app = req.application] in app.db })
    }

    @Sendable func panel(req: Request) async throws -> DashboardPanel {
        let id = try Self.panelID(req)
        return try await DashboardQueries.panel(id, try await Self.context(req), on: req.db)
    }

    /// One table as CSV (UTF-8 with BOM, headers and row labels in the caller's language or
    /// `?lang=zh|en`, `Request.fileLang`; amounts as stored: fen, minutes, tenths of a per cent,
    /// named in the header).
    @Sendable func csv(req: Request) async throws -> Response {
        let id = try Self.panelID(req)
        let ctx = try await Self.context(req)
        let panel = try await DashboardQueries.panel(id, ctx, on: req.db)
        guard let table = panel.tables.first(where: { $0.id == req.parameters.get("table") }) else {
            throw AppError.notFound("没有这个表格", "No such table")
        }
        let lang = req.fileLang
        let csv = Self.csv(table, lang: lang)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"dashboard-\(id.rawValue)-\(table.id)-\(ctx.node.code)-\(ctx.year).csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    static func csv(_ table: DashboardTable, lang: Lang) -> String {
        func unit(_ format: DashboardFormat) -> String {
            switch format {
            case .count: ""
            case .fen: lang == .zh ? "（分）" : " (fen)"
            case .minutes: lang == .zh ? "（分钟）" : " (minutes)"
            case .permille: lang == .zh ? "（‰）" : " (per mille)"
            }
        }
        let header =
            [lang == .zh ? "编码" : "Code", lang == .zh ? table.label_zh : table.label_en]
            + table.columns.map { (lang == .zh ? $0.name_zh : $0.name_en) + unit($0.format) }
        let rows = table.rows.map { row in
            [row.key, lang == .zh ? row.label_zh : row.label_en]
                + (row.suppressed == true ? row.values.indices.map { $0 == 0 ? "<5" : "" } : row.values.map { $0.map(String.init) ?? "" })
        }
        return CSVTable.write(header: header, rows: rows)
    }
}
