/// A member as planned: relation, sex, an approximate age, surname and where the ID number was
import MinqingDomain
import MinqingServer

/// issued. `DemoPopulation` turns it into a person with a birth date, a name and numbers.
struct MemberSketch: Sendable {
    var relation: HouseholdRelation
    var sex: Sex
    var age: Int
    var surname: String
    var origin: DemoNumbering.Origin
    /// The youngest generation of a family (son, daughter, grandchild).
    var isChild: Bool = false
}

/// Plans the members of one household of a given composition: who is head, ages across the
/// generations, surnames along the father's line, spouses with surnames of their own.
struct HouseholdPlanner {
    var rng: SeededGenerator
    /// 常住 or 流动: people from elsewhere, younger households.
    let migrant: Bool
    let residence: ResidenceStatus
    /// A native household whose adults came from elsewhere (新上海人): children born in Shanghai.
    private let newShanghainese: Bool

    init(rng: SeededGenerator, migrant: Bool, residence: ResidenceStatus) {
        self.rng = rng
        self.migrant = migrant
        self.residence = residence
        var draw = rng
        newShanghainese = residence == .registered && DemoRandom.chance(0.14, &draw)
        self.rng = draw
    }

    // MARK: Draws

    private mutating func int(_ range: ClosedRange<Int>) -> Int { DemoRandom.int(range, &rng) }
    private mutating func chance(_ p: Double) -> Bool { DemoRandom.chance(p, &rng) }
    private mutating func sex(maleShare: Double = 0.51) -> Sex { chance(maleShare) ? .male : .female }

    /// Ages of people 60 and over, as in central Shanghai: about a fifth of them 80 or over.
    private static let elderAges = WeightedTable<ClosedRange<Int>>([
        (60...64, 24), (65...69, 25), (70...74, 20), (75...79, 13), (80...84, 9), (85...89, 6),
        (90...94, 2), (95...101, 1)
    ])
    /// Older people living alone are older still: mostly widows in their late seventies and eighties.
    private static let aloneElderAges = WeightedTable<ClosedRange<Int>>([
        (60...64, 11), (65...69, 17), (70...74, 19), (75...79, 17), (80...84, 16), (85...89, 12),
        (90...94, 6), (95...102, 2)
    ])
    /// Husband's age minus wife's.
    private static let spouseGaps = WeightedTable<Int>([
        (-3, 1), (-2, 2), (-1, 3), (0, 5), (1, 6), (2, 7), (3, 6), (4, 4), (5, 3), (6, 2), (8, 1), (10, 1)
    ])

    private mutating func elderAge() -> Int { int(Self.elderAges.draw(&rng)) }
    private mutating func aloneElderAge() -> Int { int(Self.aloneElderAges.draw(&rng)) }
    private mutating func spouseGap() -> Int { Self.spouseGaps.draw(&rng) }
    /// A mother's age at a child's birth: 22–36, most often about 29.
    private mutating func motherGap() -> Int { 22 + int(0...7) + int(0...7) }
    /// Age of the eldest child living at home: mostly 0–17, some grown children still at home.
    private mutating func childAge(adultShare: Double) -> Int {
        chance(adultShare) ? int(18...32) : int(0...17)
    }

    /// A surname: for a native family mostly from the Shanghai table (some spouses come from
    /// elsewhere), for migrants and new Shanghainese from the national one.
    private mutating func surname(avoiding: String? = nil) -> String {
        let local = !(migrant || newShanghainese) && chance(0.85)
        return DemoNames.surname(from: local ? DemoNames.shanghai : DemoNames.national, avoiding: avoiding, &rng)
    }

    /// Where an ID number was first issued for someone of `age` in this household.
    private func origin(age: Int) -> DemoNumbering.Origin {
        if migrant { return .elsewhere }
        if newShanghainese { return age < 30 ? .shanghai : .elsewhere }
        return .shanghai
    }

    private func sketch(
        _ relation: HouseholdRelation, _ sex: Sex, _ age: Int, _ surname: String,
        child: Bool = false
    ) -> MemberSketch {
        MemberSketch(
            relation: relation, sex: sex, age: max(0, age), surname: surname,
            origin: origin(age: age), isChild: child)
    }

    private func childRelation(_ sex: Sex) -> HouseholdRelation { sex == .male ? .son : .daughter }
    private func parentRelation(_ sex: Sex) -> HouseholdRelation { sex == .male ? .father : .mother }

    // MARK: Compositions

