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
                    field: "status", messageZH: "请选择状态：" + projectStatuses.map(\.zh).joined(separator: "、"),
                    messageEN: "Choose the status: " + projectStatuses.map { $0.en.lowercased() }.joined(separator: ", ")))
        }
        if let spent = input.spent_fen, !(0...1_000_000_000_000).contains(spent) {
            errors.append(
                FieldError(field: "spent_fen", messageZH: "已支出金额须在 0 至 100 亿元之间", messageEN: "The spending must be from 0 to 10 billion yuan"))
        }
        let leader: String? =
            try collect(&errors) {
                try input.leader_name.map { try text($0, "leader_name", T("负责人", "the leader's name"), max: 50) }
            } ?? nil
        let department: String? =
            try collect(&errors) {
                try input.department.map { try text($0, "department", T("牵头部门", "the lead department"), max: 60) }
            } ?? nil
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
        var errors: [FieldError] = []
        let checkedName = try collect(&errors) { try text(input.name, "name", T("节点名称", "the milestone's name"), max: 100) }
        var checkedDay: String?
        if let due = input.due_on?.trimmingCharacters(in: .whitespaces), !due.isEmpty {
            checkedDay = try collect(&errors) { try date(due, "due_on", default: writer.today.iso8601) }
        } else {
            errors.append(FieldError(field: "due_on", messageZH: "请填写完成期限", messageEN: "Give the due date"))
        }
        guard errors.isEmpty, let name = checkedName, let day = checkedDay else { throw AppError.validation(errors) }
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
        guard day <= writer.today.iso8601 else {
            throw AppError.validation("done_on", zh: "完成日期不能晚于今天", en: "The day it was done cannot be in the future")
        }
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
