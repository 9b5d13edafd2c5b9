import Testing

@testable import MinqingDomain

@Suite("Chart geometry (dashboard scales, bands, heat shades)")
struct ChartGeometryTests {
    @Test(
        "nice steps of 1, 2 or 5 × 10ⁿ and a top at or above the largest value",
        arguments: [
            (Int64(0), 5, Int64(1), Int64(1)), (1, 5, 1, 1), (4, 5, 1, 4), (5, 5, 1, 5), (7, 5, 2, 8), (10, 5, 2, 10), (11, 5, 5, 15),
            (23, 5, 5, 25), (48, 5, 10, 50), (99, 5, 20, 100), (100, 5, 20, 100), (101, 5, 50, 150), (1_234, 5, 500, 1_500),
            (89_000, 5, 20_000, 100_000), (151_000, 4, 50_000, 200_000), (3, 1, 5, 5), (-4, 5, 1, 1)
        ])
    func scale(maxValue: Int64, ticks: Int, step: Int64, top: Int64) {
        let scale = ChartScale(maxValue: maxValue, ticks: ticks)
        #expect(scale.step == step)
        #expect(scale.top == top)
        #expect(scale.top >= maxValue)
        #expect(scale.ticks.first == 0 && scale.ticks.last == top)
    }

    @Test("positions are shares of the axis, clamped")
    func positions() {
        let scale = ChartScale(maxValue: 80)
        #expect(scale.top == 80)
        #expect(scale.position(0, length: 200) == 0)
        #expect(scale.position(40, length: 200) == 100)
        #expect(scale.position(80, length: 200) == 200)
        #expect(scale.position(120, length: 200) == 200)
        #expect(scale.position(-3, length: 200) == 0)
        #expect(scale.ticks == [0, 20, 40, 60, 80])
    }

    @Test("bands split the length evenly with the gap centred")
    func bands() {
        let bands = BandLayout(count: 4, length: 400, gap: 0.2)
        #expect(bands.slot == 100)
        #expect(bands.width == 80)
        #expect(bands.start(0) == 10)
        #expect(bands.start(3) == 310)
        #expect(bands.center(1) == 150)
        #expect(BandLayout(count: 0, length: 50).count == 1)
    }

    @Test(
        "heat shades: nothing is 0, any value is visible, only the largest reach the top",
        arguments: [
            (Int64(0), Int64(100), 0), (1, 100, 1), (20, 100, 1), (21, 100, 2), (60, 100, 3), (99, 100, 5), (100, 100, 5),
            (150, 100, 5), (5, 0, 0)
        ])
    func heat(value: Int64, largest: Int64, level: Int) {
        #expect(HeatShade.level(value, max: largest) == level)
    }

    @Test(
        "heat shades between the smallest and the largest shown",
        arguments: [
            (Int64(0), Int64(57), Int64(90), 0), (57, 57, 90, 1), (65, 57, 90, 1), (66, 57, 90, 2), (74, 57, 90, 3), (89, 57, 90, 4),
            (90, 57, 90, 5), (99, 57, 90, 5), (40, 57, 90, 1), (7, 7, 7, 5), (3, 0, 4, 4), (1, 0, 4, 2)
        ])
    func heatRange(value: Int64, smallest: Int64, largest: Int64, level: Int) {
        #expect(HeatShade.level(value, min: smallest, max: largest) == level)
    }

    @Test("five domains, 18 catalogues numbered in order, each domain with some")
    func catalogues() {
        let all = GovernanceDomain.catalogues
        #expect(all.count == 18)
        #expect(all.map(\.number) == Array(1...18))
        #expect(GovernanceDomain.allCases.map(\.nameZH) == ["党的建设", "公共安全", "公共管理", "公共服务", "社会参与"])
        for domain in GovernanceDomain.allCases { #expect(all.contains { $0.domain == domain }) }
        #expect(
            all.map(\.domain)
                == all.map(\.domain).sorted { GovernanceDomain.allCases.firstIndex(of: $0)! < GovernanceDomain.allCases.firstIndex(of: $1)! })
    }
}
