/// A must-visit category (十必访类别): who is in it, as a tag expression, and how often each of
/// them must be visited.
///
/// The default ten follow ``TagCatalogue/mustVisitGroups`` (same codes and names). Each
/// expression lists a group's tag codes and every code beneath them, because a tag expression
/// matches exact codes and the register tags people with the specific child (`id.disabled.
/// visual.grade2`, `id.assistance.dibao`), not the parent.
public struct MustVisitCategory: Sendable, Hashable, Identifiable {
    /// Stable code, e.g. `elderly_alone` (the ``MustVisitGroup/key``).
    public var code: String
    /// 简体中文 name, e.g. 独居老人.
    public var nameZH: String
    /// English name.
    public var nameEN: String
    /// Who is in the category, as ``TagExpression`` text, e.g. `id.elderly.alone`.
    public var expression: String
    /// Days allowed between two visits to the same person (走访频次).
    public var frequencyDays: Int

    public var id: String { code }

    public init(code: String, nameZH: String, nameEN: String, expression: String, frequencyDays: Int) {
        self.code = code
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.expression = expression
        self.frequencyDays = frequencyDays
    }

    /// The parsed expression.
    public func parsedExpression() throws(TagExpression.Error) -> TagExpression {
        try TagExpression(parsing: expression)
    }

    /// The tag codes whose current holders make up the category when its expression is one tag
    /// or an OR of tags, as every default is; nil for an expression with AND or NOT. The server
    /// keeps each category's households as rows by these codes (`must_visit_households`) and
    /// refuses a category it cannot keep that way.
    public var tagCodes: [String]? {
        switch try? parsedExpression() {
        case .tag(let code): return [code]
        case .or(let operands):
            let codes = operands.compactMap { operand -> String? in if case .tag(let code) = operand { code } else { nil } }
            return codes.count == operands.count ? codes : nil
        default: return nil
        }
    }

    /// The default frequencies, in days, by category code. The seed sets none, so these follow
    /// common 十必访 practice:
    /// - weekly (7): older people living alone, the group most at risk of an unnoticed fall or
    ///   illness (a phone call counts as a visit);
    /// - monthly (30): the very old, the seriously ill, families who lost their only child,
    ///   people under community correction or released, newcomers (the first visit within a
    ///   month of arrival; the tag ends after the settling-in period) and children in difficulty;
    /// - quarterly (90): disabled people, assistance households (the 低保 review is quarterly)
    ///   and entitled groups, whose circumstances change slowly.
    public static let defaultFrequencyDays: [String: Int] = [
        "elderly_alone": 7,
        "very_old": 30,
        "disabled": 90,
        "hardship": 90,
        "serious_illness": 30,
        "lost_only_child": 30,
        "entitled": 90,
        "correction_released": 30,
        "newcomer": 30,
        "children_in_difficulty": 30
    ]

    /// The ten default categories, in the order Linfen lists them.
    public static let defaults: [MustVisitCategory] = TagCatalogue.mustVisitGroups.map { group in
        let codes = group.tagCodes.flatMap { code in
            let under = TagCatalogue.codes(under: code)
            return under.isEmpty ? [code] : under
        }
        return MustVisitCategory(
            code: group.key, nameZH: group.nameZH, nameEN: group.nameEN,
            expression: codes.map(TagExpression.written).joined(separator: " OR "),
            frequencyDays: defaultFrequencyDays[group.key] ?? 30)
    }

    /// When a person in this category is next due (see ``MustVisitSchedule``).
    public func schedule(lastVisit: CivilDate?, enteredOn: CivilDate? = nil, today: CivilDate) -> MustVisitSchedule {
        MustVisitSchedule(lastVisit: lastVisit, enteredOn: enteredOn, frequencyDays: frequencyDays, today: today)
    }
}

/// When a must-visit person is next due, and by how much they are overdue (逾期).
///
/// - Visited before: due on the last visit + `frequencyDays` (visited on 1 March at 30 days: due
///   31 March). Calendar days, not working days: a person living alone needs the visit whatever
///   the holidays.
/// - Never visited, date of entering the category known (the tag's start): due on that date +
///   `frequencyDays`, a first cycle to make the first visit.
/// - Never visited, no date known: due today ("due now"), not overdue.
/// Overdue when today is after the due date; on the due date itself the visit is due, not late.
public struct MustVisitSchedule: Sendable, Equatable {
    /// The day the next visit is due.
    public var dueDate: CivilDate
    /// Days from the due date to today: negative while not yet due, 0 on the day, positive when late.
    public var daysPastDue: Int

    /// Whether the visit is late (逾期).
    public var isOverdue: Bool { daysPastDue > 0 }
    /// Whether the visit is due today or late: the "must visit now" list.
    public var isDue: Bool { daysPastDue >= 0 }
    /// Days late, 0 when not late.
    public var daysOverdue: Int { max(0, daysPastDue) }

    public init(dueDate: CivilDate, daysPastDue: Int) {
        self.dueDate = dueDate
        self.daysPastDue = daysPastDue
    }

    /// Works out the schedule; `frequencyDays` below 1 counts as 1. A due date that would pass
    /// 9999-12-31 is held there.
    public init(lastVisit: CivilDate?, enteredOn: CivilDate? = nil, frequencyDays: Int, today: CivilDate) {
        let step = max(1, frequencyDays)
        let dueNumber: Int
        if let base = lastVisit ?? enteredOn {
            dueNumber = min(base.daysSince1970 + step, CivilDate.lastDayNumber)
        } else {
            dueNumber = today.daysSince1970
        }
        self.dueDate = (try? CivilDate(daysSince1970: dueNumber)) ?? today
        self.daysPastDue = today.daysSince1970 - dueNumber
    }
}
