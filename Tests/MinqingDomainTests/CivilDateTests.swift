import Foundation
import Testing

@testable import MinqingDomain

@Suite("CivilDate (公历日期)")
struct CivilDateTests {
    @Test(
        "leap years",
        arguments: [
            (1900, false), (2000, true), (2024, true), (2023, false),
            (2100, false), (1600, true), (1996, true), (4, true), (1, false)
        ])
    func leapYears(year: Int, leap: Bool) throws {
        #expect(CivilDate.isLeapYear(year) == leap)
        #expect(try CivilDate(year: year, month: 3, day: 1).isLeapYear == leap)
    }

    @Test(
        "days in a month",
        arguments: [
            (2024, 2, 29), (2023, 2, 28), (1900, 2, 28), (2000, 2, 29),
            (2023, 1, 31), (2023, 4, 30), (2023, 6, 30), (2023, 7, 31), (2023, 8, 31),
            (2023, 9, 30), (2023, 11, 30), (2023, 12, 31), (2023, 13, 0), (2023, 0, 0)
        ])
    func daysInMonth(year: Int, month: Int, days: Int) {
        #expect(CivilDate.daysInMonth(year: year, month: month) == days)
    }

    @Test(
        "valid parts make a date",
        arguments: [
            (2024, 2, 29), (2000, 2, 29), (1949, 10, 1), (1, 1, 1), (9999, 12, 31), (2023, 4, 30)
        ])
    func validParts(year: Int, month: Int, day: Int) throws {
        let date = try CivilDate(year: year, month: month, day: day)
        #expect(date.year == year && date.month == month && date.day == day)
    }

    @Test(
        "invalid parts name what is wrong",
        arguments: [
            (2023, 2, 29, CivilDate.Error.dayOutOfRange(year: 2023, month: 2, day: 29)),
            (1900, 2, 29, .dayOutOfRange(year: 1900, month: 2, day: 29)),
            (1949, 2, 30, .dayOutOfRange(year: 1949, month: 2, day: 30)),
            (2023, 4, 31, .dayOutOfRange(year: 2023, month: 4, day: 31)),
            (2023, 1, 0, .dayOutOfRange(year: 2023, month: 1, day: 0)),
            (2023, 1, 32, .dayOutOfRange(year: 2023, month: 1, day: 32)),
            (2023, 0, 1, .monthOutOfRange(0)),
            (2023, 13, 1, .monthOutOfRange(13)),
            (0, 1, 1, .yearOutOfRange(0)),
            (10000, 1, 1, .yearOutOfRange(10000)),
            (-5, 1, 1, .yearOutOfRange(-5))
        ])
    func invalidParts(year: Int, month: Int, day: Int, expected: CivilDate.Error) {
        #expect(throws: expected) { try CivilDate(year: year, month: month, day: day) }
    }

    @Test(
        "parsing YYYY-MM-DD and YYYYMMDD",
        arguments: [
            ("2024-02-29", 2024, 2, 29),
            ("20240229", 2024, 2, 29),
            (" 1949-12-31\n", 1949, 12, 31),
            ("0001-01-01", 1, 1, 1),
            ("99991231", 9999, 12, 31)
        ])
    func parsing(text: String, year: Int, month: Int, day: Int) throws {
        #expect(try CivilDate(parsing: text) == CivilDate(year: year, month: month, day: day))
    }

    @Test(
        "parse errors",
        arguments: [
            ("2023-02-29", CivilDate.Error.dayOutOfRange(year: 2023, month: 2, day: 29)),
            ("20230229", .dayOutOfRange(year: 2023, month: 2, day: 29)),
            ("1949-02-30", .dayOutOfRange(year: 1949, month: 2, day: 30)),
            ("2024-01-00", .dayOutOfRange(year: 2024, month: 1, day: 0)),
            ("2024-13-01", .monthOutOfRange(13)),
            ("2024-00-10", .monthOutOfRange(0)),
            ("0000-01-01", .yearOutOfRange(0)),
            ("", .invalidFormat("")),
            ("2024/01/01", .invalidFormat("2024/01/01")),
            ("2024-1-1", .invalidFormat("2024-1-1")),
            ("24-01-01", .invalidFormat("24-01-01")),
            ("2024-01-01T00:00", .invalidFormat("2024-01-01T00:00")),
            ("2024-0a-01", .invalidFormat("2024-0a-01")),
            ("+2024-01-0", .invalidFormat("+2024-01-0")),
            ("2024010", .invalidFormat("2024010")),
            ("２０２４-01-01", .invalidFormat("２０２４-01-01")),
            ("202401-01", .invalidFormat("202401-01"))
        ])
    func parseErrors(text: String, expected: CivilDate.Error) {
        #expect(throws: expected) { try CivilDate(parsing: text) }
    }

