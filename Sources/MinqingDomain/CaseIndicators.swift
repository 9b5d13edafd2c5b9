/// A rate as a fraction of two counts, kept exact; shown as a percentage with one decimal,
/// rounded half up in integers. A rate over nothing (denominator 0) is "—", not 0 % or 100 %.
public struct CaseRate: Sendable, Hashable, Codable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Tenths of a per cent (per mille), rounded half up; nil when the denominator is 0.
    public var perMille: Int? {
        guard denominator > 0 else { return nil }
        return (numerator * 2000 + denominator) / (2 * denominator)
    }

    /// `87.5%`, or `—`.
    public var percentText: String {
        guard let p = perMille else { return "—" }
        return "\(p / 10).\(p % 10)%"
    }

    /// Compares two rates exactly (cross-multiplication); a rate over nothing sorts first.
    public static func < (a: CaseRate, b: CaseRate) -> Bool {
        switch (a.denominator > 0, b.denominator > 0) {
        case (false, true): return true
        case (_, false): return false
        default: return a.numerator * b.denominator < b.numerator * a.denominator
        }
    }
}

/// The counts behind the case indicators of one group (a department, category, grid node or
/// period), as SQL counts them from the cases reported in the period.
public struct CaseIndicatorCounts: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case accepted
        case filed
        case due
        case closed
        case closedOnTime = "closed_on_time"
        case handled
        case reworked
        case dispatched
        case responded
        case rated
        case resolved
        case satisfied
        case basicallySatisfied = "basically_satisfied"
    }
    /// 受理数: cases taken in (duplicates merged into another case not counted).
    public var accepted: Int = 0
    /// 立案数: cases filed.
    public var filed: Int = 0
    /// 应结案数: filed cases whose handling deadline has passed, or that are closed already.
    public var due: Int = 0
    /// 结案数: cases closed (closed or evaluated).
    public var closed: Int = 0
    /// 按期结案数: closed no later than their deadline.
    public var closedOnTime: Int = 0
    /// 处置数: cases the department reported handled at least once.
    public var handled: Int = 0
    /// 返工数: handled cases sent back to rework at least once (by verification or by the resident).
    public var reworked: Int = 0
    /// 派遣数: cases dispatched to a department.
    public var dispatched: Int = 0
    /// 响应数: dispatched cases the department accepted (签收, contacted the requester) in the response time.
    public var responded: Int = 0
    /// 评价数: cases with a verdict.
    public var rated: Int = 0
    /// 解决数: rated cases the resident says are solved.
    public var resolved: Int = 0
    /// 满意数 and 基本满意数.
    public var satisfied: Int = 0
    public var basicallySatisfied: Int = 0

    public init() {}

    public init(
        accepted: Int, filed: Int, due: Int, closed: Int, closedOnTime: Int, handled: Int, reworked: Int,
        dispatched: Int, responded: Int, rated: Int, resolved: Int, satisfied: Int, basicallySatisfied: Int
    ) {
        self.accepted = accepted
        self.filed = filed
        self.due = due
        self.closed = closed
        self.closedOnTime = closedOnTime
        self.handled = handled
        self.reworked = reworked
        self.dispatched = dispatched
        self.responded = responded
        self.rated = rated
        self.resolved = resolved
        self.satisfied = satisfied
        self.basicallySatisfied = basicallySatisfied
    }

    /// Sums two groups (a subtotal of departments, a year of months).
    public static func + (a: CaseIndicatorCounts, b: CaseIndicatorCounts) -> CaseIndicatorCounts {
        CaseIndicatorCounts(
            accepted: a.accepted + b.accepted, filed: a.filed + b.filed, due: a.due + b.due, closed: a.closed + b.closed,
            closedOnTime: a.closedOnTime + b.closedOnTime, handled: a.handled + b.handled, reworked: a.reworked + b.reworked,
            dispatched: a.dispatched + b.dispatched, responded: a.responded + b.responded, rated: a.rated + b.rated,
            resolved: a.resolved + b.resolved, satisfied: a.satisfied + b.satisfied,
            basicallySatisfied: a.basicallySatisfied + b.basicallySatisfied)
    }
}

/// The indicators of BRIEF §2 (GB/T 30428 and Beijing's 接诉即办), each an exact fraction.
public struct CaseIndicators: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case filingRate = "filing_rate"
        case closingRate = "closing_rate"
        case onTimeClosingRate = "on_time_closing_rate"
        case reworkRate = "rework_rate"
        case responseRate = "response_rate"
        case resolutionRate = "resolution_rate"
        case satisfactionRate = "satisfaction_rate"
    }
    /// 立案率 = 立案数 / 受理数
    public var filingRate: CaseRate
    /// 结案率 = 结案数 / 应结案数
    public var closingRate: CaseRate
    /// 按期结案率 = 按期结案数 / 应结案数
    public var onTimeClosingRate: CaseRate
    /// 返工率 = 返工数 / 处置数
    public var reworkRate: CaseRate
    /// 响应率 = 响应数 / 派遣数
    public var responseRate: CaseRate
    /// 解决率 = 解决数 / 评价数
    public var resolutionRate: CaseRate
    /// 满意率 = (满意数 + 基本满意数) / 评价数
    public var satisfactionRate: CaseRate

    public init(_ c: CaseIndicatorCounts) {
        filingRate = CaseRate(c.filed, c.accepted)
        closingRate = CaseRate(c.closed, c.due)
        onTimeClosingRate = CaseRate(c.closedOnTime, c.due)
        reworkRate = CaseRate(c.reworked, c.handled)
        responseRate = CaseRate(c.responded, c.dispatched)
        resolutionRate = CaseRate(c.resolved, c.rated)
        satisfactionRate = CaseRate(c.satisfied + c.basicallySatisfied, c.rated)
    }

    /// Each indicator with its Chinese and English names and formula, in the order pages show them.
    public var all: [(key: String, zh: String, en: String, formula: String, rate: CaseRate)] {
        [
            ("filing", "立案率", "Filing rate", "立案数 / 受理数", filingRate),
            ("closing", "结案率", "Closing rate", "结案数 / 应结案数", closingRate),
            ("on_time_closing", "按期结案率", "On-time closing rate", "按期结案数 / 应结案数", onTimeClosingRate),
            ("rework", "返工率", "Rework rate", "返工数 / 处置数", reworkRate),
            ("response", "响应率", "Response rate", "按时响应数 / 派遣数", responseRate),
            ("resolution", "解决率", "Resolution rate", "解决数 / 评价数", resolutionRate),
            ("satisfaction", "满意率", "Satisfaction rate", "(满意数 + 基本满意数) / 评价数", satisfactionRate)
        ]
    }
}

/// The year-and-sequence public number of a case (案件编号), e.g. `2026-000123`: stable, and
/// the `service_request_id` of Open311.
public enum CaseNumber {
    public static func format(year: Int, sequence: Int) -> String {
        let digits = String(sequence)
        return "\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The year and sequence of a well-formed number, or nil.
    public static func parse(_ text: String) -> (year: Int, sequence: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count >= 6,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let sequence = Int(parts[1]), sequence > 0
        else { return nil }
        return (year, sequence)
    }
}
