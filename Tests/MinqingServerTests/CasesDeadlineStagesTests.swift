import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Each of a category's limits runs at its stage (立案, 派遣, 核查 as `stage_due_at`; 处置 as
/// `due_at`), on the platform calendar, which derives the holidays of a year without a notice.
@Suite("Cases: the deadline of each stage, and years without a holiday notice")
struct CasesDeadlineStagesTests {
    typealias F = CasesFixture

    /// The detail's fields these tests read.
    struct Stage: Decodable { var stage_due_at: Date?; var derived_calendar_years: [Int] }

    /// `stage_due_at` as stored (the oracle reads the row itself).
    static func stageDue(_ app: Application, _ id: UUID) async throws -> Date? {
        struct Row: Decodable { var stage_due_at: Date? }
        return try await app.db.sql.raw("SELECT stage_due_at FROM cases WHERE id = \(bind: id)").first(decoding: Row.self)?.stage_due_at
    }

    /// Midnight at the start of a day in Shanghai (16:00 UTC the day before), March 2026.
    static func march(_ day: Int) -> Date { Date(timeIntervalSince1970: 1_772_985_600 + Double(day - 9) * 86_400) }

    @Test("a category's filing, dispatch and verification limits set each stage's deadline")
    func stageLimits() async throws {
        let clock = TestClock(F.friday) // Friday 6 March 2026, 10:00
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let admin = try await F.client(app, "admin"), staff = try await F.client(app, "staff")
            let lead = try await F.client(app, "handler")
            let changed = try await admin.jsonObject(
                .PUT, "/api/v1/cases/categories/E0404", ["limit_file": "1d", "limit_dispatch": "3d", "limit_verify": "4d"])
            #expect(changed.status == .ok)
            #expect(Self.march(10) == Date(timeIntervalSince1970: 1_773_072_000)) // Tuesday 10 March 00:00 Shanghai

            // Taken in on Friday: 1 working day to file → the end of Monday 9 March.
            let made = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "grid_patrol")
            #expect(try await Self.stageDue(app, made.id) == Self.march(10))
            // Filed on Friday: 3 working days to dispatch → Mon 9, Tue 10, Wed 11: Thursday 12 March 00:00.
            try await F.act(staff, made.id, "file")
            #expect(try await Self.stageDue(app, made.id) == Self.march(12))
            let filed = try await staff.get("/api/v1/cases/\(made.id)").decode(Stage.self)
            #expect(filed.stage_due_at == Self.march(12) && filed.derived_calendar_years.isEmpty)
            let page = try await TestClient(app).signInWebThen("staff", "/cases/\(made.id)")
            #expect(page.contains("派遣期限") && !page.contains("calendar-warning"))

            // Dispatched: the department's deadlines run; the dispatcher's is cleared.
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            #expect(try await Self.stageDue(app, made.id) == nil)
            // Returned on Monday 9 March 10:00: dispatch again within 3 working days → Tue, Wed, Thu: Friday 13 March 00:00.
            clock.advance(3 * 86_400)
            try await F.act(lead, made.id, "return", ["reason": "不属于本部门职责"])
            #expect(try await Self.stageDue(app, made.id) == Self.march(13))

