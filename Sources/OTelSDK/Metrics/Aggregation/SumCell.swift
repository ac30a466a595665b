import Synchronization

/// The running total of one counter or up-down counter series, updated without a lock: what a kept
/// handle writes to.
///
/// Integer instruments add to `integer` (wrapping on overflow) with one atomic add: spreading it
/// over per-CPU lanes was measured as 20 % slower on one task and no faster on two (docs/benchmarks.md,
/// "Metrics: kept instruments on two tasks"). Floating-point ones add to `bits` (the `Double`'s bits)
/// with a compare-and-swap; the first one that fails (another thread added at the same moment)
/// spreads the floating-point sum over per-CPU lanes (``CPULanes``), as histograms do, so retries of
/// the compare-and-swap loop on one cache line stop. Collection drains with `exchange`, so each
/// measurement lands in exactly one collection.
final class SumCell: Sendable {
    private let integer = Atomic<Int64>(0)
    private let bits = Atomic<UInt64>(0.0.bitPattern)
    /// Lanes of the floating-point sum's bits.
    private let lanes = CPULanes(words: 1)

    @inline(__always)
    func add(_ value: Int64) {
        integer.wrappingAdd(value, ordering: .relaxed)
    }

    @inline(__always)
    func add(_ value: Double) {
        if let lane = lanes.current() {
            Self.add(value, to: lane[0])
            return
        }
        let current = bits.load(ordering: .relaxed)
        let desired = (Double(bitPattern: current) + value).bitPattern
        if bits.compareExchange(expected: current, desired: desired, ordering: .relaxed).exchanged { return }
        Self.add(value, to: lanes.spread()[0])
    }

    /// Adds `value` to the `Double` whose bits `word` holds (a compare-and-swap loop).
    @inline(__always)
    static func add(_ value: Double, to word: borrowing Atomic<UInt64>) {
        var current = word.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = word.weakCompareExchange(
                expected: current, desired: (Double(bitPattern: current) + value).bitPattern, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// What was added since the last drain (zero if nothing was).
    func drain(isInteger: Bool) -> SumAggregate {
        if isInteger {
            return SumAggregate(value: .int(integer.exchange(0, ordering: .relaxed)))
        }
        var total = Double(bitPattern: bits.exchange(0.0.bitPattern, ordering: .relaxed))
        lanes.forEachLane { total += Double(bitPattern: $0[0].exchange(0.0.bitPattern, ordering: .relaxed)) }
        return SumAggregate(value: .double(total))
    }
}

/// A sum drained from a ``SumCell``, accumulated per reader.
struct SumAggregate: Sendable {
    var value: NumberValue

    var isZero: Bool {
        switch value {
        case .int(let value): value == 0
        case .double(let value): value == 0
        }
    }

    mutating func merge(_ other: SumAggregate) {
        switch (value, other.value) {
        case (.int(let a), .int(let b)): value = .int(a &+ b)
        case (.double(let a), .double(let b)): value = .double(a + b)
        default: break  // An instrument never mixes value types.
        }
    }
}
