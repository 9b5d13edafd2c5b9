/// How many households a person visited on one day: the distinct households of that day's visits.
///
/// The database gives it as `COUNT(DISTINCT household) … GROUP BY day`. Across days the counts
/// add up: a household visited on Monday and again on Thursday counts on both days, as each is a
/// visit the quota asks for.
public struct VisitTally: Sendable, Hashable {
    public var date: CivilDate
    /// Distinct households visited that day (≥ 0).
    public var households: Int

    public init(date: CivilDate, households: Int) {
        self.date = date
        self.households = households
    }
}

/// A person's standing against their visit quota over a period (走访指标完成情况).
///
/// The rules:
/// - **Per working day** (``VisitQuota/Period/workingDay``): required = quota × working days in
///   post in the period × workload share, rounded **up** once for the whole period (a half-time
///   cadre at 5 a day over 3 days owes ⌈7.5⌉ = 8, not 3 + 3 + 3).
/// - **Per week** (``VisitQuota/Period/week``): each ISO week touching the period counts by the
///   share of its working days that the person was in post inside the period:
///   weight = (in-post working days of the week inside the period) ÷ (working days of the whole
///   week). A full week weighs 1, a week with no working days (the Spring Festival week) 0, and a
///   week cut by the period's edge, a mid-week start or leave weighs the part worked. So reports
///   for December and January add up to the one ISO week that spans them, instead of both
///   charging it in full. required = quota × Σ weights × workload share, rounded up once.
/// - **Done** = every household visit in the period, rest days and days off included: a visit
///   made is never ignored. `done ≥ required` is met; shortfall = required − done, at least 0.
/// - **Units**: the per-day or per-week breakdown. A unit's target = quota × its weight ×
///   workload share, rounded up, so a unit owed anything owes at least one household; it is met
///   when its own visits reach the target. Units owing nothing and with no visits are left out.
public struct VisitCompliance: Sendable, Equatable {
    /// One day or one ISO week of the breakdown.
    public struct Unit: Sendable, Equatable {
        /// The day, or the week's first day inside the period.
        public var first: CivilDate
        /// The same day, or the week's last day inside the period.
        public var last: CivilDate
        /// The ISO week, for a weekly quota; nil for a daily one.
        public var week: ISOWeek?
        /// Working days in post within the unit (and the period).
        public var workingDaysInPost: Int
        /// Households owed in this unit (0 for a rest day or a week with nothing owed).
        public var target: Int
        /// Households visited in this unit, within the period.
        public var done: Int

        /// Whether anything is owed in this unit.
        public var isOwed: Bool { target > 0 }
        /// Whether the unit's own visits reach its target.
        public var isMet: Bool { done >= target }
    }

    public var quota: VisitQuota
    /// The period, inclusive.
    public var from: CivilDate
    public var to: CivilDate
    /// Working days in the period on which the person was in post.
    public var workingDaysInPost: Int
    /// Households the quota asks for over the whole period.
    public var required: Int
    /// Households visited over the whole period.
    public var done: Int
    /// The per-day or per-week breakdown, in order.
    public var units: [Unit]
    /// Years of the period with no holiday data: the figures count their weekends only, and a
    /// page should say so.
    public var yearsWithoutCalendar: [Int]

    /// Households still missing, 0 when the quota is met.
    public var shortfall: Int { max(0, required - done) }
    /// Whether the period's visits reach what the period requires (完成).
    public var isMet: Bool { done >= required }
    /// Days or weeks that owed something.
    public var unitsOwed: Int { units.count(where: { $0.isOwed }) }
    /// Days or weeks that owed something and were met on their own ("days met", "weeks met").
    public var unitsMet: Int { units.count(where: { $0.isOwed && $0.isMet }) }
}

extension VisitQuota {
    /// A week's weight is counted in 1/420ths: 420 is divisible by every possible count of
    /// working days in a week (1...7), so the weights add up exactly in integers.
    static let weightScale = 420

    /// How a person with `posting` stands against this quota from `from` to `to` (inclusive),
    /// given the day tallies of their visits (tallies outside the period are ignored; two tallies
    /// for one day add). The rules are on ``VisitCompliance``. A period whose `to` is before its
    /// `from` requires nothing.
    public func compliance(
        from: CivilDate, to: CivilDate, calendar: WorkingCalendar,
        posting: StaffPosting = .fullTime, visits: [VisitTally]
    ) -> VisitCompliance {
        var result = VisitCompliance(
            quota: self, from: from, to: to, workingDaysInPost: 0, required: 0, done: 0, units: [],
            yearsWithoutCalendar: calendar.yearsWithoutData(from: from, to: to))
        guard from <= to else { return result }
        let first = from.daysSince1970
        let last = to.daysSince1970

        var visitsOn: [Int: Int] = [:]
        for tally in visits where tally.households > 0 {
            let n = tally.date.daysSince1970
            if n >= first, n <= last { visitsOn[n, default: 0] += tally.households }
        }
        result.done = visitsOn.values.reduce(0, +)

        func counts(_ n: Int) -> (working: Bool, inPost: Bool) {
            let working = calendar.isWorking(number: n)
            guard working, let date = try? CivilDate(daysSince1970: n) else { return (working, false) }
            return (true, posting.isInPost(on: date))
        }
        // ⌈households × percent × weight / (100 × scale)⌉ for a weight in `scale`ths.
        func owed(_ weight: Int, scale: Int) -> Int {
            let numerator = households * posting.workloadPercent * weight
            let denominator = 100 * scale
            return (numerator + denominator - 1) / denominator
        }

        switch period {
        case .workingDay:
            var inPostDays = 0
            for n in first...last {
                let inPost = counts(n).inPost
                let done = visitsOn[n] ?? 0
                if inPost { inPostDays += 1 }
                let target = inPost ? owed(1, scale: 1) : 0
                guard target > 0 || done > 0, let day = try? CivilDate(daysSince1970: n) else { continue }
                result.units.append(
                    .init(
                        first: day, last: day, week: nil, workingDaysInPost: inPost ? 1 : 0,
                        target: target, done: done))
            }
            result.workingDaysInPost = inPostDays
            result.required = owed(inPostDays, scale: 1)

        case .week:
            var totalWeight = 0
            var monday = first - (CivilDate.isoWeekday(number: first) - 1)
            while monday <= last {
                var weekWorking = 0, inPostInside = 0, done = 0
                for n in monday...(monday + 6) {
                    let inside = n >= first && n <= last
                    let (working, inPost) = counts(n)
                    if working { weekWorking += 1 }
                    if inside, inPost { inPostInside += 1 }
                    if inside { done += visitsOn[n] ?? 0 }
                }
                let weight = weekWorking == 0 ? 0 : inPostInside * Self.weightScale / weekWorking
                totalWeight += weight
                result.workingDaysInPost += inPostInside
                let target = owed(weight, scale: Self.weightScale)
                if target > 0 || done > 0,
                    let start = try? CivilDate(daysSince1970: max(monday, first)),
                    let end = try? CivilDate(daysSince1970: min(monday + 6, last))
                {
                    result.units.append(
                        .init(
                            first: start, last: end, week: ISOWeek(containing: start),
                            workingDaysInPost: inPostInside, target: target, done: done))
                }
                monday += 7
            }
            result.required = owed(totalWeight, scale: Self.weightScale)
        }
        return result
    }
}
