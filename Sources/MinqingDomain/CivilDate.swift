import Foundation

/// A calendar day with no time and no time zone (公历日期): a date of birth, a holiday, a deadline day.
///
/// Proleptic Gregorian calendar, years 1...9999. Comparable in calendar order; `Codable` and
/// `description` use the ISO 8601 form `YYYY-MM-DD`.
/// Conversion to and from `Date` always names a time zone: the same instant is a different day in
/// Shanghai and in UTC. The product shows Asia/Shanghai (`TimeZone.shanghai`).
public struct CivilDate: Sendable, Hashable, Comparable {
    public let year: Int
    /// 1...12
    public let month: Int
    /// 1...days in the month
    public let day: Int

    /// Why a date could not be made or parsed.
    public enum Error: Swift.Error, Sendable, Equatable {
        /// The text is neither `YYYY-MM-DD` nor `YYYYMMDD` (the text is kept for the caller only).
        case invalidFormat(String)
        /// The year is outside 1...9999.
        case yearOutOfRange(Int)
        /// The month is outside 1...12.
        case monthOutOfRange(Int)
        /// The day does not exist in that month, e.g. 2023-02-29 or 1949-02-30.
        case dayOutOfRange(year: Int, month: Int, day: Int)

        /// Simplified Chinese message. It never repeats the caller's text.
        public var messageZH: String {
            switch self {
            case .invalidFormat: return "日期格式应为 YYYY-MM-DD 或 YYYYMMDD"
            case .yearOutOfRange: return "年份应在 1 至 9999 之间"
            case .monthOutOfRange: return "月份应在 1 至 12 之间"
            case .dayOutOfRange(let y, let m, _):
                return "\(y)年\(m)月只有\(CivilDate.daysInMonth(year: y, month: m))天"
            }
        }

        /// English message. It never repeats the caller's text.
        public var messageEN: String {
            switch self {
            case .invalidFormat: return "A date must be written YYYY-MM-DD or YYYYMMDD."
            case .yearOutOfRange: return "The year must be between 1 and 9999."
            case .monthOutOfRange: return "The month must be between 1 and 12."
            case .dayOutOfRange(let y, let m, _):
                return "Month \(m) of \(y) has only \(CivilDate.daysInMonth(year: y, month: m)) days."
            }
        }

        /// The error as a form field error; a date can sit in any field, so the caller names it.
        public func fieldError(field: String) -> FieldError {
            FieldError(field: field, messageZH: messageZH, messageEN: messageEN)
        }
    }

