import Synchronization

/// The running total of one counter or up-down counter series, updated without a lock: what a kept
/// handle writes to.
///
/// Integer instruments add to `integer` (wrapping on overflow), floating-point ones to `bits` (the
/// `Double`'s bits). While one thread at a time adds, an add is one compare-and-swap on these; the
/// first one that fails (another thread added, or a collection drained, at that moment) spreads the
/// cell over per-CPU lanes (``CPULanes``), as histograms do, and from then on each add goes to the
/// lane of the CPU it runs on, so threads on different CPUs stop bouncing one cache line. Measured
/// on two tasks sharing one kept counter: a median 8.2 ns per add instead of 22.6 (swift-otel:
/// 16–32), for about 1.5 ns more on one task than a plain atomic add (docs/benchmarks.md, "Session
/// 6"). Collection drains the base words and every lane with `exchange`, so each measurement lands
/// in exactly one collection.
final class SumCell: Sendable {
    private let integer = Atomic<Int64>(0)
    private let bits = Atomic<UInt64>(0.0.bitPattern)
    /// One word per lane: the integer sum's two's complement or the floating-point sum's bits (a cell
    /// belongs to one instrument, which records one kind of value).
    private let lanes = CPULanes(words: 1)

    @inline(__always)
    func add(_ value: Int64) {
        if let lane = lanes.current() {
            lane[0].wrappingAdd(UInt64(bitPattern: value), ordering: .relaxed)
            return
        }
        let current = integer.load(ordering: .relaxed)
        if integer.compareExchange(expected: current, desired: current &+ value, ordering: .relaxed).exchanged { return }
        lanes.spread()[0].wrappingAdd(UInt64(bitPattern: value), ordering: .relaxed)
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
            var total = integer.exchange(0, ordering: .relaxed)
            lanes.forEachLane { total &+= Int64(bitPattern: $0[0].exchange(0, ordering: .relaxed)) }
            return SumAggregate(value: .int(total))
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