            // Handled on Monday: 4 working days to verify → Tue, Wed, Thu, Fri: Saturday 14 March 00:00.
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            try await F.act(lead, made.id, "accept")
            try await F.act(lead, made.id, "handle")
            #expect(try await Self.stageDue(app, made.id) == Self.march(14))
            try await F.act(staff, made.id, "verify")
            #expect(try await Self.stageDue(app, made.id) == Self.march(14)) // still the verification stage
            try await F.act(staff, made.id, "close")
            #expect(try await Self.stageDue(app, made.id) == nil)
        }
    }

    @Test("a category's dispatch limit in working hours counts office time")
    func dispatchHours() async throws {
        let clock = TestClock(F.friday) // Friday 10:00
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let admin = try await F.client(app, "admin"), staff = try await F.client(app, "staff")
            #expect(try await admin.jsonObject(.PUT, "/api/v1/cases/categories/E0404", ["limit_dispatch": "9h"]).status == .ok)
            let made = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "grid_patrol")
            try await F.act(staff, made.id, "file")
            // Friday 10:00–17:00 is 7 office hours; 2 more on Monday 9 March: 11:00 Shanghai (03:00 UTC).
            #expect(try await Self.stageDue(app, made.id) == Self.march(9).addingTimeInterval(11 * 3600))
        }
    }

    @Test("a case dispatched on 2026-12-10 with 20 working days falls due after 2027's 元旦, and says the year is derived")
    func acrossIntoDerivedYear() async throws {
        // Thursday 2026-12-10, 10:00 Shanghai: the pinned Wednesday 2026-11-18 plus 22 days.
        let clock = TestClock(Date(timeIntervalSince1970: 1_794_967_200 + 22 * 86_400))
        try await withApp(demo: true, now: { clock.now }) { app in
            try await F.setUp(app)
            let admin = try await F.client(app, "admin"), staff = try await F.client(app, "staff")
            #expect(try await admin.jsonObject(.PUT, "/api/v1/cases/categories/E0404", ["limit_handle": "20d"]).status == .ok)
            let made = try await F.submit(staff, node: "310106019-1-01-1-01", channel: "grid_patrol")
            try await F.act(staff, made.id, "file")
            try await F.act(staff, made.id, "dispatch", ["department": "fangguan"])
            // Working days after Thursday 12-10: Fri 12-11 (1); 12-14..18 (2–6); 12-21..25 (7–11);
            // 12-28..31 (12–15); Friday 2027-01-01 is 元旦, a rest day though no 2027 notice ships;
            // 01-04..08 (16–20). Due at the end of Friday 2027-01-08: 2027-01-08 16:00 UTC.
            let endOfJanuary1 = Date(timeIntervalSince1970: 1_798_819_200) // 2027-01-02 00:00 Shanghai
            let expected = Date(timeIntervalSince1970: 1_799_424_000) // 2027-01-09 00:00 Shanghai
            #expect(expected.timeIntervalSince(endOfJanuary1) == 7 * 86_400)
            let due = try await F.dueAt(app, made.id)
            #expect(due == expected)
            #expect(due != endOfJanuary1 && due != expected.addingTimeInterval(-86_400)) // not 01-01, nor 01-07 (weekends only)
            let detail = try await staff.get("/api/v1/cases/\(made.id)").decode(Stage.self)
            #expect(detail.derived_calendar_years == [2027])
            let page = try await TestClient(app).signInWebThen("staff", "/cases/\(made.id)")
            #expect(page.contains("id=\"calendar-warning\"") && page.contains("2027 年的节假日安排尚未公布"))
        }
    }

    @Test("a ballot's appeal deadline in a year without a notice is flagged on its page and in the API")
    func ballotAppealWarning() async throws {
        let clock = TestClock()
        try await withApp(demo: true, now: { clock.now }) { app in
            let f = try await VotingFixture.make(app)
            let ballot = try await f.ballot(app, closesIn: 3600, now: clock.now)
            clock.advance(3601)
            let cadre = try await VotingFixture.client(app, "cadre")
            #expect(try await cadre.send(.POST, "/api/v1/voting/ballots/\(ballot)/close").status == .ok)
            struct Detail: Decodable { var appeal_deadline: String?; var derived_calendar_years: [Int] }
            let detail = try await cadre.get("/api/v1/voting/ballots/\(ballot)").decode(Detail.self)
            // Published on the pinned Wednesday 2026-11-18; one year on is Thursday 2027-11-18, in 2027.
            #expect(detail.appeal_deadline == "2027-11-18" && detail.derived_calendar_years == [2027])
            let page = try await TestClient(app).signInWebThen("cadre", "/voting/ballots/\(ballot)")
            #expect(page.contains("id=\"appeal-deadline\"") && page.contains("id=\"calendar-warning\""))
        }
    }
}
