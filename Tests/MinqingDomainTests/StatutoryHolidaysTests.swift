import Foundation
import Testing

@testable import MinqingDomain

/// The statutory holidays derived for a year without a notice, checked against the State
/// Council's notices (2013, 2024–2026) and, for 2027–2028, against worked values: 2027 除夕
/// Friday 2-5, 正月初一 Saturday 2-6, 清明 Monday 4-5, 端午 Wednesday 6-9, 中秋 Wednesday 9-15;
/// 2028 除夕 Tuesday 1-25, 端午 Sunday 5-28, 中秋 Tuesday 10-3 (on 国庆's third day).
@Suite("Statutory holidays derived (全国年节及纪念日放假办法)")
struct StatutoryHolidaysTests {
    static func listed(_ days: [StatutoryHoliday]) -> [String] {
        days.map { "\($0.date.iso8601) \($0.festival.rawValue)\($0.isSubstitute ? " +" : "")" }
    }

    static let y2025: [String] = [
        // 国办发明电〔2024〕12号: 春节 statutory days 除夕 1-28 to 初三 1-31; 端午 5-31; 中秋 10-6.
        "2025-01-01 new_year", "2025-01-28 spring_festival", "2025-01-29 spring_festival", "2025-01-30 spring_festival",
        "2025-01-31 spring_festival", "2025-04-04 qingming", "2025-05-01 labour_day", "2025-05-02 labour_day",
        "2025-05-31 dragon_boat", "2025-10-01 national_day", "2025-10-02 national_day", "2025-10-03 national_day",
        "2025-10-06 mid_autumn"
    ]
    static let y2026: [String] = [
        // The 2025-11-04 notice: 除夕 2-16; 清明 4-5; 端午 6-19; 中秋 9-25.
        "2026-01-01 new_year", "2026-02-16 spring_festival", "2026-02-17 spring_festival", "2026-02-18 spring_festival",
        "2026-02-19 spring_festival", "2026-04-05 qingming", "2026-05-01 labour_day", "2026-05-02 labour_day",
        "2026-06-19 dragon_boat", "2026-09-25 mid_autumn", "2026-10-01 national_day", "2026-10-02 national_day",
        "2026-10-03 national_day"
    ]
    static let y2027: [String] = [
        "2027-01-01 new_year", "2027-02-05 spring_festival", "2027-02-06 spring_festival", "2027-02-07 spring_festival",
        "2027-02-08 spring_festival", "2027-04-05 qingming", "2027-05-01 labour_day", "2027-05-02 labour_day",
        "2027-06-09 dragon_boat", "2027-09-15 mid_autumn", "2027-10-01 national_day", "2027-10-02 national_day",
        "2027-10-03 national_day"
    ]
    static let y2024: [String] = [
        // The 2014 edition: 春节 正月初一 to 初三 (2-10..2-12), 劳动节 one day.
        "2024-01-01 new_year", "2024-02-10 spring_festival", "2024-02-11 spring_festival", "2024-02-12 spring_festival",
        "2024-04-04 qingming", "2024-05-01 labour_day", "2024-06-10 dragon_boat", "2024-09-17 mid_autumn",
        "2024-10-01 national_day", "2024-10-02 national_day", "2024-10-03 national_day"
    ]
    static let y2013: [String] = [
        // The 2008 edition: 春节 除夕 to 初二 (2-9..2-11).
        "2013-01-01 new_year", "2013-02-09 spring_festival", "2013-02-10 spring_festival", "2013-02-11 spring_festival",
        "2013-04-04 qingming", "2013-05-01 labour_day", "2013-06-12 dragon_boat", "2013-09-19 mid_autumn",
        "2013-10-01 national_day", "2013-10-02 national_day", "2013-10-03 national_day"
    ]

    @Test(
        "the statutory days of a year, by the edition in force",
        arguments: [
            (2025, StatutoryHolidaysTests.y2025), (2026, StatutoryHolidaysTests.y2026), (2027, StatutoryHolidaysTests.y2027),
            (2024, StatutoryHolidaysTests.y2024), (2013, StatutoryHolidaysTests.y2013)
        ])
    func statutoryDays(year: Int, expected: [String]) {
        #expect(Self.listed(StatutoryHolidays.statutoryDays(in: year)) == expected)
    }

