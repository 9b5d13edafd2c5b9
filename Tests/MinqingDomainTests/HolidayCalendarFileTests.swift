import Foundation
import Testing

@testable import MinqingDomain

@Suite("HolidayCalendarFile (节假日安排文件)")
struct HolidayCalendarFileTests {
    typealias Reason = HolidayCalendarFile.Error.Reason

    @Test("a well-formed file: comments, blank lines, ranges, names with spaces")
    func wellFormed() throws {
        let text = """
            \u{FEFF}# 2026 notice
            2026-02-14  work  春节调休 Spring Festival make-up day   # a Saturday

            2026-02-15..2026-02-23\trest\t春节 Spring Festival\r
            """
        let file = try HolidayCalendarFile.parse(year: 2026, text: text)
        #expect(file.year == 2026)
        #expect(
            file.entries == [
                .init(
                    first: try day("2026-02-14"), last: try day("2026-02-14"), kind: .work,
                    name: "春节调休 Spring Festival make-up day", line: 2),
                .init(
                    first: try day("2026-02-15"), last: try day("2026-02-23"), kind: .rest,
                    name: "春节 Spring Festival", line: 4)
            ])
        #expect(file.days.count == 10)
        #expect(file.days.first?.date == (try day("2026-02-14")))
        #expect(file.days.last?.kind == .rest)
    }

    @Test("the notice for year Y may begin 元旦 in the last week of Y-1's December (2019 notice)")
    func previousDecember() throws {
        let text = """
            2018-12-29 work 元旦调休
            2018-12-30..2019-01-01 rest 元旦
            """
        let file = try HolidayCalendarFile.parse(year: 2019, text: text)
        #expect(file.days.map(\.date.iso8601) == ["2018-12-29", "2018-12-30", "2018-12-31", "2019-01-01"])
    }

    @Test(
        "rejected lines name their line and reason",
        arguments: [
            ("2026-01-01", 1, Reason.incomplete),
            ("# header\n2026-01-01 rest", 2, .incomplete),
            ("2026-01-01 rest   # name missing", 1, .incomplete),
            ("2026-13-01 rest 元旦", 1, .invalidDate("2026-13-01")),
            ("2026-02-30 rest 春节", 1, .invalidDate("2026-02-30")),
            ("20260101 rest 元旦", 1, .invalidDate("20260101")),
            ("2026-01-01..2026-01-02..2026-01-03 rest 元旦", 1, .invalidDate("2026-01-01..2026-01-02..2026-01-03")),
            ("2026-01-01..2026-1-3 rest 元旦", 1, .invalidDate("2026-1-3")),
            ("2026-01-01 holiday 元旦", 1, .unknownKind("holiday")),
            ("2026-01-01 REST 元旦", 1, .unknownKind("REST")),
            ("2026-01-03..2026-01-01 rest 元旦", 1, .reversedRange),
            ("2026-02-15..2026-03-23 rest 春节", 1, .rangeTooLong(days: 37)),
            ("2025-10-01 rest 国庆节", 1, .outsideYear(fixed("2025-10-01"))),
            ("2025-12-24 work 元旦调休", 1, .outsideYear(fixed("2025-12-24"))),
            ("2026-12-31..2027-01-02 rest 元旦", 1, .outsideYear(fixed("2027-01-02"))),
            ("2026-02-16 work 春节调休", 1, .workDayNotWeekend(fixed("2026-02-16"))),
            ("2026-02-13..2026-02-14 work 春节调休", 1, .workDayNotWeekend(fixed("2026-02-13"))),
            (
                "2026-02-15..2026-02-23 rest 春节\n\n2026-02-20 rest 春节", 3,
                .listedTwice(fixed("2026-02-20"), firstLine: 1)
            ),
            (
                "2026-02-14 work 春节调休\n2026-02-14 rest 春节", 2,
                .listedTwice(fixed("2026-02-14"), firstLine: 1)
            ),
            (
                "2026-10-01..2026-10-07 rest 国庆节\n2026-10-07..2026-10-08 rest 国庆节", 2,
                .listedTwice(fixed("2026-10-07"), firstLine: 1)
            )
        ])
    func rejected(text: String, line: Int, reason: Reason) {
        #expect(throws: HolidayCalendarFile.Error(year: 2026, line: line, reason: reason)) {
            try HolidayCalendarFile.parse(year: 2026, text: text)
        }
    }

    @Test(
        "a file with no dates, or for an impossible year, is rejected as a whole",
        arguments: [
            (2026, "", Reason.empty),
            (2026, "# only a comment\n\n", .empty),
            (1, "0001-01-01 rest 元旦", .yearOutOfRange),
            (10000, "", .yearOutOfRange)
        ])
    func wholeFile(year: Int, text: String, reason: Reason) {
        #expect(throws: HolidayCalendarFile.Error(year: year, line: nil, reason: reason)) {
            try HolidayCalendarFile.parse(year: year, text: text)
        }
    }

    @Test("messages carry the file and line in both languages")
    func messages() throws {
        let error = HolidayCalendarFile.Error(year: 2026, line: 3, reason: .workDayNotWeekend(try day("2026-02-16")))
        #expect(error.messageZH == "cn-2026.txt 第 3 行：调休上班日 2026-02-16 不是周末")
        #expect(error.messageEN == "cn-2026.txt line 3: the make-up working day 2026-02-16 is not a weekend day.")
        let whole = HolidayCalendarFile.Error(year: 2027, line: nil, reason: .empty)
        #expect(whole.messageZH == "cn-2027.txt：文件中没有任何日期")
        #expect(whole.description == "cn-2027.txt: the file lists no dates.")
    }

    @Test(
        "file names",
        arguments: [
            ("cn-2026.txt", 2026 as Int?), ("cn-1999.txt", 1999), ("cn-26.txt", nil), ("cn-2026.csv", nil),
            ("hk-2026.txt", nil), ("cn-２０２６.txt", nil), ("cn-2026a.txt", nil)
        ])
    func fileNames(name: String, year: Int?) {
        #expect(HolidayCalendarFile.year(fromFileName: name) == year)
        if let year { #expect(HolidayCalendarFile.fileName(for: year) == name) }
    }
}
