import Foundation
import Testing

@testable import MinqingDomain

@Suite("VisitQuota (走访指标)")
struct VisitQuotaTests {
    static let organ = VisitQuota.organCadreDefault // 1 household a week
    static let cadre = VisitQuota.areaCadreDefault // 5 households a working day

    static func visits(_ pairs: [(String, Int)]) throws -> [VisitTally] {
        try pairs.map { VisitTally(date: try day($0.0), households: $0.1) }
    }

    @Test("defaults by role")
    func defaults() throws {
        #expect(VisitQuota.defaultQuota(for: .subdistrictStaff) == (try VisitQuota(households: 1, per: .week)))
        #expect(VisitQuota.defaultQuota(for: .areaCadre) == (try VisitQuota(households: 5, per: .workingDay)))
        #expect(VisitQuota.defaultQuota(for: .gridWorker) == nil)
        #expect(VisitQuota.defaultQuota(for: .resident) == nil)
    }

    @Test("bad quotas and postings are field errors", arguments: [0, -1, 51])
    func badHouseholds(households: Int) {
        #expect(throws: VisitQuota.Error.householdsOutOfRange(households)) {
            try VisitQuota(households: households, per: .week)
        }
    }

    @Test("bad postings")
    func badPostings() throws {
        #expect(throws: VisitQuota.Error.workloadOutOfRange(0)) { try StaffPosting(workloadPercent: 0) }
        #expect(throws: VisitQuota.Error.workloadOutOfRange(101)) { try StaffPosting(workloadPercent: 101) }
        #expect(throws: VisitQuota.Error.postingEndsBeforeStart) {
            try StaffPosting(firstDay: day("2026-03-02"), lastDay: day("2026-03-01"))
        }
        #expect(VisitQuota.Error.workloadOutOfRange(0).fieldError.field == "workload_percent")
    }

    @Test("a quota round-trips through JSON, and a bad one does not decode")
    func coding() throws {
        let data = try JSONEncoder().encode(Self.cadre)
        #expect(String(decoding: data, as: UTF8.self).contains("\"working_day\""))
        #expect(try JSONDecoder().decode(VisitQuota.self, from: data) == Self.cadre)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(VisitQuota.self, from: Data(#"{"households":0,"period":"week"}"#.utf8))
        }
    }

    // MARK: Per working day

    @Test(
        "cadre, per working day: holidays and make-up days",
        arguments: [
            // from, to, working days, required
            ("2026-02-01", "2026-02-28", 16, 80), // 20 weekdays − 6 Spring Festival + 2 make-up Saturdays
            ("2026-02-16", "2026-02-22", 0, 0), // the Spring Festival week owes nothing
            ("2026-02-09", "2026-02-15", 6, 30), // Saturday 02-14 is worked
            ("2025-12-29", "2026-01-04", 4, 20), // the week across the year's end
            ("2025-10-01", "2025-10-31", 18, 90),
            ("2026-01-05", "2026-01-04", 0, 0) // an empty period
        ])
    func cadreWorkingDays(from: String, to: String, days: Int, required: Int) throws {
        let result = Self.cadre.compliance(
            from: try day(from), to: try day(to),
            calendar: try ShippedCalendar.calendar(), visits: [])
        #expect(result.workingDaysInPost == days)
        #expect(result.required == required)
        #expect(result.shortfall == required)
        #expect(result.isMet == (required == 0))
        #expect(result.unitsOwed == days)
    }

    @Test("done, shortfall, days met; rest-day visits count; visits outside the period do not")
    func cadreWorkedExample() throws {
        // Thu 2026-01-01 – Sun 2026-01-04: only Sunday the 4th is a working day (make-up).
        // Mon 01-05 – Tue 01-06: two more. Required 3 × 5 = 15.
        let result = Self.cadre.compliance(
            from: try day("2026-01-01"), to: try day("2026-01-06"), calendar: try ShippedCalendar.calendar(),
            visits: try Self.visits([
                ("2026-01-02", 2), ("2026-01-04", 5), ("2026-01-05", 4), ("2026-01-06", 3),
                ("2026-01-06", 1), ("2026-01-07", 9), ("2025-12-31", 9)
            ]))
        #expect(result.required == 15)
        #expect(result.done == 15) // 2 on a holiday + 5 + 4 + 3 + 1
        #expect(result.isMet)
        #expect(result.shortfall == 0)
        #expect(result.units.map(\.first.iso8601) == ["2026-01-02", "2026-01-04", "2026-01-05", "2026-01-06"])
        #expect(result.units.map(\.target) == [0, 5, 5, 5])
        #expect(result.units.map(\.done) == [2, 5, 4, 4])
        #expect(result.unitsOwed == 3)
        #expect(result.unitsMet == 1) // only the 4th reached 5 on its own
        #expect(result.yearsWithoutCalendar.isEmpty)
    }

    @Test(
        "part-time and time out of post scale the requirement (rounded up once per period)",
        arguments: [
            // percent, first day, last day, absence, from, to, days in post, required, per-day target
            (50, nil, nil, nil, "2026-02-01", "2026-02-28", 16, 40, 3),
            (50, nil, nil, nil, "2026-03-02", "2026-03-04", 3, 8, 3), // 7.5 → 8, not 3 + 3 + 3
            (30, nil, nil, nil, "2026-03-02", "2026-03-02", 1, 2, 2), // 1.5 → 2
            (100, "2026-02-25", nil, nil, "2026-02-01", "2026-02-28", 4, 20, 5), // joined Wed 02-25: 25, 26, 27, Sat 28
            (100, nil, "2026-02-13", nil, "2026-02-01", "2026-02-28", 10, 50, 5), // left Fri 02-13
            (100, nil, nil, "2026-03-09..2026-03-13", "2026-03-01", "2026-03-31", 17, 85, 5), // a week's leave
            (50, "2026-03-05", nil, "2026-03-16..2026-03-17", "2026-03-01", "2026-03-31", 17, 43, 3) // 42.5 → 43
        ] as [(Int, String?, String?, String?, String, String, Int, Int, Int)])
    func partTime(
        percent: Int, first: String?, last: String?, absence: String?, from: String, to: String,
        days: Int, required: Int, dayTarget: Int
    ) throws {
        let absences =
            try absence.map { text -> [ClosedRange<CivilDate>] in
                let parts = text.components(separatedBy: "..")
                return [try day(parts[0])...day(parts[1])]
            } ?? []
        let posting = try StaffPosting(
            workloadPercent: percent, firstDay: first.map(day), lastDay: last.map(day),
            absences: absences)
        let result = Self.cadre.compliance(
            from: try day(from), to: try day(to), calendar: try ShippedCalendar.calendar(),
            posting: posting, visits: [])
        #expect(result.workingDaysInPost == days)
        #expect(result.required == required)
        #expect(!result.units.isEmpty && result.units.allSatisfy { $0.target == dayTarget })
    }

    // MARK: Per week

    @Test(
        "organ cadre, per week: weeks weighed by their working days in post",
        arguments: [
            // from, to, required, weeks owed
            ("2025-12-29", "2026-01-04", 1, 1), // 2026-W01 across the year's end: one week, not two
            ("2025-12-01", "2025-12-31", 5, 5), // 4 full weeks + W01's Dec 29-31 (3 of its 4 working days) = 4.75
            ("2026-01-01", "2026-01-31", 5, 5), // W01's Sunday 01-04 (1 of 4) + 4 full weeks = 4.25
            ("2026-02-16", "2026-02-22", 0, 0), // Spring Festival: no working day, nothing owed
            ("2026-02-09", "2026-02-22", 1, 1),
            ("2026-03-01", "2026-03-31", 5, 5), // Sunday 03-01 alone owes nothing; 4 weeks + 2 of 5 = 4.4
            ("2026-03-02", "2026-03-29", 4, 4),
            ("2026-01-01", "2026-12-31", 52, 52) // W01 from Jan 1 (0.25) + … + W53's Dec 28-31 (4 of 5, no 2027 file)
        ])
    func organWeeks(from: String, to: String, required: Int, owed: Int) throws {
        let result = Self.organ.compliance(
            from: try day(from), to: try day(to),
            calendar: try ShippedCalendar.calendar(), visits: [])
        #expect(result.required == required)
        #expect(result.unitsOwed == owed)
    }

    @Test("December and January share the week across the year's end")
    func yearEndWeekSplits() throws {
        let calendar = try ShippedCalendar.calendar()
        let visits = try Self.visits([("2025-12-30", 1), ("2026-01-04", 1)])
        let december = Self.organ.compliance(
            from: try day("2025-12-29"), to: try day("2025-12-31"),
            calendar: calendar, visits: visits)
        let january = Self.organ.compliance(
            from: try day("2026-01-01"), to: try day("2026-01-04"),
            calendar: calendar, visits: visits)
        let whole = Self.organ.compliance(
            from: try day("2025-12-29"), to: try day("2026-01-04"),
            calendar: calendar, visits: visits)
        #expect(december.units.map(\.week?.description) == ["2026-W01"])
        #expect(december.units.first?.workingDaysInPost == 3)
        #expect(january.units.first?.workingDaysInPost == 1)
        #expect(december.required == 1 && january.required == 1) // each part owes ⌈¾⌉ and ⌈¼⌉
        #expect(whole.required == 1)
        #expect(whole.done == 2 && whole.isMet)
        #expect(
            whole.units == [
                .init(
                    first: try day("2025-12-29"), last: try day("2026-01-04"),
                    week: try day("2026-01-01").isoWeek, workingDaysInPost: 4, target: 1, done: 2)
            ])
    }

    @Test(
        "part-time organ cadre, joining mid-week",
        arguments: [
            // percent, first day, required over March 2026
            (100, nil, 5), // 4.4 weeks
            (50, nil, 3), // 2.2 → 3
            (100, "2026-03-05", 4), // joined Thursday: 2 of 5 + 3 + 0.4 = 3.8
            (50, "2026-03-05", 2), // 1.9 → 2
            (20, nil, 1) // 0.88 → 1
        ] as [(Int, String?, Int)])
    func organPartTime(percent: Int, first: String?, required: Int) throws {
        let posting = try StaffPosting(workloadPercent: percent, firstDay: first.map(day))
        let result = Self.organ.compliance(
            from: try day("2026-03-01"), to: try day("2026-03-31"),
            calendar: try ShippedCalendar.calendar(), posting: posting, visits: [])
        #expect(result.required == required)
        #expect(!result.units.isEmpty && result.units.allSatisfy { $0.target == 1 })
    }

    @Test("a year with no holiday file: weekends only, and the result says so")
    func noCalendarYear() throws {
        let calendar = try ShippedCalendar.calendar()
        let january = Self.cadre.compliance(
            from: try day("2027-01-01"), to: try day("2027-01-31"),
            calendar: calendar, visits: [])
        #expect(january.workingDaysInPost == 21) // 2027-01-01 is a Friday: counted as worked
        #expect(january.required == 105)
        #expect(january.yearsWithoutCalendar == [2027])
        let week = Self.organ.compliance(
            from: try day("2026-12-28"), to: try day("2027-01-03"),
            calendar: calendar, visits: [])
        #expect(week.yearsWithoutCalendar == [2027])
        #expect(week.required == 1)
    }
}