    mutating func plan(_ composition: Composition) -> [MemberSketch] {
        switch composition {
        case .aloneElder:
            let s = sex(maleShare: 0.32)
            return [sketch(.head, s, aloneElderAge(), surname())]
        case .aloneAdult:
            let age = migrant ? int(20...45) : (chance(0.5) ? int(25...40) : int(41...59))
            return [sketch(.head, sex(maleShare: 0.56), age, surname())]
        case .elderCouple:
            let husband = elderAge()
            return couple(husbandAge: husband, wifeAge: max(55, husband - spouseGap()), husbandHeads: 0.88)
        case .couple:
            let wife = migrant ? int(22...40) : (chance(0.55) ? int(25...38) : int(45...59))
            return couple(husbandAge: wife + spouseGap(), wifeAge: wife, husbandHeads: 0.8)
        case .singleParent:
            return singleParent()
        case .elderWithChild:
            return elderWithChild()
        case .siblings:
            return siblings()
        case .nuclearOne:
            return family(elders: 0, children: 1, adultShare: 0.45)
        case .elderCoupleWithChild:
            return family(elders: 0, children: 1, adultShare: 1, grownChildAges: 28...46)
        case .skipGeneration:
            return skipGeneration()
        case .nuclearTwo:
            return family(elders: 0, children: 2, adultShare: 0.3)
        case .threeGenWidowed:
            return family(elders: 1, children: 1, adultShare: 0.3)
        case .elderCoupleWithChildCouple:
            return family(elders: 2, children: 0, adultShare: 0)
        case .threeGenCouple:
            return family(elders: 2, children: 1, adultShare: 0.25)
        case .threeGenTwoChildrenWidowed:
            return family(elders: 1, children: 2, adultShare: 0.2)
        case .threeGenTwoChildrenCouple:
            return family(elders: 2, children: 2, adultShare: 0.2)
        case .fourGen:
            return family(elders: 2, children: 1, adultShare: 0, greatGrandparent: true)
        case .sharedRental:
            return sharedRental()
        }
    }

    private mutating func couple(husbandAge: Int, wifeAge: Int, husbandHeads: Double) -> [MemberSketch] {
        let his = surname()
        let hers = surname(avoiding: his)
        let husbandIsHead = chance(husbandHeads)
        return [
            sketch(husbandIsHead ? .head : .spouse, .male, husbandAge, his),
            sketch(husbandIsHead ? .spouse : .head, .female, wifeAge, hers)
        ]
    }

    private mutating func singleParent() -> [MemberSketch] {
        let childAge = int(0...22)
        let parentSex = sex(maleShare: 0.22)
        let parentAge = childAge + motherGap() + (parentSex == .male ? spouseGap() : 0)
        let parentSurname = surname()
        // A child takes the father's surname; with a single mother that is usually not hers.
        let childSurname = parentSex == .male || chance(0.3) ? parentSurname : surname()
        let childSex = sex()
        return [
            sketch(.head, parentSex, parentAge, parentSurname),
            sketch(childRelation(childSex), childSex, childAge, childSurname, child: true)
        ]
    }

    private mutating func elderWithChild() -> [MemberSketch] {
        let parentSex = sex(maleShare: 0.3)
        let parentAge = max(65, aloneElderAge())
        let childAge = max(25, parentAge - motherGap() - (parentSex == .male ? spouseGap() : 0))
        let parentSurname = surname()
        let childSurname = parentSex == .male ? parentSurname : surname(avoiding: parentSurname)
        let childSex = sex()
        if chance(0.55) {
            return [
                sketch(.head, parentSex, parentAge, parentSurname),
                sketch(childRelation(childSex), childSex, childAge, childSurname, child: true)
            ]
        }
        return [
            sketch(.head, childSex, childAge, childSurname, child: true),
            sketch(parentRelation(parentSex), parentSex, parentAge, parentSurname)
        ]
    }

    private mutating func siblings() -> [MemberSketch] {
        let older = migrant ? int(22...38) : int(62...86)
        let younger = older - int(1...8)
        let family = surname()
        let sexes = (sex(maleShare: 0.4), sex(maleShare: 0.4))
        return [sketch(.head, sexes.0, older, family), sketch(.sibling, sexes.1, younger, family)]
    }

    private mutating func skipGeneration() -> [MemberSketch] {
        let grandchildAge = int(3...17)
        let parentAge = grandchildAge + motherGap()
        let grandmotherAge = parentAge + motherGap()
        let grandfatherAge = grandmotherAge + spouseGap()
        let his = surname()
        let hers = surname(avoiding: his)
        let childSex = sex()
        // The son's child carries the grandfather's surname; the daughter's child another.
        let childSurname = chance(0.7) ? his : surname(avoiding: his)
        return [
            sketch(.head, .male, grandfatherAge, his),
            sketch(.spouse, .female, grandmotherAge, hers),
            sketch(.grandchild, childSex, grandchildAge, childSurname, child: true)
        ]
    }

