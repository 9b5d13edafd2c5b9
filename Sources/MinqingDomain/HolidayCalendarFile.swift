import Foundation

/// One year's official rest days and make-up working days (节假日安排), as the General Office of
/// the State Council publishes them each autumn (国务院办公厅关于 YYYY 年部分节假日安排的通知).
///
/// The file format, plain UTF-8 text, one file per year named `cn-YYYY.txt`:
/// ```
/// # 2026: 国务院办公厅关于2026年部分节假日安排的通知
/// 2026-02-15..2026-02-23  rest  春节 Spring Festival
/// 2026-02-14              work  春节调休 Spring Festival make-up day
/// ```
/// - A line is a date or an inclusive range `first..last`, then `rest` (放假: a day off,
///   weekends inside a range included) or `work` (调休上班: a make-up working day), then a name,
///   which may hold spaces. Fields are separated by spaces or tabs. `#` starts a comment, to the
///   end of the line; blank lines are ignored; a leading byte-order mark is ignored.
/// - Dates are in the file's year, or in the last seven days of the previous December: the
///   notice for year Y sometimes begins 元旦 in Y-1 (the 2019 notice: 2018-12-30..2019-01-01
///   rest, 2018-12-29 work). No notice reaches into the next year, so neither does a file.
/// - A `work` day must be a Saturday or Sunday (a weekday is a working day already).
/// - No day may be listed twice, whether the lines agree or not.
/// - A range covers at most ``longestRange`` days, to catch a mistyped month.
/// Days not listed follow the plain rule: Monday to Friday work, Saturday and Sunday rest.
public struct HolidayCalendarFile: Sendable, Equatable {
    /// What a listed day is.
    public enum DayKind: String, Sendable, Hashable, CaseIterable {
        /// 放假: a day off, even if it is a weekday.
        case rest
        /// 调休上班: a make-up working day on a weekend.
        case work
    }

    /// One line of the file: a date or range, its kind and its name.
    public struct Entry: Sendable, Equatable {
        /// The first day (the only day for a one-date line).
        public var first: CivilDate
        /// The last day, inclusive.
        public var last: CivilDate
        public var kind: DayKind
        /// The holiday's name as written, e.g. `春节 Spring Festival`.
        public var name: String
        /// The 1-based line number in the file.
        public var line: Int

        public init(first: CivilDate, last: CivilDate, kind: DayKind, name: String, line: Int) {
            self.first = first
            self.last = last
            self.kind = kind
            self.name = name
            self.line = line
        }
    }

    /// The longest range accepted, in days. Spring Festival, the longest holiday, is 9 days.
    public static let longestRange = 14

    /// The year the file describes.
    public let year: Int
    /// The lines, in file order.
    public let entries: [Entry]

    /// Every listed day with its kind and name, in date order.
    public var days: [(date: CivilDate, kind: DayKind, name: String)] {
        var result: [(date: CivilDate, kind: DayKind, name: String)] = []
        for entry in entries {
            for n in entry.first.daysSince1970...entry.last.daysSince1970 {
                if let date = try? CivilDate(daysSince1970: n) { result.append((date, entry.kind, entry.name)) }
            }
        }
        return result.sorted { $0.date < $1.date }
    }

    /// The name of the file for `year`: `cn-2026.txt`.
    public static func fileName(for year: Int) -> String { "cn-\(year).txt" }

    /// The year a file name such as `cn-2026.txt` stands for; nil for any other name, so a
    /// server can load every `cn-YYYY.txt` in its folder and adding a year is adding a file.
    public static func year(fromFileName name: String) -> Int? {
        guard name.hasPrefix("cn-"), name.hasSuffix(".txt") else { return nil }
        let digits = name.dropFirst(3).dropLast(4)
        guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// Makes a file's value from entries already checked by ``parse(year:text:)``.
    init(year: Int, entries: [Entry]) {
        self.year = year
        self.entries = entries
    }

    /// Parses one year's file. Throws the first problem met, from the top, with its line number.
    public static func parse(year: Int, text: String) throws(HolidayCalendarFile.Error) -> HolidayCalendarFile {
        guard (2...9999).contains(year),
            let yearStart = try? CivilDate(year: year - 1, month: 12, day: 25),
            let yearEnd = try? CivilDate(year: year, month: 12, day: 31)
        else { throw Error(year: year, line: nil, reason: .yearOutOfRange) }

        var entries: [Entry] = []
        var listedOn: [Int: Int] = [:] // day number → line that listed it
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        for (offset, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = offset + 1
            func fail(_ reason: Error.Reason) -> Error { Error(year: year, line: lineNumber, reason: reason) }

            let content = rawLine.prefix { $0 != "#" }
            var fields = Fields(content)
            guard let dateField = fields.next() else { continue }
            guard let kindField = fields.next() else { throw fail(.incomplete) }
            let name = fields.rest()
            guard !name.isEmpty else { throw fail(.incomplete) }

            let (first, last) = try parseDates(dateField, fail: fail)
            guard let kind = DayKind(rawValue: String(kindField)) else { throw fail(.unknownKind(String(kindField))) }
            guard first <= last else { throw fail(.reversedRange) }
            let length = last.daysSince1970 - first.daysSince1970 + 1
            guard length <= longestRange else { throw fail(.rangeTooLong(days: length)) }
            for date in [first, last] where date < yearStart || date > yearEnd {
                throw fail(.outsideYear(date))
            }
            for n in first.daysSince1970...last.daysSince1970 {
                guard let date = try? CivilDate(daysSince1970: n) else { continue }
                if let earlier = listedOn[n] { throw fail(.listedTwice(date, firstLine: earlier)) }
                if kind == .work, date.isoWeekday < 6 { throw fail(.workDayNotWeekend(date)) }
                listedOn[n] = lineNumber
            }
            entries.append(Entry(first: first, last: last, kind: kind, name: name, line: lineNumber))
        }
        guard !entries.isEmpty else { throw Error(year: year, line: nil, reason: .empty) }
        return HolidayCalendarFile(year: year, entries: entries)
    }

    private static func parseDates(
        _ field: Substring, fail: (Error.Reason) -> Error
    ) throws(HolidayCalendarFile.Error) -> (CivilDate, CivilDate) {
        let parts = field.components(separatedBy: "..")
        guard parts.count <= 2 else { throw fail(.invalidDate(String(field))) }
        var dates: [CivilDate] = []
        for part in parts {
            // Only the dashed form: the compact YYYYMMDD is too easy to misread in a data file.
            guard part.count == 10, let date = try? CivilDate(parsing: part) else {
                throw fail(.invalidDate(part))
            }
            dates.append(date)
        }
        return (dates[0], dates[dates.count - 1])
    }
}

/// Splits a line into whitespace-separated fields, keeping the rest of the line whole.
private struct Fields {
    var remaining: Substring

    init(_ line: Substring) { remaining = line.drop { $0.isWhitespace } }

    mutating func next() -> Substring? {
        guard !remaining.isEmpty else { return nil }
        let field = remaining.prefix { !$0.isWhitespace }
        remaining = remaining.dropFirst(field.count).drop { $0.isWhitespace }
        return field
    }

    func rest() -> String {
        String(remaining).trimmingCharacters(in: .whitespaces)
    }
}
