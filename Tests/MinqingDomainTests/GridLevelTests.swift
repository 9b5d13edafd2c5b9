import Testing

@testable import MinqingDomain

@Suite("GridLevel (网格层级)")
struct GridLevelTests {
    /// The chain from the top down, written out here rather than taken from `allCases`, so a
    /// reordered declaration is caught.
    static let chain: [GridLevel] = [
        .city, .district, .subdistrict, .block, .residentialArea, .microGrid, .buildingGroup
    ]

    /// The only parent → child pairs allowed: each level directly above the next.
    static let allowedEdges: Set<[GridLevel]> = [
        [.city, .district],
        [.district, .subdistrict],
        [.subdistrict, .block],
        [.block, .residentialArea],
        [.residentialArea, .microGrid],
        [.microGrid, .buildingGroup]
    ]

    @Test(
        "rank is the depth in the full chain",
        arguments: [
            (GridLevel.city, 0),
            (.district, 1),
            (.subdistrict, 2),
            (.block, 3),
            (.residentialArea, 4),
            (.microGrid, 5),
            (.buildingGroup, 6)
        ])
    func rank(level: GridLevel, expected: Int) {
        #expect(level.rank == expected)
    }

    @Test(
        "raw values are the stored spellings",
        arguments: [
            (GridLevel.city, "city"),
            (.district, "district"),
            (.subdistrict, "subdistrict"),
            (.block, "block"),
            (.residentialArea, "residential_area"),
            (.microGrid, "micro_grid"),
            (.buildingGroup, "building_group")
        ])
    func rawValue(level: GridLevel, raw: String) {
        #expect(level.rawValue == raw)
        #expect(GridLevel(rawValue: raw) == level)
    }

    @Test("sorting puts higher levels first")
    func sorting() {
        let shuffled: [GridLevel] = [.microGrid, .city, .buildingGroup, .block, .subdistrict, .residentialArea, .district]
        #expect(shuffled.sorted() == Self.chain)
        #expect(GridLevel.allCases == Self.chain)
        #expect(shuffled.min() == .city)
        #expect(shuffled.max() == .buildingGroup)
    }

    @Test("< follows the chain for every pair", arguments: GridLevel.allCases, GridLevel.allCases)
    func lessThan(lhs: GridLevel, rhs: GridLevel) {
        let l = Self.chain.firstIndex(of: lhs)!
        let r = Self.chain.firstIndex(of: rhs)!
        #expect((lhs < rhs) == (l < r))
        #expect((lhs <= rhs) == (l <= r))
        #expect((lhs > rhs) == (l > r))
    }

    @Test(
        "mayParent allows exactly the next level down, for every pair",
        arguments: GridLevel.allCases, GridLevel.allCases)
    func mayParent(parent: GridLevel, child: GridLevel) {
        let expected = Self.allowedEdges.contains([parent, child])
        #expect(parent.mayParent(child) == expected, "\(parent) → \(child)")
    }

    @Test("mayParent allows exactly six edges in all")
    func edgeCount() {
        let edges = GridLevel.allCases.flatMap { p in GridLevel.allCases.filter { p.mayParent($0) }.map { [p, $0] } }
        #expect(Set(edges) == Self.allowedEdges)
        #expect(edges.count == 6)
    }

    @Test(
        "only city, district and subdistrict may be roots",
        arguments: [
            (GridLevel.city, true),
            (.district, true),
            (.subdistrict, true),
            (.block, false),
            (.residentialArea, false),
            (.microGrid, false),
            (.buildingGroup, false)
        ])
    func mayBeRoot(level: GridLevel, expected: Bool) {
        #expect(level.mayBeRoot == expected)
    }

    @Test("every level has a distinct name in both languages")
    func names() {
        #expect(Set(GridLevel.allCases.map(\.nameZH)).count == GridLevel.allCases.count)
        #expect(Set(GridLevel.allCases.map(\.nameEN)).count == GridLevel.allCases.count)
        #expect(GridLevel.microGrid.nameZH == "微网格")
        #expect(GridLevel.buildingGroup.nameZH == "楼组")
    }
}
