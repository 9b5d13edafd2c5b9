/// Statistical disclosure control (小格抑制) for figures shown to roles that may not see the
/// people behind them: a cell counting fewer than five people could single one out (one
/// recipient of an aid programme in a building group is that person's data), so it is shown as
/// "<5" and its amounts are hidden.
public enum SmallCells {
    /// Cells of 1 to `threshold - 1` people are hidden; an empty cell (0) says nothing of anyone.
    public static let threshold = 5

    /// Whether a cell of `persons` people is hidden.
    public static func hides(_ persons: Int) -> Bool { persons > 0 && persons < threshold }

    /// The positions to hide among cells that add up to a total shown beside them: every small
    /// cell, and when that hides exactly one, also the smallest other non-empty cell, so that the
    /// total less the shown cells does not give the hidden one back (secondary suppression).
    public static func hidden(persons: [Int], totalShown: Bool) -> Set<Int> {
        var hidden = Set(persons.indices.filter { hides(persons[$0]) })
        if totalShown, hidden.count == 1,
            let partner = persons.indices.filter({ !hidden.contains($0) && persons[$0] > 0 }).min(by: { persons[$0] < persons[$1] })
        {
            hidden.insert(partner)
        }
        return hidden
    }
}
