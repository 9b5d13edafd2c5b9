import Foundation

/// The public holidays for all citizens (全体公民放假的节日) of the 全国年节及纪念日放假办法.
public enum StatutoryFestival: String, Sendable, Hashable, CaseIterable, Codable {
    case newYear = "new_year"
    case springFestival = "spring_festival"
    case qingming
    case labourDay = "labour_day"
    case dragonBoat = "dragon_boat"
    case midAutumn = "mid_autumn"
    case nationalDay = "national_day"

    public var nameZH: String {
        switch self {
        case .newYear: "元旦"
        case .springFestival: "春节"
        case .qingming: "清明节"
        case .labourDay: "劳动节"
        case .dragonBoat: "端午节"
        case .midAutumn: "中秋节"
        case .nationalDay: "国庆节"
        }
    }

    public var nameEN: String {
        switch self {
        case .newYear: "New Year's Day"
        case .springFestival: "Spring Festival"
        case .qingming: "Qingming Festival"
        case .labourDay: "Labour Day"
        case .dragonBoat: "Dragon Boat Festival"
        case .midAutumn: "Mid-Autumn Festival"
        case .nationalDay: "National Day"
        }
    }
}

/// One rest day the regulation gives: a statutory holiday, or a substitute day off (补假) for a
/// statutory day that fell on a weekend or on another holiday.
public struct StatutoryHoliday: Sendable, Hashable {
    public var date: CivilDate
    public var festival: StatutoryFestival
    /// 补假: a weekday off in place of a statutory day lost to a weekend or a coinciding holiday.
    public var isSubstitute: Bool

    public init(date: CivilDate, festival: StatutoryFestival, isSubstitute: Bool = false) {
        self.date = date
        self.festival = festival
        self.isSubstitute = isSubstitute
    }

    public var nameZH: String { isSubstitute ? festival.nameZH + "补假" : festival.nameZH }
    public var nameEN: String { isSubstitute ? festival.nameEN + " substitute day off" : festival.nameEN }
    /// Both names, the way the holiday files write them: `春节 Spring Festival`.
    public var name: String { nameZH + " " + nameEN }
}

/// A year's statutory holidays derived from the 全国年节及纪念日放假办法, for a year whose notice
/// (国务院办公厅关于 YYYY 年部分节假日安排的通知) is not out yet.
///
/// The editions in force:
/// - from 2008 (国务院令第513号): 元旦 1 day; 春节 3 (农历除夕、正月初一、初二); 清明 1; 劳动节 1
///   (5-1); 端午 1 (农历五月初五); 中秋 1 (农历八月十五); 国庆 3 (10-1..10-3);
/// - from 2014 (国务院令第644号): 春节 正月初一至初三;
/// - from 2025 (国务院令第795号): 春节 4 (除夕、正月初一至初三); 劳动节 2 (5-1, 5-2).
///
/// A statutory day on a Saturday or Sunday is made up by a weekday off (补假, 第六条), and so is a
/// day two festivals share (中秋 on 10-3 in 2028); the substitute is the first free weekday after
/// the festival, as the notices place it. What no rule fixes are the notices' swaps (调休: a weekday
/// off bought by a weekend worked): a derived year has none, so its yearly count of working days
/// is right but its make-up days are unknown. Lunar dates come from Foundation's Chinese calendar
/// (Asia/Shanghai), 清明 from the solar-term formula valid for 2000–2099.
public enum StatutoryHolidays {
    /// The years whose holidays can be derived: the 2008 edition onwards, to the end of the 清明
    /// formula's century.
    public static let derivableYears: ClosedRange<Int> = 2008...2099

    /// The edition of the regulation that sets a year's holidays, by the year it took effect.
    public enum Edition: Int, Sendable, CaseIterable {
        case of2008 = 2008
        case of2014 = 2014
        case of2025 = 2025
    }

    /// The edition in force in `year`; nil outside ``derivableYears``.
    public static func edition(for year: Int) -> Edition? {
        guard derivableYears.contains(year) else { return nil }
        return year >= 2025 ? .of2025 : year >= 2014 ? .of2014 : .of2008
    }