    /// Makes a date, checking that it exists (2024-02-29 does, 2023-02-29 does not).
    public init(year: Int, month: Int, day: Int) throws(CivilDate.Error) {
        guard (1...9999).contains(year) else { throw .yearOutOfRange(year) }
        guard (1...12).contains(month) else { throw .monthOutOfRange(month) }
        guard day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else {
            throw .dayOutOfRange(year: year, month: month, day: day)
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For values already known to be valid (internal arithmetic only).
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD` (ASCII digits, exactly 4-2-2; surrounding whitespace ignored).
    public init(parsing text: String) throws(CivilDate.Error) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let chars = Array(trimmed.utf8)
        let digits: [UInt8]
        if chars.count == 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-") {
            digits = Array(chars[0..<4] + chars[5..<7] + chars[8..<10])
        } else if chars.count == 8 {
            digits = chars
        } else {
            throw .invalidFormat(text)
        }
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidFormat(text)
        }
        func number(_ range: Range<Int>) -> Int {
            digits[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        try self.init(year: number(0..<4), month: number(4..<6), day: number(6..<8))
    }

    // MARK: Calendar rules

    /// Gregorian leap year (闰年): divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Whether this date's year is a leap year.
    public var isLeapYear: Bool { CivilDate.isLeapYear(year) }

    /// Days in a month (28...31); 0 for a month outside 1...12.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Completed years (周岁) on `date`; negative if `date` is before this one.
    ///
    /// The age goes up on the birthday itself. Someone born on 29 February turns a year older on
    /// 28 February in common years: Civil Code art. 202 makes the last day of the month the end of
    /// a period whose month has no corresponding day. (Criminal-law age counts from the day *after*
    /// the birthday; that rule belongs to whoever needs it, not here.)
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        let birthdayDay = min(day, CivilDate.daysInMonth(year: date.year, month: month))
        if (date.month, date.day) < (month, birthdayDay) { years -= 1 }
        return years
    }

    // MARK: Day arithmetic

    /// Days since 1970-01-01 (negative before it). Counts in the proleptic Gregorian calendar.
    public var daysSince1970: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01. Throws only when the result leaves years 1...9999.
    public init(daysSince1970 days: Int) throws(CivilDate.Error) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        guard (1...9999).contains(y) else { throw .yearOutOfRange(y) }
        self.init(unchecked: y, m, d)
    }

    /// The date `days` later (earlier when negative). Throws only when leaving years 1...9999.
    public func adding(days: Int) throws(CivilDate.Error) -> CivilDate {
        try CivilDate(daysSince1970: daysSince1970 + days)
    }

    /// ISO 8601 weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var isoWeekday: Int {
        let r = (daysSince1970 + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    // MARK: Date conversion

    /// The calendar day that `date` falls on in `timeZone`.
    ///
    /// An instant outside years 1...9999 gives the nearest end (0001-01-01 or 9999-12-31) rather
    /// than trapping.
    public init(_ date: Date, in timeZone: TimeZone) {
        let offset = timeZone.secondsFromGMT(for: date)
        let local = ((date.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down)
        let days: Int
        if local.isNaN {
            days = 0
        } else {
            // Clamp as a Double first: converting an out-of-range Double to Int traps.
            days = Int(min(max(local, Double(CivilDate.minimumDays)), Double(CivilDate.maximumDays)))
        }
        // Cannot fail: the day number is in range.
        self = (try? CivilDate(daysSince1970: days)) ?? CivilDate(unchecked: 1970, 1, 1)
    }

    /// Today in `timeZone` (Asia/Shanghai unless told), from an injectable clock.
    public static func today(in timeZone: TimeZone = .shanghai, now: Date = Date()) -> CivilDate {
        CivilDate(now, in: timeZone)
    }

    /// The instant this day begins (00:00) in `timeZone`.
    ///
    /// Where a daylight-saving jump skips midnight, the first instant of the day that exists.
    public func startOfDay(in timeZone: TimeZone) -> Date {
        let localMidnight = Double(daysSince1970) * 86_400
        // The offset depends on the instant, so guess with the offset at "local as UTC", then correct.
        let guess = localMidnight - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight)))
        let corrected = localMidnight - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
        let candidate = Date(timeIntervalSince1970: corrected)
        if CivilDate(candidate, in: timeZone) == self { return candidate }
        return Date(timeIntervalSince1970: guess)
    }

    private static let minimumDays = -719_162 // 0001-01-01
    private static let maximumDays = 2_932_896 // 9999-12-31

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension CivilDate: CustomStringConvertible {
    /// `YYYY-MM-DD`.
    public var description: String { iso8601 }

    /// `YYYY-MM-DD`.
    public var iso8601: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `YYYYMMDD`, the form inside a resident ID number.
    public var compact: String {
        pad(year, 4) + pad(month, 2) + pad(day, 2)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

extension CivilDate: Codable {
    /// Decodes `YYYY-MM-DD` (also accepts `YYYYMMDD`, like `init(parsing:)`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a date YYYY-MM-DD: \(error.messageEN)")
        }
    }

    /// Encodes as `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

extension TimeZone {
    /// Asia/Shanghai, the time the product shows. Falls back to a fixed UTC+8, which has been
    /// China's offset since 1991 (no daylight saving), if the zone database lacks the name.
    public static let shanghai: TimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? TimeZone.current
}
