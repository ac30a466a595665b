import Synchronization

/// The running total of one counter or up-down counter series, updated without a lock: what a kept
/// handle writes to.
///
/// The sum is one 64-bit word: an integer instrument's two's complement (wrapping on overflow) or
/// a floating-point one's `Double` bits (a cell belongs to one instrument, which records one kind of
/// value). Once a second thread adds, the cell spreads over per-CPU lanes (``CPULanes``) for good, as
/// histograms do, and from then on each add goes to the lane of the CPU it runs on, so threads on
/// different CPUs stop bouncing one cache line; a spread cell takes 128 bytes per lane (a lane per
/// CPU, up to 64).
///
/// - Integer adds: the first thread to add owns the base word and adds to it with one atomic
///   fetch-add; any other thread spreads the cell. The owner check is a load that the add does not
///   depend on, where a compare-and-swap must wait for its load: on an Intel Xeon VM, 9.3 ns per add
///   on one task instead of 11.2 (swift-otel's plain fetch-add, same run: 9.0), at the price of
///   spreading cells that two threads update one after the other, not only at once
///   (docs/benchmarks.md, "Intel Xeon figures").
/// - Floating-point adds: a compare-and-swap on the base word (a `Double` has no fetch-add), and the
///   first one that fails (another thread added, or a collection drained, at that moment) spreads
///   the cell.
///
/// Collection drains the base word and every lane with `exchange`, so each measurement lands in
/// exactly one collection.
final class SumCell: Sendable {
    private let word = Atomic<UInt64>(0)
    /// ``CurrentThread/id`` of the thread whose integer adds go to `word`; 0 until the first add.
    private let owner = Atomic<UInt>(0)
    /// One word per lane, holding what the base word holds. Not private so tests can see whether the
    /// cell spread (`lanes.current() != nil`).
    let lanes = CPULanes(words: 1)

    @inline(__always)
    func add(_ value: Int64) {
        if let lane = lanes.current() {
            lane[0].wrappingAdd(UInt64(bitPattern: value), ordering: .relaxed)
            return
        }
        let thread = CurrentThread.id
        let owner = owner.load(ordering: .relaxed)
        if owner == thread
            || (owner == 0 && self.owner.compareExchange(expected: 0, desired: thread, ordering: .relaxed).exchanged)
        {
            word.wrappingAdd(UInt64(bitPattern: value), ordering: .relaxed)
            return
        }
        addToLane(value)
    }

    @inline(__always)
    func add(_ value: Double) {
        if let lane = lanes.current() {
            Self.add(value, to: lane[0])
            return
        }
        let current = word.load(ordering: .relaxed)
        let desired = (Double(bitPattern: current) + value).bitPattern
        if word.compareExchange(expected: current, desired: desired, ordering: .relaxed).exchanged { return }
        addToLane(value)
    }

    /// Adds `value` to this CPU's lane, spreading the cell first if it is not yet: where an integer
    /// add from a thread other than the owner goes.
    func addToLane(_ value: Int64) {
        lanes.spread()[0].wrappingAdd(UInt64(bitPattern: value), ordering: .relaxed)
    }

    /// The same for a floating-point add: where it goes once its compare-and-swap on the base word
    /// failed.
    func addToLane(_ value: Double) {
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
            var total = Int64(bitPattern: word.exchange(0, ordering: .relaxed))
            lanes.forEachLane { total &+= Int64(bitPattern: $0[0].exchange(0, ordering: .relaxed)) }
            return SumAggregate(value: .int(total))
        }
        // 0.0's bits are 0: the base word and the lanes start and reset to 0.0.
        var total = Double(bitPattern: word.exchange(0, ordering: .relaxed))
        lanes.forEachLane { total += Double(bitPattern: $0[0].exchange(0, ordering: .relaxed)) }
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
