/// The levels of the grid tree (网格层级), from the city down to the building group.
///
/// Linfen Road's chain is 街道 → 街区 → 居民区 → 微网格 → 楼组; Guang'an's five-level chain puts
/// 市 and 区 above the subdistrict. Every record lives at a node, and every staff account is
/// scoped to a subtree.
public enum GridLevel: String, CaseIterable, Sendable, Codable, Comparable {
    /// 市
    case city
    /// 区
    case district
    /// 街道 (subdistrict): the tenant of a deployment.
    case subdistrict
    /// 街区
    case block
    /// 居民区
    case residentialArea = "residential_area"
    /// 微网格
    case microGrid = "micro_grid"
    /// 楼组
    case buildingGroup = "building_group"

    /// Depth in the full chain: city is 0, building group is 6.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: GridLevel, rhs: GridLevel) -> Bool { lhs.rank < rhs.rank }

    public var nameZH: String {
        switch self {
        case .city: "市"
        case .district: "区"
        case .subdistrict: "街道"
        case .block: "街区"
        case .residentialArea: "居民区"
        case .microGrid: "微网格"
        case .buildingGroup: "楼组"
        }
    }

    public var nameEN: String {
        switch self {
        case .city: "City"
        case .district: "District"
        case .subdistrict: "Subdistrict"
        case .block: "Block"
        case .residentialArea: "Residential area"
        case .microGrid: "Micro-grid"
        case .buildingGroup: "Building group"
        }
    }

    /// Whether a node of `child` level may hang directly under a node of this level.
    ///
    /// Levels may not be skipped below the subdistrict (the Linfen chain is fixed), but a
    /// subdistrict may stand at the root or under a district, and a district under a city.
    public func mayParent(_ child: GridLevel) -> Bool {
        child.rank == rank + 1
    }

    /// Levels that may stand at the root of a tree.
    public var mayBeRoot: Bool {
        self == .city || self == .district || self == .subdistrict
    }
}
