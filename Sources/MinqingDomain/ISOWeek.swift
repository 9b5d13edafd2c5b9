/// An ISO 8601 week (ISO 周): Monday to Sunday, numbered within the year that holds its Thursday.
///
/// So 2025-12-29 (Monday) to 2026-01-04 (Sunday) is week 1 of 2026, `2026-W01`, and
/// 2027-01-01 (Friday) falls in `2026-W53`. Quotas counted per week use these weeks, so a week
/// across a year's end is one week, not two halves.
public struct ISOWeek: Sendable, Hashable, Comparable {
    /// The ISO week-numbering year (the year of the week's Thursday), which can differ from the
    /// calendar year of its Monday or Sunday.
    public let year: Int
    /// 1...52 or 1...53.
    public let week: Int
    /// The week's Monday.
    public let monday: CivilDate

    /// The week that holds `date`.
    public init(containing date: CivilDate) {
        let mondayNumber = date.daysSince1970 - (date.isoWeekday - 1)
        // 0001-01-01 is a Monday, so a Monday of a valid date is always valid.
        monday = (try? CivilDate(daysSince1970: mondayNumber)) ?? date
        let thursday = mondayNumber + 3
        let thursdayYear = (try? CivilDate(daysSince1970: thursday))?.year ?? date.year
        year = thursdayYear
        let januaryFirst = (try? CivilDate(year: thursdayYear, month: 1, day: 1))?.daysSince1970 ?? thursday
        week = (thursday - januaryFirst) / 7 + 1
    }

    /// The week's Sunday (9999-12-31 for the last week of 9999, whose Sunday does not exist).
    public var sunday: CivilDate {
        // The clamp keeps the conversion in range, so the fallback is never taken.
        (try? CivilDate(daysSince1970: min(mondayNumber + 6, CivilDate.lastDayNumber))) ?? monday
    }

    /// The day number (days since 1970) of the Monday; the week covers it and the six after.
    var mondayNumber: Int { monday.daysSince1970 }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { lhs.monday < rhs.monday }
}

extension ISOWeek: CustomStringConvertible {
    /// `YYYY-Www`, e.g. `2026-W01`.
    public var description: String {
        let y = String(year)
        let w = String(week)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-W" + (w.count < 2 ? "0" : "") + w
    }
}

extension CivilDate {
    /// The Monday of this date's ISO week (周一).
    public var weekStart: CivilDate { ISOWeek(containing: self).monday }

    /// The ISO week this date falls in.
    public var isoWeek: ISOWeek { ISOWeek(containing: self) }
}
