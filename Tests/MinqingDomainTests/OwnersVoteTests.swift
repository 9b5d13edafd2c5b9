import Foundation
import Testing

@testable import MinqingDomain

/// Worked examples of Civil Code art. 278 and the SPC interpretation arts. 8–9 (BRIEF §2).
@Suite("OwnersVote (业主共同决定)")
struct OwnersVoteTests {
    typealias Entry = OwnersVoteTally.Entry

    // MARK: Fractions

    @Test(
        "fractions compare by cross-multiplication, bound included for 以上, excluded for 过半数",
        arguments: [
            // numerator, denominator, at least?, part, whole, expected
            (2, 3, true, 200, 300, true), // exactly 2/3
            (2, 3, true, 199, 300, false), // one below
            (2, 3, true, 6, 9, true),
            (2, 3, true, 5, 9, false),
            (2, 3, true, 2_000_000_001, 3_000_000_001, true), // 6000000003 ≥ 6000000002
            (2, 3, true, 2_000_000_000, 3_000_000_001, false),
            (3, 4, true, 3, 4, true), // exactly 3/4
            (3, 4, true, 74, 100, false),
            (3, 4, true, 29_999, 40_000, false),
            (1, 2, false, 50, 100, false), // exactly half is not more than half
            (1, 2, false, 51, 100, true),
            (1, 2, false, 2, 3, true),
            (1, 2, false, 1, 2, false),
            (1, 2, false, 0, 0, false),
            (1, 2, true, 1, 2, true) // 半数以上 includes half
        ])
    func fractions(n: Int, d: Int, atLeast: Bool, part: Int64, whole: Int64, expected: Bool) throws {
        let fraction = try VoteFraction(n, d, atLeast ? .atLeast : .moreThan)
        #expect(fraction.isMet(part: part, of: whole) == expected)
    }