    /// The statutory days of `year`, in date order, festival by festival (a day two festivals share
    /// is listed twice); empty for a year outside ``derivableYears``.
    public static func statutoryDays(in year: Int) -> [StatutoryHoliday] {
        guard let edition = edition(for: year),
            let newYear = lunarDate(year: year, month: 1, day: 1, searchFrom: (1, 19), days: 36),
            let dragonBoat = lunarDate(year: year, month: 5, day: 5, searchFrom: (5, 25), days: 40),
            let midAutumn = lunarDate(year: year, month: 8, day: 15, searchFrom: (9, 5), days: 40),
            let qingmingDay = qingming(year: year)
        else { return [] }
        let springOffsets: [Int] =
            switch edition {
            case .of2008: [-1, 0, 1]
            case .of2014: [0, 1, 2]
            case .of2025: [-1, 0, 1, 2]
            }
        let labourDays = edition == .of2025 ? [1, 2] : [1]
        var days: [StatutoryHoliday] = []
        func add(_ festival: StatutoryFestival, _ dates: [CivilDate?]) {
            days += dates.compactMap { $0 }.map { StatutoryHoliday(date: $0, festival: festival) }
        }
        add(.newYear, [try? CivilDate(year: year, month: 1, day: 1)])
        add(.springFestival, springOffsets.map { try? newYear.adding(days: $0) })
        add(.qingming, [qingmingDay])
        add(.labourDay, labourDays.map { try? CivilDate(year: year, month: 5, day: $0) })
        add(.dragonBoat, [dragonBoat])
        add(.midAutumn, [midAutumn])
        add(.nationalDay, (1...3).map { try? CivilDate(year: year, month: 10, day: $0) })
        return days.sorted { ($0.date, $0.festival.order) < ($1.date, $1.festival.order) }
    }

    /// The rest days of `year` the regulation fixes: every statutory day once, and the substitute
    /// days off (补假), in date order; empty outside ``derivableYears``.
    public static func restDays(in year: Int) -> [StatutoryHoliday] {
        let statutory = statutoryDays(in: year)
        let statutoryNumbers = Set(statutory.map(\.date.daysSince1970))
        var taken = Set<Int>()
        var result: [StatutoryHoliday] = []
        // Festival by festival in the order of their first day, so a festival's substitutes follow it.
        var festivals: [StatutoryFestival] = []
        for day in statutory where !festivals.contains(day.festival) { festivals.append(day.festival) }
        for festival in festivals {
            let own = statutory.filter { $0.festival == festival }
            var lost = 0
            for day in own {
                let n = day.date.daysSince1970
                if !taken.insert(n).inserted {
                    lost += 1 // shared with a festival already counted
                    continue
                }
                result.append(day)
                if day.date.isoWeekday >= 6 { lost += 1 }
            }
            guard var next = own.last?.date.daysSince1970 else { continue }
            while lost > 0 {
                next += 1
                guard let date = try? CivilDate(daysSince1970: next), date.year == year else { break }
                if date.isoWeekday < 6, !statutoryNumbers.contains(next), taken.insert(next).inserted {
                    result.append(StatutoryHoliday(date: date, festival: festival, isSubstitute: true))
                    lost -= 1
                }
            }
        }
        return result.sorted { $0.date < $1.date }
    }

    /// 清明: the day the sun reaches 15° of ecliptic longitude, April 4 or 5 (or 6) in Beijing
    /// time, by the solar-term formula ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋ (Y = the year's last two digits),
    /// exact for 2000–2099; nil outside those years. Integer arithmetic, so no rounding slips.
    public static func qingming(year: Int) -> CivilDate? {
        guard (2000...2099).contains(year) else { return nil }
        let y = year % 100
        return try? CivilDate(year: year, month: 4, day: (y * 2422 + 48_100) / 10_000 - y / 4)
    }

    /// The first day from `searchFrom` (month, day of `year`), over `days` days, that the Chinese
    /// calendar numbers `month`/`day`. The first match is the ordinary month, never a leap month
    /// of the same number (a leap month follows its ordinary one).
    static func lunarDate(year: Int, month: Int, day: Int, searchFrom start: (Int, Int), days: Int) -> CivilDate? {
        guard let first = try? CivilDate(year: year, month: start.0, day: start.1) else { return nil }
        var chinese = Calendar(identifier: .chinese)
        chinese.timeZone = .shanghai
        for offset in 0..<days {
            guard let date = try? first.adding(days: offset) else { return nil }
            // Noon: well inside the day whatever the calendar's day boundary.
            let parts = chinese.dateComponents([.month, .day], from: date.startOfDay(in: .shanghai).addingTimeInterval(12 * 3600))
            if parts.month == month, parts.day == day { return date }
        }
        return nil
    }

    /// `restDays(in:)` by day number, computed once per year and process (the Chinese calendar is
    /// slow next to the working-day loops that ask).
    static func restDayTable(year: Int) -> [Int: StatutoryHoliday] {
        DerivedYearCache.shared.table(year: year)
    }
}

extension StatutoryFestival {
    /// The festival's place in the regulation's list, to order two festivals on one day.
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// The derived rest days of each year asked for, kept for the process.
private final class DerivedYearCache: @unchecked Sendable {
    static let shared = DerivedYearCache()
    private let lock = NSLock()
    private var tables: [Int: [Int: StatutoryHoliday]] = [:]

    func table(year: Int) -> [Int: StatutoryHoliday] {
        lock.lock()
        defer { lock.unlock() }
        if let table = tables[year] { return table }
        var table: [Int: StatutoryHoliday] = [:]
        for day in StatutoryHolidays.restDays(in: year) where table[day.date.daysSince1970] == nil {
            table[day.date.daysSince1970] = day
        }
        tables[year] = table
        return table
    }
}
