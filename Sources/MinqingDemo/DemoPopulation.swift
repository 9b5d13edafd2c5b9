/// One person of the demo population.
import MinqingDomain
import MinqingServer

public struct DemoPerson: Sendable, Hashable {
    /// Full name, surname first, 2–4 characters (e.g. 王建国, 欧阳子涵).
    public var name: String
    public var sex: Sex
    public var birthDate: CivilDate
    /// A valid 18-character resident ID number (GB 11643) agreeing with `birthDate` and `sex`,
    /// unique across the population (see `DemoPopulation.uniqueHouseholdLimit`). Synthetic.
    public var idNumber: String
    /// An 11-digit mainland mobile number, unique likewise; nil for children under 14 and for
    /// the adults who have none. Synthetic.
    public var phone: String?
    /// Relation to the head (与户主关系); exactly one member of a household is `.head`.
    public var relation: HouseholdRelation
    /// The person's current tags, as `TagCatalogue` codes, in catalogue order.
    public var tagCodes: [String]

    public init(
        name: String, sex: Sex, birthDate: CivilDate, idNumber: String, phone: String?,
        relation: HouseholdRelation, tagCodes: [String]
    ) {
        self.name = name
        self.sex = sex
        self.birthDate = birthDate
        self.idNumber = idNumber
        self.phone = phone
        self.relation = relation
        self.tagCodes = tagCodes
    }

    /// Completed years (周岁) on `date`.
    public func age(on date: CivilDate) -> Int { birthDate.age(on: date) }
}

/// One household (户) of the demo population: the head first, then the spouse, then the others
/// from the oldest down.
public struct DemoHousehold: Sendable, Hashable {
    public var members: [DemoPerson]
    /// The household's residence status (户籍、常住、流动、人户分离); every member shares it.
    public var residence: ResidenceStatus

    public init(members: [DemoPerson], residence: ResidenceStatus) {
        self.members = members
        self.residence = residence
    }
}

/// The demo population: a deterministic, realistic stand-in for a central-Shanghai subdistrict
/// such as Linfen Road (30,000+ households, about 90,000 people, BRIEF R1).
///
/// The shape it aims at: about 3.0 people per household (the seed's 90,000 / 30,000), sizes 1 to
/// 6 with about one household in five a single person, mostly older; an old population (about
/// 36 % aged 60 and over, 7 % aged 80 and over); couples of similar age, children living with
/// their parents, three-generation households, migrants younger than natives. Residence status
/// is about 70 % 户籍, 10 % 常住, 15 % 流动, 5 % 人户分离. Tags follow rules (age 80+ → 高龄老人,
/// 60+ and alone → 独居老人, under 14 → 未成年人) and prevalences (see `DemoPopulation+Tags`).
///
/// Everything is drawn from the caller's `SeededGenerator`, so a seed gives the same population on
/// every machine; ID and phone numbers depend only on the household number and member index and
/// never repeat (see `uniqueHouseholdLimit`).
public enum DemoPopulation {
    /// Household numbers in `0..<uniqueHouseholdLimit` (more than 1.8 million) give ID and mobile
    /// numbers that are distinct across the whole population, whatever the seed.
    public static let uniqueHouseholdLimit = DemoNumbering.uniqueHouseholdLimit

    /// The largest household generated.
    public static let maxHouseholdSize = DemoNumbering.maxMembers

    /// Household number `number` (use `0..<uniqueHouseholdLimit`, each once); ages are counted on
    /// `today`. The number and member index fix each person's ID area code, sequence, birth
    /// month-day and birth-year parity, and a phone's last eight digits; everything else (make-up,
    /// ages, names, phone prefix, tags) is drawn from `rng`.
    public static func household(number: Int, using rng: inout SeededGenerator, today: CivilDate) -> DemoHousehold {
        let residence = residenceTable.draw(&rng)
        let migrant = residence == .resident || residence == .floating
        var planner = HouseholdPlanner(rng: rng, migrant: migrant, residence: residence)
        let composition = (migrant ? migrantCompositions : localCompositions).draw(&planner.rng)
        var sketches = planner.plan(composition)
        rng = planner.rng

        // Head, spouse, then the rest from the oldest down.
        func rank(_ relation: HouseholdRelation) -> Int { relation == .head ? 0 : relation == .spouse ? 1 : 2 }
        sketches.sort { (rank($0.relation), -$0.age) < (rank($1.relation), -$1.age) }

        var members: [DemoPerson] = []
        var facts: [MemberFacts] = []
        for (index, sketch) in sketches.prefix(DemoNumbering.maxMembers).enumerated() {
            let slot = DemoNumbering.slot(household: number, member: index, origin: sketch.origin)
            let birth = DemoNumbering.birthDate(age: sketch.age, slot: slot, today: today)
            let age = birth.age(on: today)
            var given = DemoNames.givenName(sex: sketch.sex, birthYear: birth.year, &rng)
            var tries = 0
            while members.contains(where: { $0.name == sketch.surname + given }), tries < 8 {
                given = DemoNames.givenName(sex: sketch.sex, birthYear: birth.year, &rng)
                tries += 1
            }
            let phone: String? =
                DemoRandom.chance(phoneShare(age: age), &rng)
                ? DemoNumbering.phone(household: number, member: index, &rng) : nil
            members.append(
                DemoPerson(
                    name: sketch.surname + given, sex: sketch.sex, birthDate: birth,
                    idNumber: DemoNumbering.idNumber(slot: slot, birthDate: birth, sex: sketch.sex),
                    phone: phone, relation: sketch.relation, tagCodes: []))
            facts.append(MemberFacts(age: age, sex: sketch.sex, relation: sketch.relation, isChild: sketch.isChild))
        }
        let tags = DemoTagging.assign(members: facts, composition: composition, residence: residence, &rng)
        for index in members.indices { members[index].tagCodes = tags[index] }
        return DemoHousehold(members: members, residence: residence)
    }

