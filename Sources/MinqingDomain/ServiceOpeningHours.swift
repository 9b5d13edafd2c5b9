import Foundation

/// A shared resource's opening hours (开放时间) and the bookable slots they give on a day.
///
/// Written as `1-5 08:00-12:00,14:00-18:00; 6 09:00-11:30`: ISO weekdays (1 = Monday) or a range
/// of them, then time ranges in local time. A day not listed is closed.
public struct ServiceOpeningHours: Sendable, Equatable {
    /// Per ISO weekday (1…7), the open ranges as minutes after local midnight, [start, end).
    public private(set) var ranges: [Int: [ClosedRange<Int>]]

    public struct ParseError: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        public var part: String
        public var fieldError: FieldError {
            FieldError(
                field: "opening_hours", messageZH: "开放时间格式有误（应如“1-5 08:00-12:00,14:00-18:00; 6 09:00-11:30”）：\(part)",
                messageEN: "Opening hours are malformed (write e.g. \"1-5 08:00-12:00,14:00-18:00; 6 09:00-11:30\"): \(part)")
        }
    }

    public init(parsing text: String) throws(ParseError) {
        var ranges: [Int: [ClosedRange<Int>]] = [:]
        for rawPart in text.split(separator: ";") {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.isEmpty { continue }
            let pieces = part.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let days = Self.days(pieces[0]) else { throw ParseError(part: part) }
            var times: [ClosedRange<Int>] = []
            for range in pieces[1].split(separator: ",") {
                let ends = range.split(separator: "-")
                guard ends.count == 2, let start = Self.minutes(String(ends[0])), let end = Self.minutes(String(ends[1])),
                    start < end
                else { throw ParseError(part: part) }
                times.append(start...(end - 1))
            }
            times.sort { $0.lowerBound < $1.lowerBound }
            for day in days {
                let merged = (ranges[day] ?? []) + times
                for (a, b) in zip(merged.sorted { $0.lowerBound < $1.lowerBound }, merged.sorted { $0.lowerBound < $1.lowerBound }.dropFirst())
                where a.overlaps(b) { throw ParseError(part: part) }
                ranges[day] = merged.sorted { $0.lowerBound < $1.lowerBound }
            }
        }
        guard !ranges.isEmpty else { throw ParseError(part: text) }
        self.ranges = ranges
    }

    private static func days(_ text: String) -> [Int]? {
        let ends = text.split(separator: "-").map { Int($0) }
        guard let first = ends.first ?? nil, (1...7).contains(first) else { return nil }
        if ends.count == 1 { return [first] }
        guard ends.count == 2, let last = ends[1], (first...7).contains(last) else { return nil }
        return Array(first...last)
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1_440
        else { return nil }
        return h * 60 + m
    }

    /// Whether the resource closes on public holidays (节假日): hours that open on no Saturday and
    /// no Sunday are an office's working week, so its holidays close it too; a resource open at
    /// weekends stays open on holidays. A make-up working day (调休上班) falls on a weekend, which
    /// such hours do not list, so it opens nothing either.
    public var closesOnHolidays: Bool { ranges[6] == nil && ranges[7] == nil }

    /// The slots of `days` days from `first`, in order, as the day and [start, end) minutes after
    /// its local midnight; a holiday of `calendar` gives none when ``closesOnHolidays``.
    public func slots(from first: CivilDate, days: Int, length: Int, calendar: WorkingCalendar) -> [(date: CivilDate, start: Int, end: Int)] {
        var result: [(date: CivilDate, start: Int, end: Int)] = []
        for offset in 0..<max(0, days) {
            guard let date = try? first.adding(days: offset) else { break }
            if closesOnHolidays, case .holiday = calendar.dayKind(of: date) { continue }
            result += slots(on: date, length: length).map { (date: date, start: $0.start, end: $0.end) }
        }
        return result
    }

    /// The slots of `length` minutes on `date`, as [start, end) minutes after local midnight:
    /// each open range cut from its start; a tail shorter than a slot is not offered.
    public func slots(on date: CivilDate, length: Int) -> [(start: Int, end: Int)] {
        guard length >= 10 else { return [] }
        var result: [(start: Int, end: Int)] = []
        for range in ranges[date.isoWeekday] ?? [] {
            var start = range.lowerBound
            while start + length <= range.upperBound + 1 {
                result.append((start, start + length))
                start += length
            }
        }
        return result
    }
}
