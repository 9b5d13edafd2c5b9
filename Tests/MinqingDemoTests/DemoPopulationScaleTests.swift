import MinqingDomain
import Testing

@testable import MinqingDemo

@Suite("DemoPopulation at scale: uniqueness and realism")
struct DemoPopulationScaleTests {
    let today = DemoFixture.today

    /// The 17 digits before the check character, as a number: a compact key for a Set (the
    /// check character follows from them, so equal bodies are equal numbers).
    static func body(_ id: String) -> UInt64 {
        id.utf8.prefix(17).reduce(0) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
    }

    @Test("no two persons share an ID number or a phone over 300,000 households")
    func unique() {
        var rng = SeededGenerator(seed: 99)
        var ids = Set<UInt64>(minimumCapacity: 1_000_000)
        var phones = Set<UInt64>(minimumCapacity: 900_000)
        var persons = 0
        var phoneCount = 0
        var duplicateIDs = 0
        var duplicatePhones = 0
        for number in 0..<300_000 {
            for person in DemoPopulation.household(number: number, using: &rng, today: today).members {
                persons += 1
                if !ids.insert(Self.body(person.idNumber)).inserted { duplicateIDs += 1 }
                if let phone = person.phone {
                    phoneCount += 1
                    if !phones.insert(UInt64(phone) ?? 0).inserted { duplicatePhones += 1 }
                }
            }
        }
        #expect(persons > 800_000)
        #expect(duplicateIDs == 0)
        #expect(duplicatePhones == 0)
        #expect(ids.count == persons && phones.count == phoneCount)
    }

