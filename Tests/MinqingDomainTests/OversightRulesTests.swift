import Testing

@testable import MinqingDomain

@Suite("6543 oversight rules (信用档案、红黑榜、业委会党员比例、分类清单)")
struct OversightRulesTests {
    struct StandingCase: Sendable, CustomTestStringConvertible {
        var score: Int, open: Int, overdue: Int
        var standing: ListStanding
        var reasonZH: String
        var testDescription: String { "\(score)/\(open)/\(overdue) → \(standing.rawValue)" }
    }

    @Test(
        "the list standing and its reason, at and around each threshold",
        arguments: [
            StandingCase(score: 69, open: 0, overdue: 0, standing: .blackList, reasonZH: "信用分 69 低于 70 分"),
            StandingCase(score: 70, open: 0, overdue: 0, standing: .normal, reasonZH: "信用分 70 在 70–109 分之间"),
            StandingCase(score: 109, open: 0, overdue: 0, standing: .normal, reasonZH: "信用分 109 在 70–109 分之间"),
            StandingCase(score: 110, open: 0, overdue: 0, standing: .redList, reasonZH: "信用分 110 不低于 110 分，且无未完成整改"),
            StandingCase(score: 118, open: 1, overdue: 0, standing: .normal, reasonZH: "信用分 118 达到红榜线，但有 1 项整改未完成"),
            StandingCase(score: 118, open: 1, overdue: 1, standing: .blackList, reasonZH: "1 项整改逾期未完成"),
            StandingCase(score: 50, open: 2, overdue: 2, standing: .blackList, reasonZH: "信用分 50 低于 70 分"),
            StandingCase(score: 90, open: 1, overdue: 0, standing: .normal, reasonZH: "信用分 90 在 70–109 分之间")
        ])
    func standing(_ c: StandingCase) {
        let s = CreditStanding.evaluate(score: c.score, openRectifications: c.open, overdueRectifications: c.overdue)
        #expect(s.standing == c.standing)
        #expect(s.reasonZH == c.reasonZH)
        #expect(!s.reasonEN.isEmpty)
    }

    @Test("the score is the base plus every entry; each entry carries its rule's points and words")
    func score() {
        let entries = [
            CreditEntry(rule: PropertyCredit.rule(for: .pass), detailZH: nil, detailEN: nil, date: "2026-01-05"),
            CreditEntry(rule: PropertyCredit.rule(for: .serious), detailZH: "消防通道堵塞", detailEN: "Fire lane blocked", date: "2026-02-01"),
            CreditEntry(rule: PropertyCredit.rule(forSurvey: 45, of: 50)!, detailZH: nil, detailEN: nil, date: "2026-03-01"),
            CreditEntry(rule: PropertyCredit.rule(forClosing: "2026-03-02", due: "2026-03-03"), detailZH: nil, detailEN: nil, date: "2026-03-02")
        ]
        #expect(entries.map(\.points) == [2, -10, 5, 3])
        #expect(entries[1].reasonZH == "检查发现严重问题，责令整改：消防通道堵塞")
        #expect(entries[1].reasonEN == "Inspection found a serious problem; rectification ordered: Fire lane blocked")
        #expect(entries[1].source == .inspection)
        #expect(CreditStanding.score(of: entries) == 100)
        #expect(CreditStanding.score(of: []) == PropertyCredit.base)
    }

    @Test(
        "survey rules in integers: 90 % and 60 % bounds",
        arguments: [
            (90, 100, "survey.high"), (89, 100, nil), (9, 10, "survey.high"), (60, 100, nil), (59, 100, "survey.low"),
            (0, 0, nil), (3, 5, nil), (2, 5, "survey.low"), (6, 5, nil)
        ] as [(Int, Int, String?)])
    func survey(_ satisfied: Int, _ respondents: Int, _ code: String?) {
        #expect(PropertyCredit.rule(forSurvey: satisfied, of: respondents)?.code == code)
    }

    @Test("closing a rectification on the due day is on time; a day later is late")
    func rectification() {
        #expect(PropertyCredit.rule(forClosing: "2026-04-30", due: "2026-04-30").code == "rectification.completed")
        #expect(PropertyCredit.rule(forClosing: "2026-05-01", due: "2026-04-30").code == "rectification.late")
        #expect(!PropertyCredit.rules.isEmpty && PropertyCredit.rules.allSatisfy { PropertyCredit.rule($0.code) == $0 })
        #expect(Set(PropertyCredit.rules.map(\.code)).count == PropertyCredit.rules.count)
    }

    @Test(
        "party-member share against 50 %: 2·party ≥ members",
        arguments: [
            (0, 0, false, 0), (5, 2, false, 40), (5, 3, true, 60), (6, 3, true, 50), (7, 3, false, 43), (9, 5, true, 56), (3, 1, false, 33)
        ] as [(Int, Int, Bool, Int)])
    func partyShare(_ members: Int, _ party: Int, _ meets: Bool, _ percent: Int) {
        let share = CommitteePartyShare(members: members, partyMembers: party)
        #expect(share.meetsTarget == meets)
        #expect(share.percent == percent)
    }

    @Test("every compound type has a main line and a checklist of distinct measures; the seed's examples are there")
    func checklists() {
        var codes: Set<String> = []
        for type in CompoundType.allCases {
            #expect(!type.mainLineZH.isEmpty && !type.mainLineEN.isEmpty)
            #expect(type.checklist.count >= 4)
            for m in type.checklist { #expect(codes.insert(m.code).inserted, "\(m.code) twice") }
        }
        #expect(CompoundType.commodityHousing.checklist.map(\.nameZH).contains("网上居务公开"))
        #expect(CompoundType.resettlement.checklist.map(\.nameZH).contains("居民公约"))
        #expect(CompoundType.mixedUse.checklist.map(\.nameZH).contains("商圈经营公约"))
        #expect(CompoundType.urbanRural.checklist.map(\.nameZH).contains("建立权责清单"))
        #expect(CompoundType.workUnit.checklist.map(\.code).contains("wu.dual_report"))
        #expect(ChecklistProgress(done: 1, total: 6).percent == 17)
        #expect(ChecklistProgress(done: 0, total: 0).percent == 0)
        #expect(GovernanceConcern.allCases.count == 5)
    }
}
