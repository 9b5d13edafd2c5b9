import Foundation
import Testing

@testable import MinqingDomain

@Suite("MustVisitCategory (十必访)")
struct MustVisitCategoryTests {
    @Test("ten default categories, one per 十必访 group, with parsable expressions over catalogue codes")
    func defaults() throws {
        let categories = MustVisitCategory.defaults
        #expect(categories.count == 10)
        #expect(categories.map(\.code) == TagCatalogue.mustVisitGroups.map(\.key))
        #expect(Set(categories.map(\.code)) == Set(MustVisitCategory.defaultFrequencyDays.keys))
        for category in categories {
            let expression = try category.parsedExpression()
            #expect(!expression.tags.isEmpty, "\(category.code)")
            for code in expression.tags {
                #expect(TagCatalogue.tag(code: code) != nil, "\(category.code): \(code)")
            }
            #expect([7, 30, 90].contains(category.frequencyDays))
            // Every default is kept as rows by its tags (`must_visit_households`).
            #expect(category.tagCodes.map(Set.init) == expression.tags, "\(category.code)")
        }
    }

    @Test("tag codes only for one tag or an OR of tags")
    func tagCodes() {
        func codes(_ expression: String) -> [String]? {
            MustVisitCategory(code: "x", nameZH: "x", nameEN: "x", expression: expression, frequencyDays: 30).tagCodes
        }
        #expect(codes("a") == ["a"])
        #expect(codes("a OR b OR c") == ["a", "b", "c"])
        #expect(codes("a AND b") == nil)
        #expect(codes("a OR NOT b") == nil)
        #expect(codes("a OR (b AND c)") == nil)
        #expect(codes("NOT a") == nil)
        #expect(codes("(") == nil)
    }

    @Test(
        "who is in a category",
        arguments: [
            ("elderly_alone", ["id.elderly", "id.elderly.alone"], true),
            ("elderly_alone", ["id.elderly", "id.elderly.empty_nest"], false),
            ("very_old", ["id.elderly.very_old"], true),
            ("disabled", ["id.disabled.visual.grade2"], true), // a child code, as the register stores it
            ("hardship", ["id.assistance.dibao"], true),
            ("hardship", ["id.assistance.low_income"], true),
            ("serious_illness", ["id.health.serious_illness"], true),
            ("serious_illness", ["id.health.hypertension"], false),
            ("lost_only_child", ["id.family_lost_only_child"], true),
            ("entitled", ["id.entitled.martyr_family"], true),
            ("correction_released", ["id.released_prisoner"], true),
            ("correction_released", ["id.community_correction"], true),
            ("newcomer", ["id.newcomer"], true),
            ("children_in_difficulty", ["id.child_difficulty.orphan"], true),
            ("children_in_difficulty", ["id.elderly"], false)
        ])
    func membership(code: String, tags: [String], member: Bool) throws {
        let category = try #require(MustVisitCategory.defaults.first { $0.code == code })
        #expect(try category.parsedExpression().matches(Set(tags)) == member)
    }

    @Test(
        "frequencies",
        arguments: [
            ("elderly_alone", 7), ("very_old", 30), ("disabled", 90), ("hardship", 90), ("serious_illness", 30),
            ("lost_only_child", 30), ("entitled", 90), ("correction_released", 30), ("newcomer", 30),
            ("children_in_difficulty", 30)
        ])
    func frequencies(code: String, days: Int) {
        #expect(MustVisitCategory.defaults.first { $0.code == code }?.frequencyDays == days)
    }

    @Test(
        "due dates and lateness",
        arguments: [
            // last visit, entered, frequency, today, due, days past due (− early, 0 due today, + late)
            (nil, nil, 30, "2026-03-15", "2026-03-15", 0), // never visited: due now
            (nil, "2026-01-01", 30, "2026-03-01", "2026-01-31", 29), // never visited since tagged
            (nil, "2026-02-20", 30, "2026-03-01", "2026-03-22", -21), // newly tagged, first cycle
            ("2026-03-01", nil, 30, "2026-03-30", "2026-03-31", -1),
            ("2026-03-01", nil, 30, "2026-03-31", "2026-03-31", 0), // exactly on the boundary
            ("2026-03-01", nil, 30, "2026-04-01", "2026-03-31", 1),
            ("2026-03-01", "2025-01-01", 30, "2026-04-01", "2026-03-31", 1), // a visit outranks the tag date
            ("2024-02-28", nil, 7, "2024-03-06", "2024-03-06", 0), // leap year: via 02-29
            ("2023-02-28", nil, 7, "2023-03-06", "2023-03-07", -1), // common year
            ("2024-02-01", nil, 30, "2024-03-02", "2024-03-02", 0),
            ("2023-02-01", nil, 30, "2023-03-02", "2023-03-03", -1),
            ("2023-12-01", nil, 90, "2024-03-01", "2024-02-29", 1), // due on the leap day
            ("2024-01-01", nil, 365, "2025-01-01", "2024-12-31", 1),
            ("2026-03-01", nil, 0, "2026-03-05", "2026-03-02", 3), // frequency below 1 counts as 1
            ("9999-12-01", nil, 90, "9999-12-02", "9999-12-31", -29) // held at the calendar's end
        ] as [(String?, String?, Int, String, String, Int)])
    func schedule(last: String?, entered: String?, frequency: Int, today: String, due: String, pastDue: Int) throws {
        let schedule = MustVisitSchedule(
            lastVisit: try last.map(day), enteredOn: try entered.map(day),
            frequencyDays: frequency, today: try day(today))
        #expect(schedule.dueDate == (try day(due)))
        #expect(schedule.daysPastDue == pastDue)
        #expect(schedule.isOverdue == (pastDue > 0))
        #expect(schedule.isDue == (pastDue >= 0))
        #expect(schedule.daysOverdue == max(0, pastDue))
    }

    @Test("a category's schedule uses its own frequency")
    func categorySchedule() throws {
        let alone = try #require(MustVisitCategory.defaults.first { $0.code == "elderly_alone" })
        let schedule = alone.schedule(lastVisit: try day("2026-02-13"), today: try day("2026-02-23"))
        #expect(schedule.dueDate == (try day("2026-02-20"))) // weekly, holidays or not
        #expect(schedule.daysOverdue == 3)
    }
}
