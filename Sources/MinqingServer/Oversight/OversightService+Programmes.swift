import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// Editing the five concerns' projects and milestones, and linking property-company accounts
/// to their company (see OversightService).
extension OversightService {
    /// A project's states (`governance_projects.status`).
    static let projectStatuses: [(code: String, zh: String, en: String)] = [
        ("planned", "未启动", "Planned"), ("in_progress", "推进中", "In progress"),
        ("suspended", "暂停", "Suspended"), ("completed", "已完成", "Completed")
    ]
    static let projectNotFound = AppError.notFound("项目不存在或不在您的范围内", "No such project in your scope")
    static let milestoneNotFound = AppError.notFound("节点不存在或不在您的范围内", "No such milestone in your scope")

    /// Changes a project's status, spending (fen), leader and department (each only when given);
    /// staff whose scope holds the project (its compound, or its subdistrict for subdistrict-wide ones).
    static func updateProject(_ id: UUID, _ input: ProjectUpdateInput, writer: WriteContext, on db: any Database) async throws -> ProjectRow {
        var errors: [FieldError] = []
        if let status = input.status, !projectStatuses.contains(where: { $0.code == status }) {
            errors.append(
                FieldError(
                    field: "status", messageZH: "状态须为 \(projectStatuses.map(\.code).joined(separator: "、"))",
                    messageEN: "status must be one of \(projectStatuses.map(\.code).joined(separator: ", "))"))
        }
        if let spent = input.spent_fen, !(0...1_000_000_000_000).contains(spent) {
            errors.append(
                FieldError(field: "spent_fen", messageZH: "已支出金额（分）须在 0 与 10000 亿分之间", messageEN: "spent_fen must be 0 or more (and below 10^12)"))
        }
        func checked(_ value: String?, _ field: String, max: Int) -> String? {
            do { return try value.map { try text($0, field, max: max) } } catch let error as AppError { errors += error.fields } catch {}
            return nil
        }
        let leader = checked(input.leader_name, "leader_name", max: 50)
        let department = checked(input.department, "department", max: 60)
        if errors.isEmpty, input.status == nil, input.spent_fen == nil, leader == nil, department == nil {
            errors.append(FieldError(field: "status", messageZH: "没有要修改的内容", messageEN: "Nothing to change"))
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        guard try await OversightQueries.project(id, in: writer.actor.scope, on: db) != nil else { throw projectNotFound }
        try await db.write { db in
            try await OversightQueries.updateProject(
                id, status: input.status, spentFen: input.spent_fen, leader: leader, department: department, on: db)
            var detail: [String: String] = [:]
            if let status = input.status { detail["status"] = status }
            if let spent = input.spent_fen { detail["spent_fen"] = String(spent) }
            if leader != nil { detail["leader"] = "changed" }
            if department != nil { detail["department"] = "changed" }
            try await audit("oversight.project_updated", writer, type: "governance_project", id: id, detail: detail, on: db)
        }
        guard let row = try await OversightQueries.project(id, in: writer.actor.scope, on: db) else { throw projectNotFound }
        return row
    }

    /// Adds a milestone (name and due day) to a project in scope.
    static func addMilestone(_ projectID: UUID, _ input: MilestoneInput, writer: WriteContext, on db: any Database) async throws -> UUID {
        let name = try text(input.name, "name", max: 100)
        guard let due = input.due_on?.trimmingCharacters(in: .whitespaces), !due.isEmpty else {
            throw AppError.validation("due_on", zh: "请填写完成期限", en: "due_on is required")
        }
        let day = try date(due, "due_on", default: writer.today.iso8601)
        guard try await OversightQueries.project(projectID, in: writer.actor.scope, on: db) != nil else { throw projectNotFound }
        let id = UUID()
        try await db.write { db in
            try await OversightQueries.insertMilestone(id: id, project: projectID, name: name, dueOn: day, on: db)
            try await audit("oversight.milestone_added", writer, type: "governance_project", id: projectID, detail: ["due_on": day], on: db)
        }
        return id
    }

    /// Marks a milestone done (one conditional UPDATE; 409 when it is done already).
    static func completeMilestone(_ id: UUID, _ input: MilestoneDoneInput, writer: WriteContext, on db: any Database) async throws -> ProjectRow {
        let day = try date(input.done_on, "done_on", default: writer.today.iso8601)
        guard day <= writer.today.iso8601 else { throw AppError.validation("done_on", zh: "完成日期不能晚于今天", en: "done_on cannot be in the future") }
        guard let project = try await OversightQueries.milestoneProject(id, on: db),
            try await OversightQueries.project(project, in: writer.actor.scope, on: db) != nil
        else { throw milestoneNotFound }
        try await db.write { db in
            guard try await OversightQueries.completeMilestone(id, doneOn: day, on: db) else {
                throw AppError.conflict("该节点已完成", "This milestone is done already")
            }
            try await audit("oversight.milestone_done", writer, type: "governance_project", id: project, detail: ["done_on": day], on: db)
        }
        guard let row = try await OversightQueries.project(project, in: writer.actor.scope, on: db) else { throw projectNotFound }
        return row
    }

    /// Links a property-company account in the manager's scope to a company the manager sees (one
    /// company per account; linking again moves it). Administrators and subdistrict staff only.
    static func linkAccount(username: String, _ input: CompanyAccountInput, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role.managesAccounts else { throw AppError.forbidden }
        guard let account = try await OversightQueries.scopedAccount(username: username, in: writer.actor.scope, on: db) else {
            throw AppError.validation("username", zh: "账号不存在或不在您的范围内", en: "No such account in your scope")
        }
        guard account.role == .propertyCompany else {
            throw AppError.validation("username", zh: "只有物业公司账号可以关联物业公司", en: "Only property-company accounts are linked to a company")
        }
        guard let company = input.company_id,
            try await OversightQueries.company(company, in: writer.actor.scope, now: writer.now, on: db) != nil
        else {
            throw AppError.validation("company_id", zh: "物业公司不存在或不在您的范围内", en: "No such property company in your scope")
        }
        try await db.write { db in
            try await OversightQueries.deleteCompanyAccount(account.id, on: db)
            try await OversightQueries.insertCompanyAccount(account.id, company: company, writer: writer, on: db)
            try await audit(
                "oversight.company_account_linked", writer, type: "account", id: account.id,
                detail: ["username": account.username, "company": company.uuidString], on: db)
        }
    }
}
