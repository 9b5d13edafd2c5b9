/// Sums and products of stored figures that hold at the type's bounds instead of trapping.
/// Inputs have ranges, so the bounds are never reached by real data; these keep a figure read
/// from a damaged or foreign database from stopping the process (a Swift overflow traps).
extension FixedWidthInteger {
    /// `self + other`, or the bound it passed.
    public func clampedAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self × other`, or the bound it passed.
    public func clampedMultiplied(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }

    /// Adds `other` in place, held at the bounds.
    public mutating func addClamped(_ other: Self) {
        self = clampedAdding(other)
    }
}
