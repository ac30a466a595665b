import Synchronization

/// The running total of one counter or up-down counter series, updated with one atomic operation per
/// measurement (no lock): what a kept handle writes to.
///
/// Integer instruments add to `integer` (wrapping on overflow), floating-point ones to `bits` (a
/// compare-and-swap loop on the `Double`'s bits). Collection drains with `exchange`, so a
/// measurement lands in exactly one collection.
final class SumCell: Sendable {
    private let integer = Atomic<Int64>(0)
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    @inline(__always)
    func add(_ value: Int64) {
        integer.wrappingAdd(value, ordering: .relaxed)
    }

    @inline(__always)
    func add(_ value: Double) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = bits.weakCompareExchange(
                expected: current, desired: (Double(bitPattern: current) + value).bitPattern,
                ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    /// What was added since the last drain (zero if nothing was).
    func drain(isInteger: Bool) -> SumAggregate {
        if isInteger {
            return SumAggregate(value: .int(integer.exchange(0, ordering: .relaxed)))
        }
        return SumAggregate(value: .double(Double(bitPattern: bits.exchange(0.0.bitPattern, ordering: .relaxed))))
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
