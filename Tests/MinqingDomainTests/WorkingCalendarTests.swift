import Foundation
import Testing

@testable import MinqingDomain

@Suite("WorkingCalendar (工作日历)")
struct WorkingCalendarTests {
    /// The 2026 notice's New Year, a made-up 2027 file that begins in December 2026, and nothing else.
    static func small() throws -> WorkingCalendar {
        let y2026 = try HolidayCalendarFile.parse(
            year: 2026,
            text: """
                2026-01-01..2026-01-03 rest 元旦
                2026-01-04 work 元旦调休
                """)
        return try WorkingCalendar(files: [y2026])
    }

    @Test(
        "day kinds: weekdays, weekends, holidays, make-up days",
        arguments: [
            ("2026-01-01", WorkingCalendar.DayKind.holiday("元旦")), // Thursday, holiday
            ("2026-01-03", .holiday("元旦")), // Saturday, inside the range
            ("2026-01-04", .makeUpWorkday("元旦调休")), // Sunday, worked
            ("2026-01-05", .workday), // Monday
            ("2026-01-10", .weekend), // Saturday
            ("2026-01-11", .weekend), // Sunday
            ("2025-12-31", .workday) // Wednesday, year not loaded
        ])
    func dayKinds(date: String, kind: WorkingCalendar.DayKind) throws {
        let calendar = try Self.small()
        #expect(calendar.dayKind(of: try day(date)) == kind)
        #expect(calendar.isWorkingDay(try day(date)) == kind.isWorkingDay)
    }

    @Test("working days in a period, both ends included")
    func counting() throws {
        let calendar = try Self.small()
        // 2025-12-29 (Mon) … 2026-01-04 (Sun), ISO week 2026-W01: Mon-Wed worked, Thu-Sat holiday, Sun make-up.
        let week = try day("2025-12-29")...day("2026-01-04")
        #expect(calendar.workingDays(in: week).map(\.iso8601) == ["2025-12-29", "2025-12-30", "2025-12-31", "2026-01-04"])
        #expect(calendar.workingDayCount(in: week) == 4)
        #expect(calendar.workingDayCount(from: try day("2026-01-05"), to: try day("2026-01-05")) == 1)
        #expect(calendar.workingDayCount(from: try day("2026-01-10"), to: try day("2026-01-11")) == 0)
        #expect(calendar.workingDayCount(from: try day("2026-01-05"), to: try day("2026-01-04")) == 0)
        #expect(calendar.workingDays(from: try day("2026-01-05"), to: try day("2026-01-04")).isEmpty)
    }

    @Test(
        "the n-th working day after a date",
        arguments: [
            ("2025-12-31", 1, "2026-01-04"), // over the New Year holiday to the make-up Sunday
            ("2025-12-31", 2, "2026-01-05"),
            ("2026-01-01", 1, "2026-01-04"), // from a holiday
            ("2026-01-04", 1, "2026-01-05"), // the date itself never counts
            ("2026-01-09", 1, "2026-01-12"), // Friday → Monday
            ("2026-01-10", 1, "2026-01-12"), // Saturday → Monday
            ("2026-01-09", 5, "2026-01-16"),
            ("2026-01-09", 0, "2026-01-09"), // no shift
            ("2026-01-10", 0, "2026-01-10"), // no shift, even on a rest day
            ("2026-01-05", -1, "2026-01-04"), // back to the make-up Sunday
            ("2026-01-05", -2, "2025-12-31"),
            ("2024-02-28", 2, "2024-03-01") // through a leap day (no 2024 data: weekends only)
        ])
    func addingWorkingDays(from: String, n: Int, expected: String) throws {
        let calendar = try Self.small()
        #expect(try calendar.addingWorkingDays(n, to: day(from)) == day(expected))
    }

