/// Synthetic resident ID numbers and mobile numbers for the demo population, unique by
import MinqingDomain
import MinqingServer

/// construction rather than by luck.
///
/// Every person has a key: `household number × 6 + member index` in the Shanghai pool, and in a
/// province's pool the household's rank among the households of that province, times 6, plus the
/// member index. The key is scrambled by a fixed permutation of the pool's slot space
/// (`permute(_:size:)`) and read as mixed-radix digits: an area code, one of 500 sequence pairs,
/// one of 365 days of the year, and a year parity. Distinct keys therefore differ in at least one
/// of area code, sequence, month-day or birth year, so their ID numbers differ whatever the ages
/// drawn; the sex only picks the odd or even member of the sequence pair. Pools never share an
/// area code. The mobile number's last eight digits are a permutation of `0..<10⁸` applied to
/// the household number and member index, so phones never repeat either.
enum DemoNumbering {
    /// Where a person's ID number was first issued: the area code pool it is drawn from.
    enum Origin: Sendable {
        /// Shanghai: today's districts and the former districts and counties (older residents
        /// keep the code of the place that first issued their number).
        case shanghai
        /// The household's home province (see `province(ofHousehold:)`): every member from
        /// elsewhere in one household comes from the same province, from one of its counties.
        case elsewhere
    }

    /// Largest household size the key space allows for.
    static let maxMembers = 6

    /// Shanghai area codes (GB/T 2260): 20 district codes, current and merged (南市、卢湾、闸北、
    /// 南汇 are gone but their numbers remain), and the ten former county codes.
    static let shanghaiCodes: [String] = [
        "310101", "310102", "310103", "310104", "310105", "310106", "310107", "310108", "310109", "310110",
        "310112", "310113", "310114", "310115", "310116", "310117", "310118", "310119", "310120", "310151",
        "310221", "310222", "310223", "310224", "310225", "310226", "310227", "310228", "310229", "310230"
    ]

    /// A home province of people from elsewhere: county-level area codes, and how many of every
    /// 100 household numbers it is the home province of (roughly its share of Shanghai's migrants).
    struct Province: Sendable {
        var name: String
        var codes: [String]
        var share: Int
    }

    static let provinces: [Province] = [
        Province(
            name: "安徽",
            codes: [
                "340102", "340104", "340202", "341202", "341221", "341222", "341225",
                "341226", "341282", "341321", "341322", "341323", "341324", "341002"
            ], share: 28),
        Province(
            name: "江苏",
            codes: [
                "320102", "320581", "320582", "320583", "320681", "320682", "321281",
                "320982", "320923", "321322", "321323", "321324"
            ], share: 16),
        Province(
            name: "河南",
            codes: [
                "410102", "411525", "411521", "411522", "411524", "411526", "411302",
                "411381", "410302"
            ], share: 10),
        Province(name: "四川", codes: ["510104", "510107", "511321", "511322", "511323", "511324"], share: 7),
        Province(name: "浙江", codes: ["330102", "330106", "330381", "330382", "330282", "330681"], share: 6),
        Province(name: "江西", codes: ["360102", "360111"], share: 5),
        Province(name: "山东", codes: ["370102", "370202"], share: 4),
        Province(name: "湖北", codes: ["420102", "420111"], share: 4),
        Province(name: "湖南", codes: ["430102", "430104"], share: 3),
        Province(name: "福建", codes: ["350102", "350582", "350583"], share: 3),
        Province(name: "重庆", codes: ["500101", "500103"], share: 3),
        Province(name: "河北", codes: ["130102", "130104"], share: 1),
        Province(name: "山西", codes: ["140105", "140106"], share: 1),
        Province(name: "内蒙古", codes: ["150102", "150105"], share: 1),
        Province(name: "辽宁", codes: ["210102", "210103"], share: 1),
        Province(name: "吉林", codes: ["220102", "220104"], share: 1),
        Province(name: "黑龙江", codes: ["230102", "230103"], share: 1),
        Province(name: "广东", codes: ["440104", "440106", "440304"], share: 1),
        Province(name: "广西", codes: ["450102", "450103"], share: 1),
        Province(name: "贵州", codes: ["520102", "520103"], share: 1),
        Province(name: "云南", codes: ["530102", "530103"], share: 1),
        Province(name: "陕西", codes: ["610103", "610104"], share: 1)
    ]

    /// For each residue of a household number modulo 100: its province and its position among
    /// that province's residues. The residues are dealt out in a scrambled order so neighbouring
    /// households rarely share a province.
    static let residues: [(province: Int, position: Int)] = {
        var table = Array(repeating: (province: 0, position: 0), count: 100)
        var order = Array(0..<100)
        var rng = SeededGenerator(seed: 0x6D69_6E71_696E_67) // "minqing"
        for i in stride(from: 99, to: 0, by: -1) {
            order.swapAt(i, DemoRandom.below(i + 1, &rng))
        }
        var next = 0
        for (index, province) in provinces.enumerated() {
            for position in 0..<province.share {
                table[order[next]] = (index, position)
                next += 1
            }
        }
        return table
    }()

    /// The home province (an index into `provinces`) of household `number`, fixed by the number
    /// alone so that a province's pool of slots is shared only by its own households.
    static func province(ofHousehold number: Int) -> Int {
        residues[((number % 100) + 100) % 100].province
    }

    /// Slots per area code: 500 sequence pairs × 365 days × 2 year parities.
    static let slotsPerCode = 500 * 365 * 2