    @Test(
        "age in completed years (周岁)",
        arguments: [
            ("1949-12-31", "2024-12-30", 74), // birthday eve
            ("1949-12-31", "2024-12-31", 75), // birthday
            ("1949-12-31", "2025-01-01", 75),
            ("2010-06-15", "2024-06-14", 13), // under 14: sensitive under the PIPL
            ("2010-06-15", "2024-06-15", 14),
            ("2000-02-29", "2001-02-27", 0),
            ("2000-02-29", "2001-02-28", 1), // no 29th: the month's last day (Civil Code art. 202)
            ("2000-02-29", "2004-02-28", 3), // leap year: the real birthday is the next day
            ("2000-02-29", "2004-02-29", 4),
            ("2000-02-29", "2000-02-29", 0),
            ("2000-03-01", "2000-02-29", -1)
        ])
    func age(birth: String, on day: String, years: Int) {
        #expect(CivilDate.fixture(birth).age(on: CivilDate.fixture(day)) == years)
    }

    @Test(
        "calendar order",
        arguments: [
            ("1949-12-31", "1950-01-01"),
            ("2024-02-28", "2024-02-29"),
            ("2024-01-31", "2024-02-01"),
            ("0999-12-31", "1000-01-01")
        ])
    func ordering(earlier: String, later: String) {
        #expect(CivilDate.fixture(earlier) < CivilDate.fixture(later))
        #expect(!(CivilDate.fixture(later) < CivilDate.fixture(earlier)))
        #expect(CivilDate.fixture(later) > CivilDate.fixture(earlier))
    }

    @Test(
        "day numbers and weekdays (checked against Python's datetime)",
        arguments: [
            ("1970-01-01", 0, 4),
            ("1969-12-31", -1, 3),
            ("2000-03-01", 11_017, 3),
            ("2024-02-29", 19_782, 4),
            ("1949-10-01", -7_397, 6),
            ("1900-01-01", -25_567, 1),
            ("0001-01-01", -719_162, 1),
            ("9999-12-31", 2_932_896, 5)
        ])
    func dayNumbers(text: String, days: Int, weekday: Int) throws {
        let date = CivilDate.fixture(text)
        #expect(date.daysSince1970 == days)
        #expect(try CivilDate(daysSince1970: days) == date)
        #expect(date.isoWeekday == weekday)
    }

    @Test(
        "adding days",
        arguments: [
            ("2024-02-28", 1, "2024-02-29"),
            ("2024-02-28", 2, "2024-03-01"),
            ("2023-02-28", 1, "2023-03-01"),
            ("2023-12-31", 1, "2024-01-01"),
            ("2024-03-01", -1, "2024-02-29"),
            ("2024-01-01", 366, "2025-01-01")
        ])
    func addingDays(start: String, days: Int, result: String) throws {
        #expect(try CivilDate.fixture(start).adding(days: days) == CivilDate.fixture(result))
    }

