/// The platform's one working-day calendar (工作日历): which days are working days for quotas,
/// deadlines and reports, the same for every subdistrict.
///
/// A day is a working day when a loaded holiday file says `work` (调休上班), a rest day when it
/// says `rest` (法定节假日及调休放假); otherwise Monday to Friday are working days and Saturday
/// and Sunday are not. A year with no file is counted, as ``MissingYears`` says, either by
/// weekends alone or with the statutory holidays the regulation fixes (``StatutoryHolidays``: no
/// make-up days, which only the notice sets); ``source(of:)`` tells which, and
/// ``hasData(for:)``, ``yearsWithoutData(from:to:)`` and ``derivedYears(from:to:)`` tell a page
/// to warn that its figures rest on that guess. A notice file, once loaded, replaces it.
public struct WorkingCalendar: Sendable {
    /// How a year with no holiday file is counted.
    public enum MissingYears: Sendable, Hashable {
        /// Weekends are the only rest days.
        case weekendsOnly
        /// The statutory holidays and substitute days off of the 全国年节及纪念日放假办法 are rest
        /// days too, in ``StatutoryHolidays/derivableYears``; weekends alone outside them.
        case derived
    }

    /// Where a year's rest days come from.
    public enum YearSource: String, Sendable, Hashable, Codable {
        /// The State Council's notice (a loaded holiday file): holidays and make-up days.
        case notice
        /// Derived from the regulation: statutory holidays, no make-up days (调休) yet.
        case derived
        /// Weekends alone.
        case weekendsOnly = "weekends_only"
    }

    /// What kind of day a date is, and why.
    public enum DayKind: Sendable, Hashable {
        /// Monday to Friday, not a holiday (工作日).
        case workday
        /// Saturday or Sunday, not a make-up day (周末).
        case weekend
        /// A rest day from a holiday file (节假日), with the holiday's name.
        case holiday(String)
        /// A weekend day worked in exchange (调休上班), with the holiday's name.
        case makeUpWorkday(String)

        /// Whether people work that day.
        public var isWorkingDay: Bool {
            switch self {
            case .workday, .makeUpWorkday: true
            case .weekend, .holiday: false
            }
        }
    }

    /// Why a set of holiday files cannot make one calendar.
    public enum Error: Swift.Error, Sendable, Equatable {
        /// Two files for the same year.
        case duplicateYear(Int)
        /// Two files disagree about a day (a December day listed by the next year's file too).
        case conflictingDay(CivilDate)

        public var messageZH: String {
            switch self {
            case .duplicateYear(let year): "\(year) 年的节假日文件重复"
            case .conflictingDay(let date): "两个节假日文件对 \(date) 的安排不一致"
            }
        }

        public var messageEN: String {
            switch self {
            case .duplicateYear(let year): "There are two holiday files for \(year)."
            case .conflictingDay(let date): "Two holiday files disagree about \(date)."
            }
        }
    }

    /// A listed day: working or not, and the holiday's name.
    private struct Override: Sendable, Equatable {
        var isWorking: Bool
        var name: String
    }

    /// Listed days by day number (days since 1970).
    private let overrides: [Int: Override]

    /// The years whose holiday file is loaded.
    public let knownYears: Set<Int>

    /// How the years without a file are counted.
    public let missingYears: MissingYears

    /// A calendar with no holiday data: weekends are the only rest days, and no year is known.
    public init() {
        overrides = [:]
        knownYears = []
        missingYears = .weekendsOnly
    }

    /// A calendar from parsed holiday files, one per year. A day listed by two files (a late
    /// December day that the next year's notice also names) must agree in both. Years without a
    /// file are counted as `missingYears` says (the platform derives them).
    public init(files: [HolidayCalendarFile], missingYears: MissingYears = .weekendsOnly) throws(WorkingCalendar.Error) {
        var overrides: [Int: Override] = [:]
        var years = Set<Int>()
        for file in files {
            guard years.insert(file.year).inserted else { throw .duplicateYear(file.year) }
            for entry in file.entries {
                let override = Override(isWorking: entry.kind == .work, name: entry.name)
                for n in entry.first.daysSince1970...entry.last.daysSince1970 {
                    if let existing = overrides[n], existing.isWorking != override.isWorking {
                        throw .conflictingDay((try? CivilDate(daysSince1970: n)) ?? entry.first)
                    }
                    overrides[n] = overrides[n] ?? override
                }
            }
        }
        self.overrides = overrides
        self.knownYears = years
        self.missingYears = missingYears
    }

    // MARK: Days

    /// What kind of day `date` is.
    public func dayKind(of date: CivilDate) -> DayKind {
        dayKind(number: date.daysSince1970)
    }

