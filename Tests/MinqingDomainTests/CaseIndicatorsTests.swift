import Testing

@testable import MinqingDomain

@Suite("Case indicators (立案率 … 满意率)")
struct CaseIndicatorsTests {
    @Test(
        "per mille rounds half up; nothing over nothing is a dash",
        arguments: [
            (0, 0, nil as Int?, "—"), (0, 5, 0, "0.0%"), (5, 5, 1000, "100.0%"), (1, 3, 333, "33.3%"), (2, 3, 667, "66.7%"),
            (1, 8, 125, "12.5%"), (1, 16, 63, "6.3%"), (7, 9, 778, "77.8%"), (1, 2000, 1, "0.1%"), (1, 2001, 0, "0.0%")
        ])
    func rates(n: Int, d: Int, perMille: Int?, text: String) {
        let rate = CaseRate(n, d)
        #expect(rate.perMille == perMille)
        #expect(rate.percentText == text)
    }

    @Test("rates compare exactly")
    func compare() {
        #expect(CaseRate(1, 3) < CaseRate(334, 1000))
        #expect(!(CaseRate(2, 6) < CaseRate(1, 3)))
        #expect(CaseRate(0, 0) < CaseRate(0, 1))
        #expect(!(CaseRate(1, 1) < CaseRate(0, 0)))
    }

    /// A worked example: 120 taken in, 100 filed, 80 due, 72 closed of which 60 on time, 90 handled
    /// of which 9 reworked, 95 dispatched of which 76 answered in time, 50 rated: 40 solved,
    /// 30 satisfied and 12 basically satisfied.
    @Test("the formulas of BRIEF §2")
    func formulas() {
        let counts = CaseIndicatorCounts(
            accepted: 120, filed: 100, due: 80, closed: 72, closedOnTime: 60, handled: 90, reworked: 9,
            dispatched: 95, responded: 76, rated: 50, resolved: 40, satisfied: 30, basicallySatisfied: 12)
        let i = CaseIndicators(counts)
        #expect(i.filingRate == CaseRate(100, 120))
        #expect(i.filingRate.percentText == "83.3%")
        #expect(i.closingRate.percentText == "90.0%")
        #expect(i.onTimeClosingRate.percentText == "75.0%")
        #expect(i.reworkRate.percentText == "10.0%")
        #expect(i.responseRate.percentText == "80.0%")
        #expect(i.resolutionRate.percentText == "80.0%")
        #expect(i.satisfactionRate == CaseRate(42, 50))
        #expect(i.all.map(\.zh) == ["立案率", "结案率", "按期结案率", "返工率", "响应率", "解决率", "满意率"])
        let twice = counts + counts
        #expect(CaseIndicators(twice).satisfactionRate == CaseRate(84, 100))
        #expect(CaseIndicators(CaseIndicatorCounts()).closingRate.percentText == "—")
    }
}

@Suite("Case catalogue (部件/事件分类)")
struct CaseCatalogueTests {
    @Test("codes are unique, every 小类 has its 大类 and a known department, limits parse")
    func catalogue() {
        let codes = CaseCatalogue.categories.map(\.code)
        #expect(Set(codes).count == codes.count)
        let majors = Set(CaseCatalogue.categories.filter { $0.parentCode == nil }.map(\.code))
        let departments = Set(CaseCatalogue.departments.map(\.code))
        for category in CaseCatalogue.categories {
            if let parent = category.parentCode {
                #expect(majors.contains(parent), "\(category.code)")
                #expect(category.code.count == 5 && category.code.hasPrefix(parent))
                #expect(category.departmentCode.map(departments.contains) == true, "\(category.code)")
            } else {
                #expect(category.code.count == 3)
            }
            #expect(category.kind == (category.code.hasPrefix("C") ? .component : .event))
            for limit in [category.file, category.dispatch, category.response, category.handle, category.verify] {
                #expect(limit != CaseTimeLimit.fallback || limit.description == "1d")
            }
        }
        #expect(CaseCatalogue.categories.filter { $0.parentCode != nil }.count >= 25)
    }
}
