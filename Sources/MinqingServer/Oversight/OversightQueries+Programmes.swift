import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements behind `OversightService+Programmes`: projects, milestones and the links of
/// property-company accounts to their company.
extension OversightQueries {
    /// Changes a project's status, spending, leader and department, each only when given (nil keeps it).
    static func updateProject(_ id: UUID, status: String?, spentFen: Int64?, leader: String?, department: String?, on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE governance_projects SET status = COALESCE(\(bind: status), status), spent_fen = COALESCE(\(bind: spentFen), spent_fen),
              leader_name = COALESCE(\(bind: leader), leader_name), department = COALESCE(\(bind: department), department)
            WHERE id = \(bind: id)
            """
        ).run()
    }

    /// Writes a milestone of a project, not done.
    static func insertMilestone(id: UUID, project projectID: UUID, name: String, dueOn day: String, on db: any Database) async throws {
        try await db.sql.insert(into: "governance_milestones").columns("id", "project_id", "name", "due_on", "done_on")
            .values(SQLBind(id), SQLBind(projectID), SQLBind(name), SQLBind(day), SQLLiteral.null).run()
    }

    /// Marks a milestone done on `day`; whether it changed (false: done already).
    static func completeMilestone(_ id: UUID, doneOn day: String, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.raw(
            """
            UPDATE governance_milestones SET done_on = \(bind: day) WHERE id = \(bind: id) AND done_on IS NULL RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    struct ScopedAccount: Decodable { var id: UUID; var role: Role; var username: String }

    /// The account `username` (trimmed, lower-cased) when its node lies in `scope`.
    static func scopedAccount(username: String, in scope: GridScope, on db: any Database) async throws -> ScopedAccount? {
        try await db.sql.raw(
            """
            SELECT a.id, a.role, a.username FROM accounts a
            WHERE a.username = \(bind: username.trimmingCharacters(in: .whitespaces).lowercased()) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: ScopedAccount.self)
    }

    /// Removes the account's link to a company, if any.
    static func deleteCompanyAccount(_ account: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM company_accounts WHERE account_id = \(bind: account)").run()
    }

    /// Links the account to the company.
    static func insertCompanyAccount(_ account: UUID, company: UUID, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "company_accounts").columns("account_id", "company_id", "linked_by", "linked_at")
            .values(SQLBind(account), SQLBind(company), SQLBind(writer.actor.username), SQLBind(writer.now)).run()
    }
}