    @Test("uniqueness holds past a million households by construction")
    func limit() {
        #expect(DemoPopulation.uniqueHouseholdLimit >= 1_000_000)
        // Households at the far end still get valid, distinct numbers.
        var rng = SeededGenerator(seed: 5)
        let far = (DemoPopulation.uniqueHouseholdLimit - 50..<DemoPopulation.uniqueHouseholdLimit).map {
            DemoPopulation.household(number: $0, using: &rng, today: today)
        }
        let ids = far.flatMap(\.members).map(\.idNumber)
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect((try? ResidentIDNumber(parsing: id, today: today)) != nil) }
    }

    @Test("the key scramble is a permutation", arguments: [2, 3, 10, 97, 1_000, 4_096, 65_537])
    func permutationSmall(size: Int) {
        var seen = [Bool](repeating: false, count: size)
        for value in 0..<size {
            let image = DemoNumbering.permute(value, size: size)
            #expect((0..<size).contains(image))
            if (0..<size).contains(image) {
                #expect(!seen[image])
                seen[image] = true
            }
        }
    }

    @Test("every key of the Shanghai pool up to the limit lands in its own slot")
    func shanghaiPoolInjective() {
        let size = DemoNumbering.shanghaiCodes.count * DemoNumbering.slotsPerCode
        let keys = DemoNumbering.uniqueHouseholdLimit * DemoNumbering.maxMembers
        #expect(keys <= size)
        var bits = [UInt64](repeating: 0, count: size / 64 + 1)
        var collisions = 0
        for key in 0..<keys {
            let slot = DemoNumbering.permute(key, size: size)
            let mask: UInt64 = 1 << UInt64(slot % 64)
            if bits[slot / 64] & mask != 0 { collisions += 1 }
            bits[slot / 64] |= mask
        }
        #expect(collisions == 0)
    }

    @Test("each province's households get ranks of their own, below the pool's capacity")
    func provinceRanks() {
        #expect(DemoNumbering.provinces.map(\.share).reduce(0, +) == 100)
        var seen = Set<Int>()
        let probe = Array(0..<20_000) + Array(DemoNumbering.uniqueHouseholdLimit - 200..<DemoNumbering.uniqueHouseholdLimit)
        for number in probe {
            let province = DemoNumbering.province(ofHousehold: number)
            let key = DemoNumbering.key(household: number, member: 5, origin: .elsewhere)
            let capacity = DemoNumbering.provinces[province].codes.count * DemoNumbering.slotsPerCode
            #expect(key < capacity)
            #expect(seen.insert(province * 1_000_000_000 + key).inserted)
        }
        // No province's code begins with Shanghai's 31, and codes are not shared between provinces.
        let codes = DemoNumbering.provinces.flatMap(\.codes)
        #expect(Set(codes).count == codes.count)
        #expect(!codes.contains { $0.hasPrefix("31") })
        #expect(DemoNumbering.shanghaiCodes.allSatisfy { $0.hasPrefix("31") })
    }

    @Test("30,000 households look like a central-Shanghai subdistrict")
    func statistics() {
        var rng = SeededGenerator(seed: 20_240_601)
        var persons = 0
        var adults = 0
        var counts: [String: Int] = [:]
        var aged60 = 0
        var aged80 = 0
        var under14 = 0
        var singles = 0
        var singleElders = 0
        var residence: [ResidenceStatus: Int] = [:]
        var tagTotal = 0
        var dibaoHouseholds = 0
        let households = 30_000
        for number in 0..<households {
            let household = DemoPopulation.household(number: number, using: &rng, today: today)
            residence[household.residence, default: 0] += 1
            if household.members.count == 1 {
                singles += 1
                if household.members[0].age(on: today) >= 60 { singleElders += 1 }
            }
            if household.members.contains(where: { $0.tagCodes.contains("id.assistance.dibao") }) { dibaoHouseholds += 1 }
            for person in household.members {
                persons += 1
                let age = person.age(on: today)
                if age >= 60 { aged60 += 1 }
                if age >= 80 { aged80 += 1 }
                if age < 14 { under14 += 1 }
                if age >= 18 {
                    adults += 1
                    if person.tagCodes.contains("id.party_member") { counts["party", default: 0] += 1 }
                }
                tagTotal += person.tagCodes.count
                for code in person.tagCodes {
                    if code.hasPrefix("id.disabled.") { counts["disabled", default: 0] += 1 }
                    if code.hasPrefix("id.ethnic.") { counts["ethnic", default: 0] += 1 }
                    if code.hasPrefix("id.religion.") { counts["religion", default: 0] += 1 }
                    if code.hasPrefix("mgmt.") { counts["management", default: 0] += 1 }
                }
            }
        }
        func share(_ part: Int, of whole: Int) -> Double { Double(part) / Double(whole) }
        let meanSize = share(persons, of: households)
        #expect((2.8...3.2).contains(meanSize), "mean household size \(meanSize)")
        #expect((0.30...0.42).contains(share(aged60, of: persons)), "60+ \(share(aged60, of: persons))")
        #expect((0.05...0.10).contains(share(aged80, of: persons)), "80+ \(share(aged80, of: persons))")
        #expect((0.06...0.15).contains(share(under14, of: persons)), "under 14 \(share(under14, of: persons))")
        #expect((0.05...0.11).contains(share(counts["party"] ?? 0, of: adults)), "party members among adults")
        #expect((0.15...0.25).contains(share(singles, of: households)), "single-person households")
        #expect(share(singleElders, of: singles) > 0.5, "most people living alone are 60+")
        #expect((0.02...0.04).contains(share(counts["disabled"] ?? 0, of: persons)), "disabled")
        #expect((0.008...0.025).contains(share(counts["ethnic"] ?? 0, of: persons)), "ethnic minorities")
        #expect((0.01...0.03).contains(share(counts["religion"] ?? 0, of: persons)), "religious belief")
        #expect((0.01...0.022).contains(share(dibaoHouseholds, of: households)), "低保 households")
        #expect(share(counts["management"] ?? 0, of: persons) < 0.06, "management tags are rare")
        #expect((1.0...3.0).contains(share(tagTotal, of: persons)), "tags per person")
        #expect((0.65...0.75).contains(share(residence[.registered] ?? 0, of: households)), "户籍")
        #expect((0.08...0.12).contains(share(residence[.resident] ?? 0, of: households)), "常住")
        #expect((0.12...0.18).contains(share(residence[.floating] ?? 0, of: households)), "流动")
        #expect((0.03...0.07).contains(share(residence[.separated] ?? 0, of: households)), "人户分离")
    }
}
