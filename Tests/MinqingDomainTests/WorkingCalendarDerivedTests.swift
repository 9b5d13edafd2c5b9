import Foundation
import Testing

@testable import MinqingDomain

/// The calendar past its holiday files: a year with no notice counts the derived statutory
/// holidays (no make-up days) and says so; a notice file replaces them.
@Suite("WorkingCalendar: years without a notice (推算的法定假日)")
struct WorkingCalendarDerivedTests {
    /// The shipped notices (2024–2026), deriving every other year, as the platform loads them.
    static func platform() throws -> WorkingCalendar {
        try WorkingCalendar(files: ShippedCalendar.files(), missingYears: .derived)
    }

    @Test("where each year's rest days come from")
    func sources() throws {
        let calendar = try Self.platform()
        #expect(calendar.source(of: 2026) == .notice)
        #expect(calendar.source(of: 2027) == .derived && calendar.isDerived(2027))
        #expect(calendar.source(of: 2023) == .derived) // no 2023 file ships
        #expect(calendar.source(of: 2007) == .weekendsOnly) // before the 2008 edition
        #expect(calendar.source(of: 2100) == .weekendsOnly)
        #expect(!calendar.isDerived(2026))
        #expect(try ShippedCalendar.calendar().source(of: 2027) == .weekendsOnly) // the default counts weekends only
        #expect(WorkingCalendar().source(of: 2027) == .weekendsOnly)
        #expect(calendar.derivedYears(from: try day("2026-12-10"), to: try day("2027-01-08")) == [2027])
        #expect(calendar.derivedYears(from: try day("2026-01-01"), to: try day("2026-12-31")).isEmpty)
        #expect(calendar.yearsWithoutData(from: try day("2026-12-10"), to: try day("2027-01-08")) == [2027])
    }

    @Test(
        "derived 2027: statutory days and substitutes are rest days, weekends stay weekends",
        arguments: [
            ("2027-01-01", WorkingCalendar.DayKind.holiday("元旦 New Year's Day")), // Friday
            ("2027-02-05", .holiday("春节 Spring Festival")), // 除夕, Friday
            ("2027-02-06", .holiday("春节 Spring Festival")), // 初一, Saturday
            ("2027-02-09", .holiday("春节补假 Spring Festival substitute day off")), // Tuesday
            ("2027-02-11", .workday), // Thursday after the substitutes
            ("2027-02-20", .weekend), // a Saturday: no make-up days without the notice
            ("2027-04-05", .holiday("清明节 Qingming Festival")), // Monday
            ("2027-05-04", .holiday("劳动节补假 Labour Day substitute day off")), // Tuesday
            ("2027-06-09", .holiday("端午节 Dragon Boat Festival")), // Wednesday
            ("2027-09-15", .holiday("中秋节 Mid-Autumn Festival")), // Wednesday
            ("2027-10-05", .holiday("国庆节补假 National Day substitute day off")), // Tuesday
            ("2027-10-06", .workday) // Wednesday
        ])
    func derivedDays(date: String, kind: WorkingCalendar.DayKind) throws {
        let calendar = try Self.platform()
        #expect(calendar.dayKind(of: try day(date)) == kind)
        #expect(calendar.isWorkingDay(try day(date)) == kind.isWorkingDay)
    }

    @Test("20 working days from Thursday 2026-12-10 skip 2027's 元旦")
    func acrossTheYear() throws {
        // 12-11 (1); 12-14..18 (2–6); 12-21..25 (7–11); 12-28..31 (12–15); 2027-01-01 元旦, off;
        // 01-04..08 (16–20): Friday 2027-01-08. By weekends alone 01-01 would be the 16th and 01-07 the 20th.
        #expect(try Self.platform().addingWorkingDays(20, to: day("2026-12-10")) == (try day("2027-01-08")))
        #expect(try ShippedCalendar.calendar().addingWorkingDays(20, to: day("2026-12-10")) == (try day("2027-01-07")))
    }

    @Test(
        "a derived year has as many working days as the notice gave (2024–2026), and 2027 likewise",
        arguments: [(2024, 251), (2025, 248), (2026, 248), (2027, 248)])
    func yearTotals(year: Int, count: Int) throws {
        // 2027: 261 weekdays − 13 weekday rest days (1-1, 2-5, 2-8, 2-9, 2-10, 4-5, 5-3, 5-4, 6-9, 9-15, 10-1, 10-4, 10-5).
        let derivedOnly = try WorkingCalendar(files: [], missingYears: .derived)
        #expect(
            derivedOnly.workingDayCount(from: try CivilDate(year: year, month: 1, day: 1), to: try CivilDate(year: year, month: 12, day: 31))
                == count)
    }

    @Test("a notice file replaces the derivation, and a December day it lists wins in a derived year")
    func noticeReplaces() throws {
        let y2027 = try HolidayCalendarFile.parse(
            year: 2027,
            text: """
                2026-12-26 work 元旦调休
                2027-01-01..2027-01-03 rest 元旦
                2027-02-20 work 春节调休
                """)
        let calendar = try WorkingCalendar(files: ShippedCalendar.files() + [y2027], missingYears: .derived)
        #expect(calendar.source(of: 2027) == .notice)
        #expect(calendar.isWorkingDay(try day("2027-02-09"))) // the derived substitute is gone
        #expect(calendar.isWorkingDay(try day("2027-02-20"))) // the notice's make-up Saturday
        #expect(!calendar.isWorkingDay(try day("2027-01-01")))
        #expect(calendar.isWorkingDay(try day("2026-12-26"))) // a Saturday worked, listed by 2027's notice
        #expect(calendar.derivedYears(from: try day("2026-12-10"), to: try day("2027-01-08")).isEmpty)
    }
}

@Suite("CaseStage (环节时限)")
struct CaseStageTests {
    @Test("the stage of each state, and whose it is")
    func stages() {
        #expect(CaseStage(state: .reported) == .filing)
        #expect(CaseStage(state: .filed) == .dispatching && CaseStage(state: .returned) == .dispatching)
        #expect(CaseStage(state: .dispatched) == .responding)
        #expect(CaseStage(state: .inProgress) == .handling && CaseStage(state: .suspended) == .handling)
        #expect(CaseStage(state: .handled) == .verifying && CaseStage(state: .verifying) == .verifying)
        #expect([CaseState.closed, .evaluated, .rejected, .merged].allSatisfy { CaseStage(state: $0) == nil })
        #expect(CaseStage.allCases.filter(\.isDispatchers) == [.filing, .dispatching, .verifying])
        #expect(CaseStage.verifying.defaultLimit.description == "1d" && CaseStage.dispatching.defaultLimit.description == "2h")
    }

    @Test("what each action does to the dispatcher's stage deadline")
    func clocks() {
        #expect(CaseAction.file.stageClock == .start(.dispatching))
        #expect(CaseAction.giveBack.stageClock == .start(.dispatching))
        #expect(CaseAction.handle.stageClock == .start(.verifying))
        #expect(CaseAction.verify.stageClock == .keep)
        for action in [CaseAction.dispatch, .transfer, .reject, .merge, .close, .rework] { #expect(action.stageClock == .clear) }
        // Every action that starts a stage leads to a state of that stage.
        for action in CaseAction.allCases {
            if case .start(let stage) = action.stageClock { #expect(CaseStage(state: action.target) == stage) }
        }
    }
}
