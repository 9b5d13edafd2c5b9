import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// State changes of cases (派遣、处置、核查、结案、评价 …). Each is one transaction: the row is read
/// inside the caller's scope, the domain's table decides, a conditional `UPDATE … WHERE state = ?`
/// changes it and the transition row and audit entry are written with it. A refused transition
/// answers 409 and changes nothing.
enum CasesWorkflow {
    static func illegal(_ refusal: CaseStateMachine.Refusal) -> AppError {
        AppError(.conflict, code: "illegal_transition", zh: refusal.messageZH, en: refusal.messageEN)
    }

    static let changedMeanwhile = AppError(.conflict, code: "illegal_transition",
                                           zh: "案件状态已被他人改变，请刷新后重试", en: "The case changed meanwhile; reload and try again")

    /// The party the actor is for this case: dispatcher (grid staff, case in their subtree),
    /// department (an account of the case's lead department, or of a co-handler), resident (the
    /// submitter); nil when the case is not theirs to see.
    static func party(of actor: Actor, case id: UUID, on db: any Database) async throws -> CaseParty? {
        struct Row: Decodable { var id: UUID }
        guard try await db.sql.raw("SELECT c.id FROM cases c WHERE c.id = \(bind: id) AND \(CasesQueries.visible(actor))")
            .first(decoding: Row.self) != nil else { return nil }
        if actor.role.isGridStaff { return .dispatcher }
        if actor.role == .departmentHandler { return .department }
        return .resident
    }

