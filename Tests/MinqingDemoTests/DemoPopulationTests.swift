import MinqingDomain
import Testing

@testable import MinqingDemo

/// Shared fixtures: a fixed day and a generated sample.
enum DemoFixture {
    static let today: CivilDate = (try? CivilDate(year: 2025, month: 6, day: 30)) ?? .today()

    /// Households `range` drawn in order from one generator seeded with `seed`.
    static func households(_ range: Range<Int>, seed: UInt64 = 20_240_601) -> [DemoHousehold] {
        var rng = SeededGenerator(seed: seed)
        return range.map { DemoPopulation.household(number: $0, using: &rng, today: today) }
    }

    static let sample = households(0..<3_000)
}

@Suite("DemoPopulation: households and persons")
struct DemoPopulationTests {
    let today = DemoFixture.today
    let sample = DemoFixture.sample

    @Test("the same seed gives the same households; another seed does not")
    func deterministic() {
        let a = DemoFixture.households(0..<300, seed: 7)
        let b = DemoFixture.households(0..<300, seed: 7)
        let c = DemoFixture.households(0..<300, seed: 8)
        #expect(a == b)
        #expect(a != c)
        // A phone's last eight digits depend on the household number and member index alone.
        var compared = 0
        for (x, y) in zip(a, c) {
            if let p = x.members.first?.phone, let q = y.members.first?.phone {
                #expect(p.suffix(8) == q.suffix(8))
                compared += 1
            }
        }
        #expect(compared > 100)
    }

    @Test("a household has 1 to 6 members, exactly one head, the head first")
    func shape() {
        for household in sample {
            #expect((1...DemoPopulation.maxHouseholdSize).contains(household.members.count))
            #expect(household.members.filter { $0.relation == .head }.count == 1)
            #expect(household.members.first?.relation == .head)
            #expect(household.members.filter { $0.relation == .spouse }.count <= 1)
        }
    }

    @Test("spouses are of the other sex and of similar age")
    func spouses() {
        for household in sample {
            guard let head = household.members.first,
                let spouse = household.members.first(where: { $0.relation == .spouse })
            else { continue }
            #expect(head.sex != spouse.sex)
            #expect(abs(head.age(on: today) - spouse.age(on: today)) <= 12)
        }
    }

    @Test("children are younger than the head and carry the father's surname")
    func children() {
        for household in sample {
            guard let head = household.members.first else { continue }
            for child in household.members where [.son, .daughter].contains(child.relation) {
                #expect(child.age(on: today) + 16 <= head.age(on: today), "\(child.name) under \(head.name)")
                #expect(child.sex == (child.relation == .son ? .male : .female))
            }
            for grandchild in household.members where grandchild.relation == .grandchild {
                #expect(grandchild.age(on: today) + 36 <= head.age(on: today))
            }
            // A head's son shares the head's surname when the head is the father.
            if head.sex == .male {
                for son in household.members where son.relation == .son {
                    #expect(son.name.first == head.name.first, "\(son.name) / \(head.name)")
                }
            }
        }
    }

    @Test("names are 2–4 Chinese characters")
    func names() {
        for person in sample.flatMap(\.members) {
            #expect((2...4).contains(person.name.count), "\(person.name)")
            #expect(person.name.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) }, "\(person.name)")
        }
    }

    @Test("every ID number parses and agrees with the birth date and sex")
    func idNumbers() throws {
        for person in sample.flatMap(\.members) {
            let id = try ResidentIDNumber(parsing: person.idNumber, today: today)
            #expect(id.normalized == person.idNumber)
            #expect(id.birthDate == person.birthDate)
            #expect(id.sex == person.sex)
            #expect(id.kind == .citizen)
            #expect(!id.wasLegacy15)
            #expect(person.birthDate <= today)
        }
    }

    @Test("natives' numbers were issued in Shanghai, migrant families' in one other province")
    func areaCodes() {
        for household in sample {
            let areas = household.members.map { String($0.idNumber.prefix(6)) }
            switch household.residence {
            case .resident, .floating:
                #expect(areas.allSatisfy { !$0.hasPrefix("31") })
                #expect(Set(areas.map { $0.prefix(2) }).count == 1, "\(areas)")
            case .separated:
                #expect(areas.allSatisfy { $0.hasPrefix("31") })
            case .registered:
                break // new Shanghainese keep the numbers of their home province
            }
        }
    }

