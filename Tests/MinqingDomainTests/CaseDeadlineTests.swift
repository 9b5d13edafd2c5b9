import Foundation
import Testing

@testable import MinqingDomain

@Suite("Case deadlines (处置时限) on the working-day calendar")
struct CaseDeadlineTests {
    /// A Shanghai wall-clock time `YYYY-MM-DD HH:MM`.
    static func at(_ text: String) -> Date {
        let parts = text.split(separator: " ")
        let date = fixed(String(parts[0]))
        let hm = parts[1].split(separator: ":").compactMap { Int($0) }
        return date.startOfDay(in: .shanghai).addingTimeInterval(Double(hm[0] * 3600 + hm[1] * 60))
    }

    static func deadlines() throws -> CaseDeadlines { CaseDeadlines(calendar: try ShippedCalendar.calendar()) }

    /// (start, limit, due): days end at 24:00 of the n-th working day after the start day; hours
    /// count 09:00–17:00 on working days. 2026: 1–3 Jan off, Sun 4 Jan worked; 14 Feb (Sat) and
    /// 28 Feb (Sat) worked, 15–23 Feb off; 1–5 May off, Sat 9 May worked; 1–7 Oct off, Sat 10 Oct worked.
    @Test(
        "due times",
        arguments: [
            ("2026-03-02 10:00", "1d", "2026-03-04 00:00"), // Monday → end of Tuesday
            ("2026-03-06 20:00", "1d", "2026-03-10 00:00"), // Friday evening → end of Monday
            ("2026-03-07 11:00", "1d", "2026-03-10 00:00"), // Saturday → end of Monday
            ("2026-03-06 10:00", "3d", "2026-03-12 00:00"), // Friday → Mon, Tue, Wed
            ("2025-12-31 10:00", "1d", "2026-01-05 00:00"), // New Year: 1–3 Jan off, Sunday 4 Jan is a make-up day
            ("2026-02-13 10:00", "1d", "2026-02-15 00:00"), // Friday → Saturday 14 Feb worked (调休)
            ("2026-02-13 10:00", "2d", "2026-02-25 00:00"), // → 14 Feb, then 15–23 Feb off → Tuesday 24 Feb
            ("2026-02-27 10:00", "1d", "2026-03-01 00:00"), // Friday → Saturday 28 Feb worked
            ("2026-04-30 10:00", "2d", "2026-05-08 00:00"), // Labour Day: 1–5 May off → Wed 6 and Thu 7 May
            ("2026-09-30 16:00", "1d", "2026-10-09 00:00"), // National Day 1–7 Oct off → Thursday 8 Oct
            ("2026-10-09 09:00", "1d", "2026-10-11 00:00"), // Friday 9 Oct → Saturday 10 Oct worked
            ("2026-03-02 10:00", "4h", "2026-03-02 14:00"), // inside one day
            ("2026-03-02 15:00", "4h", "2026-03-03 11:00"), // 2 h today, 2 h tomorrow
            ("2026-03-02 07:00", "2h", "2026-03-02 11:00"), // before office hours: the clock starts at 09:00
            ("2026-03-06 16:00", "2h", "2026-03-09 10:00"), // Friday 16:00 → Monday 10:00
            ("2026-03-07 10:00", "8h", "2026-03-09 17:00"), // Saturday: nothing runs until Monday
            ("2026-02-13 16:00", "4h", "2026-02-14 12:00"), // Friday → the make-up Saturday
            ("2026-02-14 16:00", "2h", "2026-02-24 10:00"), // make-up Saturday → after the Spring Festival
            ("2026-09-30 16:30", "1h", "2026-10-08 09:30") // across the National Day holiday
        ])
    func due(start: String, limit: String, due: String) throws {
        let d = try Self.deadlines()
        #expect(d.due(from: Self.at(start), limit: try CaseTimeLimit(parsing: limit)) == Self.at(due), "\(start) + \(limit)")
    }

    @Test("working seconds between two times, and a suspension moves the deadline by them")
    func suspension() throws {
        let d = try Self.deadlines()
        #expect(d.workingSeconds(from: Self.at("2026-03-06 16:00"), to: Self.at("2026-03-09 10:00")) == 2 * 3600)
        #expect(d.workingSeconds(from: Self.at("2026-03-07 10:00"), to: Self.at("2026-03-08 20:00")) == 0)
        #expect(d.workingSeconds(from: Self.at("2026-03-02 12:00"), to: Self.at("2026-03-02 12:30")) == 1800)
        #expect(d.workingSeconds(from: Self.at("2026-03-03 12:00"), to: Self.at("2026-03-02 12:30")) == 0)
        // Suspended Friday 16:00 to Monday 10:00 (2 office hours): a deadline of Wednesday 12:00 moves to 14:00.
        #expect(
            d.resumed(
                deadline: Self.at("2026-03-11 12:00"), suspendedAt: Self.at("2026-03-06 16:00"),
                resumedAt: Self.at("2026-03-09 10:00")) == Self.at("2026-03-11 14:00"))
        // Suspended over a weekend only: no change.
        #expect(
            d.resumed(
                deadline: Self.at("2026-03-11 12:00"), suspendedAt: Self.at("2026-03-07 09:00"),
                resumedAt: Self.at("2026-03-08 18:00")) == Self.at("2026-03-11 12:00"))
    }

    @Test("extensions count working days from the old deadline's day")
    func extensions() throws {
        let d = try Self.deadlines()
        // Due at the end of Friday 6 March; 2 more working days → end of Tuesday 10 March.
        #expect(d.extended(deadline: Self.at("2026-03-07 00:00"), byWorkingDays: 2) == Self.at("2026-03-11 00:00"))
        // Due at the end of 30 September; 1 more → 8 October.
        #expect(d.extended(deadline: Self.at("2026-10-01 00:00"), byWorkingDays: 1) == Self.at("2026-10-09 00:00"))
    }

    @Test(
        "time limits parse and refuse",
        arguments: [
            ("4h", 4, CaseTimeLimit.Unit.workingHours), ("3d", 3, .workingDays),
            ("１２Ｈ", 12, .workingHours), (" 7D ", 7, .workingDays)
        ])
    func parse(text: String, amount: Int, unit: CaseTimeLimit.Unit) throws {
        let limit = try CaseTimeLimit(parsing: text)
        #expect(limit.amount == amount && limit.unit == unit)
        #expect(try CaseTimeLimit(parsing: limit.description) == limit)
    }

    @Test("bad limits name the field", arguments: ["", "h", "0d", "1000h", "3", "3w", "-1d", "1.5d", "d3"])
    func bad(text: String) {
        #expect(throws: CaseTimeLimit.Invalid(field: "limit_handle")) { try CaseTimeLimit(parsing: text, field: "limit_handle") }
        #expect(CaseTimeLimit.Invalid(field: "limit_handle").fieldError.field == "limit_handle")
    }
}