    @Test("bad fractions are field errors", arguments: [(0, 3), (4, 3), (1, 0), (1, 101), (-1, 2)])
    func badFractions(n: Int, d: Int) {
        #expect(throws: VoteFraction.Error.outOfRange(field: "quorum_area")) {
            try VoteFraction(n, d, .atLeast, field: "quorum_area")
        }
    }

    @Test("the formula shows the integer comparison")
    func formula() {
        #expect(VoteFraction.twoThirdsOrMore.formula(part: 200, of: 300) == "3 × 200 = 600 ≥ 600 = 2 × 300")
        #expect(VoteFraction.twoThirdsOrMore.formula(part: 199, of: 300) == "3 × 199 = 597 < 600 = 2 × 300")
        #expect(VoteFraction.moreThanHalf.formula(part: 2, of: 4) == "2 × 2 = 4 ≤ 4 = 1 × 4")
        #expect(VoteFraction.moreThanHalf.nameZH == "过半数")
        #expect(VoteFraction.threeQuartersOrMore.nameZH == "四分之三以上")
    }

    // MARK: Matters

    @Test(
        "matters (6)–(8) need three quarters, the others more than half; all need two thirds to take part",
        arguments: OwnersMatter.allCases)
    func matters(matter: OwnersMatter) {
        let rules = matter.ruleSet
        #expect(rules.quorumArea == .twoThirdsOrMore && rules.quorumHeads == .twoThirdsOrMore)
        let approval: VoteFraction = [6, 7, 8].contains(matter.rawValue) ? .threeQuartersOrMore : .moreThanHalf
        #expect(rules.approvalArea == approval && rules.approvalHeads == approval)
        #expect(rules.approvalBase == .participating)
        #expect(OwnersVoteRuleSet.named(rules.code) == rules)
        #expect(rules.nameZH.contains(matter.nameZH))
    }

    @Test("the catalogue: nine matters and the lift rule set")
    func catalogue() {
        #expect(OwnersVoteRuleSet.catalogue.count == 10)
        #expect(OwnersMatter.useMaintenanceFund.ruleSet.approvalArea == .moreThanHalf) // using the fund: more than half
        #expect(OwnersMatter.raiseMaintenanceFund.ruleSet.approvalArea == .threeQuartersOrMore)
        #expect(OwnersVoteRuleSet.named("lift_installation")?.approvalHeads == .threeQuartersOrMore)
        #expect(OwnersVoteRuleSet.named("nope") == nil)
        #expect(OwnersMatter.changeUseOfCommonParts.numeralZH == "（八）")
    }

    // MARK: Electorate

    static let zhang = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!, kind: .person)
    static let wang = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!, kind: .person)
    static let li = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000C")!, kind: .person)
    static let chen = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000D")!, kind: .person)
    static let zhao = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000E")!, kind: .person)
    static let bureau = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000F")!, kind: .organisation)
    static let developer = ElectorateDwelling.Owner(id: UUID(uuidString: "00000000-0000-0000-0000-0000000000DE")!, kind: .developer)

    static func dwelling(
        _ n: Int, register: Int64? = nil, surveyed: Int64? = nil, contract: Int64? = nil,
        held: Bool = false, unsold: Bool = false, undelivered: Bool = false,
        _ owners: [ElectorateDwelling.Owner]
    ) -> ElectorateDwelling {
        ElectorateDwelling(
            id: UUID(uuidString: String(format: "10000000-0000-0000-0000-%012d", n))!,
            areaRegisterCM2: register, areaSurveyedCM2: surveyed, areaContractCM2: contract,
            developerHeld: held, unsold: unsold, undelivered: undelivered, owners: owners)
    }

    /// Stairwell 1 of a building: Zhang owns 101 and 102; Wang and Li own 201 together, Wang
    /// alone owns 202; the developer has 301 and 302 unsold; Chen bought 401 but it is not
    /// delivered; Zhao owns 402; the housing bureau holds 501 (public housing).
    static let stairwell: [ElectorateDwelling] = [
        dwelling(101, register: 100_0000, surveyed: 101_0000, contract: 102_0000, [zhang]), // register wins
        dwelling(102, surveyed: 80_0000, contract: 85_0000, [zhang]), // survey when no register
        dwelling(201, contract: 90_0000, [wang, li]), // contract last
        dwelling(202, register: 60_0000, [wang]),
        dwelling(301, register: 70_0000, held: true, unsold: true, [developer]),
        dwelling(302, register: 70_0000, unsold: true, []), // unsold, no owner row
        dwelling(401, register: 100_0000, undelivered: true, [chen]), // sold, not delivered
        dwelling(402, register: 60_0000, [zhao]),
        dwelling(501, register: 50_0000, [bureau])
    ]

    @Test("snapshot: area by register, survey, contract; heads by SPC art. 9")
    func snapshot() throws {
        let electorate = try OwnersElectorate(dwellings: Self.stairwell)
        // Zhang (101+102), Wang+Li (201), Wang (202), developer (301, 302, 401), Zhao, bureau.
        #expect(electorate.totalHeads == 6)
        #expect(electorate.totalAreaCM2 == 680_0000)
        let byKey = Dictionary(uniqueKeysWithValues: electorate.electors.map { ($0.key, $0) })
        let zhang = try #require(byKey[Self.zhang.id.uuidString.lowercased()])
        #expect(zhang.areaCM2 == 180_0000 && zhang.heads == 1 && zhang.dwellingIDs.count == 2)
        let couple = try #require(byKey[[Self.wang, Self.li].map { $0.id.uuidString.lowercased() }.joined(separator: "+")])
        #expect(couple.areaCM2 == 90_0000 && couple.ownerIDs == [Self.wang.id, Self.li.id])
        #expect(byKey[Self.wang.id.uuidString.lowercased()]?.areaCM2 == 60_0000)
        let developer = try #require(byKey[OwnersElectorate.developerKey])
        #expect(developer.isDeveloper && developer.heads == 1)
        #expect(developer.areaCM2 == 240_0000 && developer.dwellingIDs.count == 3) // 301 + 302 + Chen's undelivered 401
        #expect(developer.ownerIDs == [Self.developer.id])
        #expect(byKey[Self.chen.id.uuidString.lowercased()] == nil)
        #expect(electorate.areaSources[Self.stairwell[1].id] == .surveyed)
        #expect(electorate.areaSources[Self.stairwell[2].id] == .contract)
        #expect(electorate.areaSources[Self.stairwell[0].id] == .register)
        // The same register gives the same electorate, in any order.
        #expect(try OwnersElectorate(dwellings: Self.stairwell.reversed()) == electorate)
    }

    @Test("a snapshot refuses dwellings without area or owner, and an empty scope")
    func snapshotErrors() {
        #expect(throws: OwnersElectorate.Error.empty) { try OwnersElectorate(dwellings: []) }
        let noArea = Self.dwelling(1, register: 0, [Self.zhao])
        #expect(throws: OwnersElectorate.Error.dwellingsWithoutArea([noArea.id])) {
            try OwnersElectorate(dwellings: [noArea, Self.dwelling(2, register: 1, [Self.zhao])])
        }
        let noOwner = Self.dwelling(3, register: 50_0000, [])
        #expect(throws: OwnersElectorate.Error.dwellingsWithoutOwner([noOwner.id])) {
            try OwnersElectorate(dwellings: [noOwner])
        }
        #expect(OwnersElectorate.Error.empty.fieldError.field == "scope")
    }

    @Test("a stairwell ballot counts only the stairwell: an owner's area is their units in scope")
    func stairwellScope() throws {
        // Zhang also owns 2-101 in stairwell 2; a stairwell-1 ballot does not count it.
        let other = [Self.dwelling(2101, register: 95_0000, [Self.zhang]), Self.dwelling(2102, register: 95_0000, [Self.chen])]
        let building = try OwnersElectorate(dwellings: Self.stairwell + other)
        let one = try OwnersElectorate(dwellings: Self.stairwell)
        #expect(building.totalHeads == 7 && building.totalAreaCM2 == 870_0000) // Chen now counts for 2-102
        #expect(one.totalHeads == 6 && one.totalAreaCM2 == 680_0000)
        let key = Self.zhang.id.uuidString.lowercased()
        #expect(building.electors.first { $0.key == key }?.areaCM2 == 275_0000)
        #expect(one.electors.first { $0.key == key }?.areaCM2 == 180_0000)
    }

    // MARK: Tally

    static func entries(_ list: [(Int64, OwnersVoteChoice?)]) -> [Entry] {
        list.map { Entry(areaCM2: $0.0, heads: 1, choice: $0.1) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let matter: OwnersMatter
        let entries: [Entry]
        let outcome: OwnersVoteTally.Outcome
        let failed: Set<OwnersVoteCheck.Kind>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "exactly 2/3 take part by area and heads: quorum", matter: .propertyManager,
            entries: entries([(100, .agree), (100, .agree), (100, nil)]), outcome: .approved, failed: []),
        Case(
            name: "one cm² below 2/3 of the area: no quorum", matter: .propertyManager,
            entries: entries([(10_000, .agree), (10_000, .agree), (10_001, nil)]), outcome: .noQuorum, failed: [.quorumArea]),
        Case(
            name: "one head below 2/3 (area enough): no quorum", matter: .propertyManager,
            entries: entries([
                (1_000, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .agree),
                (1, nil), (1, nil), (1, nil), (1, nil)
            ]), outcome: .noQuorum, failed: [.quorumHeads]),
        Case(
            name: "6 of 9 heads and area: quorum", matter: .propertyManager,
            entries: entries([
                (1, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .disagree), (1, .disagree),
                (1, nil), (1, nil), (1, nil)
            ]), outcome: .approved, failed: []),
        Case(
            name: "exactly 3/4 agree (matter 7): approved", matter: .rebuildOrAlter,
            entries: entries([(100, .agree), (100, .agree), (100, .agree), (100, .disagree)]), outcome: .approved, failed: []),
        Case(
            name: "3/4 heads but one cm² below 3/4 of the area: rejected", matter: .rebuildOrAlter,
            entries: entries([(10_000, .agree), (10_000, .agree), (10_000, .agree), (10_001, .disagree)]),
            outcome: .rejected, failed: [.approvalArea]),
        Case(
            name: "abstentions take part and count against: 5 of 8 agree", matter: .raiseMaintenanceFund,
            entries: entries([(1, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .abstain), (1, .abstain), (1, .abstain)]),
            outcome: .rejected, failed: [.approvalArea, .approvalHeads]),
        Case(
            name: "6 of 8 agree, 2 abstain: exactly 3/4, approved", matter: .changeUseOfCommonParts,
            entries: entries([(1, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .agree), (1, .abstain), (1, .abstain)]),
            outcome: .approved, failed: []),
        Case(
            name: "exactly half agree: not more than half", matter: .propertyManager,
            entries: entries([(100, .agree), (100, .agree), (100, .disagree), (100, .disagree)]),
            outcome: .rejected, failed: [.approvalArea, .approvalHeads]),
        Case(
            name: "more than half the heads, exactly half the area: rejected", matter: .useMaintenanceFund,
            entries: entries([(100, .agree), (100, .agree), (200, .disagree)]), outcome: .rejected, failed: [.approvalArea]),
        Case(
            name: "more than half by area and heads: approved (fund use)", matter: .useMaintenanceFund,
            entries: entries([(101, .agree), (100, .agree), (200, .disagree)]), outcome: .approved, failed: []),
        Case(
            name: "nobody votes: no quorum", matter: .otherMajorMatter,
            entries: entries([(100, nil), (100, nil)]), outcome: .noQuorum, failed: [.quorumArea, .quorumHeads, .approvalHeads, .approvalArea]),
        Case(
            name: "no electorate: no quorum", matter: .otherMajorMatter,
            entries: [], outcome: .noQuorum, failed: [.approvalHeads, .approvalArea])
    ]

    @Test("tally boundaries", arguments: cases)
    func tally(c: Case) {
        let tally = OwnersVoteTally(ruleSet: c.matter.ruleSet, entries: c.entries)
        #expect(tally.outcome == c.outcome)
        #expect(Set(tally.checks.filter { !$0.passed }.map(\.kind)) == c.failed)
        #expect(tally.participating.heads == tally.agree.heads + tally.disagree.heads + tally.abstain.heads)
    }

    @Test("a developer's unsold units are one head: much area, one person")
    func developerOneHead() throws {
        let electorate = try OwnersElectorate(dwellings: Self.stairwell)
        let dev = OwnersElectorate.developerKey
        let couple = [Self.wang, Self.li].map { $0.id.uuidString.lowercased() }.joined(separator: "+")
        let zhang = Self.zhang.id.uuidString.lowercased(), wang = Self.wang.id.uuidString.lowercased()
        let zhao = Self.zhao.id.uuidString.lowercased()
        // Developer, Zhang, the couple and Wang take part: 4 of 6 heads, 570 of 680 m².
        let tally = OwnersVoteTally(
            ruleSet: OwnersMatter.propertyManager.ruleSet, electorate: electorate,
            votes: [dev: .agree, zhang: .agree, couple: .disagree, wang: .disagree])
        #expect(tally.total == AreaAndHeads(areaCM2: 680_0000, heads: 6))
        #expect(tally.participating == AreaAndHeads(areaCM2: 570_0000, heads: 4))
        #expect(tally.agree == AreaAndHeads(areaCM2: 420_0000, heads: 2))
        // 420 of 570 m² agree but only 2 of 4 heads: not more than half.
        #expect(tally.outcome == .rejected)
        #expect(tally.check(.approvalArea)?.passed == true)
        #expect(tally.check(.approvalHeads)?.passed == false)
        // Without the developer, 3 of 6 heads take part: no quorum.
        let without = OwnersVoteTally(
            ruleSet: OwnersMatter.propertyManager.ruleSet, electorate: electorate,
            votes: [zhao: .agree, zhang: .agree, couple: .agree])
        #expect(without.outcome == .noQuorum)
        #expect(without.check(.quorumHeads)?.formula == "3 × 3 = 9 < 12 = 2 × 6")
    }

    @Test("an owner of several units votes once with all their area")
    func severalUnits() throws {
        let electorate = try OwnersElectorate(dwellings: [
            Self.dwelling(1, register: 100, [Self.zhang]), Self.dwelling(2, register: 100, [Self.zhang]),
            Self.dwelling(3, register: 100, [Self.zhao])
        ])
        #expect(electorate.totalHeads == 2)
        let tally = OwnersVoteTally(
            ruleSet: OwnersMatter.rebuildOrAlter.ruleSet, electorate: electorate,
            votes: [Self.zhang.id.uuidString.lowercased(): .agree])
        // 200 of 300 cm² is exactly 2/3, but 1 of 2 heads is not: no quorum.
        #expect(tally.check(.quorumArea)?.passed == true)
        #expect(tally.outcome == .noQuorum)
    }

    @Test("a lift rule set on a stairwell, and a rule set over all owners")
    func ruleSets() throws {
        let electorate = try OwnersElectorate(dwellings: Self.stairwell)
        var votes: [String: OwnersVoteChoice] = [:]
        for elector in electorate.electors { votes[elector.key] = .agree }
        votes[OwnersElectorate.developerKey] = .disagree
        let lift = OwnersVoteTally(ruleSet: .liftInstallation, electorate: electorate, votes: votes)
        // 5 of 6 heads agree (≥ 3/4), 440 of 680 m² (< 3/4): rejected.
        #expect(lift.outcome == .rejected)
        #expect(lift.check(.approvalHeads)?.passed == true && lift.check(.approvalArea)?.passed == false)
        #expect(lift.check(.approvalArea)?.ruleZH == "同意的业主所持专有部分面积占参与表决专有部分面积四分之三以上")

        let overAll = OwnersVoteRuleSet(
            code: "local_all", nameZH: "全体业主三分之二同意", nameEN: "Two thirds of all owners",
            basisZH: "示例", basisEN: "example",
            quorumArea: .twoThirdsOrMore, quorumHeads: .twoThirdsOrMore,
            approvalArea: try VoteFraction(2, 3, .atLeast), approvalHeads: try VoteFraction(2, 3, .atLeast),
            approvalBase: .total, matter: nil)
        // Zhao stays away, the developer disagrees: four of six agree by heads (2/3 of all) with 380
        // of 680 m² (< 2/3 of all).
        let four = OwnersVoteTally(ruleSet: overAll, electorate: electorate, votes: votes.filter { $0.key != Self.zhao.id.uuidString.lowercased() })
        #expect(four.check(.approvalHeads)?.whole == 6)
        #expect(four.check(.approvalHeads)?.passed == true)
        #expect(four.outcome == .rejected)
    }

    @Test("a tally round-trips through JSON")
    func coding() throws {
        let tally = OwnersVoteTally(ruleSet: .liftInstallation, entries: Self.entries([(3, .agree), (1, .abstain)]))
        let back = try JSONDecoder().decode(OwnersVoteTally.self, from: JSONEncoder().encode(tally))
        #expect(back == tally)
    }

    // MARK: Deadlines

    @Test(
        "appeal deadline: one year from publication",
        arguments: [
            ("2026-05-10", "2027-05-10", false),
            ("2028-02-29", "2029-02-28", false), // no corresponding day: the month's last day
            ("2026-05-09", "2027-05-10", true), // 2027-05-09 is a Sunday
            ("2026-10-01", "2027-10-01", true) // a Friday (no holiday file: weekends only)
        ])
    func appeal(published: String, deadline: String, calendar: Bool) throws {
        let day = try OwnersDecisionDeadlines.appealDeadline(
            publishedOn: CivilDate(parsing: published),
            calendar: calendar ? WorkingCalendar() : nil)
        #expect(day == (try CivilDate(parsing: deadline)))
    }

    // MARK: Polls

    @Test("poll titles and options are checked")
    func polls() throws {
        let ok = try ResidentPollRules.validate(title: " 加装电梯意向 ", options: ["赞成", " 反对 ", ""])
        #expect(ok.title == "加装电梯意向" && ok.options == ["赞成", "反对"])
        #expect(throws: ResidentPollRules.Error.badTitle) { try ResidentPollRules.validate(title: "  ", options: ["a", "b"]) }
        #expect(throws: ResidentPollRules.Error.badOptionCount) { try ResidentPollRules.validate(title: "t", options: ["a"]) }
        #expect(throws: ResidentPollRules.Error.duplicateOption) { try ResidentPollRules.validate(title: "t", options: ["a", "a"]) }
    }
}
