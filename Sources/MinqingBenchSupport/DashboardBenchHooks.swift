import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import Plot
import SQLKit
import Vapor

/// 社区大脑's entry points for `minqing-bench`: the same functions the handlers call, so the
/// figures are server time without the network.
extension BenchHooks {
    /// A dashboard prepared for one node and the current year, as the named account sees it.
    public struct DashboardBench: Sendable {
        let context: DashboardContext
        public var nodeCode: String { context.node.code }
    }

    /// The panel names, in page order (`dashboard.<panel>`).
    public static var dashboardPanels: [String] { DashboardPanelID.allCases.map(\.rawValue) }

    /// The dashboard of `node` (default: the account's root) as `username` sees it.
    public static func dashboard(_ app: Application, username: String = "staff", node: String? = nil) async throws -> DashboardBench {
        guard let actor = try await accountActor(app, username: username),
            let ctx = try await DashboardQueries.context(
                actor: actor.actor, code: node, year: nil, now: app.services.now(),
                calendar: app.services.calendar, on: app.db)
        else {
            throw AppError.notFound("没有这个节点", "No such node")
        }
        return DashboardBench(context: ctx)
    }

    /// One panel; returns how many figures and table rows it holds.
    public static func dashboardPanel(_ app: Application, _ name: String, _ bench: DashboardBench) async throws -> Int {
        guard let id = DashboardPanelID(rawValue: name) else { throw AppError.notFound("没有这个报表", "No such panel") }
        let panel = try await DashboardQueries.panel(id, bench.context, on: app.db)
        return panel.figures.count + panel.tables.reduce(0) { $0 + $1.rows.count }
    }

    /// On PostgreSQL, VACUUM ANALYZE of the register's tables the panels count (outside any
    /// transaction), as autovacuum does after a bulk load: until the visibility map is set, the
    /// index-only scans that count persons, households and tags per grid node visit the heap for
    /// every row (at scale 10, 900,000 persons for the heat grid alone); the register search reads
    /// the same tables. A no-op on SQLite.
    public static func settleRegisterTables(_ app: Application) async throws {
        guard app.db.dialectName == "postgresql" else { return }
        for table in ["grid_closure", "grid_nodes", "households", "persons", "tag_assignments", "aid_rollups", "buildings"] {
            try await app.db.sql.raw("VACUUM (ANALYZE) \(ident: table)").run()
        }
    }

    /// The whole page: every panel, the charts and the HTML; returns the page's size in bytes.
    public static func dashboardPage(_ app: Application, _ bench: DashboardBench) async throws -> Int {
        try await DashboardPages.page(bench.context, page: pageContext(bench), on: app.db, spread: { app.db }).body.count
    }

    static func pageContext(_ bench: DashboardBench) -> PageContext {
        PageContext(lang: .zh, user: bench.context.actor.shellUser, csrf: "bench", path: "/dashboard")
    }

    /// The page's two halves apart: every panel side by side (the report), and the charts and
    /// HTML made from a report (returns the page's size in bytes).
    package static func dashboardReport(_ app: Application, _ bench: DashboardBench) async throws -> DashboardReport {
        try await DashboardQueries.report(bench.context, on: app.db, spread: { app.db })
    }

    package static func dashboardRender(_ report: DashboardReport, _ bench: DashboardBench) -> Int {
        DashboardViews.page(report, ctx: pageContext(bench)).body.count
    }

    /// The first residential area of the demo subdistrict.
    public static func dashboardAreaCode(_ app: Application) async throws -> String {
        guard let code = try await nodeCodes(app, level: GridLevel.residentialArea.rawValue).first(where: { $0.hasPrefix(DemoData.subdistrictCode) })
        else {
            throw AppError.notFound("没有居民区", "No residential area")
        }
        return code
    }

    /// A bearer token of a demo account (for the HTTP throughput measures).
    public static func apiToken(_ app: Application, base: String, username: String) async throws -> String {
        let response = try await app.client.post(URI(string: "\(base)/api/v1/auth/token")) { req in
            try req.content.encode(["username": username, "password": "Bench-Pass-2026"], as: .json)
        }
        struct Token: Decodable { var token: String }
        return try response.content.decode(Token.self).token
    }

    /// Resident memory of this process now, MB (from /proc/self/status VmRSS).
    public static func residentMemoryMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first(where: { Double($0) != nil }) ?? "")
        else { return 0 }
        return kb / 1024
    }

    /// The ID number of some person in the demo, for the person look-up endpoint.
    public static func someIDNumber(_ app: Application) async throws -> String {
        guard let id = try await sampleIDNumbers(app, count: 1, seed: 3).first else { throw AppError.notFound("没有居民", "No person") }
        return id
    }
}
