import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The case loop's part of the demo: a year of cases up to now (about 20,000 at scale 1) from
/// the nine channels, across the catalogue's categories and departments, each with the
/// transitions it went through: a few duplicates merged and rejections, filing and dispatch
/// within hours, most departments answering in time and finishing within the limit, some late
/// (escalated), some reworked after verification, one in twenty co-handled (吹哨); about two in
/// three rated, mostly satisfied, the unsatisfied ones reopened once; follow-up calls; the ten
/// livelihood projects of the year. The recent ones are still under way, and a few older ones are
/// stuck overdue with their department. `handler` is bound to 房管办 and one account per other
/// department (`bm_chengguan` …) is added. Deterministic for the seed; written with multi-row
/// INSERTs in the demo's transaction.
enum CasesDemo {
    struct Counts: Sendable { var cases = 0; var transitions = 0 }

    static let projects: [(String, String, String)] = [
        ("加装电梯", "Lift installation", "E0403"), ("老旧小区改造", "Old-compound renovation", "E0402"),
        ("楼道堆物清理", "Clearing stairwells", "E0404"), ("非机动车停放治理", "Bicycle parking", "E0202"),
        ("为老助餐", "Meals for older people", "E0603"), ("积水点改造", "Flood-point works", "E0701"),
        ("街面环境整治", "Street appearance", "E0101"), ("食品安全守护", "Food safety", "E0501"),
        ("路灯亮化", "Street lighting", "C0102"), ("邻里纠纷调解", "Neighbour mediation", "E0602")
    ]

