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
        let running = CaseState.allCases.filter(\.deadlineRuns).map { SQLBind($0.rawValue) }
        return try await db.write { db in
            struct Row: Decodable { var id: UUID; var escalation_level: Int }
            let rows = try await db.sql.raw("""
                UPDATE cases SET escalation_level = escalation_level + 1, escalated_due_at = due_at, supervised = \(flag: true)
                WHERE state IN (\(SQLList(running))) AND due_at < \(bind: now)
                  AND (escalated_due_at IS NULL OR escalated_due_at <> due_at)
                RETURNING id, escalation_level
                """).all(decoding: Row.self)
            var marks = BulkInserter(table: "case_supervisions", columns: ["id", "case_id", "kind", "level", "note", "actor_id", "at"])
            for row in rows {
                try await marks.add([SQLBind(UUID()), SQLBind(row.id), SQLBind("overdue"), SQLBind(row.escalation_level),
                                     SQLBind("超期自动升级督办 / overdue, escalated by the clock"), SQLLiteral.null, SQLBind(now)], on: db)
            }
            try await marks.flush(on: db)
            return rows.count
        }
    }

    /// A supervision mark (督办) by the subdistrict on a case in the caller's scope.
    static func supervise(_ id: UUID, note: String?, writer: WriteContext, on db: any Database) async throws {
        guard CasesQueries.supervisors.contains(writer.actor.role) else { throw AppError.forbidden }
        let text = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 1000 else {
            throw AppError.validation("note", zh: "请写明督办要求（不超过 1000 字）", en: "Write what the supervision asks for (at most 1000 characters)")
        }
        try await db.write { db in
            struct Row: Decodable { var state: String; var escalation_level: Int }
            guard let row = try await db.sql.raw("""
                SELECT c.state, c.escalation_level FROM cases c WHERE c.id = \(bind: id) AND \(CasesQueries.visible(writer.actor))
                """).first(decoding: Row.self) else { throw CasesService.notFound }
            guard CaseState(rawValue: row.state)?.isOpen == true else {
                throw AppError(.conflict, code: "illegal_transition", zh: "案件已办结，不能督办", en: "The case is finished; it cannot be supervised")
            }
            try await db.sql.raw("UPDATE cases SET supervised = \(flag: true), updated_at = \(bind: writer.now) WHERE id = \(bind: id)").run()
            try await CasesWorkflow.addSupervision(case: id, kind: "mark", level: max(1, row.escalation_level), note: text, writer: writer, on: db)
            try await AuditLog.append(AuditEntry(action: "case.supervised", actorID: writer.actor.accountID, actorName: writer.actor.username,
                                                 targetType: "case", targetID: id.uuidString, clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// A co-handling department's report under 吹哨 (each co-handler reports once per dispatch).
    static func report(_ id: UUID, text: String?, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role == .departmentHandler else { throw AppError.forbidden }
        let report = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !report.isEmpty, report.count <= 2000 else {
            throw AppError.validation("report", zh: "请填写协办情况（不超过 2000 字）", en: "Write what your department did (at most 2000 characters)")
        }
        try await db.write { db in
            guard try await CasesWorkflow.party(of: writer.actor, case: id, on: db) == .department else { throw CasesService.notFound }
            struct Row: Decodable { var id: UUID }
            let open: [CaseState] = [.dispatched, .inProgress, .extensionRequested, .suspended]
            let done = try await db.sql.raw("""
                UPDATE case_assignments SET report = \(bind: report), reported_at = \(bind: writer.now)
                WHERE case_id = \(bind: id) AND active = \(flag: true) AND lead = \(flag: false) AND reported_at IS NULL
                  AND department_id IN (SELECT department_id FROM department_accounts WHERE account_id = \(bind: writer.actor.accountID))
                  AND EXISTS (SELECT 1 FROM cases c WHERE c.id = \(bind: id) AND c.state IN (\(SQLList(open.map { SQLBind($0.rawValue) }))))
                RETURNING id
                """).all(decoding: Row.self)
            guard !done.isEmpty else {
                throw AppError(.conflict, code: "illegal_transition", zh: "您的部门不是该案件待报告的协办部门，或案件已不在处置中",
                               en: "Your department is not a co-handler waiting to report, or the case is no longer being handled")
            }
            try await db.sql.raw("UPDATE cases SET updated_at = \(bind: writer.now) WHERE id = \(bind: id)").run()
            try await AuditLog.append(AuditEntry(action: "case.co_report", actorID: writer.actor.accountID, actorName: writer.actor.username,
                                                 targetType: "case", targetID: id.uuidString, clientAddress: writer.address), at: writer.now, on: db)
        }
    }

    /// A follow-up call (回访) by staff after closure; when it carries the requester's verdict on a
    /// closed case, the verdict is applied in the same transaction (evaluate, or reopen once).
    static func followUp(_ id: UUID, _ input: CaseFollowUpInput, writer: WriteContext, deadlines: CaseDeadlines, on db: any Database) async throws {
        guard writer.actor.role.isGridStaff else { throw AppError.forbidden }
        var errors: [FieldError] = []
        let method = input.method ?? "phone"
        if !["phone", "visit", "sms", "online"].contains(method) {
            errors.append(FieldError(field: "method", messageZH: "回访方式应为电话、上门、短信或线上", messageEN: "method is phone, visit, sms or online"))
        }
        let verdict = input.verdict?.nilIfEmpty
        if let verdict, CaseVerdict(rawValue: verdict) == nil {
            errors.append(FieldError(field: "verdict", messageZH: "评价应为满意、基本满意或不满意", messageEN: "verdict is satisfied, basically_satisfied or unsatisfied"))
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 2000 { errors.append(FieldError(field: "note", messageZH: "回访记录不超过 2000 字", messageEN: "The note has at most 2000 characters")) }
        if !errors.isEmpty { throw AppError.validation(errors) }
        try await db.write { db in
            struct Row: Decodable { var state: String }
            guard let row = try await db.sql.raw("SELECT c.state FROM cases c WHERE c.id = \(bind: id) AND \(CasesQueries.visible(writer.actor))")
                .first(decoding: Row.self) else { throw CasesService.notFound }
            guard [CaseState.closed.rawValue, CaseState.evaluated.rawValue].contains(row.state) else {
                throw AppError(.conflict, code: "illegal_transition", zh: "案件结案后才能回访", en: "Follow-up calls come after the case is closed")
            }
            let reached = input.reached ?? true
            try await db.sql.insert(into: "case_followups").columns("id", "case_id", "method", "reached", "verdict", "resolved", "note", "actor_id", "at")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind(method), SQLBind(reached), bindOrNull(verdict), bindOrNull(input.resolved),
                        SQLBind(note), SQLBind(writer.actor.accountID), SQLBind(writer.now))
                .run()
            if reached, let verdict, row.state == CaseState.closed.rawValue {
                _ = try await CasesWorkflow.perform(id, .evaluate, CaseActionInput(reason: "回访 / follow-up call", verdict: verdict, resolved: input.resolved),
                                                writer: writer, deadlines: deadlines, inTransaction: db)
            }
        }
    }

    /// Binds a department-handler account inside the manager's scope to a department.
    static func bind(username: String, department code: String?, writer: WriteContext, on db: any Database) async throws {
        guard writer.actor.role.managesAccounts else { throw AppError.forbidden }
        guard let code = code?.nilIfEmpty, let department = try await CasesQueries.department(code: code, on: db) else {
            throw AppError.validation("department", zh: "部门不存在", en: "No such department")
        }
        struct Row: Decodable { var id: UUID; var role: String }
        guard let account = try await db.sql.raw("""
            SELECT a.id, a.role FROM accounts a WHERE a.username = \(bind: username) AND \(writer.actor.scope.contains(SQLColumn("grid_node_id", table: "a")))
            """).first(decoding: Row.self) else { throw AppError.notFound("账号不存在或不在您的范围内", "No such account in your scope") }
        guard account.role == Role.departmentHandler.rawValue else {
            throw AppError.validation("username", zh: "只有职能部门账号可以绑定部门", en: "Only department-handler accounts are bound to a department")
        }
        try await db.write { db in
            try await db.sql.raw("DELETE FROM department_accounts WHERE account_id = \(bind: account.id)").run()
            try await db.sql.raw("INSERT INTO department_accounts (account_id, department_id) VALUES (\(bind: account.id), \(bind: department.id))").run()
            try await AuditLog.append(AuditEntry(action: "case.department_bound", actorID: writer.actor.accountID, actorName: writer.actor.username,
                                                 targetType: "account", targetID: account.id.uuidString, detail: ["department": department.code],
                                                 clientAddress: writer.address), at: writer.now, on: db)
        }
    }
}
