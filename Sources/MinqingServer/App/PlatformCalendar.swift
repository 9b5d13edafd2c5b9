import Foundation
import MinqingDomain

/// Loads the platform's working-day calendar (工作日历) at start: the holiday files shipped in
/// the package (`Resources/calendar/cn-YYYY.txt`), then those in `MINQING_CALENDAR_DIR`, which
/// add a year or replace a shipped one. A bad file stops start-up naming the file and line. A
/// year without a file has the statutory holidays the regulation fixes, derived
/// (`StatutoryHolidays`), and no make-up days; its file, once added, replaces them.
enum PlatformCalendar {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func load(extraDirectory: String?) throws -> WorkingCalendar {
        var files: [Int: HolidayCalendarFile] = [:]
        if let shipped = Bundle.module.url(forResource: "calendar", withExtension: nil) {
            try read(directory: shipped.path, into: &files)
        }
        if let extraDirectory { try read(directory: extraDirectory, into: &files) }
        do {
            return try WorkingCalendar(files: files.keys.sorted().compactMap { files[$0] }, missingYears: .derived)
        } catch {
            throw Problem(description: "工作日历错误 / calendar error: \(error)")
        }
    }

    /// The shipped files only (tests and tools that run without a configured app).
    static func shipped() throws -> WorkingCalendar { try load(extraDirectory: nil) }

    private static func read(directory: String, into files: inout [Int: HolidayCalendarFile]) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() {
            guard let year = HolidayCalendarFile.year(fromFileName: name) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw Problem(description: "工作日历文件无法读取（须为 UTF-8）/ calendar file unreadable (must be UTF-8): \(path)")
            }
            do {
                files[year] = try HolidayCalendarFile.parse(year: year, text: text)
            } catch {
                throw Problem(description: "\(path): \(error.messageZH) / \(error.messageEN)")
            }
        }
    }
}
