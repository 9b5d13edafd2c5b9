import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The statements of the visit log's settings (`VisitSettingsService`): quotas by role, 十必访
/// frequencies, staff postings, and which household a resident account speaks for.
extension VisitsQueries {
    struct AccountRow: Decodable, Sendable { var id: UUID; var role: Role; var grid_node_id: UUID }

    /// The visit quota of every staff role that has one, by role.
    static func quotas(on db: any Database) async throws -> [VisitSettingsService.QuotaRow] {
        try await db.sql.raw("SELECT role, households, period FROM visit_quotas ORDER BY role").all(decoding: VisitSettingsService.QuotaRow.self)
    }

    /// Replaces the role's quota (delete, then insert) as set by the writer.
    static func setQuota(role: Role, households: Int, period: VisitQuota.Period, writer: WriteContext, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM visit_quotas WHERE role = \(bind: role.rawValue)").run()
        try await db.sql.insert(into: "visit_quotas").columns("id", "role", "households", "period", "updated_by", "updated_at")
            .values(
                SQLBind(UUID()), SQLBind(role.rawValue), SQLBind(households), SQLBind(period.rawValue),
                SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Sets the 十必访 category's frequency; returns whether the category exists.
    static func setFrequency(code: String, days: Int, writer: WriteContext, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var code: String }
        let changed = try await db.sql.raw(
            """
            UPDATE must_visit_categories SET frequency_days = \(bind: days), updated_by = \(bind: writer.actor.username), updated_at = \(bind: writer.now)
            WHERE code = \(bind: code) RETURNING code
            """
        ).all(decoding: Row.self)
        return !changed.isEmpty
    }

    /// The account `username` (lower-cased) if it is inside `scope`.
    static func account(username: String, in scope: GridScope, on db: any Database) async throws -> AccountRow? {
        try await db.sql.raw(
            """
            SELECT a.id, a.role, a.grid_node_id FROM accounts a
            WHERE a.username = \(bind: username.lowercased()) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
            """
        ).first(decoding: AccountRow.self)
    }

    /// Replaces the account's posting (delete, then insert) as set by the writer.
    static func setPosting(
        account: UUID, workloadPercent: Int, firstDay: CivilDate?, lastDay: CivilDate?, writer: WriteContext,
        on db: any Database
    ) async throws {
        try await db.sql.raw("DELETE FROM visit_postings WHERE account_id = \(bind: account)").run()
        try await db.sql.insert(into: "visit_postings")
            .columns("id", "account_id", "workload_percent", "first_day", "last_day", "updated_by", "updated_at")
            .values(
                SQLBind(UUID()), SQLBind(account), SQLBind(workloadPercent), bindOrNull(firstDay?.iso8601),
                bindOrNull(lastDay?.iso8601), SQLBind(writer.actor.username), SQLBind(writer.now)
            )
            .run()
    }

    /// Replaces the household the resident account speaks for (delete, then insert).
    static func linkResident(account: UUID, household: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM resident_households WHERE account_id = \(bind: account)").run()
        try await db.sql.insert(into: "resident_households").columns("id", "account_id", "household_id")
            .values(SQLBind(UUID()), SQLBind(account), SQLBind(household)).run()
    }
}