    @Test("adding working days past year 9999 throws")
    func addingOutOfRange() throws {
        #expect(throws: CivilDate.Error.self) {
            try WorkingCalendar().addingWorkingDays(5, to: day("9999-12-29"))
        }
        #expect(throws: CivilDate.Error.self) {
            try WorkingCalendar().addingWorkingDays(-1, to: day("0001-01-01"))
        }
    }

    @Test(
        "ISO weeks across a year's end",
        arguments: [
            ("2025-12-29", "2026-W01", "2025-12-29", "2026-01-04"),
            ("2026-01-01", "2026-W01", "2025-12-29", "2026-01-04"),
            ("2026-01-04", "2026-W01", "2025-12-29", "2026-01-04"),
            ("2024-12-31", "2025-W01", "2024-12-30", "2025-01-05"),
            ("2026-12-31", "2026-W53", "2026-12-28", "2027-01-03"),
            ("2027-01-03", "2026-W53", "2026-12-28", "2027-01-03"),
            ("2021-01-03", "2020-W53", "2020-12-28", "2021-01-03"),
            ("2026-02-18", "2026-W08", "2026-02-16", "2026-02-22"),
            ("2024-02-29", "2024-W09", "2024-02-26", "2024-03-03"),
            ("0001-01-01", "0001-W01", "0001-01-01", "0001-01-07")
        ])
    func isoWeeks(date: String, week: String, monday: String, sunday: String) throws {
        let d = try day(date)
        #expect(d.isoWeek.description == week)
        #expect(WorkingCalendar.weekStart(of: d) == (try day(monday)))
        #expect(d.isoWeek.sunday == (try day(sunday)))
        #expect(d.isoWeek.monday.isoWeekday == 1)
    }

    @Test("a year with no file: weekends only, and flagged")
    func yearWithoutData() throws {
        let calendar = try Self.small()
        #expect(calendar.knownYears == [2026])
        #expect(calendar.hasData(for: 2026))
        #expect(!calendar.hasData(for: 2027))
        // 2027-01-01 is a Friday: with no 2027 file it counts as a working day.
        #expect(calendar.isWorkingDay(try day("2027-01-01")))
        #expect(calendar.workingDayCount(from: try day("2027-01-01"), to: try day("2027-12-31")) == 261)
        #expect(calendar.yearsWithoutData(from: try day("2025-06-01"), to: try day("2027-02-01")) == [2025, 2027])
        #expect(calendar.yearsWithoutData(from: try day("2026-03-01"), to: try day("2026-03-31")).isEmpty)
        #expect(WorkingCalendar().knownYears.isEmpty)
        #expect(WorkingCalendar().yearsWithoutData(from: try day("2026-01-01"), to: try day("2026-01-01")) == [2026])
    }

    @Test("files: one per year, and a December day two files list must agree")
    func combiningFiles() throws {
        let y2018 = try HolidayCalendarFile.parse(year: 2018, text: "2018-12-29 work 元旦调休")
        let y2019 = try HolidayCalendarFile.parse(
            year: 2019,
            text: """
                2018-12-29 work 元旦调休
                2018-12-30..2019-01-01 rest 元旦
                """)
        let calendar = try WorkingCalendar(files: [y2018, y2019])
        #expect(calendar.dayKind(of: try day("2018-12-31")) == .holiday("元旦")) // a Monday, off
        #expect(calendar.isWorkingDay(try day("2018-12-29"))) // a Saturday, worked

        #expect(throws: WorkingCalendar.Error.duplicateYear(2019)) { try WorkingCalendar(files: [y2019, y2019]) }
        let disagreeing = try HolidayCalendarFile.parse(year: 2018, text: "2018-12-29 rest 休息")
        #expect(throws: WorkingCalendar.Error.conflictingDay(try day("2018-12-29"))) {
            try WorkingCalendar(files: [disagreeing, y2019])
        }
        #expect(WorkingCalendar.Error.duplicateYear(2019).messageZH == "2019 年的节假日文件重复")
    }
}
