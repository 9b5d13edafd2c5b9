import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// One demo case's life after filing, step by step, stopping at the state it has reached by `now`.
extension CasesDemo {
    /// (action, to, at, actor, actor name, actor role, department, reason)
    typealias Step = (String, CaseState, Date, UUID?, String, String, UUID?, String) -> Void

    struct Context {
        var departmentID: [String: UUID]
        var departmentAccount: [UUID: (id: UUID?, name: String)]
        var staffID: UUID?
        var submitter: UUID?
        var now: Date
        var deadlines: CaseDeadlines
        /// The department never finishes it (still in progress, overdue, escalated).
        var stuck = false
    }

    static func simulate(
        _ f: inout Fields, id: UUID, category: CaseCatalogue.Category, context c: Context, rng: inout SeededGenerator,
        step: Step, assignments: inout BulkInserter, supervisions: inout BulkInserter, followups: inout BulkInserter
    ) {
        func hours(_ low: Double, _ high: Double) -> TimeInterval {
            (low + Double(Draw.below(1000, &rng)) / 1000 * (high - low)) * 3600
        }
        func staff(_ action: String, _ to: CaseState, _ at: Date, reason: String = "") {
            step(action, to, at, c.staffID, "staff", "subdistrict_staff", nil, reason)
            f.updated = at
        }
        var lead = category.departmentCode.flatMap { c.departmentID[$0] } ?? c.departmentID.values.first!
        func department(_ action: String, _ to: CaseState, _ at: Date, reason: String = "") {
            let account = c.departmentAccount[lead]
            step(action, to, at, account?.id, account?.name ?? "department", "department_handler", lead, reason)
            f.updated = at
        }
        func escalateIfLate(by time: Date) {
            guard let due = f.due, time > due, f.escalatedDue != due else { return }
            f.escalation += 1
            f.escalatedDue = due
            supervisions.append([
                SQLBind(UUID()), SQLBind(id), SQLBind("overdue"), SQLBind(f.escalation),
                SQLBind("超期自动升级督办 / overdue, escalated by the clock"), SQLLiteral.null, SQLBind(due)
            ])
        }
        let limits = (response: category.response, handle: category.handle)

        // Dispatch (吹哨 for one in twenty), sometimes returned and dispatched elsewhere.
        guard let filed = f.filed else { return }
        var at = filed.addingTimeInterval(hours(0.3, 4))
        guard at < c.now else { return }
        func dispatch(_ when: Date, co: UUID?, active: Bool = true) {
            f.department = lead
            f.dispatched = f.dispatched ?? when
            f.responseDue = c.deadlines.due(from: when, limit: limits.response)
            f.due = c.deadlines.due(from: when, limit: limits.handle)
            staff("dispatch", .dispatched, when)
            assignments.append([
                SQLBind(UUID()), SQLBind(id), SQLBind(lead), SQLBind(true), SQLBind(active), SQLBind(when), SQLLiteral.null, SQLLiteral.null
            ])
            if let co {
                assignments.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind(co), SQLBind(false), SQLBind(true), SQLBind(when),
                    SQLBind("已配合现场处置"), SQLBind(when.addingTimeInterval(hours(2, 20)))
                ])
            }
        }
        let others = c.departmentID.values.filter { $0 != lead }.sorted { $0.uuidString < $1.uuidString }
        let co = Draw.chance(0.05, &rng) && !others.isEmpty ? Draw.pick(others, &rng) : nil
        if Draw.chance(0.03, &rng), !others.isEmpty {
            // The first department's assignment ends with the re-dispatch.
            dispatch(at, co: nil, active: false)
            at = at.addingTimeInterval(hours(1, 6))
            guard at < c.now else { return }
            department("return", .returned, at, reason: "不属于本部门职责，请改派")
            lead = Draw.pick(others, &rng)
            at = at.addingTimeInterval(hours(0.5, 3))
            guard at < c.now else { return }
        }
        dispatch(at, co: co)

        // Accept: mostly within the response limit.
        guard let responseDue = f.responseDue, let dispatched = f.dispatched else { return }
        let window = max(600, responseDue.timeIntervalSince(at))
        at =
            Draw.chance(0.88, &rng)
            ? at.addingTimeInterval(window * (0.1 + Double(Draw.below(80, &rng)) / 100))
            : responseDue.addingTimeInterval(hours(1, 30))
        _ = dispatched
        guard at < c.now else { return }
        f.responded = at
        department("accept", .inProgress, at)

        // Handle: four in five within the limit; some late ones ask for an extension first.
        func handle(from start: Date) -> Date? {
            guard let due = f.due else { return nil }
            var done: Date
            if Draw.chance(0.8, &rng), due > start {
                done = start.addingTimeInterval(due.timeIntervalSince(start) * (0.1 + Double(Draw.below(85, &rng)) / 100))
            } else {
                done = max(start, due).addingTimeInterval(hours(2, 120))
                let ask = due.addingTimeInterval(-3600)
                if Draw.chance(0.3, &rng), ask > start, ask < c.now {
                    department("request_extension", .extensionRequested, ask, reason: "需协调相关方，申请延期")
                    f.due = c.deadlines.extended(deadline: due, byWorkingDays: 3)
                    f.extensionDays += 3
                    staff("approve_extension", .inProgress, ask.addingTimeInterval(1800))
                }
            }
            if c.stuck { done = .distantFuture }
            escalateIfLate(by: min(done, c.now))
            guard done < c.now else { return nil }
            f.handled = done
            f.handledCount += 1
            department("handle", .handled, done)
            return done
        }
        func verifyAndClose(after handled: Date) -> Date? {
            var t = handled.addingTimeInterval(hours(1, 20))
            guard t < c.now else { return nil }
            staff("verify", .verifying, t)
            t = t.addingTimeInterval(hours(0.5, 4))
            guard t < c.now else { return nil }
            if f.reworks == 0, Draw.chance(0.08, &rng) {
                f.reworks += 1
                staff("rework", .inProgress, t, reason: "现场核查未整改到位")
                guard let again = handle(from: t) else { return nil }
                return verifyAndClose(after: again)
            }
            f.closed = t
            staff("close", .closed, t)
            return t
        }
        guard let handled = handle(from: at), let closed = verifyAndClose(after: handled) else { return }

        // The resident's verdict: about two in three rate it; the first "unsatisfied" reopens it.
        guard Draw.chance(0.65, &rng) else { return }
        let rater = c.submitter
        func rate(_ verdict: CaseVerdict, at t: Date) {
            step(
                "evaluate", .evaluated, t, rater, rater == nil ? "回访" : "resident", rater == nil ? "subdistrict_staff" : "resident", nil,
                verdict.nameZH)
            f.updated = t
            f.evaluated = t
            f.verdict = verdict.rawValue
            f.resolved = verdict != .unsatisfied || Draw.chance(0.2, &rng)
        }
        func draw(_ satisfied: Int, _ basically: Int) -> CaseVerdict {
            let n = Draw.below(100, &rng)
            return n < satisfied ? .satisfied : n < satisfied + basically ? .basicallySatisfied : .unsatisfied
        }
        var t = closed.addingTimeInterval(hours(1, 72))
        guard t < c.now else { return }
        var verdict = draw(72, 18)
        if verdict == .unsatisfied {
            step("reopen", .inProgress, t, rater, rater == nil ? "回访" : "resident", rater == nil ? "subdistrict_staff" : "resident", nil, "不满意：问题未解决")
            f.updated = t
            f.reopens += 1
            f.reworks += 1
            f.closed = nil
            guard let again = handle(from: t), let reclosed = verifyAndClose(after: again) else { return }
            t = reclosed.addingTimeInterval(hours(1, 48))
            guard t < c.now else { return }
            verdict = draw(45, 40)
            if verdict == .unsatisfied {
                f.supervised = true
                supervisions.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind("unsatisfied"), SQLBind(1),
                    SQLBind("居民两次不满意，转街道督办 / unsatisfied twice"), SQLLiteral.null, SQLBind(t)
                ])
            }
        }
        rate(verdict, at: t)
        if rater == nil || Draw.chance(0.3, &rng) {
            let call = t.addingTimeInterval(hours(2, 30))
            if call < c.now {
                followups.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind("phone"), SQLBind(true), SQLBind(verdict.rawValue),
                    bindOrNull(f.resolved), SQLBind("电话回访，反映人对处置结果的评价已记录"), bindOrNull(c.staffID), SQLBind(call)
                ])
            }
        }
    }
}