    @Test("editions: 2008, 2014 and 2025; nothing outside 2008–2099")
    func editions() {
        #expect(StatutoryHolidays.edition(for: 2013) == .of2008)
        #expect(StatutoryHolidays.edition(for: 2014) == .of2014)
        #expect(StatutoryHolidays.edition(for: 2024) == .of2014)
        #expect(StatutoryHolidays.edition(for: 2025) == .of2025)
        #expect(StatutoryHolidays.edition(for: 2007) == nil)
        #expect(StatutoryHolidays.edition(for: 2100) == nil)
        #expect(StatutoryHolidays.statutoryDays(in: 2007).isEmpty)
        #expect(StatutoryHolidays.restDays(in: 2100).isEmpty)
    }

    @Test(
        "清明 by the solar-term formula (the sun at 15°, Beijing time)",
        arguments: [
            (2000, 4), (2008, 4), (2010, 5), (2012, 4), (2014, 5), (2019, 5), (2020, 4), (2023, 5), (2024, 4),
            (2025, 4), (2026, 5), (2027, 5), (2028, 4), (2029, 4), (2030, 5), (2050, 4), (2099, 4)
        ])
    func qingming(year: Int, day: Int) throws {
        #expect(StatutoryHolidays.qingming(year: year) == (try CivilDate(year: year, month: 4, day: day)))
    }

    @Test(
        "substitute days off (补假) follow a festival for each day lost to a weekend or another festival",
        arguments: [
            (
                2027,
                [
                    // 春节 Sat 2-6 and Sun 2-7 → Tue 2-9, Wed 2-10; 劳动节 Sat/Sun → Mon 5-3, Tue 5-4; 国庆 Sat/Sun → 10-4, 10-5.
                    "2027-01-01 new_year", "2027-02-05 spring_festival", "2027-02-06 spring_festival", "2027-02-07 spring_festival",
                    "2027-02-08 spring_festival", "2027-02-09 spring_festival +", "2027-02-10 spring_festival +", "2027-04-05 qingming",
                    "2027-05-01 labour_day", "2027-05-02 labour_day", "2027-05-03 labour_day +", "2027-05-04 labour_day +",
                    "2027-06-09 dragon_boat", "2027-09-15 mid_autumn", "2027-10-01 national_day", "2027-10-02 national_day",
                    "2027-10-03 national_day", "2027-10-04 national_day +", "2027-10-05 national_day +"
                ]
            ),
            (
                2028,
                [
                    // 元旦 Sat → Mon 1-3; 端午 Sun 5-28 → Mon 5-29; 国庆 Sun 10-1 → Wed 10-4; 中秋 shares 10-3 → Thu 10-5.
                    "2028-01-01 new_year", "2028-01-03 new_year +", "2028-01-25 spring_festival", "2028-01-26 spring_festival",
                    "2028-01-27 spring_festival", "2028-01-28 spring_festival", "2028-04-04 qingming", "2028-05-01 labour_day",
                    "2028-05-02 labour_day", "2028-05-28 dragon_boat", "2028-05-29 dragon_boat +", "2028-10-01 national_day",
                    "2028-10-02 national_day", "2028-10-03 national_day", "2028-10-04 national_day +", "2028-10-05 mid_autumn +"
                ]
            )
        ])
    func restDays(year: Int, expected: [String]) {
        #expect(Self.listed(StatutoryHolidays.restDays(in: year)) == expected)
    }

    @Test("every derived rest day of 2024–2026 is a rest day of that year's notice")
    func withinTheNotices() throws {
        let notices = try ShippedCalendar.calendar()
        for year in [2024, 2025, 2026] {
            for day in StatutoryHolidays.restDays(in: year) {
                #expect(!notices.isWorkingDay(day.date), "\(day.date) \(day.name)")
            }
        }
    }

    @Test("names as the holiday files write them")
    func names() throws {
        let days = StatutoryHolidays.restDays(in: 2027)
        #expect(days.first?.name == "元旦 New Year's Day")
        #expect(days.first { $0.isSubstitute }?.nameZH == "春节补假")
        #expect(days.first { $0.isSubstitute }?.nameEN == "Spring Festival substitute day off")
    }
}
