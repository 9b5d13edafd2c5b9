/// Deadlines around a published owners' decision.
///
/// An owner may ask a court to revoke a decision of the owners' assembly within one year of the
/// day they knew or should have known of it (Civil Code art. 280 para. 2; SPC interpretation on
/// building ownership art. 12); publication is that day. Periods are counted as Civil Code arts.
/// 200–203 say: the first day is not counted; a period in years ends on the corresponding day,
/// or the month's last day when there is none (29 February); a period ending on a statutory rest
/// day ends on the next working day.
public enum OwnersDecisionDeadlines {
    /// Days within which a decision should be published (Beijing's rule: 3 days).
    public static let publicationDays = 3

    /// The last day to file a suit to revoke a decision published on `published`. With a
    /// calendar, a last day that is not a working day moves to the next working day.
    public static func appealDeadline(publishedOn published: CivilDate, calendar: WorkingCalendar? = nil) throws(CivilDate.Error) -> CivilDate {
        let year = published.year + 1
        let day = min(published.day, CivilDate.daysInMonth(year: year, month: published.month))
        var deadline = try CivilDate(year: year, month: published.month, day: day)
        if let calendar {
            var guardDays = 0
            while !calendar.isWorkingDay(deadline), guardDays < 30 {
                deadline = try deadline.adding(days: 1)
                guardDays += 1
            }
        }
        return deadline
    }
}
