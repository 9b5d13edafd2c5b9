import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

@Suite("Case loop (一口汇集、一口派单、一口督办)")
struct CasesTests {
    typealias F = CasesFixture

    /// A resident's message goes round the whole loop: filed, 吹哨 to 房管办 with 城管 co-handling,
    /// accepted, the lead cannot finish before the co-handler reports, handled, verified, closed;
    /// a first "unsatisfied" reopens it, the second stands and puts it under supervision.
    @Test("the whole loop with 吹哨, rework by the resident and supervision")
    func loop() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident"), staff = try await F.client(app, "staff")
            let lead = try await F.client(app, "handler"), co = try await F.client(app, "h_cg")
            let made = try await F.submit(resident, extra: ["submitter_phone": "13800138000"])
            #expect(CaseNumber.parse(made.number)?.year == 2026)
            #expect(made.state == "reported")

            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan", "co_departments": ["chengguan"]])
            // 楼道堆物 (E0404): response 4 working hours, handling 2 working days from Friday 10:00 Shanghai.
            #expect(try await F.dueAt(app, made.id) == Date(timeIntervalSince1970: 1_773_158_400)) // Wed 11 March 00:00 Shanghai
            try await F.act(lead, made.id, "accept")
            let blocked = try await F.act(lead, made.id, "handle", expect: 409)
            #expect(blocked.body.string.contains("co_handlers_pending"))
            #expect(try await co.jsonObject(.POST, "/api/v1/cases/\(made.id)/reports", ["report": "已清理楼道"]).status == .noContent)
            // The co-handler may report once, and may not change the state.
            #expect(try await co.jsonObject(.POST, "/api/v1/cases/\(made.id)/reports", ["report": "再报"]).status == .conflict)
            try await F.act(co, made.id, "handle", expect: 403)
            try await F.act(lead, made.id, "handle")
            try await F.act(staff, made.id, "verify")
            try await F.act(staff, made.id, "close")
            try await F.act(resident, made.id, "evaluate", ["verdict": "unsatisfied", "reason": "家具又堆回来了"])
            #expect(try await F.state(app, made.id).state == "in_progress")
            try await F.act(lead, made.id, "handle")
            try await F.act(staff, made.id, "verify")
            try await F.act(staff, made.id, "close")
            try await F.act(resident, made.id, "evaluate", ["verdict": "unsatisfied"])
            let detail = try await F.detail(resident, made.id)
            #expect(detail.summary.state == "evaluated")
            #expect(detail.summary.supervised)
            #expect(detail.supervisions.map(\.kind) == ["unsatisfied"])
            #expect(detail.reopen_count == 1 && detail.rework_count == 1)
            #expect(detail.submitter_phone_masked == "138****8000")
            #expect(
                detail.transitions.map(\.action) == [
                    "report", "file", "dispatch", "accept", "handle", "verify", "close", "reopen",
                    "handle", "verify", "close", "evaluate"
                ])
            #expect(detail.transitions.map(\.seq) == Array(1...12))
            #expect(detail.transitions[7].reason.hasPrefix("不满意"))
            #expect(Set(detail.assignments.map(\.department_code)) == ["fangguan", "chengguan"])
            #expect(detail.assignments.first { !$0.lead }?.report == "已清理楼道")
            // The phone number is only in the vault.
            struct Raw: Decodable { var submitter_phone_cipher: String?; var submitter_phone_index: String? }
            let raw = try await app.db.sql.raw("SELECT submitter_phone_cipher, submitter_phone_index FROM cases WHERE id = \(bind: made.id)")
                .first(decoding: Raw.self)!
            #expect(raw.submitter_phone_cipher?.contains("13800138000") == false)
            #expect(raw.submitter_phone_index?.isEmpty == false)
        }
    }

    /// A refused transition answers 409 and changes nothing: same state, no new transition row.
    @Test("refused transitions change nothing")
    func refused() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident"), staff = try await F.client(app, "staff"), lead = try await F.client(app, "handler")
            let made = try await F.submit(resident)
            let before = try await F.state(app, made.id)
            try await F.act(staff, made.id, "close", expect: 409)
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"], expect: 409)
            try await F.act(staff, made.id, "reject", expect: 422) // a reason is required
            try await F.act(resident, made.id, "evaluate", ["verdict": "satisfied"], expect: 409)
            try await F.act(resident, made.id, "file", expect: 403) // not the resident's to do
            try await F.act(staff, made.id, "fly", expect: 422)
            #expect(try await F.state(app, made.id) == before)
            // The department sees nothing before dispatch.
            #expect(try await lead.get("/api/v1/cases/\(made.id)").status == .notFound)
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "file", expect: 409)
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            try await F.act(lead, made.id, "return", expect: 422)
            try await F.act(lead, made.id, "return", ["reason": "不属于本部门职责"])
            try await F.act(lead, made.id, "accept", expect: 409)
            #expect(try await F.state(app, made.id) == ("returned", 4))
            try await F.act(staff, made.id, "dispatch", ["department": "chengguan"])
            // Re-dispatched elsewhere: 房管办 no longer sees it, 城管 does.
            #expect(try await lead.get("/api/v1/cases/\(made.id)").status == .notFound)
            #expect(try await F.client(app, "h_cg").get("/api/v1/cases/\(made.id)").status == .ok)
        }
    }

    @Test("who sees what: residents their own, departments what is sent to them, staff by scope")
    func visibility() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let resident = try await F.client(app, "resident"), other = try await F.client(app, "res2")
            let staff = try await F.client(app, "staff"), gridworker = try await F.client(app, "gridworker")
            let fangguan = try await F.client(app, "handler"), shiwu = try await F.client(app, "h_sw")
            let mine = try await F.submit(resident)
            let theirs = try await F.submit(other)
            #expect(try await resident.get("/api/v1/cases").decode([F.Summary].self).map(\.id) == [mine.id])
            #expect(try await other.get("/api/v1/cases").decode([F.Summary].self).map(\.id) == [theirs.id])
            #expect(try await other.get("/api/v1/cases/\(mine.id)").status == .notFound)
            // Staff of the subdistrict see both; the grid worker of micro-grid 1 only the first (building group 01).
            #expect(Set(try await staff.get("/api/v1/cases").decode([F.Summary].self).map(\.id)) == [mine.id, theirs.id])
            let gridCases = try await gridworker.get("/api/v1/cases").decode([F.Summary].self).map(\.id)
            #expect(gridCases.contains(mine.id))
            for made in [mine, theirs] {
                try await F.act(staff, made.id, "file")
            }
            try await F.act(staff, mine.id, "dispatch", ["department": "fangguan"])
            try await F.act(staff, theirs.id, "dispatch", ["department": "shiwu"])
            #expect(try await fangguan.get("/api/v1/cases").decode([F.Summary].self).map(\.id) == [mine.id])
            #expect(try await shiwu.get("/api/v1/cases").decode([F.Summary].self).map(\.id) == [theirs.id])
            #expect(try await shiwu.get("/api/v1/cases/\(mine.id)").status == .notFound)
            try await F.act(shiwu, mine.id, "accept", expect: 404)
            // Different building groups and no compound: not possible duplicates of each other.
            let duplicates = try await staff.get("/api/v1/cases/\(mine.id)/duplicates").decode([F.Summary].self)
            #expect(!duplicates.map(\.id).contains(theirs.id))
        }
    }

    @Test("possible duplicates and merging")
    func duplicates() async throws {
        try await withApp(demo: true) { app in
            try await F.setUp(app)
            let staff = try await F.client(app, "staff")
            let first = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "grid_patrol")
            let second = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "hotline_12345", extra: ["source_ref": "12345-2026-88"])
            let elsewhere = try await F.submit(staff, node: "310106019-1-02-1-01", channel: "grid_patrol")
            let otherCategory = try await F.submit(staff, category: "E0101", node: "310106019-1-01-1-01", channel: "grid_patrol")
            #expect(second.duplicates.map(\.id) == [first.id])
            #expect(elsewhere.duplicates.isEmpty && otherCategory.duplicates.isEmpty)
            try await F.act(staff, second.id, "merge", ["primary_id": second.id.uuidString], expect: 422)
            try await F.act(staff, second.id, "merge", ["primary_id": first.id.uuidString])
            try await F.act(staff, second.id, "file", expect: 409)
            let merged = try await F.detail(staff, second.id)
            #expect(merged.summary.state == "merged")
            // A merged case is no duplicate any more; nor can anything merge into it.
            try await F.act(staff, elsewhere.id, "merge", ["primary_id": second.id.uuidString], expect: 422)
        }
    }

    @Test("bad input names the field in Chinese and English")
    func badInput() async throws {
        try await withApp(demo: true) { app in
            let staff = try await F.client(app, "staff")
            let response = try await staff.jsonObject(
                .POST, "/api/v1/cases",
                [
                    "channel": "pigeon", "category_code": "E04", "lat": 31.2,
                    "submitter_phone": "12345", "node": "999"
                ])
            #expect(response.status == .unprocessableEntity)
            struct E: Decodable {
                struct Inner: Decodable { struct F: Decodable { var field: String; var message: String; var message_en: String }; var fields: [F] };
                var error: Inner
            }
            let fields = try response.decode(E.self).error.fields
            #expect(Set(fields.map(\.field)) == ["channel", "category_code", "description", "long", "submitter_phone", "node"])
            #expect(fields.allSatisfy { !$0.message.isEmpty && !$0.message_en.isEmpty })
        }
    }

    /// Suspension stops the clock: resuming moves the deadline by the office time that passed.
    /// A follow-up call after closure that reaches the requester records their verdict.
    @Test("suspend and resume move the deadline; a follow-up call records the verdict once the case is closed")
    func suspendAndFollowUp() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let staff = try await F.client(app, "staff"), lead = try await F.client(app, "handler")
            let made = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "hotline_12345")
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            try await F.act(lead, made.id, "accept")
            let due = try #require(try await F.dueAt(app, made.id))
            // E0404 has 2d: dispatched Friday 6 March 10:00, the start day not counted, Monday 9 and
            // Tuesday 10 are the two working days → the end of Tuesday, Wednesday 11 March 00:00
            // Shanghai (Tuesday 16:00 UTC).
            #expect(due == Date(timeIntervalSince1970: 1_773_158_400))
            try await F.act(lead, made.id, "suspend", expect: 422) // a reason is required
            try await F.act(lead, made.id, "suspend", ["reason": "等待业主回国"])
            clock.advance(3 * 86_400) // Friday 10:00 → Monday 10:00: 8 office hours
            try await F.act(lead, made.id, "resume")
            // The deadline (Wednesday 00:00) plus 8 office hours: Wednesday 09:00–17:00.
            #expect(try await F.dueAt(app, made.id) == due.addingTimeInterval(17 * 3600))
            #expect(try await staff.jsonObject(.POST, "/api/v1/cases/\(made.id)/followups", ["method": "phone", "note": "太早"]).status == .conflict)
            try await F.act(lead, made.id, "handle")
            try await F.act(staff, made.id, "verify")
            try await F.act(staff, made.id, "close")
            let call = try await staff.jsonObject(
                .POST, "/api/v1/cases/\(made.id)/followups",
                ["method": "phone", "reached": true, "verdict": "basically_satisfied", "resolved": true, "note": "电话回访"])
            #expect(call.status == .created)
            let detail = try await F.detail(staff, made.id)
            #expect(detail.summary.state == "evaluated")
            // The timeline names people, not accounts: the staff member's name.
            struct Name: Decodable { var display_name: String }
            let staffName = try await app.db.sql.raw("SELECT display_name FROM accounts WHERE username = 'staff'").first(decoding: Name.self)
            #expect(detail.transitions.last?.action == "evaluate" && detail.transitions.last?.actor_name == staffName?.display_name)
            #expect(detail.transitions.last?.actor_name != "staff")
            // A second call is recorded; the verdict stands.
            #expect(
                try await staff.jsonObject(.POST, "/api/v1/cases/\(made.id)/followups", ["method": "sms", "verdict": "unsatisfied"]).status
                    == .created)
            struct V: Decodable { var verdict: String?; var n: Int }
            let row = try await app.db.sql.raw(
                """
                SELECT c.verdict, (SELECT COUNT(*) FROM case_followups f WHERE f.case_id = c.id) AS n FROM cases c WHERE c.id = \(bind: made.id)
                """
            ).first(decoding: V.self)
            #expect(row?.verdict == "basically_satisfied" && row?.n == 2)
            #expect(try await F.state(app, made.id) == ("evaluated", 10))
        }
    }

    /// Overdue cases go one level up once per missed deadline, however often the pass runs.
    @Test("overdue escalation is idempotent, and an extension moves the deadline on the calendar")
    func escalation() async throws {
        let clock = TestClock(F.friday)
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let staff = try await F.client(app, "staff"), lead = try await F.client(app, "handler")
            let made = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "grid_patrol")
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            try await F.act(lead, made.id, "accept")
            #expect(try await CasesSupervision.escalateOverdue(now: clock.now, on: app.db) == 0)
            clock.advance(6 * 86_400) // Thursday 12 March, past Wednesday 00:00
            #expect(try await staff.get("/api/v1/cases?overdue=1").decode([F.Summary].self).map(\.id) == [made.id])
            #expect(try await CasesSupervision.escalateOverdue(now: clock.now, on: app.db) == 1)
            #expect(try await CasesSupervision.escalateOverdue(now: clock.now, on: app.db) == 0)
            try await F.act(lead, made.id, "request_extension", ["days": 3, "reason": "需协调业主"])
            try await F.act(staff, made.id, "approve_extension")
            // From the end of Tuesday 10 March, 3 more working days: Wed 11, Thu 12, Fri 13 → Sat 14 00:00 Shanghai.
            #expect(try await F.dueAt(app, made.id) == Date(timeIntervalSince1970: 1_773_417_600))
            #expect(try await CasesSupervision.escalateOverdue(now: clock.now, on: app.db) == 0)
            clock.advance(3 * 86_400)
            #expect(try await CasesSupervision.escalateOverdue(now: clock.now, on: app.db) == 1)
            let detail = try await F.detail(staff, made.id)
            #expect(detail.supervisions.map(\.level) == [1, 2])
            #expect(detail.summary.supervised && detail.summary.overdue)
        }
    }
}
