import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// The reads and writes of state changes (`CasesWorkflow`) and of 督办, co-handlers' reports,
/// follow-up calls and department bindings (`CasesSupervision`).
extension CasesQueries {
    struct CaseRow: Decodable {
        var state: CaseState; var category_code: String; var department_id: UUID?; var due_at: Date?; var suspended_at: Date?
        var reopen_count: Int; var extension_requested_days: Int?; var grid_node_id: UUID; var dispatched_at: Date?
    }

    /// One change a transition makes to the case's row besides its state, written by `transition`
    /// as the SET clauses of `clauses(for:)`, in the order given.
    enum Change: Sendable {
        /// Reopened after a verdict: counts a reopen and a rework, clears the verdict.
        case reopen
        case evaluate(verdict: CaseVerdict, resolved: Bool, at: Date)
        case supervise
        case file(at: Date)
        case merge(into: CaseID)
        case dispatch(department: UUID, dispatchedAt: Date, responseDue: Date, due: Date)
        case accept(at: Date)
        case requestExtension(days: Int)
        case approveExtension(due: Date, days: Int)
        case clearExtensionRequest
        case suspend(at: Date)
        /// Resumed: the deadline moved by the suspension (nil: unchanged), no longer suspended.
        case resume(due: Date?)
        case handle(at: Date)
        case rework
        case close(at: Date)
        /// The dispatcher's stage deadline (`stage_due_at`): a new one, or none (`CaseStageClock`).
        case stageDue(Date?)
    }

    /// The SET clauses of one change.
    static func clauses(for change: Change) -> [SQLQueryString] {
        switch change {
        case .reopen:
            return ["reopen_count = reopen_count + 1", "rework_count = rework_count + 1", "verdict = NULL", "resolved = NULL"]
        case .evaluate(let verdict, let resolved, let at):
            return ["verdict = \(bind: verdict.rawValue)", "resolved = \(bind: resolved)", "evaluated_at = \(bind: at)"]
        case .supervise:
            return ["supervised = \(flag: true)"]
        case .file(let at):
            return ["filed_at = \(bind: at)"]
        case .merge(let primary):
            return ["merged_into = \(bind: primary)"]
        case .dispatch(let department, let dispatchedAt, let responseDue, let due):
            return [
                "department_id = \(bind: department)", "dispatched_at = \(bind: dispatchedAt)",
                "response_due_at = \(bind: responseDue)", "responded_at = NULL",
                "due_at = \(bind: due)", "suspended_at = NULL", "extension_requested_days = NULL"
            ]
        case .accept(let at):
            return ["responded_at = \(bind: at)"]
        case .requestExtension(let days):
            return ["extension_requested_days = \(bind: days)"]
        case .approveExtension(let due, let days):
            return ["due_at = \(bind: due)", "extension_days = extension_days + \(bind: days)", "extension_requested_days = NULL"]
        case .clearExtensionRequest:
            return ["extension_requested_days = NULL"]
        case .suspend(let at):
            return ["suspended_at = \(bind: at)"]
        case .resume(let due):
            var sets: [SQLQueryString] = []
            if let due { sets.append("due_at = \(bind: due)") }
            sets.append("suspended_at = NULL")
            return sets
        case .handle(let at):
            return ["handled_at = \(bind: at)", "handled_count = handled_count + 1"]
        case .rework:
            return ["rework_count = rework_count + 1"]
        case .close(let at):
            return ["closed_at = \(bind: at)"]
        case .stageDue(let due):
            if let due { return ["stage_due_at = \(bind: due)"] }
            return ["stage_due_at = NULL"]
        }
    }

