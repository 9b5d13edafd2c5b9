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

    static let changedMeanwhile = AppError(
        .conflict, code: "illegal_transition",
        zh: "案件状态已被他人改变，请刷新后重试", en: "The case changed meanwhile; reload and try again")

    /// The party the actor is for this case: dispatcher (grid staff, case in their subtree),
    /// department (an account of the case's lead department, or of a co-handler), resident (the
    /// submitter); nil when the case is not theirs to see.
    static func party(of actor: Actor, case id: CaseID, on db: any Database) async throws -> CaseParty? {
        guard try await CasesQueries.isVisible(id, to: actor, on: db) else { return nil }
        if actor.role.isGridStaff { return .dispatcher }
        if actor.role == .departmentHandler { return .department }
        return .resident
    }

    /// Whether the actor's department leads the case (only the lead acts on its state).
    static func leads(_ actor: Actor, case id: CaseID, on db: any Database) async throws -> Bool {
        try await CasesQueries.leads(actor, case: id, on: db)
    }

    /// Performs `action` on the case as the writer, with its input; returns the new state.
    @discardableResult
    static func perform(
        _ id: CaseID, _ action: CaseAction, _ input: CaseActionInput, writer: WriteContext,
        deadlines: CaseDeadlines, on db: any Database
    ) async throws -> CaseState {
        // A number the request sends is checked whatever the action (ignored ones too).
        if let days = input.days, !(1...30).contains(days) {
            throw AppError.validation("days", zh: "延期天数应为 1 至 30 个工作日", en: "An extension is 1 to 30 working days")
        }
        return try await db.write { db in
            try await perform(id, action, input, writer: writer, deadlines: deadlines, inTransaction: db)
        }
    }

    /// The same inside the caller's transaction (a follow-up call that carries the verdict).
    static func perform(
        _ id: CaseID, _ requested: CaseAction, _ input: CaseActionInput, writer: WriteContext,
        deadlines: CaseDeadlines, inTransaction db: any Database
    ) async throws -> CaseState {
        let actor = writer.actor
        guard let row = try await CasesQueries.caseForTransition(id, visibleTo: actor, on: db) else { throw CasesService.notFound }
        let state = row.state
        try await checkParty(actor, case: id, requested: requested, input: input, on: db)
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count > 1000 { throw AppError.validation("reason", zh: "理由不超过 1000 字", en: "The reason has at most 1000 characters") }

        var transition = try checkVerdict(requested, input: input, previousReopens: row.reopen_count, now: writer.now)
        let action = transition.action
        let next: CaseState
        do { next = try CaseStateMachine.next(from: state, by: action) } catch { throw illegal(error) }
        if action.needsReason, reason.isEmpty {
            throw AppError.validation("reason", zh: "请说明理由（\(action.nameZH)）", en: "Give the reason (\(action.nameEN))")
        }
        try await prepareChanges(&transition, case: id, row: row, input: input, writer: writer, deadlines: deadlines, on: db)
        if let stage = try await stageChange(after: action, category: row.category_code, now: writer.now, deadlines: deadlines, on: db) {
            transition.changes.append(stage)
        }

        guard let lastSeq = try await CasesQueries.transition(id, from: state, to: next, changes: transition.changes, now: writer.now, on: db) else {
            throw changedMeanwhile
        }
        var logged = reason
        if action == .evaluate || action == .reopen, let verdict = input.verdict.flatMap(CaseVerdict.init(rawValue:)) {
            logged = verdict.nameZH + (reason.isEmpty ? "" : "：" + reason)
        }
        try await record(
            case: id, seq: lastSeq, action: action.rawValue, from: state, to: next, reason: logged,
            department: transition.department, writer: writer, on: db)
        if transition.supervise {
            try await CasesQueries.addSupervision(
                case: id, kind: "unsatisfied", level: 1, note: "居民两次不满意，转街道督办 / unsatisfied twice", writer: writer, on: db)
        }
        return next
    }

    /// What a transition's steps decide: the action taken (a verdict decides between evaluate and
    /// reopen), the row's changes, the department the log names and whether 督办 follows.
    private struct Transition {
        var action: CaseAction
        var changes: [CasesQueries.Change] = []
        var department: UUID?
        var supervise = false
    }

    /// Whether the actor may ask for the action: their party's own (or a verdict staff record on a
    /// resident's behalf), and for a department only as the case's lead.
    private static func checkParty(
        _ actor: Actor, case id: CaseID, requested: CaseAction, input: CaseActionInput, on db: any Database
    ) async throws {
        guard let party = try await party(of: actor, case: id, on: db) else { throw CasesService.notFound }
        // A follow-up call carries the resident's verdict: staff record it on their behalf.
        let onBehalf = party == .dispatcher && (requested == .evaluate || requested == .reopen) && input.verdict != nil
        guard requested.party == party || onBehalf else { throw AppError.forbidden }
        if party == .department, !(try await leads(actor, case: id, on: db)) {
            throw AppError(
                .forbidden, code: "not_lead", zh: "只有牵头部门可以改变案件状态；协办部门请提交协办报告",
                en: "Only the lead department changes the case's state; co-handlers file their report")
        }
    }

    /// The action the verdict of an evaluation or reopening decides, with its changes and whether
    /// 督办 follows; any other action as requested.
    private static func checkVerdict(_ requested: CaseAction, input: CaseActionInput, previousReopens: Int, now: Date) throws -> Transition {
        var transition = Transition(action: requested)
        if requested == .evaluate || requested == .reopen {
            guard let verdict = input.verdict.flatMap(CaseVerdict.init(rawValue:)) else {
                throw AppError.validation("verdict", zh: "请选择满意、基本满意或不满意", en: "Choose satisfied, basically satisfied or unsatisfied")
            }
            let outcome = verdict.outcome(previousReopens: previousReopens)
            transition.action = outcome.action
            transition.supervise = outcome.supervise
            if transition.action == .reopen {
                transition.changes.append(.reopen)
            } else {
                transition.changes.append(.evaluate(verdict: verdict, resolved: input.resolved ?? (verdict != .unsatisfied), at: now))
                if transition.supervise { transition.changes.append(.supervise) }
            }
        }
        return transition
    }

    /// The row's changes the action makes besides its state (a dispatch also replaces the case's
    /// assignments).
    private static func prepareChanges(
        _ transition: inout Transition, case id: CaseID, row: CasesQueries.CaseRow, input: CaseActionInput,
        writer: WriteContext, deadlines: CaseDeadlines, on db: any Database
    ) async throws {
        switch transition.action {
        case .file:
            transition.changes.append(.file(at: writer.now))
        case .merge:
            let primary = try await checkMergeTarget(of: id, input: input, actor: writer.actor, on: db)
            transition.changes.append(.merge(into: primary))
        case .dispatch, .transfer:
            try await prepareDispatch(&transition, case: id, row: row, input: input, writer: writer, deadlines: deadlines, on: db)
        case .accept:
            transition.changes.append(.accept(at: writer.now))
        case .requestExtension:
            guard let days = input.days, (1...30).contains(days) else {
                throw AppError.validation("days", zh: "延期天数应为 1 至 30 个工作日", en: "An extension is 1 to 30 working days")
            }
            transition.changes.append(.requestExtension(days: days))
        case .approveExtension:
            let days = input.days ?? row.extension_requested_days ?? 0
            guard (1...30).contains(days), let due = row.due_at else {
                throw AppError.validation("days", zh: "延期天数应为 1 至 30 个工作日", en: "An extension is 1 to 30 working days")
            }
            transition.changes.append(.approveExtension(due: deadlines.extended(deadline: due, byWorkingDays: days), days: days))
        case .refuseExtension:
            transition.changes.append(.clearExtensionRequest)
        case .suspend:
            transition.changes.append(.suspend(at: writer.now))
        case .resume:
            var resumedDue: Date?
            if let due = row.due_at, let since = row.suspended_at {
                resumedDue = deadlines.resumed(deadline: due, suspendedAt: since, resumedAt: writer.now)
            }
            transition.changes.append(.resume(due: resumedDue))
        case .handle:
            try await checkCoHandlersReported(case: id, on: db)
            transition.changes.append(.handle(at: writer.now))
        case .rework:
            transition.changes.append(.rework)
        case .close:
            transition.changes.append(.close(at: writer.now))
        case .reject, .giveBack, .verify, .evaluate, .reopen:
            break
        }
    }

    /// The primary case a merge goes into: another case the actor sees, not merged or rejected itself.
    private static func checkMergeTarget(of id: CaseID, input: CaseActionInput, actor: Actor, on db: any Database) async throws -> CaseID {
        guard let primary = input.primary_id, primary != id else {
            throw AppError.validation("primary_id", zh: "请选择要合并到的主案件", en: "Choose the primary case to merge into")
        }
        guard let primaryState = try await CasesQueries.mergeTargetState(primary, visibleTo: actor, on: db),
            primaryState != .merged, primaryState != .rejected
        else {
            throw AppError.validation("primary_id", zh: "主案件不存在、不在您的范围内或已合并", en: "The primary case is not in your scope or is merged itself")
        }
        return primary
    }

    /// A dispatch or transfer: the lead department (asked for, or the category's), co-handlers (a
    /// dispatch only) and the deadlines of the category's limits; replaces the case's assignments.
    private static func prepareDispatch(
        _ transition: inout Transition, case id: CaseID, row: CasesQueries.CaseRow, input: CaseActionInput,
        writer: WriteContext, deadlines: CaseDeadlines, on db: any Database
    ) async throws {
        let category = try await CasesQueries.category(code: row.category_code, on: db)
        let code = input.department?.nilIfEmpty ?? category?.department_code
        guard let code, let lead = try await CasesQueries.department(code: code, on: db) else {
            throw AppError.validation("department", zh: "请选择处置部门", en: "Choose the handling department")
        }
        var co: [CaseDepartment] = []
        for coCode in Set(input.co_departments ?? []) where coCode != lead.code {
            guard transition.action == .dispatch, let department = try await CasesQueries.department(code: coCode, on: db) else {
                throw AppError.validation(
                    "co_departments", zh: "协办部门无效（仅派遣时可吹哨协办）", en: "Unknown co-handling department (only a dispatch summons co-handlers)")
            }
            co.append(department)
        }
        let response = limit(for: .responding, of: category)
        let handle = limit(for: .handling, of: category)
        transition.changes.append(
            .dispatch(
                department: lead.id, dispatchedAt: row.dispatched_at ?? writer.now,
                responseDue: deadlines.due(from: writer.now, limit: response), due: deadlines.due(from: writer.now, limit: handle)))
        transition.department = lead.id
        try await CasesQueries.deactivateAssignments(of: id, on: db)
        try await CasesQueries.insertAssignments(
            of: id, lead: lead.id, co: co.sorted(by: { $0.code < $1.code }).map(\.id), at: writer.now, on: db)
    }

    /// A lead department finishes only when every co-handler has reported.
    private static func checkCoHandlersReported(case id: CaseID, on db: any Database) async throws {
        let pending = try await CasesQueries.pendingCoReports(of: id, on: db)
        guard pending == 0 else {
            throw AppError(
                .conflict, code: "co_handlers_pending", zh: "还有 \(pending) 个协办部门未报告，牵头部门暂不能办结",
                en: "\(pending) co-handling department(s) have not reported yet")
        }
    }

    static func record(
        case id: CaseID, seq: Int, action: String, from: CaseState?, to: CaseState, reason: String, department: UUID?,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await CasesQueries.insertTransition(
            case: id, seq: seq, action: action, from: from, to: to, reason: reason, department: department,
            writer: writer, on: db)
        try await AuditLog.append(
            AuditEntry(
                action: "case.\(action)", actorID: writer.actor.accountID, actorName: writer.actor.username,
                targetType: "case", targetID: id.uuidString, detail: ["to": to.rawValue],
                clientAddress: writer.address), at: writer.now, on: db)
        try await Notifications.caseMoved(id, action: action, department: department, writer: writer, on: db)
    }
}
