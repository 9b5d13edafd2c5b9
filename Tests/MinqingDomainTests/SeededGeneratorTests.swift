import Testing

@testable import MinqingDomain

@Suite("SeededGenerator (SplitMix64)")
struct SeededGeneratorTests {
    static func prefix(seed: UInt64, count: Int = 64) -> [UInt64] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in g.next() }
    }

    /// Reference values computed outside Swift with the published SplitMix64 (Vigna): state +=
    /// 0x9E3779B97F4A7C15; z = (z ^ z>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>27) *
    /// 0x94D049BB133111EB; z ^ z>>31. Seed 0's first value, 0xE220A8397B1DCDAF, is the
    /// well-known one.
    static let reference: [(seed: UInt64, outputs: [UInt64])] = [
        (0, [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F]),
        (1, [0x910A_2DEC_8902_5CC1, 0xBEEB_8DA1_658E_EC67]),
        (20_240_601, [0x0687_6576_7C3C_F2F8, 0xA253_9ED8_EA3F_7E6B]),
        (.max, [0xE4D9_7177_1B65_2C20, 0xE99F_F867_DBF6_82C9]) // the state wraps around
    ]

    @Test("pinned outputs", arguments: reference)
    func pinned(seed: UInt64, expected: [UInt64]) {
        #expect(Self.prefix(seed: seed, count: expected.count) == expected)
    }

    @Test("the same seed gives the same sequence", arguments: [UInt64(0), 1, 42, 20_240_601, .max])
    func sameSeed(seed: UInt64) {
        #expect(Self.prefix(seed: seed) == Self.prefix(seed: seed))
        // And through the standard library's RandomNumberGenerator API.
        var a = SeededGenerator(seed: seed)
        var b = SeededGenerator(seed: seed)
        let xs = (0..<32).map { _ in Int.random(in: 0..<1_000, using: &a) }
        let ys = (0..<32).map { _ in Int.random(in: 0..<1_000, using: &b) }
        #expect(xs == ys)
    }

    @Test(
        "different seeds give different sequences",
        arguments: [
            (UInt64(0), UInt64(1)),
            (1, 2),
            (42, 43),
            (0, .max),
            (20_240_601, 20_240_602)
        ])
    func differentSeeds(a: UInt64, b: UInt64) {
        let xs = Self.prefix(seed: a, count: 16)
        let ys = Self.prefix(seed: b, count: 16)
        #expect(xs != ys)
        #expect(Set(xs).isDisjoint(with: ys))
    }

    @Test("successive values differ", arguments: [UInt64(0), 7, .max])
    func noRepeats(seed: UInt64) {
        let xs = Self.prefix(seed: seed, count: 1_000)
        #expect(Set(xs).count == xs.count)
    }
}
