import Fluent
import Foundation
import MinqingDomain
import Vapor

/// The JSON side of the time-bank statement, the same as its page: a person's balances in every
/// unit and every transfer of their accounts, a page at a time — one's own, or for staff a person
/// inside their scope (404 otherwise).
extension ServicesController {
    static let statementPageSize = 50

    func bootLedger(users: any RoutesBuilder) {
        users.get("ledger", "people", ":username", use: statement)
    }

    @Sendable func statement(req: Request) async throws -> LedgerService.Statement {
        let page = min(max((try? req.query.get(Int.self, at: "page")) ?? 1, 1), 100_000)
        return try await LedgerService.statement(
            of: req.parameters.get("username") ?? "", for: try req.requireActor(), page: page, pageSize: Self.statementPageSize,
            on: req.db)
    }
}