    /// The type of compound number `index` of a subdistrict. Indices 0 to 5 give each of the six
    /// types once, so any demo with six compounds or more has them all; after that the mix of a
    /// central-city subdistrict: mostly old estates (老公房, 工人新村) and commodity housing.
    public static func compoundType(forArea index: Int, using rng: inout SeededGenerator) -> CompoundType {
        let order: [CompoundType] = [.oldResidential, .commodityHousing, .workUnit, .resettlement, .mixedUse, .urbanRural]
        if (0..<order.count).contains(index) { return order[index] }
        return compoundTable.draw(&rng)
    }

    /// The exclusive area of one dwelling in cm² (integer; 1 m² = 10,000 cm²), to the 0.01 m² a
    /// property register states: 35–140 m², drawn from the subdistrict's mix of compounds.
    public static func dwellingArea(using rng: inout SeededGenerator) -> Int {
        dwellingArea(in: compoundTable.draw(&rng), using: &rng)
    }

    /// The exclusive area of one dwelling in a compound of `type`, in cm²: old estates' flats are
    /// small (mostly 35–65 m²), commodity flats larger (70–140 m²).
    public static func dwellingArea(in type: CompoundType, using rng: inout SeededGenerator) -> Int {
        let range: ClosedRange<Int> // in m²
        switch type {
        case .oldResidential: range = 35...72
        case .workUnit: range = 40...85
        case .resettlement: range = 50...95
        case .urbanRural: range = 45...110
        case .mixedUse: range = 40...120
        case .commodityHousing: range = 70...140
        }
        // The mean of two uniform draws: a peak in the middle of the range, thin ends.
        let span = (range.upperBound - range.lowerBound) * 100 // in 0.01 m²
        let hundredths =
            range.lowerBound * 100
            + (DemoRandom.int(0...span, &rng) + DemoRandom.int(0...span, &rng)) / 2
        return hundredths * 100
    }

    // MARK: Tables

    static let residenceTable = WeightedTable<ResidenceStatus>([
        (.registered, 70), (.resident, 10), (.floating, 15), (.separated, 5)
    ])

    static let compoundTable = WeightedTable<CompoundType>([
        (.oldResidential, 46), (.commodityHousing, 30), (.workUnit, 9), (.resettlement, 7),
        (.mixedUse, 6), (.urbanRural, 2)
    ])

    /// Households of natives (户籍, 人户分离): older, more living alone or as older couples.
    static let localCompositions = WeightedTable<Composition>([
        (.aloneElder, 15), (.aloneAdult, 4), (.elderCouple, 17), (.couple, 3), (.singleParent, 2),
        (.elderWithChild, 5), (.siblings, 1), (.nuclearOne, 8), (.elderCoupleWithChild, 10),
        (.skipGeneration, 2), (.nuclearTwo, 3), (.threeGenWidowed, 8), (.elderCoupleWithChildCouple, 4),
        (.threeGenCouple, 13), (.threeGenTwoChildrenWidowed, 2), (.threeGenTwoChildrenCouple, 5), (.fourGen, 1)
    ])

    /// Households of migrants (常住, 流动): young singles and couples, families with children.
    static let migrantCompositions = WeightedTable<Composition>([
        (.aloneElder, 1), (.aloneAdult, 16), (.elderCouple, 2), (.couple, 12), (.singleParent, 3),
        (.elderWithChild, 1), (.siblings, 2), (.nuclearOne, 27), (.elderCoupleWithChild, 1),
        (.skipGeneration, 1), (.nuclearTwo, 10), (.threeGenWidowed, 6), (.threeGenCouple, 7),
        (.threeGenTwoChildrenWidowed, 3), (.threeGenTwoChildrenCouple, 3), (.sharedRental, 5)
    ])

    /// The share of people of `age` who have a mobile number: none under 14, most adults,
    /// fewer of the very old.
    static func phoneShare(age: Int) -> Double {
        switch age {
        case ..<14: 0
        case 14..<18: 0.65
        case 18..<75: 0.95
        case 75..<85: 0.8
        case 85..<90: 0.6
        default: 0.4
        }
    }
}

/// The make-up of a household, before ages and names are drawn.
enum Composition: Sendable, CaseIterable {
    case aloneElder, aloneAdult, elderCouple, couple, singleParent, elderWithChild, siblings
    case nuclearOne, elderCoupleWithChild, skipGeneration, nuclearTwo
    case threeGenWidowed, elderCoupleWithChildCouple, threeGenCouple
    case threeGenTwoChildrenWidowed, threeGenTwoChildrenCouple, fourGen, sharedRental
}

/// What the tag rules need to know about a member.
struct MemberFacts: Sendable {
    var age: Int
    var sex: Sex
    var relation: HouseholdRelation
    /// The youngest generation of a family household (a son, a daughter, a grandchild).
    var isChild: Bool
}
