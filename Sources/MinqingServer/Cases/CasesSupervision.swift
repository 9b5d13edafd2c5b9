import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// 督办 and the writes around a case that are not state changes: supervision marks, the clock's
/// escalation of overdue cases, co-handlers' reports under 吹哨, follow-up calls (回访), and the
/// binding of department accounts.
enum CasesSupervision {
    /// The idempotent overdue pass: every case whose handling deadline has passed while its
    /// clock runs, and that was not escalated for this deadline yet, goes one level up (level
    /// 1: the subdistrict's supervision, 2: the district, …), is marked supervised, and gets a
    /// supervision row — all in one transaction. Running it again changes nothing until a new
    /// deadline (after an extension or a new dispatch) is missed. Returns how many it escalated.
    @discardableResult
    static func escalateOverdue(now: Date, on db: any Database) async throws -> Int {
        return try await db.write { db in
            let rows = try await CasesQueries.escalateOverdue(now: now, on: db)
            try await CasesQueries.insertOverdueMarks(rows, now: now, on: db)
            for row in rows { try await Notifications.caseSupervised(row.id, escalatedTo: row.level, actor: nil, now: now, on: db) }
            return rows.count
        }
    }

    /// A supervision mark (督办) by the subdistrict on a case in the caller's scope.
    static func supervise(_ id: CaseID, note: String?, writer: WriteContext, on db: any Database) async throws {
        guard CasesQueries.supervisors.contains(writer.actor.role) else { throw AppError.forbidden }
        let text = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 1000 else {
            throw AppError.validation("note", zh: "请写明督办要求（不超过 1000 字）", en: "Write what the supervision asks for (at most 1000 characters)")
        }
        try await db.write { db in
            guard let row = try await CasesQueries.supervisionState(id, visibleTo: writer.actor, on: db) else { throw CasesService.notFound }
            guard row.state.isOpen else {
                throw AppError(.conflict, code: "illegal_transition", zh: "案件已办结，不能督办", en: "The case is finished; it cannot be supervised")
            }
            try await CasesQueries.markSupervised(id, now: writer.now, on: db)
            try await CasesQueries.addSupervision(case: id, kind: "mark", level: max(1, row.escalationLevel), note: text, writer: writer, on: db)
            try await Notifications.caseSupervised(id, escalatedTo: nil, actor: writer.actor.accountID, now: writer.now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "case.supervised", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "case", targetID: id.uuidString, clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// A co-handling department's report under 吹哨 (each co-handler reports once per dispatch).
    static func report(_ id: CaseID, text: String?, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role == .departmentHandler else { throw AppError.forbidden }
        let report = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !report.isEmpty, report.count <= 2000 else {
            throw AppError.validation("report", zh: "请填写协办情况（不超过 2000 字）", en: "Write what your department did (at most 2000 characters)")
        }
        try await db.write { db in
            guard try await CasesWorkflow.party(of: writer.actor, case: id, on: db) == .department else { throw CasesService.notFound }
            let done = try await CasesQueries.fileCoReport(id, report: report, writer: writer, on: db)
            guard done else {
                throw AppError(
                    .conflict, code: "illegal_transition", zh: "您的部门不是该案件待报告的协办部门，或案件已不在处置中",
                    en: "Your department is not a co-handler waiting to report, or the case is no longer being handled")
            }
            try await CasesQueries.touch(id, now: writer.now, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "case.co_report", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "case", targetID: id.uuidString, clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// A follow-up call (回访) by staff after closure; when it carries the requester's verdict on a
    /// closed case, the verdict is applied in the same transaction (evaluate, or reopen once).
    static func followUp(_ id: CaseID, _ input: CaseFollowUpInput, writer: WriteContext, deadlines: CaseDeadlines, on db: any Database) async throws {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let method = input.method ?? "phone"
        if !["phone", "visit", "sms", "online"].contains(method) {
            errors.append(FieldError(field: "method", messageZH: "回访方式应为电话、上门、短信或线上", messageEN: "method is phone, visit, sms or online"))
        }
        let verdictText = input.verdict?.nilIfEmpty
        let verdict = verdictText.flatMap(CaseVerdict.init(rawValue:))
        if verdictText != nil, verdict == nil {
            errors.append(
                FieldError(field: "verdict", messageZH: "评价应为满意、基本满意或不满意", messageEN: "verdict is satisfied, basically_satisfied or unsatisfied"))
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 2000 {
            errors.append(FieldError(field: "note", messageZH: "回访记录不超过 2000 字", messageEN: "The note has at most 2000 characters"))
        }
        if !errors.isEmpty { throw AppError.validation(errors) }
        try await db.write { db in
            guard let state = try await CasesQueries.state(of: id, visibleTo: writer.actor, on: db) else { throw CasesService.notFound }
            guard [CaseState.closed, .evaluated].contains(state) else {
                throw AppError(.conflict, code: "illegal_transition", zh: "案件结案后才能回访", en: "Follow-up calls come after the case is closed")
            }
            let reached = input.reached ?? true
            try await CasesQueries.insertFollowUp(
                case: id, method: method, reached: reached, verdict: verdict, resolved: input.resolved, note: note,
                writer: writer, on: db)
            if reached, let verdict, state == .closed {
                _ = try await CasesWorkflow.perform(
                    id, .evaluate, CaseActionInput(reason: "回访 / follow-up call", verdict: verdict.rawValue, resolved: input.resolved),
                    writer: writer, deadlines: deadlines, inTransaction: db)
            }
        }
    }

    /// Binds a department-handler account inside the manager's scope to a department.
    static func bind(username: String, department code: String?, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role.managesAccounts else { throw AppError.forbidden }
        var errors: [FieldError] = []
        if username.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "username", messageZH: "请选择要绑定的职能部门账号", messageEN: "Choose the department account to bind"))
        }
        let department = try await code?.nilIfEmpty.asyncFlatMap { try await CasesQueries.department(code: $0, on: db) }
        if department == nil { errors.append(CasesCatalogueService.unknownDepartment) }
        guard errors.isEmpty, let department else { throw AppError.validation(errors) }
        guard let account = try await CasesQueries.account(username: username, in: writer.actor.scope, on: db) else {
            throw AppError.notFound("账号不存在或不在您的范围内", "No such account in your scope")
        }
        guard account.role == .departmentHandler else {
            throw AppError.validation("username", zh: "只有职能部门账号可以绑定部门", en: "Only department-handler accounts are bound to a department")
        }
        try await db.write { db in
            try await CasesQueries.unbindDepartments(account: account.id, on: db)
            try await CasesQueries.bindDepartment(account: account.id, department: department.id, on: db)
            try await AuditLog.append(
                AuditEntry(
                    action: "case.department_bound", actorID: writer.actor.accountID, actorName: writer.actor.username,
                    targetType: "account", targetID: account.id.uuidString, detail: ["department": department.code],
                    clientAddress: writer.address), at: writer.now, on: db)
        }
    }
}