    @Test("every phone parses; nobody under 14 has one; most adults do")
    func phones() throws {
        var adults = 0
        var adultsWithPhone = 0
        for person in sample.flatMap(\.members) {
            let age = person.age(on: today)
            if let phone = person.phone {
                let parsed = try MobileNumber(parsing: phone)
                #expect(parsed.normalized == phone)
                #expect(age >= 14)
            }
            if age >= 18 {
                adults += 1
                if person.phone != nil { adultsWithPhone += 1 }
            }
        }
        let share = Double(adultsWithPhone) / Double(adults)
        #expect((0.85...0.95).contains(share), "adults with a phone: \(share)")
    }

    @Test("tags are catalogue codes, once each, in catalogue order")
    func tagCodes() {
        for person in sample.flatMap(\.members) {
            let positions = person.tagCodes.map { TagCatalogue.position(of: $0) }
            #expect(positions.allSatisfy { $0 != nil }, "\(person.tagCodes)")
            let known = positions.compactMap { $0 }
            #expect(known == known.sorted() && Set(known).count == known.count, "\(person.tagCodes)")
        }
    }

    @Test("rule tags: 独居老人, 高龄老人, 老年人, 未成年人 exactly where the rule says")
    func ruleTags() {
        for household in sample {
            for person in household.members {
                let age = person.age(on: today)
                let tags = Set(person.tagCodes)
                #expect(tags.contains("id.elderly.alone") == (age >= 60 && household.members.count == 1))
                #expect(tags.contains("id.elderly.very_old") == (age >= 80))
                #expect(tags.contains("id.elderly") == (age >= 60))
                #expect(tags.contains("id.minor") == (age < 14))
                #expect(tags.contains("id.elderly.centenarian") == (age >= 100))
            }
        }
    }

    @Test("at most one disability tag a person; religion and ethnicity at most one each")
    func exclusiveTags() {
        for person in sample.flatMap(\.members) {
            #expect(person.tagCodes.filter { $0.hasPrefix("id.disabled.") }.count <= 1)
            #expect(person.tagCodes.filter { $0.hasPrefix("id.religion.") }.count <= 1)
            #expect(person.tagCodes.filter { $0.hasPrefix("id.ethnic.") }.count <= 1)
            #expect(person.tagCodes.filter { $0.hasPrefix("id.assistance.") }.count <= 1)
        }
    }

    @Test("compound types: the first six indices give all six types; old estates and commodity housing dominate")
    func compoundTypes() {
        var rng = SeededGenerator(seed: 1)
        let firstSix = (0..<6).map { DemoPopulation.compoundType(forArea: $0, using: &rng) }
        #expect(Set(firstSix) == Set(CompoundType.allCases))
        var counts: [CompoundType: Int] = [:]
        for index in 6..<10_006 { counts[DemoPopulation.compoundType(forArea: index, using: &rng), default: 0] += 1 }
        let old = counts[.oldResidential] ?? 0
        let commodity = counts[.commodityHousing] ?? 0
        #expect(old + commodity > 6_500)
        for type in CompoundType.allCases where type != .oldResidential && type != .commodityHousing {
            #expect((counts[type] ?? 0) < commodity, "\(type)")
        }
    }

    @Test("dwelling areas: 35–140 m² in whole cm², to 0.01 m²; old flats smaller than commodity flats")
    func dwellingAreas() {
        var rng = SeededGenerator(seed: 2)
        for _ in 0..<5_000 {
            let area = DemoPopulation.dwellingArea(using: &rng)
            #expect((350_000...1_400_000).contains(area))
            #expect(area % 100 == 0)
        }
        func mean(_ type: CompoundType) -> Double {
            var total = 0
            for _ in 0..<2_000 { total += DemoPopulation.dwellingArea(in: type, using: &rng) }
            return Double(total) / 2_000 / 10_000
        }
        let oldMean = mean(.oldResidential)
        let commodityMean = mean(.commodityHousing)
        #expect((45...60).contains(oldMean), "old estates: \(oldMean) m²")
        #expect((95...115).contains(commodityMean), "commodity housing: \(commodityMean) m²")
    }
}