    /// Whether the case `id` is among those `actor` sees.
    static func isVisible(_ id: CaseID, to actor: Actor, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: CaseID }
        return try await db.sql.raw("SELECT c.id FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor))")
            .first(decoding: Row.self) != nil
    }

    /// Whether the actor's department leads the case (an active lead assignment).
    static func leads(_ actor: Actor, case id: CaseID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var case_id: CaseID }
        return try await db.sql.raw(
            """
            SELECT a.case_id FROM case_assignments a JOIN department_accounts da ON da.department_id = a.department_id
            WHERE a.case_id = \(bind: id) AND a.active = \(flag: true) AND a.lead = \(flag: true) AND da.account_id = \(bind: actor.accountID)
            """
        ).first(decoding: Row.self) != nil
    }

    /// The case `id` as a transition reads it, if `actor` sees it; locked for the transaction on PostgreSQL.
    static func caseForTransition(_ id: CaseID, visibleTo actor: Actor, on db: any Database) async throws -> CaseRow? {
        let lock = db.dialectName == "postgresql" ? "FOR UPDATE" : ""
        return try await db.sql.raw(
            """
            SELECT c.state, c.category_code, c.department_id, c.due_at, c.suspended_at, c.reopen_count, c.extension_requested_days,
                   c.grid_node_id, c.dispatched_at
            FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor)) \(unsafeRaw: lock)
            """
        ).first(decoding: CaseRow.self)
    }

    /// The state of the case `id` a merge would go into, if `actor` sees it.
    static func mergeTargetState(_ id: CaseID, visibleTo actor: Actor, on db: any Database) async throws -> CaseState? {
        struct P: Decodable { var state: CaseState; var merged_into: CaseID? }
        return try await db.sql.raw(
            """
            SELECT c.state, c.merged_into FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor))
            """
        ).first(decoding: P.self)?.state
    }

    /// Ends the case's active assignments.
    static func deactivateAssignments(of id: CaseID, on db: any Database) async throws {
        try await db.sql.raw("UPDATE case_assignments SET active = \(flag: false) WHERE case_id = \(bind: id) AND active = \(flag: true)").run()
    }

    /// Writes the case's new active assignments: the `lead` department, then the co-handlers `co` in the order given.
    static func insertAssignments(of id: CaseID, lead: UUID, co: [UUID], at now: Date, on db: any Database) async throws {
        var assignments = BulkInserter(table: "case_assignments", columns: ["id", "case_id", "department_id", "lead", "active", "assigned_at"])
        assignments.append([SQLBind(UUID()), SQLBind(id), SQLBind(lead), SQLBind(true), SQLBind(true), SQLBind(now)])
        for department in co {
            assignments.append([SQLBind(UUID()), SQLBind(id), SQLBind(department), SQLBind(false), SQLBind(true), SQLBind(now)])
        }
        try await assignments.flush(on: db)
    }

    /// How many active co-handlers of the case have not reported yet.
    static func pendingCoReports(of id: CaseID, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await db.sql.raw(
            """
            SELECT COUNT(*) AS n FROM case_assignments WHERE case_id = \(bind: id) AND active = \(flag: true) AND lead = \(flag: false) AND reported_at IS NULL
            """
        ).first(decoding: N.self)?.n ?? 0
    }

    /// Moves the case from `state` to `next` with `changes` (then state, updated_at and the next
    /// sequence number), only while it is still in `state`; the new `last_seq`, or nil when it changed meanwhile.
    static func transition(
        _ id: CaseID, from state: CaseState, to next: CaseState, changes: [Change], now: Date,
        on db: any Database
    ) async throws -> Int? {
        var sets: [SQLQueryString] = changes.flatMap { clauses(for: $0) }
        sets += ["state = \(bind: next.rawValue)", "updated_at = \(bind: now)", "last_seq = last_seq + 1"]
        var assignments: SQLQueryString = ""
        for (n, set) in sets.enumerated() { assignments = n == 0 ? set : "\(assignments), \(set)" }
        struct Seq: Decodable { var last_seq: Int }
        return try await db.sql.raw(
            """
            UPDATE cases SET \(assignments) WHERE id = \(bind: id) AND state = \(bind: state.rawValue) RETURNING last_seq
            """
        ).first(decoding: Seq.self)?.last_seq
    }

    /// Writes the transition row number `seq` of the case, by the writer.
    static func insertTransition(
        case id: CaseID, seq: Int, action: String, from: CaseState?, to: CaseState, reason: String, department: UUID?,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "case_transitions")
            .columns(
                "id", "case_id", "seq", "action", "from_state", "to_state", "actor_id", "actor_name", "actor_role", "department_id", "reason", "at"
            )
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(seq), SQLBind(action), bindOrNull(from?.rawValue), SQLBind(to.rawValue),
                SQLBind(writer.actor.accountID), SQLBind(writer.actor.username), SQLBind(writer.actor.role.rawValue), bindOrNull(department),
                SQLBind(reason), SQLBind(writer.now)
            )
            .run()
    }

    /// Writes a supervision row of the case (by the writer, or by nobody at `now`).
    static func addSupervision(
        case id: CaseID, kind: String, level: Int, note: String, writer: WriteContext?, now: Date? = nil,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "case_supervisions").columns("id", "case_id", "kind", "level", "note", "actor_id", "at")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(kind), SQLBind(level), SQLBind(note), bindOrNull(writer?.actor.accountID),
                SQLBind(writer?.now ?? now ?? Date())
            )
            .run()
    }

    /// Escalates every open case past its handling deadline not yet escalated for it: one level
    /// up and supervised. Returns the escalated cases with their new level.
    static func escalateOverdue(now: Date, on db: any Database) async throws -> [(id: CaseID, level: Int)] {
        let running = CaseState.allCases.filter(\.deadlineRuns).map { SQLBind($0.rawValue) }
        struct Row: Decodable { var id: CaseID; var escalation_level: Int }
        let rows = try await db.sql.raw(
            """
            UPDATE cases SET escalation_level = escalation_level + 1, escalated_due_at = due_at, supervised = \(flag: true)
            WHERE state IN (\(SQLList(running))) AND due_at < \(bind: now)
              AND (escalated_due_at IS NULL OR escalated_due_at <> due_at)
            RETURNING id, escalation_level
            """
        ).all(decoding: Row.self)
        return rows.map { (id: $0.id, level: $0.escalation_level) }
    }

    /// Writes the clock's overdue supervision rows of the `escalated` cases.
    static func insertOverdueMarks(_ escalated: [(id: CaseID, level: Int)], now: Date, on db: any Database) async throws {
        var marks = BulkInserter(table: "case_supervisions", columns: ["id", "case_id", "kind", "level", "note", "actor_id", "at"])
        for row in escalated {
            try await marks.add(
                [
                    SQLBind(UUID()), SQLBind(row.id), SQLBind("overdue"), SQLBind(row.level),
                    SQLBind("超期自动升级督办 / overdue, escalated by the clock"), SQLLiteral.null, SQLBind(now)
                ], on: db)
        }
        try await marks.flush(on: db)
    }

    /// The state and escalation level of the case `id`, if `actor` sees it.
    static func supervisionState(_ id: CaseID, visibleTo actor: Actor, on db: any Database) async throws
        -> (state: CaseState, escalationLevel: Int)?
    {
        struct Row: Decodable { var state: CaseState; var escalation_level: Int }
        guard
            let row = try await db.sql.raw(
                """
                SELECT c.state, c.escalation_level FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor))
                """
            ).first(decoding: Row.self)
        else { return nil }
        return (row.state, row.escalation_level)
    }

    /// Marks the case supervised.
    static func markSupervised(_ id: CaseID, now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE cases SET supervised = \(flag: true), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// Writes the writer's department's co-handler report on the case, if it is an active co-handler
    /// that has not reported and the case is being handled; whether it did.
    static func fileCoReport(_ id: CaseID, report: String, writer: WriteContext, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: CaseID }
        let open: [CaseState] = [.dispatched, .inProgress, .extensionRequested, .suspended]
        let done = try await db.sql.raw(
            """
            UPDATE case_assignments SET report = \(bind: report), reported_at = \(bind: writer.now)
            WHERE case_id = \(bind: id) AND active = \(flag: true) AND lead = \(flag: false) AND reported_at IS NULL
              AND department_id IN (SELECT department_id FROM department_accounts WHERE account_id = \(bind: writer.actor.accountID))
              AND EXISTS (SELECT 1 FROM cases c WHERE c.id = \(bind: id) AND c.state IN (\(SQLList(open.map { SQLBind($0.rawValue) }))))
            RETURNING id
            """
        ).all(decoding: Row.self)
        return !done.isEmpty
    }

    /// Sets the case's `updated_at`.
    static func touch(_ id: CaseID, now: Date, on db: any Database) async throws {
        try await db.sql.raw("UPDATE cases SET updated_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// The state of the case `id`, if `actor` sees it.
    static func state(of id: CaseID, visibleTo actor: Actor, on db: any Database) async throws -> CaseState? {
        struct Row: Decodable { var state: CaseState }
        return try await db.sql.raw("SELECT c.state FROM cases c WHERE c.id = \(bind: id) AND \(visible(actor))")
            .first(decoding: Row.self)?.state
    }

    /// Writes a follow-up call on the case by the writer.
    static func insertFollowUp(
        case id: CaseID, method: String, reached: Bool, verdict: CaseVerdict?, resolved: Bool?, note: String,
        writer: WriteContext, on db: any Database
    ) async throws {
        try await db.sql.insert(into: "case_followups").columns("id", "case_id", "method", "reached", "verdict", "resolved", "note", "actor_id", "at")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(method), SQLBind(reached), bindOrNull(verdict?.rawValue), bindOrNull(resolved),
                SQLBind(note), SQLBind(writer.actor.accountID), SQLBind(writer.now)
            )
            .run()
    }

    /// The id and role of the account `username` inside `scope`, or nil.
    static func account(username: String, in scope: GridScope, on db: any Database) async throws -> (id: UUID, role: Role)? {
        struct Row: Decodable { var id: UUID; var role: Role }
        guard
            let row = try await db.sql.raw(
                """
                SELECT a.id, a.role FROM accounts a WHERE a.username = \(bind: username) AND \(scope.contains(SQLColumn("grid_node_id", table: "a")))
                """
            ).first(decoding: Row.self)
        else { return nil }
        return (row.id, row.role)
    }

    /// Removes the account's department bindings.
    static func unbindDepartments(account: UUID, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM department_accounts WHERE account_id = \(bind: account)").run()
    }

    /// Binds the account to the department.
    static func bindDepartment(account: UUID, department: UUID, on db: any Database) async throws {
        try await db.sql.raw("INSERT INTO department_accounts (account_id, department_id) VALUES (\(bind: account), \(bind: department))").run()
    }
}
