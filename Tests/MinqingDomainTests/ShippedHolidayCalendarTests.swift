import Foundation
import Testing

@testable import MinqingDomain

/// The files in `Sources/MinqingServer/Resources/calendar`, checked against the State Council notices.
@Suite("Shipped holiday files (国务院办公厅节假日安排)")
struct ShippedHolidayCalendarTests {
    @Test("every shipped file parses, and the calendar knows those years")
    func parses() throws {
        let calendar = try ShippedCalendar.calendar()
        #expect(calendar.knownYears == Set(ShippedCalendar.years))
    }

    @Test(
        "days from the notices",
        arguments: [
            // 2024 (国办发明电〔2023〕7号)
            ("2024-01-01", false), ("2024-02-04", true), ("2024-02-09", true), ("2024-02-10", false),
            ("2024-02-16", false), ("2024-02-18", true), ("2024-04-05", false), ("2024-04-07", true),
            ("2024-04-28", true), ("2024-05-03", false), ("2024-05-11", true), ("2024-06-10", false),
            ("2024-09-14", true), ("2024-09-16", false), ("2024-09-29", true), ("2024-10-07", false),
            ("2024-10-08", true), ("2024-10-12", true),
            // 2025 (国办发明电〔2024〕12号)
            ("2025-01-01", false), ("2025-01-26", true), ("2025-01-28", false), ("2025-02-04", false),
            ("2025-02-05", true), ("2025-02-08", true), ("2025-04-04", false), ("2025-04-27", true),
            ("2025-05-02", false), ("2025-05-05", false), ("2025-06-02", false), ("2025-09-28", true),
            ("2025-10-08", false), ("2025-10-09", true), ("2025-10-11", true),
            // 2026 (2025-11-04 notice)
            ("2026-01-02", false), ("2026-01-04", true), ("2026-02-14", true), ("2026-02-16", false),
            ("2026-02-23", false), ("2026-02-24", true), ("2026-02-28", true), ("2026-04-06", false),
            ("2026-05-05", false), ("2026-05-09", true), ("2026-06-19", false), ("2026-09-20", true),
            ("2026-09-25", false), ("2026-10-07", false), ("2026-10-08", true), ("2026-10-10", true)
        ])
    func notices(date: String, working: Bool) throws {
        let calendar = try ShippedCalendar.calendar()
        #expect(calendar.isWorkingDay(try day(date)) == working)
    }

    @Test(
        "working days a year: weekdays − holidays on weekdays + make-up days",
        arguments: [
            (2024, 251), // 262 − 19 + 8
            (2025, 248), // 261 − 18 + 5
            (2026, 248) // 261 − 19 + 6
        ])
    func yearTotals(year: Int, count: Int) throws {
        let calendar = try ShippedCalendar.calendar()
        #expect(
            calendar.workingDayCount(
                from: try CivilDate(year: year, month: 1, day: 1),
                to: try CivilDate(year: year, month: 12, day: 31)) == count)
    }

    @Test("holiday names reach the calendar")
    func names() throws {
        let calendar = try ShippedCalendar.calendar()
        #expect(calendar.dayKind(of: try day("2026-02-17")) == .holiday("春节 Spring Festival"))
        #expect(calendar.dayKind(of: try day("2025-10-11")) == .makeUpWorkday("国庆节、中秋节调休 National Day and Mid-Autumn make-up day"))
    }
}