    /// Whether the actor's department leads the case (only the lead acts on its state).
    static func leads(_ actor: Actor, case id: UUID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var case_id: UUID }
        return try await db.sql.raw("""
            SELECT a.case_id FROM case_assignments a JOIN department_accounts da ON da.department_id = a.department_id
            WHERE a.case_id = \(bind: id) AND a.active = \(flag: true) AND a.lead = \(flag: true) AND da.account_id = \(bind: actor.accountID)
            """).first(decoding: Row.self) != nil
    }

    struct CaseRow: Decodable {
        var state: String; var category_code: String; var department_id: UUID?; var due_at: Date?; var suspended_at: Date?
        var reopen_count: Int; var extension_requested_days: Int?; var grid_node_id: UUID; var dispatched_at: Date?
    }

    /// Performs `action` on the case as the writer, with its input; returns the new state.
    @discardableResult
    static func perform(_ id: UUID, _ action: CaseAction, _ input: CaseActionInput, writer: WriteContext,
                        deadlines: CaseDeadlines, on db: any Database) async throws -> CaseState {
        // A number the request sends is checked whatever the action (ignored ones too).
        if let days = input.days, !(1...30).contains(days) {
            throw AppError.validation("days", zh: "延期天数应为 1 至 30 个工作日", en: "An extension is 1 to 30 working days")
        }
        return try await db.write { db in
            try await perform(id, action, input, writer: writer, deadlines: deadlines, inTransaction: db)
        }
    }

    /// The same inside the caller's transaction (a follow-up call that carries the verdict).
    static func perform(_ id: UUID, _ requested: CaseAction, _ input: CaseActionInput, writer: WriteContext,
                        deadlines: CaseDeadlines, inTransaction db: any Database) async throws -> CaseState {
        let actor = writer.actor
        let lock = db.dialectName == "postgresql" ? "FOR UPDATE" : ""
        guard let row = try await db.sql.raw("""
            SELECT c.state, c.category_code, c.department_id, c.due_at, c.suspended_at, c.reopen_count, c.extension_requested_days,
                   c.grid_node_id, c.dispatched_at
            FROM cases c WHERE c.id = \(bind: id) AND \(CasesQueries.visible(actor)) \(unsafeRaw: lock)
            """).first(decoding: CaseRow.self), let state = CaseState(rawValue: row.state) else { throw CasesService.notFound }
        guard let party = try await party(of: actor, case: id, on: db) else { throw CasesService.notFound }
        // A follow-up call carries the resident's verdict: staff record it on their behalf.
        let onBehalf = party == .dispatcher && (requested == .evaluate || requested == .reopen) && input.verdict != nil
        guard requested.party == party || onBehalf else { throw AppError.forbidden }
        if party == .department, !(try await leads(actor, case: id, on: db)) {
            throw AppError(.forbidden, code: "not_lead", zh: "只有牵头部门可以改变案件状态；协办部门请提交协办报告",
                           en: "Only the lead department changes the case's state; co-handlers file their report")
        }
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count > 1000 { throw AppError.validation("reason", zh: "理由不超过 1000 字", en: "The reason has at most 1000 characters") }

        var action = requested
        var sets: [SQLQueryString] = []
        var departmentForLog: UUID?
        var supervise = false
        if requested == .evaluate || requested == .reopen {
            guard let verdict = input.verdict.flatMap(CaseVerdict.init(rawValue:)) else {
                throw AppError.validation("verdict", zh: "请选择满意、基本满意或不满意", en: "Choose satisfied, basically satisfied or unsatisfied")
            }
            let outcome = verdict.outcome(previousReopens: row.reopen_count)
            action = outcome.action
            supervise = outcome.supervise
            if action == .reopen {
                sets += ["reopen_count = reopen_count + 1", "rework_count = rework_count + 1", "verdict = NULL", "resolved = NULL"]
            } else {
                sets += ["verdict = \(bind: verdict.rawValue)", "resolved = \(bind: input.resolved ?? (verdict != .unsatisfied))",
                         "evaluated_at = \(bind: writer.now)"]
                if supervise { sets.append("supervised = \(flag: true)") }
            }
        }
        let next: CaseState
        do { next = try CaseStateMachine.next(from: state, by: action) } catch { throw illegal(error) }
        if action.needsReason, reason.isEmpty {
            throw AppError.validation("reason", zh: "请说明理由（\(action.nameZH)）", en: "Give the reason (\(action.nameEN))")
        }

        switch action {
        case .file:
            sets.append("filed_at = \(bind: writer.now)")
        case .merge:
            guard let primary = input.primary_id, primary != id else {
                throw AppError.validation("primary_id", zh: "请选择要合并到的主案件", en: "Choose the primary case to merge into")
            }
            struct P: Decodable { var state: String; var merged_into: UUID? }
            guard let p = try await db.sql.raw("""
                SELECT c.state, c.merged_into FROM cases c WHERE c.id = \(bind: primary) AND \(CasesQueries.visible(actor))
                """).first(decoding: P.self), p.state != CaseState.merged.rawValue, p.state != CaseState.rejected.rawValue else {
                throw AppError.validation("primary_id", zh: "主案件不存在、不在您的范围内或已合并", en: "The primary case is not in your scope or is merged itself")
            }
            sets.append("merged_into = \(bind: primary)")
        case .dispatch, .transfer:
            let category = try await CasesQueries.category(code: row.category_code, on: db)
            let code = input.department?.nilIfEmpty ?? category?.department_code
            guard let code, let lead = try await CasesQueries.department(code: code, on: db) else {
                throw AppError.validation("department", zh: "请选择处置部门", en: "Choose the handling department")
            }
            var co: [CaseDepartment] = []
            for coCode in Set(input.co_departments ?? []) where coCode != lead.code {
                guard action == .dispatch, let department = try await CasesQueries.department(code: coCode, on: db) else {
                    throw AppError.validation("co_departments", zh: "协办部门无效（仅派遣时可吹哨协办）", en: "Unknown co-handling department (only a dispatch summons co-handlers)")
                }
                co.append(department)
            }
            let response = (try? CaseTimeLimit(parsing: category?.limit_response ?? "4h")) ?? .fallback
            let handle = (try? CaseTimeLimit(parsing: category?.limit_handle ?? "5d")) ?? .fallback
            sets += ["department_id = \(bind: lead.id)", "dispatched_at = \(bind: row.dispatched_at ?? writer.now)",
                     "response_due_at = \(bind: deadlines.due(from: writer.now, limit: response))", "responded_at = NULL",
                     "due_at = \(bind: deadlines.due(from: writer.now, limit: handle))", "suspended_at = NULL", "extension_requested_days = NULL"]
            departmentForLog = lead.id
            try await db.sql.raw("UPDATE case_assignments SET active = \(flag: false) WHERE case_id = \(bind: id) AND active = \(flag: true)").run()
            var assignments = BulkInserter(table: "case_assignments", columns: ["id", "case_id", "department_id", "lead", "active", "assigned_at"])
            assignments.append([SQLBind(UUID()), SQLBind(id), SQLBind(lead.id), SQLBind(true), SQLBind(true), SQLBind(writer.now)])
            for department in co.sorted(by: { $0.code < $1.code }) {
                assignments.append([SQLBind(UUID()), SQLBind(id), SQLBind(department.id), SQLBind(false), SQLBind(true), SQLBind(writer.now)])
            }
            try await assignments.flush(on: db)
        case .accept:
            sets.append("responded_at = \(bind: writer.now)")
        case .requestExtension:
            guard let days = input.days, (1...30).contains(days) else {
                throw AppError.validation("days", zh: "延期天数应为 1 至 30 个工作日", en: "An extension is 1 to 30 working days")
            }
            sets.append("extension_requested_days = \(bind: days)")
        case .approveExtension:
            let days = input.days ?? row.extension_requested_days ?? 0
            guard (1...30).contains(days), let due = row.due_at else {
                throw AppError.validation("days", zh: "延期天数应为 1 至 30 个工作日", en: "An extension is 1 to 30 working days")
            }
            sets += ["due_at = \(bind: deadlines.extended(deadline: due, byWorkingDays: days))", "extension_days = extension_days + \(bind: days)",
                     "extension_requested_days = NULL"]
        case .refuseExtension:
            sets.append("extension_requested_days = NULL")
        case .suspend:
            sets.append("suspended_at = \(bind: writer.now)")
        case .resume:
            if let due = row.due_at, let since = row.suspended_at {
                sets.append("due_at = \(bind: deadlines.resumed(deadline: due, suspendedAt: since, resumedAt: writer.now))")
            }
            sets.append("suspended_at = NULL")
        case .handle:
            struct N: Decodable { var n: Int }
            let pending = try await db.sql.raw("""
                SELECT COUNT(*) AS n FROM case_assignments WHERE case_id = \(bind: id) AND active = \(flag: true) AND lead = \(flag: false) AND reported_at IS NULL
                """).first(decoding: N.self)?.n ?? 0
            guard pending == 0 else {
                throw AppError(.conflict, code: "co_handlers_pending", zh: "还有 \(pending) 个协办部门未报告，牵头部门暂不能办结",
                               en: "\(pending) co-handling department(s) have not reported yet")
            }
            sets += ["handled_at = \(bind: writer.now)", "handled_count = handled_count + 1"]
        case .rework:
            sets.append("rework_count = rework_count + 1")
        case .close:
            sets.append("closed_at = \(bind: writer.now)")
        case .reject, .giveBack, .verify, .evaluate, .reopen:
            break
        }

        sets += ["state = \(bind: next.rawValue)", "updated_at = \(bind: writer.now)", "last_seq = last_seq + 1"]
        var assignments: SQLQueryString = ""
        for (n, set) in sets.enumerated() { assignments = n == 0 ? set : "\(assignments), \(set)" }
        struct Seq: Decodable { var last_seq: Int }
        guard let seq = try await db.sql.raw("""
            UPDATE cases SET \(assignments) WHERE id = \(bind: id) AND state = \(bind: state.rawValue) RETURNING last_seq
            """).first(decoding: Seq.self) else { throw changedMeanwhile }
        var logged = reason
        if action == .evaluate || action == .reopen, let verdict = input.verdict.flatMap(CaseVerdict.init(rawValue:)) {
            logged = verdict.nameZH + (reason.isEmpty ? "" : "：" + reason)
        }
        try await record(case: id, seq: seq.last_seq, action: action.rawValue, from: state, to: next, reason: logged,
                         department: departmentForLog, writer: writer, on: db)
        if supervise {
            try await addSupervision(case: id, kind: "unsatisfied", level: 1, note: "居民两次不满意，转街道督办 / unsatisfied twice", writer: writer, on: db)
        }
        return next
    }

    static func record(case id: UUID, seq: Int, action: String, from: CaseState?, to: CaseState, reason: String, department: UUID?,
                       writer: WriteContext, on db: any Database) async throws {
        try await db.sql.insert(into: "case_transitions")
            .columns("id", "case_id", "seq", "action", "from_state", "to_state", "actor_id", "actor_name", "actor_role", "department_id", "reason", "at")
            .values(SQLBind(UUID()), SQLBind(id), SQLBind(seq), SQLBind(action), bindOrNull(from?.rawValue), SQLBind(to.rawValue),
                    SQLBind(writer.actor.accountID), SQLBind(writer.actor.username), SQLBind(writer.actor.role.rawValue), bindOrNull(department),
                    SQLBind(reason), SQLBind(writer.now))
            .run()
        try await AuditLog.append(AuditEntry(action: "case.\(action)", actorID: writer.actor.accountID, actorName: writer.actor.username,
                                             targetType: "case", targetID: id.uuidString, detail: ["to": to.rawValue],
                                             clientAddress: writer.address), at: writer.now, on: db)
    }

    static func addSupervision(case id: UUID, kind: String, level: Int, note: String, writer: WriteContext?, now: Date? = nil,
                               on db: any Database) async throws {
        try await db.sql.insert(into: "case_supervisions").columns("id", "case_id", "kind", "level", "note", "actor_id", "at")
            .values(SQLBind(UUID()), SQLBind(id), SQLBind(kind), SQLBind(level), SQLBind(note), bindOrNull(writer?.actor.accountID),
                    SQLBind(writer?.now ?? now ?? Date()))
            .run()
    }
}
