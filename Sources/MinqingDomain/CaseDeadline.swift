import Foundation

/// A time limit of one step of a case (处置时限), in working hours or working days, as a
/// category sets it. Written `4h` (four working hours) or `3d` (three working days).
public struct CaseTimeLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Unit: String, Sendable, Codable, CaseIterable {
        /// 工作时: counted inside the office hours of working days.
        case workingHours = "h"
        /// 工作日: due at the end of the n-th working day after the start day.
        case workingDays = "d"
    }

    /// Why a limit was rejected.
    public struct Invalid: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        public var field: String
        public var fieldError: FieldError {
            FieldError(
                field: field, messageZH: "时限格式应为「数字+h」(工作时) 或「数字+d」(工作日)，如 4h、3d，且为 1 至 999",
                messageEN: "A time limit is a number and h (working hours) or d (working days), e.g. 4h or 3d, from 1 to 999.")
        }
    }

    public var amount: Int
    public var unit: Unit

    public init(amount: Int, unit: Unit, field: String = "limit") throws(Invalid) {
        guard (1...999).contains(amount) else { throw Invalid(field: field) }
        self.amount = amount
        self.unit = unit
    }

    /// Parses `4h` / `3d` (full-width digits and letters folded, spaces ignored).
    public init(parsing text: String, field: String = "limit") throws(Invalid) {
        let folded = String(text.map(HalfWidth.fold)).trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = folded.last, let unit = Unit(rawValue: String(last)),
            !folded.dropLast().isEmpty, folded.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
            let amount = Int(folded.dropLast())
        else {
            throw Invalid(field: field)
        }
        try self.init(amount: amount, unit: unit, field: field)
    }

    public var description: String { "\(amount)\(unit.rawValue)" }

    public var nameZH: String { unit == .workingHours ? "\(amount) 个工作时" : "\(amount) 个工作日" }
    public var nameEN: String {
        unit == .workingHours ? "\(amount) working hour\(amount == 1 ? "" : "s")" : "\(amount) working day\(amount == 1 ? "" : "s")"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad time limit"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Office hours of a working day (办公时间), in minutes after local midnight. Working-hour limits
/// count only inside them; the platform's default is 09:00–17:00.
public struct OfficeHours: Sendable, Hashable {
    public var startMinute: Int
    public var endMinute: Int

    public init(startMinute: Int = 9 * 60, endMinute: Int = 17 * 60) {
        precondition(0 <= startMinute && startMinute < endMinute && endMinute <= 24 * 60)
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public static let standard = OfficeHours()
}

/// Deadlines (期限) of case steps on the shared working-day calendar (weekends, holidays and
/// make-up working days), in a time zone (Asia/Shanghai on the platform).
public struct CaseDeadlines: Sendable {
    public var calendar: WorkingCalendar
    public var hours: OfficeHours
    public var zone: TimeZone

    public init(calendar: WorkingCalendar, hours: OfficeHours = .standard, zone: TimeZone = .shanghai) {
        self.calendar = calendar
        self.hours = hours
        self.zone = zone
    }

    /// When a step that starts at `start` with `limit` falls due.
    ///
    /// Working days: the end (24:00) of the `amount`-th working day after the start day — the
    /// start day itself never counts, so a Friday evening message with 1d is due at the end of
    /// Monday (or of the make-up Saturday, or after the holiday). Working hours: the office
    /// minutes of working days are counted from `start`; time outside them does not run.
    public func due(from start: Date, limit: CaseTimeLimit) -> Date {
        switch limit.unit {
        case .workingDays:
            let day = CivilDate(start, in: zone)
            guard let last = try? calendar.addingWorkingDays(limit.amount, to: day), let next = try? last.adding(days: 1) else { return start }
            return next.startOfDay(in: zone)
        case .workingHours:
            return adding(workingSeconds: Int64(limit.amount) * 3600, to: start)
        }
    }

    /// `start` moved on by `seconds` of office time of working days.
    public func adding(workingSeconds seconds: Int64, to start: Date) -> Date {
        guard seconds > 0 else { return start }
        var day = CivilDate(start, in: zone)
        var offset = Int64((start.timeIntervalSince(day.startOfDay(in: zone))).rounded(.down))
        var remaining = seconds
        let open = Int64(hours.startMinute) * 60, close = Int64(hours.endMinute) * 60
        for _ in 0..<40_000 {
            if calendar.isWorkingDay(day) {
                let from = max(offset, open)
                if from < close {
                    let available = close - from
                    if remaining <= available {
                        return day.startOfDay(in: zone).addingTimeInterval(Double(from + remaining))
                    }
                    remaining -= available
                }
            }
            guard let next = try? day.adding(days: 1) else { break }
            day = next
            offset = 0
        }
        return start
    }

    /// The office time of working days between `from` and `to`, in seconds (0 if `to` is not later).
    public func workingSeconds(from: Date, to: Date) -> Int64 {
        guard to > from else { return 0 }
        var day = CivilDate(from, in: zone)
        let lastDay = CivilDate(to, in: zone)
        let open = Int64(hours.startMinute) * 60, close = Int64(hours.endMinute) * 60
        var total: Int64 = 0
        while day <= lastDay {
            if calendar.isWorkingDay(day) {
                let midnight = day.startOfDay(in: zone)
                let lower = max(open, day == CivilDate(from, in: zone) ? Int64(from.timeIntervalSince(midnight).rounded(.down)) : 0)
                let upper = min(close, day == lastDay ? Int64(to.timeIntervalSince(midnight).rounded(.down)) : close)
                if upper > lower { total += upper - lower }
            }
            guard let next = try? day.adding(days: 1) else { break }
            day = next
        }
        return total
    }

    /// The deadline after a suspension from `suspendedAt` to `resumedAt`: moved on by the office
    /// time that passed while the case was suspended (挂起期间不计时).
    public func resumed(deadline: Date, suspendedAt: Date, resumedAt: Date) -> Date {
        adding(workingSeconds: workingSeconds(from: suspendedAt, to: resumedAt), to: deadline)
    }

    /// The deadline after an approved extension of `days` working days (延期): the end of the
    /// `days`-th working day after the old deadline's day (the old deadline's end of day counts
    /// as that day when it falls at midnight).
    public func extended(deadline: Date, byWorkingDays days: Int) -> Date {
        // A deadline at 24:00 belongs to the day before it.
        let base = CivilDate(deadline.addingTimeInterval(-1), in: zone)
        guard let last = try? calendar.addingWorkingDays(days, to: base), let next = try? last.adding(days: 1) else { return deadline }
        return next.startOfDay(in: zone)
    }
}
