import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// The visit log's settings, as data: quotas by role and 十必访 frequencies (platform-wide, set
/// by administrators), staff postings (workload share, first and last day in post, set by account
/// managers for accounts in their scope), and which household a resident account speaks for
/// (set by staff for a resident and a household both in their scope). Each change is audited.
enum VisitSettingsService {
    struct QuotaRow: Content, Sendable, Equatable { var role: Role; var households: Int; var period: VisitQuota.Period }
    struct QuotaInput: Content, Sendable { var households: Int?; var period: String? }
    struct FrequencyInput: Content, Sendable { var frequency_days: Int? }
    struct PostingInput: Content, Sendable { var workload_percent: Int?; var first_day: String?; var last_day: String? }
    struct ResidentInput: Content, Sendable { var household_id: UUID? }

    /// Who sets the platform-wide settings (quotas by role, 十必访 frequencies): administrators.
    static func setsPlatformSettings(_ role: Role) -> Bool { role == .admin }
    /// Who sets staff postings: account managers, for the accounts in their scope.
    static func setsPostings(_ role: Role) -> Bool { role.managesAccounts }
    /// Who links a resident account to a household: grid staff, both inside their scope.
    static func linksResidents(_ role: Role) -> Bool { role.isGridStaff }

    static func quotas(on db: any Database) async throws -> [QuotaRow] {
        try await VisitsQueries.quotas(on: db)
    }

    static func setQuota(role raw: String, _ input: QuotaInput, writer: WriteContext, on db: any Database) async throws -> QuotaRow {
        guard setsPlatformSettings(writer.actor.role) else { throw AppError.forbidden }
        guard let role = Role(rawValue: raw), role.isGridStaff else {
            throw AppError.notFound("没有这个工作人员角色", "No such staff role")
        }
        guard let period = VisitQuota.Period(rawValue: input.period ?? "") else {
            throw AppError.validation("period", zh: "请选择按周还是按工作日计。", en: "Choose per week or per working day.")
        }
        let quota = try VisitQuota(households: input.households ?? 0, per: period)
        try await db.write { db in
            try await VisitsQueries.setQuota(role: role, households: quota.households, period: period, writer: writer, on: db)
            try await audit(
                "visit_quota.set", type: "role", id: role.rawValue,
                detail: ["households": String(quota.households), "period": period.rawValue], by: writer, on: db)
        }
        return QuotaRow(role: role, households: quota.households, period: period)
    }

    static func setFrequency(
        code: String, _ input: FrequencyInput, writer: WriteContext, on db: any Database
    ) async throws -> MustVisitQueries.CategoryRow {
        guard setsPlatformSettings(writer.actor.role) else { throw AppError.forbidden }
        guard let days = input.frequency_days, (1...366).contains(days) else {
            throw AppError.validation("frequency_days", zh: "走访间隔须为 1 至 366 天。", en: "Visit every 1 to 366 days.")
        }
        try await db.write { db in
            guard try await VisitsQueries.setFrequency(code: code, days: days, writer: writer, on: db) else {
                throw AppError.notFound("没有这个十必访类别", "No such must-visit category")
            }
            try await audit(
                "must_visit.frequency_set", type: "must_visit_category", id: code, detail: ["frequency_days": String(days)],
                by: writer, on: db)
        }
        guard let row = try await MustVisitQueries.category(code: code, on: db) else { throw AppError.notFound() }
        return row
    }

    /// The account `username` inside the caller's scope, or 404.
    private static func account(_ username: String, in scope: GridScope, on db: any Database) async throws -> (id: UUID, role: Role, node: UUID) {
        guard let row = try await VisitsQueries.account(username: username, in: scope, on: db) else {
            throw AppError.notFound("账号不存在或不在您的管辖范围内", "No such account in your scope")
        }
        return (row.id, row.role, row.grid_node_id)
    }

    static func setPosting(username: String, _ input: PostingInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard setsPostings(actor.role) else { throw AppError.forbidden }
        let target = try await account(username, in: actor.scope, on: db)
        // A posting lowers a quota: nobody sets their own.
        if target.id == actor.accountID {
            throw AppError.validation("username", zh: "不能设置自己的岗位比例，请由上级设置", en: "Your own posting is set by someone above you")
        }
        var problems: [FieldError] = []
        func day(_ raw: String?, _ field: String) -> CivilDate? {
            guard let raw, !raw.isEmpty else { return nil }
            do { return try CivilDate(parsing: raw) } catch {
                problems.append(error.fieldError(field: field))
                return nil
            }
        }
        let first = day(input.first_day, "first_day")
        let last = day(input.last_day, "last_day")
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let posting = try StaffPosting(workloadPercent: input.workload_percent ?? 100, firstDay: first, lastDay: last)
        try await db.write { db in
            try await VisitsQueries.setPosting(
                account: target.id, workloadPercent: posting.workloadPercent, firstDay: first, lastDay: last,
                writer: writer, on: db)
            try await audit(
                "visit_posting.set", type: "account", id: username.lowercased(),
                detail: ["workload_percent": String(posting.workloadPercent)], by: writer, on: db)
        }
    }

    /// Links a resident account to a household in the same building group; staff may do it for
    /// residents and households inside their scope.
    static func linkResident(username: String, _ input: ResidentInput, writer: WriteContext, on db: any Database) async throws {
        let actor = writer.actor
        guard linksResidents(actor.role) else { throw AppError.forbidden }
        let resident = try await account(username, in: actor.scope, on: db)
        guard resident.role == .resident else { throw AppError.notFound("账号不存在或不在您的管辖范围内", "No such account in your scope") }
        guard let household = input.household_id,
            let row = try await RegistryQueries.household(id: HouseholdID(household), in: actor.scope, on: db),
            try await GridQueries.node(code: row.grid_code, on: db)?.id == resident.node
        else {
            throw AppError.validation(
                "household_id", zh: "请从该居民所在楼组的户中选一户。", en: "Choose a household of the resident's building group.")
        }
        try await db.write { db in
            try await VisitsQueries.linkResident(account: resident.id, household: household, on: db)
            try await audit(
                "resident.household_linked", type: "account", id: username.lowercased(),
                detail: ["household": household.uuidString], by: writer, on: db)
        }
    }

    private static func audit(
        _ action: String, type: String, id: String, detail: [String: String], by writer: WriteContext,
        on db: any Database
    ) async throws {
        try await AuditLog.append(
            AuditEntry(
                action: action, actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: type, targetID: id, detail: detail, clientAddress: writer.address),
            at: writer.now, on: db)
    }
}
