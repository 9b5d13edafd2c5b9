import Fluent
import Foundation
import MinqingDemo
import MinqingDomain
import MinqingServer
import SQLKit
import Vapor

extension BenchHooks {
    /// The public service code with the most open cases reported in the last 90 days (what a
    /// client's map of open reports would ask for).
    public static func open311BusiestService(_ app: Application) async throws -> String {
        struct Row: Decodable { var category_code: String }
        let since = app.services.now().addingTimeInterval(-90 * 86_400)
        return try await app.db.sql.raw(
            """
            SELECT c.category_code FROM cases c JOIN case_categories cc ON cc.code = c.category_code
            WHERE cc.open311_public = \(flag: true) AND c.reported_at >= \(bind: since)
              AND c.state IN (\(SQLList(CaseState.allCases.filter(\.isOpen).map { SQLBind($0.rawValue) })))
            GROUP BY c.category_code ORDER BY COUNT(*) DESC, c.category_code LIMIT 1
            """
        ).first(decoding: Row.self)?.category_code ?? "E0101"
    }
}