    /// Whether `date` is a working day (工作日, make-up days included).
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        isWorking(number: date.daysSince1970)
    }

    /// Whether a holiday file for `year` is loaded. Without one, the year's days are counted by
    /// weekends alone.
    public func hasData(for year: Int) -> Bool { knownYears.contains(year) }

    /// The years from `from` to `to` (inclusive) with no holiday file, in order: the ones a page
    /// must warn about. Empty when `to` is before `from`.
    public func yearsWithoutData(from: CivilDate, to: CivilDate) -> [Int] {
        guard from <= to else { return [] }
        return (from.year...to.year).filter { !knownYears.contains($0) }
    }

    /// Where the rest days of `year` come from: its notice file, the regulation, or weekends alone.
    public func source(of year: Int) -> YearSource {
        if knownYears.contains(year) { return .notice }
        if missingYears == .derived, StatutoryHolidays.derivableYears.contains(year) { return .derived }
        return .weekendsOnly
    }

    /// Whether `year`'s holidays are derived from the regulation (no notice yet, make-up days unknown).
    public func isDerived(_ year: Int) -> Bool { source(of: year) == .derived }

    /// The years from `from` to `to` (inclusive) whose holidays are derived, in order; empty when
    /// `to` is before `from`.
    public func derivedYears(from: CivilDate, to: CivilDate) -> [Int] {
        guard from <= to else { return [] }
        return (from.year...to.year).filter { isDerived($0) }
    }

    /// The working days from `from` to `to`, both included, in order; empty if `to` is before `from`.
    public func workingDays(from: CivilDate, to: CivilDate) -> [CivilDate] {
        guard from <= to else { return [] }
        return (from.daysSince1970...to.daysSince1970)
            .filter(isWorking(number:))
            .compactMap { try? CivilDate(daysSince1970: $0) }
    }

    /// The working days in `days`, in order.
    public func workingDays(in days: ClosedRange<CivilDate>) -> [CivilDate] {
        workingDays(from: days.lowerBound, to: days.upperBound)
    }

    /// How many working days there are from `from` to `to`, both included; 0 if `to` is before `from`.
    public func workingDayCount(from: CivilDate, to: CivilDate) -> Int {
        guard from <= to else { return 0 }
        return (from.daysSince1970...to.daysSince1970).reduce(0) { $0 + (isWorking(number: $1) ? 1 : 0) }
    }

    /// How many working days there are in `days`.
    public func workingDayCount(in days: ClosedRange<CivilDate>) -> Int {
        workingDayCount(from: days.lowerBound, to: days.upperBound)
    }

    /// The `n`-th working day after `date` (第 n 个工作日), for deadlines such as "within 3
    /// working days": `date` itself never counts, whatever kind of day it is, so a request made
    /// on a Friday with n = 1 is due the next working day. n = 0 gives `date` unchanged; a
    /// negative n counts back (the |n|-th working day before `date`).
    ///
    /// Throws only when the count runs out of years 1...9999.
    public func addingWorkingDays(_ n: Int, to date: CivilDate) throws(CivilDate.Error) -> CivilDate {
        guard n != 0 else { return date }
        let step = n > 0 ? 1 : -1
        var remaining = abs(n)
        var day = date.daysSince1970
        while remaining > 0 {
            day += step
            // Leave before walking past the calendar's ends.
            guard day >= CivilDate.firstDayNumber, day <= CivilDate.lastDayNumber else {
                throw .yearOutOfRange(step > 0 ? 10000 : 0)
            }
            if isWorking(number: day) { remaining -= 1 }
        }
        return try CivilDate(daysSince1970: day)
    }

    /// The Monday of the ISO week holding `date` (周一). Weeks run Monday to Sunday, whatever the
    /// holidays; a week across a year's end belongs to the year of its Thursday (``ISOWeek``).
    public static func weekStart(of date: CivilDate) -> CivilDate { date.weekStart }

    // MARK: Day numbers

    func dayKind(number: Int) -> DayKind {
        if let override = overrides[number] {
            return override.isWorking ? .makeUpWorkday(override.name) : .holiday(override.name)
        }
        if let derived = derivedHoliday(number: number) { return .holiday(derived.name) }
        return CivilDate.isoWeekday(number: number) >= 6 ? .weekend : .workday
    }

    func isWorking(number: Int) -> Bool {
        if let override = overrides[number] { return override.isWorking }
        guard CivilDate.isoWeekday(number: number) < 6 else { return false }
        return derivedHoliday(number: number) == nil
    }

    /// The derived rest day on day `number`, when its year has no file and the calendar derives.
    private func derivedHoliday(number: Int) -> StatutoryHoliday? {
        guard missingYears == .derived, let date = try? CivilDate(daysSince1970: number),
            StatutoryHolidays.derivableYears.contains(date.year), !knownYears.contains(date.year)
        else { return nil }
        return StatutoryHolidays.restDayTable(year: date.year)[number]
    }
}

extension CivilDate {
    /// The day number of 0001-01-01.
    static let firstDayNumber = -719_162
    /// The day number of 9999-12-31.
    static let lastDayNumber = 2_932_896

    /// ISO weekday (1 = Monday … 7 = Sunday) of a day number (1970-01-01 was a Thursday).
    static func isoWeekday(number: Int) -> Int {
        let r = (number + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }
}
