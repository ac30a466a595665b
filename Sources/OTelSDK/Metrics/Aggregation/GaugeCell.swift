import Synchronization

/// The last value of one synchronous gauge series, set with one atomic store.
///
/// The value is stored as bits (an instrument is either integer or floating point, never both) with
/// a count of sets, so a collection can tell whether the gauge was set since the previous one.
final class GaugeCell: Sendable {
    private let bits = Atomic<UInt64>(0)
    private let sets = Atomic<Int>(0)

    @inline(__always)
    func set(_ value: Int64) {
        bits.store(UInt64(bitPattern: value), ordering: .relaxed)
        sets.wrappingAdd(1, ordering: .releasing)
    }

    @inline(__always)
    func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
        sets.wrappingAdd(1, ordering: .releasing)
    }

    /// Adds `delta` to the current value (a floating-point gauge's increment or decrement).
    func add(_ delta: Double) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = bits.weakCompareExchange(
                expected: current, desired: (Double(bitPattern: current) + delta).bitPattern, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        sets.wrappingAdd(1, ordering: .releasing)
    }

    /// The value set last, if it was set since the last drain.
    func drain(isInteger: Bool) -> NumberValue? {
        guard sets.exchange(0, ordering: .acquiring) > 0 else { return nil }
        let raw = bits.load(ordering: .relaxed)
        return isInteger ? .int(Int64(bitPattern: raw)) : .double(Double(bitPattern: raw))
    }
}