    private mutating func sharedRental() -> [MemberSketch] {
        let size = int(2...4)
        var members: [MemberSketch] = []
        var used: [String] = []
        for index in 0..<size {
            let name = surname(avoiding: used.last)
            used.append(name)
            members.append(sketch(index == 0 ? .head : .other, sex(maleShare: 0.6), int(20...45), name))
        }
        return members
    }

    /// A couple with `children` children (0–2) and `elders` of one spouse's parents (0–2),
    /// optionally with a great-grandparent; the head is one of the elders or one of the couple.
    private mutating func family(
        elders: Int, children: Int, adultShare: Double,
        grownChildAges: ClosedRange<Int>? = nil,
        greatGrandparent: Bool = false
    ) -> [MemberSketch] {
        // Ages, youngest generation first.
        var childAges: [Int] = []
        let motherAge: Int
        if children > 0 {
            let eldest =
                grownChildAges.map { int($0) }
                ?? (greatGrandparent ? int(0...10) : childAge(adultShare: adultShare))
            childAges.append(eldest)
            if children == 2 { childAges.append(max(0, eldest - int(2...9))) }
            motherAge = eldest + (greatGrandparent ? int(22...27) : motherGap())
        } else {
            motherAge = int(25...40)
        }
        let fatherAge = motherAge + spouseGap()

        // Whose parents live with the couple: the husband's more often than the wife's.
        let paternal = elders == 0 || greatGrandparent || chance(0.65)
        let anchorAge = paternal ? fatherAge : motherAge
        let grandmotherAge = anchorAge + (greatGrandparent ? int(22...27) : motherGap())
        let grandfatherAge = grandmotherAge + spouseGap()
        let widowedIsMale = chance(0.28)
        let hasGrandfather = elders == 2 || (elders == 1 && widowedIsMale)
        let hasGrandmother = elders == 2 || (elders == 1 && !widowedIsMale)

        // Surnames: the children take the father's; each spouse keeps his or her own.
        let fatherSurname = surname()
        let motherSurname = surname(avoiding: fatherSurname)
        let grandfatherSurname = paternal ? fatherSurname : motherSurname
        let grandmotherSurname = surname(avoiding: grandfatherSurname)

        // Who heads the household.
        let elderHeads = elders > 0 && (greatGrandparent || chance(0.45))
        let middleHead: Sex = elders == 0 ? (chance(0.8) ? .male : .female) : (paternal ? .male : .female)
        let elderHead: Sex = hasGrandfather ? .male : .female

        var members: [MemberSketch] = []
        // The couple.
        for partner in [Sex.male, .female] {
            let age = partner == .male ? fatherAge : motherAge
            let name = partner == .male ? fatherSurname : motherSurname
            let relation: HouseholdRelation
            if elderHeads {
                // The elders' own child, or that child's spouse.
                let isTheirChild = (partner == .male) == paternal
                relation = isTheirChild ? childRelation(partner) : (partner == .male ? .sonInLaw : .daughterInLaw)
            } else {
                relation = partner == middleHead ? .head : .spouse
            }
            members.append(sketch(relation, partner, age, name))
        }
        // The elders.
        for (present, elderSex) in [(hasGrandfather, Sex.male), (hasGrandmother, Sex.female)] where present {
            let age = elderSex == .male ? grandfatherAge : grandmotherAge
            let name = elderSex == .male ? grandfatherSurname : grandmotherSurname
            let relation: HouseholdRelation =
                elderHeads
                ? (elderSex == elderHead ? .head : .spouse)
                : parentRelation(elderSex)
            members.append(sketch(relation, elderSex, age, name))
        }
        // A great-grandparent: the grandfather's widowed parent, most often his mother.
        if greatGrandparent {
            let greatSex = sex(maleShare: 0.2)
            let age = min(104, (hasGrandfather ? grandfatherAge : grandmotherAge) + int(20...26))
            let name = greatSex == .male ? grandfatherSurname : surname(avoiding: grandfatherSurname)
            members.append(sketch(elderHeads ? parentRelation(greatSex) : .other, greatSex, age, name))
        }
        // The children.
        for age in childAges {
            let childSex = sex()
            members.append(
                sketch(
                    elderHeads ? .grandchild : childRelation(childSex), childSex, age,
                    fatherSurname, child: true))
        }
        return members
    }
}
