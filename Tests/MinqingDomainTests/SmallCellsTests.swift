import MinqingDomain
import Testing

@Suite("Small cells, clamped sums, stated purposes")
struct SmallCellsTests {
    @Test(
        "cells of 1–4 people hide; a lone hidden cell takes the smallest other with it when a total is shown",
        arguments: [
            ([6, 2], true, Set([0, 1])),
            ([6, 2], false, Set([1])),
            ([6, 2, 9], true, Set([0, 1])),
            ([5, 7], true, Set<Int>()),
            ([0, 3, 0], true, Set([1])), // nothing else to hide: the total itself is small
            ([1, 2, 30], true, Set([0, 1])),
            ([4, 4, 4], true, Set([0, 1, 2])),
            ([Int](), true, Set<Int>())
        ])
    func hidden(persons: [Int], totalShown: Bool, expected: Set<Int>) {
        #expect(SmallCells.hidden(persons: persons, totalShown: totalShown) == expected)
    }

    @Test("zero says nothing of anyone; five is shown")
    func threshold() {
        #expect(!SmallCells.hides(0))
        #expect(SmallCells.hides(1) && SmallCells.hides(4))
        #expect(!SmallCells.hides(5))
    }

    @Test("sums and products hold at the bounds instead of trapping")
    func clamped() {
        #expect(Int64.max.clampedAdding(1) == .max)
        #expect(Int64.min.clampedAdding(-1) == .min)
        #expect(Int64(5).clampedAdding(-7) == -2)
        #expect(Int64.max.clampedMultiplied(by: 2) == .max)
        #expect(Int64.max.clampedMultiplied(by: -2) == .min)
        var sum: Int64 = .max - 1
        sum.addClamped(.max)
        #expect(sum == .max)
    }

    @Test(
        "a purpose needs a reason from the list and its own words",
        arguments: [
            ("assistance", "核对低保名单", true), ("assistance", "abc", false), ("help", "核对低保名单", false),
            (nil, "核对低保名单", false), ("other", String(repeating: "字", count: 201), false), ("lawful_request", " 法院协查函 2026-17 ", true)
        ])
    func purpose(code: String?, detail: String?, valid: Bool) {
        switch StatedPurpose.check(purpose: code, detail: detail) {
        case .success(let stated):
            #expect(valid)
            #expect(stated.detail == detail?.trimmingCharacters(in: .whitespaces))
            #expect(stated.auditDetail["purpose"] == code)
        case .failure(let errors):
            #expect(!valid)
            #expect(!errors.fields.isEmpty)
        }
    }

    @Test("chart scales and heat shades hold for figures near Int64's range")
    func charts() {
        let scale = ChartScale(maxValue: .max)
        #expect(scale.top >= scale.step && scale.step > 0)
        #expect(HeatShade.level(.max, max: .max) == 5)
        #expect(HeatShade.level(.max / 2, min: 1, max: .max) >= 1)
    }
}
