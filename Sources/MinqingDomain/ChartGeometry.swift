import Foundation

/// A value axis from zero to a "nice" top (1, 2 or 5 × 10ⁿ per step), as printed charts use:
/// the ticks are whole numbers, the top is at least the largest value, and a position is the
/// value's share of the axis length. Figures are counts, fen or minutes: integers.
public struct ChartScale: Sendable, Equatable {
    /// The distance between two ticks.
    public let step: Int64
    /// The axis' top (a multiple of `step`, ≥ the largest value; at least one step).
    public let top: Int64

    /// A scale for values up to `maxValue` with about `ticks` steps (at least one).
    public init(maxValue: Int64, ticks: Int = 5) {
        let wanted = Int64(max(1, ticks))
        // Beyond a hundredth of Int64's range nothing real is charted; the cap keeps the
        // rounding below from overflowing.
        let largest = min(max(0, maxValue), Int64.max / 100)
        guard largest > 0 else {
            step = 1
            top = 1
            return
        }
        let raw = (largest + wanted - 1) / wanted
        var magnitude: Int64 = 1
        while magnitude <= raw / 10 { magnitude *= 10 }
        var chosen = magnitude * 10
        for factor: Int64 in [1, 2, 5, 10] where magnitude * factor >= raw {
            chosen = magnitude * factor
            break
        }
        step = chosen
        top = (largest + chosen - 1) / chosen * chosen
    }

    /// The tick values from 0 to `top`.
    public var ticks: [Int64] { (0...(top / step)).map { $0 * step } }

    /// Where `value` lies on an axis `length` long (0 at zero, `length` at `top`), clamped.
    public func position(_ value: Int64, length: Double) -> Double {
        length * Double(min(max(value, 0), top)) / Double(top)
    }
}

/// Equal bands for the categories of a bar chart: band `i` of `count` starts at `start(i)` and
/// is `width` wide, with `gap` of its slot left empty (half on each side).
public struct BandLayout: Sendable, Equatable {
    public let count: Int
    public let length: Double
    public let slot: Double
    public let width: Double

    public init(count: Int, length: Double, gap: Double = 0.2) {
        self.count = max(1, count)
        self.length = length
        slot = length / Double(self.count)
        width = slot * (1 - min(max(gap, 0), 0.9))
    }

    public func start(_ index: Int) -> Double { Double(index) * slot + (slot - width) / 2 }
    public func center(_ index: Int) -> Double { Double(index) * slot + slot / 2 }
}

/// The shade of a heat-grid cell: 0 for nothing, else 1…`levels` by the value's share of the
/// largest (ceiling, so any non-zero value is visible and only the largest reach the top).
public enum HeatShade {
    public static func level(_ value: Int64, max largest: Int64, levels: Int = 5) -> Int {
        guard value > 0, largest > 0, levels > 0 else { return 0 }
        let v = min(value, largest)
        // In floating point: v × levels may pass Int64's range for very large figures.
        return min(levels, Int((Double(v) * Double(levels) / Double(largest)).rounded(.up)))
    }

    /// The shade by the value's place between the smallest and the largest value shown, so that
    /// close figures (micro-grids of similar size) still differ: 0 for nothing, the smallest 1,
    /// the largest `levels`, evenly in between (floor).
    public static func level(_ value: Int64, min smallest: Int64, max largest: Int64, levels: Int = 5) -> Int {
        guard value > 0, levels > 0 else { return 0 }
        let low = Swift.max(0, smallest)
        guard largest > low else { return levels }
        let v = Swift.min(Swift.max(value, low), largest)
        return 1 + Int(Double(v - low) * Double(levels - 1) / Double(largest - low))
    }
}

/// The five data domains of the seed's 社区大脑 (党的建设、公共安全、公共管理、公共服务、社会参与)
/// and its 18 catalogues, each named with the dashboard panel that shows it (nil: not collected
/// by any capability yet).
public enum GovernanceDomain: String, Sendable, CaseIterable, Codable {
    case partyBuilding = "party_building"
    case publicSafety = "public_safety"
    case publicManagement = "public_management"
    case publicService = "public_service"
    case socialParticipation = "social_participation"

    public var nameZH: String {
        switch self {
        case .partyBuilding: "党的建设"
        case .publicSafety: "公共安全"
        case .publicManagement: "公共管理"
        case .publicService: "公共服务"
        case .socialParticipation: "社会参与"
        }
    }

    public var nameEN: String {
        switch self {
        case .partyBuilding: "Party building"
        case .publicSafety: "Public safety"
        case .publicManagement: "Public management"
        case .publicService: "Public services"
        case .socialParticipation: "Social participation"
        }
    }

    public struct Catalogue: Sendable, Equatable {
        public let number: Int
        public let domain: GovernanceDomain
        public let nameZH: String
        public let nameEN: String
        /// The dashboard panel that shows it, or nil.
        public let panel: String?
    }

    /// The 18 catalogues, numbered in domain order.
    public static let catalogues: [Catalogue] = {
        let list: [(GovernanceDomain, String, String, String?)] = [
            (.partyBuilding, "党员队伍", "Party members", "tags"),
            (.partyBuilding, "在职党员双报到", "In-service party members registering", "party"),
            (.partyBuilding, "党建引领议事", "Party-led deliberation", "voting"),
            (.publicSafety, "重点人员管理", "People under management", "tags"),
            (.publicSafety, "安全隐患与矛盾纠纷", "Hazards and disputes", "cases"),
            (.publicSafety, "巡查发现", "Patrol findings", "cases"),
            (.publicManagement, "人口与住户", "Population and households", "population"),
            (.publicManagement, "网格与小区", "Grid and compounds", "micro_grids"),
            (.publicManagement, "诉求案件", "Cases", "cases"),
            (.publicManagement, "案件指标", "Case indicators", "cases"),
            (.publicManagement, "民情走访", "Visits", "visits"),
            (.publicService, "服务对象", "People served", "tags"),
            (.publicService, "救助帮扶累积量", "Cumulative aid", "aid"),
            (.publicService, "十必访", "Must-visit households", "must_visits"),
            (.publicService, "约空间", "Space bookings", "bookings"),
            (.socialParticipation, "业主投票", "Owners' ballots", "voting"),
            (.socialParticipation, "民意调查", "Resident polls", "voting"),
            (.socialParticipation, "志愿服务", "Volunteering", "volunteering")
        ]
        return list.enumerated().map {
            Catalogue(number: $0.offset + 1, domain: $0.element.0, nameZH: $0.element.1, nameEN: $0.element.2, panel: $0.element.3)
        }
    }()
}