    /// Household numbers `0..<uniqueHouseholdLimit` are guaranteed distinct ID and phone numbers:
    /// the smallest of what the Shanghai pool and each province's pool can hold.
    static let uniqueHouseholdLimit: Int = {
        var limit = shanghaiCodes.count * slotsPerCode / maxMembers
        for province in provinces {
            // Households 0..<100·q give ranks below q·share, hence keys below 6·q·share.
            limit = min(limit, 100 * (province.codes.count * slotsPerCode / (maxMembers * province.share)))
        }
        return limit
    }()

    /// Feistel rounds of the key scramble.
    static let rounds = 4

    /// The parts of an ID number a key fixes.
    struct Slot: Sendable, Equatable {
        var areaCode: String
        /// 0..<500; the sequence code is `2 × pair + 1` for a man, `2 × pair` for a woman.
        var sequencePair: Int
        /// 0..<365, counted in a common (non-leap) year, so 29 February never occurs.
        var dayOfYear: Int
        /// 0 or 1: the birth year's parity.
        var yearParity: Int
    }

    /// The key of member `index` of household `number` in `origin`'s pool.
    static func key(household number: Int, member index: Int, origin: Origin) -> Int {
        switch origin {
        case .shanghai:
            return number * maxMembers + index
        case .elsewhere:
            let residue = residues[((number % 100) + 100) % 100]
            let rank = (number / 100) * provinces[residue.province].share + residue.position
            return rank * maxMembers + index
        }
    }

    /// The slot of member `index` of household `number` in `origin`'s pool.
    static func slot(household number: Int, member index: Int, origin: Origin) -> Slot {
        let codes = origin == .shanghai ? shanghaiCodes : provinces[province(ofHousehold: number)].codes
        var s = permute(key(household: number, member: index, origin: origin), size: codes.count * slotsPerCode)
        let area = s % codes.count
        s /= codes.count
        let pair = s % 500
        s /= 500
        let day = s % 365
        s /= 365
        return Slot(areaCode: codes[area], sequencePair: pair, dayOfYear: day, yearParity: s % 2)
    }

    /// A fixed pseudo-random permutation of `0..<size`, applied to `value` (taken modulo `size`).
    ///
    /// A balanced Feistel network on the smallest even number of bits that covers `size` is a
    /// permutation of that power of two whatever its round function; "cycle walking" (applying it
    /// again until the result falls below `size`) restricts it to a permutation of `0..<size`.
    /// Unlike a multiplicative scramble it leaves no arithmetic pattern between neighbouring keys.
    static func permute(_ value: Int, size: Int) -> Int {
        precondition(size > 1, "a permutation needs at least two values")
        var half = 1
        while 1 << (2 * half) < size { half += 1 }
        let mask = (1 << half) - 1
        var x = ((value % size) + size) % size
        repeat {
            var left = x >> half
            var right = x & mask
            for round in 0..<rounds {
                let mixed = (left ^ roundFunction(right, round: round)) & mask
                left = right
                right = mixed
            }
            x = (left << half) | right
        } while x >= size
        return x
    }

    /// SplitMix64's finaliser on (value, round): any function would keep the network bijective;
    /// this one makes neighbouring keys land far apart.
    private static func roundFunction(_ value: Int, round: Int) -> Int {
        var z = UInt64(truncatingIfNeeded: value) &+ UInt64(round + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }

    private static let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// A birth date for someone about `age` years old on `today`, on the slot's day of the year
    /// and in a year of the slot's parity: the completed age comes out as `age - 1`, `age` or
    /// `age + 1`, and never below 0.
    static func birthDate(age: Int, slot: Slot, today: CivilDate) -> CivilDate {
        var month = 1
        var day = slot.dayOfYear + 1
        while day > monthLengths[month - 1] {
            day -= monthLengths[month - 1]
            month += 1
        }
        var year = today.year - max(0, age)
        if (year % 2 + 2) % 2 != slot.yearParity { year -= 1 }
        // A common-year month-day exists in every year, so only "after today" needs a fix; going
        // back two years keeps the parity.
        var date = (try? CivilDate(year: year, month: month, day: day)) ?? today
        if date > today {
            year -= 2
            date = (try? CivilDate(year: year, month: month, day: day)) ?? today
        }
        return date
    }

    /// The 18-character ID number for a slot, birth date and sex, with its check character.
    static func idNumber(slot: Slot, birthDate: CivilDate, sex: Sex) -> String {
        let sequence = slot.sequencePair * 2 + (sex == .male ? 1 : 0)
        let body = slot.areaCode + birthDate.compact + digits(sequence, width: 3)
        return body + String(ResidentIDNumber.checkCharacter(for: body) ?? "0")
    }

    /// Mobile prefixes of the three carriers, weighted roughly by their share of numbers in use.
    static let phonePrefixes = WeightedTable<String>([
        ("139", 9), ("138", 9), ("137", 6), ("136", 6), ("135", 6), ("134", 3), ("150", 5), ("151", 4),
        ("152", 3), ("157", 1), ("158", 5), ("159", 5), ("182", 3), ("183", 2), ("187", 4), ("188", 3),
        ("178", 2), ("198", 1), ("195", 1), ("130", 4), ("131", 4), ("132", 3), ("155", 3), ("156", 3),
        ("185", 3), ("186", 4), ("166", 1), ("176", 2), ("175", 1), ("133", 4), ("153", 3), ("180", 3),
        ("181", 3), ("189", 5), ("177", 2), ("173", 2), ("199", 2), ("191", 1), ("193", 1)
    ])

    /// An 11-digit mobile number whose last eight digits depend only on the household number and
    /// member index.
    static func phone(household number: Int, member index: Int, _ rng: inout SeededGenerator) -> String {
        let space = 100_000_000
        let suffix = permute(number * maxMembers + index + 0x5F37_59DF, size: space)
        return phonePrefixes.draw(&rng) + digits(suffix, width: 8)
    }

    /// `value` in decimal, zero-padded to `width`.
    static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
