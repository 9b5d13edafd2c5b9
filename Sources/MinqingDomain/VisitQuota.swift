/// A visit quota (走访指标): at least `households` households visited per `period`.
///
/// The seed sets two by role: organ cadres (机关干部, ``Role/subdistrictStaff``) visit at least 1
/// household a week; residential-area cadres and social workers (``Role/areaCadre``) at least 5
/// a working day. Other roles have none unless configured. ``compliance(from:to:calendar:posting:visits:)``
/// measures a person against one.
public struct VisitQuota: Sendable, Hashable, Codable {
    /// The period a quota counts over.
    public enum Period: String, Sendable, Hashable, Codable, CaseIterable {
        /// 每周: an ISO week, Monday to Sunday.
        case week
        /// 每个工作日: a working day of the ``WorkingCalendar``.
        case workingDay = "working_day"

        public var nameZH: String {
            switch self {
            case .week: "每周"
            case .workingDay: "每个工作日"
            }
        }

        public var nameEN: String {
            switch self {
            case .week: "per week"
            case .workingDay: "per working day"
            }
        }
    }

    /// Why a quota or a posting was rejected.
    public enum Error: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        /// The household count is outside ``VisitQuota/householdRange``.
        case householdsOutOfRange(Int)
        /// The workload share is outside 1...100 per cent.
        case workloadOutOfRange(Int)
        /// A posting ends before it begins.
        case postingEndsBeforeStart

        public var fieldError: FieldError {
            switch self {
            case .householdsOutOfRange:
                FieldError(
                    field: "households",
                    messageZH: "走访户数应在 \(VisitQuota.householdRange.lowerBound) 至 \(VisitQuota.householdRange.upperBound) 之间",
                    messageEN:
                        "The number of households must be between \(VisitQuota.householdRange.lowerBound) and \(VisitQuota.householdRange.upperBound)."
                )
            case .workloadOutOfRange:
                FieldError(
                    field: "workload_percent",
                    messageZH: "工作量比例应在 1% 至 100% 之间",
                    messageEN: "The workload share must be between 1% and 100%.")
            case .postingEndsBeforeStart:
                FieldError(
                    field: "until",
                    messageZH: "离岗日期不能早于到岗日期",
                    messageEN: "The last day in post cannot be before the first.")
            }
        }
    }

    /// The household counts a quota may ask for.
    public static let householdRange = 1...50

    /// The least number of households per period.
    public let households: Int
    public let period: Period

    /// A quota of at least `households` households per `period`.
    public init(households: Int, per period: Period) throws(VisitQuota.Error) {
        guard Self.householdRange.contains(households) else { throw .householdsOutOfRange(households) }
        self.households = households
        self.period = period
    }

    private init(checked households: Int, _ period: Period) {
        self.households = households
        self.period = period
    }

    /// 机关干部每周至少走访 1 户: the organ cadres' default.
    public static let organCadreDefault = VisitQuota(checked: 1, .week)
    /// 居民区干部、社工每个工作日至少走访 5 户: residential-area cadres' and social workers' default.
    public static let areaCadreDefault = VisitQuota(checked: 5, .workingDay)

    /// The seed's quota for a role, or nil for a role the seed sets none for.
    public static func defaultQuota(for role: Role) -> VisitQuota? {
        switch role {
        case .subdistrictStaff: organCadreDefault
        case .areaCadre: areaCadreDefault
        default: nil
        }
    }

    /// Decodes and checks the range, so a stored configuration cannot hold a bad quota.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let households = try container.decode(Int.self, forKey: .households)
        let period = try container.decode(Period.self, forKey: .period)
        do {
            try self.init(households: households, per: period)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .households, in: container,
                debugDescription: error.fieldError.messageEN)
        }
    }

    private enum CodingKeys: String, CodingKey { case households, period }
}

/// How a person holds their post over a period (在岗情况): their workload share and the days they
/// are not in post, both of which lower what a quota asks of them.
public struct StaffPosting: Sendable, Hashable {
    /// 工作量比例: 100 for full time, 50 for half time. The quota is scaled by it.
    public let workloadPercent: Int
    /// 到岗日期: the first day in post; nil if in post before any period asked about.
    public let firstDay: CivilDate?
    /// 离岗日期: the last day in post; nil if still in post.
    public let lastDay: CivilDate?
    /// 请假、借调 等不在岗的日子: absences, inclusive ranges (overlaps are harmless).
    public let absences: [ClosedRange<CivilDate>]

    /// Full time, in post throughout, no absences.
    public static let fullTime = StaffPosting(checked: 100, nil, nil, [])

    public init(
        workloadPercent: Int = 100, firstDay: CivilDate? = nil, lastDay: CivilDate? = nil,
        absences: [ClosedRange<CivilDate>] = []
    ) throws(VisitQuota.Error) {
        guard (1...100).contains(workloadPercent) else { throw .workloadOutOfRange(workloadPercent) }
        if let firstDay, let lastDay, lastDay < firstDay { throw .postingEndsBeforeStart }
        self.init(checked: workloadPercent, firstDay, lastDay, absences)
    }

    private init(checked percent: Int, _ first: CivilDate?, _ last: CivilDate?, _ absences: [ClosedRange<CivilDate>]) {
        workloadPercent = percent
        firstDay = first
        lastDay = last
        self.absences = absences
    }

    /// Whether the person is in post on `date`: on or after the first day, on or before the
    /// last, and not absent.
    public func isInPost(on date: CivilDate) -> Bool {
        if let firstDay, date < firstDay { return false }
        if let lastDay, date > lastDay { return false }
        return !absences.contains { $0.contains(date) }
    }
}
