/// Draws for the demo generator, defined on the raw 64-bit output of `SeededGenerator` so the
import MinqingDomain
import MinqingServer

/// demo is the same on every platform and every Swift version (the standard library does not
/// promise how `Int.random(in:using:)` consumes a generator).
enum DemoRandom {
    /// A uniform integer in `0..<n` (Lemire's multiply-high; the bias is below 2⁻⁴⁰ for the
    /// small `n` used here). `n` must be positive.
    static func below(_ n: Int, _ rng: inout SeededGenerator) -> Int {
        Int(truncatingIfNeeded: rng.next().multipliedFullWidth(by: UInt64(max(1, n))).high)
    }

    /// A uniform integer in `range`.
    static func int(_ range: ClosedRange<Int>, _ rng: inout SeededGenerator) -> Int {
        range.lowerBound + below(range.count, &rng)
    }

    /// True with probability `p`.
    static func chance(_ p: Double, _ rng: inout SeededGenerator) -> Bool {
        Double(rng.next() >> 11) * 0x1p-53 < p
    }

    /// One element of a non-empty array, uniformly.
    static func pick<T>(_ items: [T], _ rng: inout SeededGenerator) -> T {
        items[below(items.count, &rng)]
    }
}

/// Items with integer weights, drawn in O(log n).
struct WeightedTable<Element: Sendable>: Sendable {
    let items: [Element]
    private let cumulative: [Int]

    /// `pairs` must hold at least one positive weight; zero weights are never drawn.
    init(_ pairs: [(Element, Int)]) {
        var running = 0
        var items: [Element] = []
        var cumulative: [Int] = []
        for (item, weight) in pairs where weight > 0 {
            running += weight
            items.append(item)
            cumulative.append(running)
        }
        self.items = items
        self.cumulative = cumulative
    }

    var totalWeight: Int { cumulative.last ?? 0 }

    func draw(_ rng: inout SeededGenerator) -> Element {
        let target = DemoRandom.below(totalWeight, &rng)
        // First index whose running total exceeds the target.
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return items[low]
    }
}