    @Test("adding past year 9999 or before year 1 throws")
    func addingOutOfRange() {
        #expect(throws: CivilDate.Error.yearOutOfRange(10000)) {
            try CivilDate.fixture("9999-12-31").adding(days: 1)
        }
        #expect(throws: CivilDate.Error.yearOutOfRange(0)) {
            try CivilDate.fixture("0001-01-01").adding(days: -1)
        }
    }

    @Test("every day number round-trips across four centuries")
    func roundTrip() throws {
        var date = CivilDate.fixture("1899-12-25")
        for days in date.daysSince1970...(date.daysSince1970 + 146_097) {
            if date.daysSince1970 != days {
                Issue.record("\(date) has day number \(date.daysSince1970), expected \(days)")
                return
            }
            let next = try date.adding(days: 1)
            // The next day is either the next day of the month or the first of the next month.
            let expected =
                date.day < CivilDate.daysInMonth(year: date.year, month: date.month)
                ? try CivilDate(year: date.year, month: date.month, day: date.day + 1)
                : date.month < 12
                    ? try CivilDate(year: date.year, month: date.month + 1, day: 1)
                    : try CivilDate(year: date.year + 1, month: 1, day: 1)
            if next != expected {
                Issue.record("\(date) + 1 = \(next), expected \(expected)")
                return
            }
            date = next
        }
    }

    // MARK: Date conversion

    @Test(
        "the same instant is a different day in Shanghai and in UTC",
        arguments: [
            (1_709_224_200.0, "2024-03-01", "2024-02-29"), // 2024-02-29T16:30:00Z
            (1_709_222_400.0, "2024-03-01", "2024-02-29"), // 16:00:00Z = Shanghai midnight
            (1_709_222_399.0, "2024-02-29", "2024-02-29"), // 15:59:59Z
            (0.0, "1970-01-01", "1970-01-01"),
            (-1.0, "1970-01-01", "1969-12-31")
        ])
    func fromDate(seconds: Double, shanghai: String, utc: String) throws {
        let instant = Date(timeIntervalSince1970: seconds)
        let utcZone = try #require(TimeZone(identifier: "UTC"))
        #expect(CivilDate(instant, in: .shanghai) == CivilDate.fixture(shanghai))
        #expect(CivilDate(instant, in: utcZone) == CivilDate.fixture(utc))
        #expect(CivilDate.today(in: .shanghai, now: instant) == CivilDate.fixture(shanghai))
    }

    @Test(
        "start of day",
        arguments: [
            ("2024-03-01", "Asia/Shanghai", 1_709_222_400.0),
            ("1970-01-01", "UTC", 0.0),
            ("2024-03-10", "America/New_York", 1_710_046_800.0), // DST starts that night at 02:00
            ("2018-11-04", "America/Sao_Paulo", 1_541_300_400.0) // midnight skipped: day begins 01:00
        ])
    func startOfDay(text: String, zone: String, seconds: Double) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let date = CivilDate.fixture(text)
        let start = date.startOfDay(in: timeZone)
        #expect(start.timeIntervalSince1970 == seconds)
        #expect(CivilDate(start, in: timeZone) == date)
        #expect(CivilDate(start.addingTimeInterval(-1), in: timeZone) == (try date.adding(days: -1)))
    }

    @Test(
        "instants beyond years 1...9999 clamp instead of trapping",
        arguments: [
            (-1e300, "0001-01-01"),
            (1e300, "9999-12-31"),
            (-Double.infinity, "0001-01-01"),
            (Double.infinity, "9999-12-31"),
            (Double.nan, "1970-01-01")
        ])
    func clamping(seconds: Double, expected: String) throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(CivilDate(Date(timeIntervalSince1970: seconds), in: utc) == CivilDate.fixture(expected))
    }

    @Test("Asia/Shanghai is UTC+8")
    func shanghaiZone() {
        #expect(TimeZone.shanghai.secondsFromGMT(for: Date(timeIntervalSince1970: 1_709_222_400)) == 8 * 3600)
    }

    // MARK: Text and JSON

    @Test(
        "text forms are zero-padded",
        arguments: [
            ("2024-02-29", "2024-02-29", "20240229"),
            ("0005-01-02", "0005-01-02", "00050102")
        ])
    func textForms(text: String, iso: String, compact: String) {
        let date = CivilDate.fixture(text)
        #expect(date.iso8601 == iso)
        #expect(date.description == iso)
        #expect(date.compact == compact)
    }

    @Test("Codable as YYYY-MM-DD")
    func codable() throws {
        struct Person: Codable, Equatable { var born: CivilDate }
        let person = Person(born: CivilDate.fixture("1949-12-31"))
        let json = try JSONEncoder().encode(person)
        #expect(String(decoding: json, as: UTF8.self) == #"{"born":"1949-12-31"}"#)
        #expect(try JSONDecoder().decode(Person.self, from: json) == person)
    }

    @Test(
        "decoding rejects impossible dates and other shapes",
        arguments: [
            #"{"born":"2023-02-29"}"#,
            #"{"born":"1949/12/31"}"#,
            #"{"born":19491231}"#,
            #"{"born":""}"#
        ])
    func decodingErrors(json: String) {
        struct Person: Codable { var born: CivilDate }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Person.self, from: Data(json.utf8))
        }
    }

    @Test("date errors become field errors on the field the caller names")
    func dateFieldError() {
        let error = CivilDate.Error.dayOutOfRange(year: 2023, month: 2, day: 29)
        let field = error.fieldError(field: "birth_date")
        #expect(field.field == "birth_date")
        #expect(field.messageZH == "2023年2月只有28天")
        #expect(field.messageEN == "Month 2 of 2023 has only 28 days.")
    }
}
