import Foundation

@testable import MinqingDomain

/// A date from `YYYY-MM-DD` text, for test tables.
func day(_ text: String) throws -> CivilDate { try CivilDate(parsing: text) }

/// The holiday files the server ships, read from the source tree next to this test.
enum ShippedCalendar {
    static let years = [2024, 2025, 2026]

    /// `Sources/MinqingServer/Resources/calendar`, found from this file's real path (the test
    /// folder may be reached through a symbolic link).
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MinqingServer/Resources/calendar")
    }

    static func text(_ year: Int) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(HolidayCalendarFile.fileName(for: year)), encoding: .utf8)
    }

    static func files() throws -> [HolidayCalendarFile] {
        try years.map { try HolidayCalendarFile.parse(year: $0, text: text($0)) }
    }

    static func calendar() throws -> WorkingCalendar {
        try WorkingCalendar(files: files())
    }
}

/// A date for a test table, where `try` cannot be written. A typo gives 1970-01-01, which makes
/// the test using it fail rather than pass by accident.
func fixed(_ text: String) -> CivilDate {
    (try? CivilDate(parsing: text)) ?? CivilDate(Date(timeIntervalSince1970: 0), in: TimeZone(secondsFromGMT: 0) ?? .shanghai)
}