    static func load(
        ids: [String: UUID], scale: Double, seed: UInt64, passwordHash: String, now: Date, calendar: WorkingCalendar,
        progress: @Sendable (String) -> Void, on db: any Database
    ) async throws -> Counts {
        var rng = SeededGenerator(seed: seed ^ 0xCA5E_0000_0005)
        let deadlines = CaseDeadlines(calendar: calendar)
        struct Dept: Decodable { var id: UUID; var code: String }
        let departments = try await db.sql.raw("SELECT id, code FROM departments ORDER BY sort_order").all(decoding: Dept.self)
        let departmentID = Dictionary(uniqueKeysWithValues: departments.map { ($0.code, $0.id) })
        guard let subdistrict = ids[DemoData.subdistrictCode], let fangguan = departmentID["fangguan"] else { return Counts() }
        // Department accounts: `handler` for 房管办, one more for each other department.
        try await db.sql.raw(
            "INSERT INTO department_accounts (account_id, department_id) SELECT id, \(bind: fangguan) FROM accounts WHERE username = 'handler'"
        ).run()
        for department in departments where department.code != "fangguan" {
            let account = Account(
                subdistrictID: subdistrict, username: "bm_\(department.code)", displayName: "部门 \(department.code)",
                role: .departmentHandler, gridNodeID: subdistrict, passwordHash: passwordHash, mustChangePassword: false)
            try await account.create(on: db)
            try await db.sql.raw(
                "INSERT INTO department_accounts (account_id, department_id) VALUES (\(bind: account.requireID()), \(bind: department.id))"
            ).run()
        }
        struct Acc: Decodable { var id: UUID; var username: String }
        let accounts = Dictionary(
            try await db.sql.raw("SELECT id, username FROM accounts").all(decoding: Acc.self).map { ($0.username, $0.id) },
            uniquingKeysWith: { a, _ in a })
        let staffID = accounts["staff"], residentID = accounts["resident"]
        var departmentAccount: [UUID: (id: UUID?, name: String)] = [:]
        for department in departments {
            let name = department.code == "fangguan" ? "handler" : "bm_\(department.code)"
            departmentAccount[department.id] = (accounts[name], name)
        }
        let categories = CaseCatalogue.categories.filter { $0.parentCode != nil }
        let groups = ids.filter { $0.key.hasPrefix(DemoData.subdistrictCode + "-") && $0.key.split(separator: "-").count == 5 }
            .sorted { $0.key < $1.key }.map(\.value)
        guard !groups.isEmpty else { return Counts() }
        let residentNode = ids["310106019-1-01-1-01"]
        let year = CivilDate(now, in: .shanghai).year

        // Projects of this year.
        var projectIDs: [String: UUID] = [:]
        for (n, p) in projects.enumerated() {
            let id = UUID()
            projectIDs[p.2] = id
            try await db.sql.insert(into: "case_projects").columns(
                "id", "subdistrict_id", "code", "name_zh", "name_en", "year", "target", "description"
            )
            .values(
                SQLBind(id), SQLBind(subdistrict), SQLBind("P\(year)-\(n + 1)"), SQLBind(p.0), SQLBind(p.1), SQLBind(year),
                SQLBind(Int(max(5, 60 * scale))), SQLBind("\(year) 年十大民生实事之一")
            )
            .run()
        }

        let total = max(60, Int(20_000 * scale))
        let channelWeights: [(CaseChannel, Int)] = [
            (.residentMessage, 22), (.hotline12345, 25), (.gridPatrol, 20), (.visit, 10), (.app, 10),
            (.cityPlatform, 6), (.shop, 3), (.unit, 2), (.volunteer, 2)
        ]
        let channelTotal = channelWeights.reduce(0) { $0 + $1.1 }
        // Reported times, sorted, so numbers follow them.
        var times: [Date] = (0..<total).map { _ in
            now.addingTimeInterval(-Double(Draw.below(365 * 86_400, &rng)) - 600)
        }
        times.sort()
        // The desk always has a few cases waiting: the last three came in within the last hours
        // (a small demo would otherwise often have none reported in its last two days).
        for k in max(0, total - 3)..<total { times[k] = now.addingTimeInterval(-Double(600 + 3_600 * (total - k))) }
        times.sort()
        // A few cases filed 10–40 days ago are stuck with their department (3 %, at least three):
        // in progress, overdue and escalated, so the overdue list and 督办 are never empty.
        let stuckWindow = times.indices.filter { (10 * 86_400...40 * 86_400).contains(now.timeIntervalSince(times[$0])) }
        let stuckCount = min(stuckWindow.count, max(3, stuckWindow.count * 3 / 100))
        let stuck = Set(
            stuckCount == 0
                ? [] : stride(from: 0, to: stuckWindow.count, by: max(1, stuckWindow.count / stuckCount)).prefix(stuckCount).map { stuckWindow[$0] })
        var cases = BulkInserter(
            table: "cases",
            columns: [
                "id", "subdistrict_id", "number", "intake_token", "channel", "source_ref", "category_code", "title", "description", "grid_node_id",
                "address", "submitter_account_id", "submitter_name", "state", "department_id", "project_id", "merged_into", "reported_at",
                "reported_on",
                "filed_at", "dispatched_at", "response_due_at", "responded_at", "due_at", "handled_at", "closed_at", "evaluated_at", "updated_at",
                "extension_days", "handled_count", "rework_count", "reopen_count", "escalation_level", "escalated_due_at", "supervised", "verdict",
                "resolved", "last_seq"
            ])
        var transitions = BulkInserter(
            table: "case_transitions",
            columns: [
                "id", "case_id", "seq", "action", "from_state", "to_state", "actor_id",
                "actor_name", "actor_role", "department_id", "reason", "at"
            ])
        var assignments = BulkInserter(
            table: "case_assignments", columns: ["id", "case_id", "department_id", "lead", "active", "assigned_at", "report", "reported_at"])
        var supervisions = BulkInserter(table: "case_supervisions", columns: ["id", "case_id", "kind", "level", "note", "actor_id", "at"])
        var followups = BulkInserter(
            table: "case_followups", columns: ["id", "case_id", "method", "reached", "verdict", "resolved", "note", "actor_id", "at"])
        var sequences: [Int: Int] = [:]
        var recent: [(id: UUID, category: String, node: UUID, at: Date)] = []
        var counts = Counts()

        for (index, reportedAt) in times.enumerated() {
            let id = UUID()
            var draw = Draw.below(channelTotal, &rng)
            var channel = CaseChannel.residentMessage
            for (c, w) in channelWeights { if draw < w { channel = c; break }; draw -= w }
            var category = Draw.pick(categories, &rng)
            var node = Draw.pick(groups, &rng)
            // The same problem reported again by somebody else (a possible duplicate).
            if Draw.chance(0.04, &rng), let earlier = recent.last, reportedAt.timeIntervalSince(earlier.at) < 3 * 86_400,
                let same = categories.first(where: { $0.code == earlier.category })
            {
                category = same
                node = earlier.node
            }
            var submitter: UUID?
            if channel == .residentMessage || channel == .app, Draw.chance(0.08, &rng), let residentID, let residentNode {
                submitter = residentID
                node = residentNode
            }
            let local = CivilDate(reportedAt, in: .shanghai)
            sequences[local.year, default: 0] += 1
            let number = CaseNumber.format(year: local.year, sequence: sequences[local.year]!)
            var seq = 0
            var state = CaseState.reported
            func step(
                _ action: String, _ to: CaseState, _ at: Date, actor: UUID?, name: String, role: String, department: UUID? = nil,
                reason: String = ""
            ) {
                seq += 1
                transitions.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind(seq), SQLBind(action), seq == 1 ? SQLLiteral.null : SQLBind(state.rawValue),
                    SQLBind(to.rawValue), bindOrNull(actor), SQLBind(name), SQLBind(role), bindOrNull(department), SQLBind(reason), SQLBind(at)
                ])
                state = to
            }
            step(
                "report", .reported, reportedAt, actor: submitter ?? staffID, name: submitter == nil ? "staff" : "resident",
                role: submitter == nil ? "subdistrict_staff" : "resident", reason: channel.nameZH)
            var f = Fields()
            f.updated = reportedAt
            // Duplicates of a recent case at the same place, and rejections.
            let duplicateOf = recent.last { $0.category == category.code && $0.node == node && reportedAt.timeIntervalSince($0.at) < 7 * 86_400 }
            let filedAt = reportedAt.addingTimeInterval(Double(600 + Draw.below(3 * 3600, &rng)))
            // The last two days' intake is partly still waiting on the desk.
            let waiting = (now.timeIntervalSince(reportedAt) < 2 * 86_400 && Draw.chance(0.5, &rng)) || index >= total - 3
            if filedAt < now, !waiting {
                if !stuck.contains(index), let duplicateOf, Draw.chance(0.7, &rng) {
                    f.mergedInto = duplicateOf.id
                    step("merge", .merged, filedAt, actor: staffID, name: "staff", role: "subdistrict_staff", reason: "重复反映")
                } else if !stuck.contains(index), Draw.chance(0.04, &rng) {
                    step("reject", .rejected, filedAt, actor: staffID, name: "staff", role: "subdistrict_staff", reason: "不属于受理范围，已告知反映人")
                } else {
                    f.filed = filedAt
                    step("file", .filed, filedAt, actor: staffID, name: "staff", role: "subdistrict_staff")
                    let context = Context(
                        departmentID: departmentID, departmentAccount: departmentAccount, staffID: staffID, submitter: submitter,
                        now: now, deadlines: deadlines, stuck: stuck.contains(index))
                    simulate(
                        &f, id: id, category: category, context: context, rng: &rng,
                        step: { step($0, $1, $2, actor: $3, name: $4, role: $5, department: $6, reason: $7) },
                        assignments: &assignments, supervisions: &supervisions, followups: &followups)
                }
            }
            recent.append((id, category.code, node, reportedAt))
            if recent.count > 400 { recent.removeFirst(200) }
            let project = projectIDs[category.code].flatMap { id in local.year == year && Draw.chance(0.6, &rng) ? id : nil }
            let text = "\(category.nameZH)（\(channel.nameZH)）"
            cases.append([
                SQLBind(id), SQLBind(subdistrict), SQLBind(number), SQLBind(Secrets.token()), SQLBind(channel.rawValue),
                channel == .hotline12345 ? SQLBind("12345-\(number)") : SQLLiteral.null, SQLBind(category.code), SQLBind(category.nameZH),
                SQLBind(text), SQLBind(node), SQLBind("临汾路街道"), bindOrNull(submitter), SQLLiteral.null, SQLBind(state.rawValue),
                bindOrNull(f.department), bindOrNull(project), bindOrNull(f.mergedInto), SQLBind(reportedAt), SQLBind(local.iso8601),
                bindOrNull(f.filed), bindOrNull(f.dispatched), bindOrNull(f.responseDue), bindOrNull(f.responded), bindOrNull(f.due),
                bindOrNull(f.handled), bindOrNull(f.closed), bindOrNull(f.evaluated), SQLBind(f.updated), SQLBind(f.extensionDays),
                SQLBind(f.handledCount), SQLBind(f.reworks), SQLBind(f.reopens), SQLBind(f.escalation), bindOrNull(f.escalatedDue),
                SQLBind(f.escalation > 0 || f.supervised), bindOrNull(f.verdict), bindOrNull(f.resolved), SQLBind(seq)
            ])
            counts.cases += 1
            counts.transitions += seq
            if cases.isFull {
                try await cases.flush(on: db)
                try await transitions.flush(on: db)
                try await assignments.flush(on: db)
            }
        }
        try await cases.flush(on: db)
        try await transitions.flush(on: db)
        try await assignments.flush(on: db)
        try await supervisions.flush(on: db)
        try await followups.flush(on: db)
        for (y, last) in sequences {
            try await db.sql.insert(into: "case_counters").columns("year", "last_sequence").values(SQLBind(y), SQLBind(Int64(last))).run()
        }
        progress("cases: \(counts.cases), transitions: \(counts.transitions)")
        return counts
    }

    /// The columns a case's life fills in.
    struct Fields {
        var filed: Date?, dispatched: Date?, responseDue: Date?, responded: Date?, due: Date?, handled: Date?, closed: Date?, evaluated: Date?
        var updated = Date(timeIntervalSince1970: 0)
        var department: UUID?, mergedInto: UUID?
        var extensionDays = 0, handledCount = 0, reworks = 0, reopens = 0, escalation = 0
        var escalatedDue: Date?
        var supervised = false
        var verdict: String?
        var resolved: Bool?
    }
}
