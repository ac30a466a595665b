import Synchronization

/// The distribution of one histogram series with explicit bucket bounds, updated without a lock: one
/// atomic increment of the bucket, a compare-and-swap on the sum, and min/max only when a new extreme
/// arrives (a relaxed load otherwise).
///
/// The count is the sum of the bucket counts, so they always agree. A collection racing a
/// measurement may see its bucket but not yet its sum; the sum then arrives with the next collection.
final class HistogramCell: @unchecked Sendable {
    // @unchecked: `buckets` points at atomics, allocated once in init and freed in deinit.
    let bounds: [Double]
    private let buckets: UnsafeMutablePointer<Atomic<UInt64>>
    private let bucketCount: Int
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)
    private let minBits = Atomic<UInt64>(Double.infinity.bitPattern)
    private let maxBits = Atomic<UInt64>((-Double.infinity).bitPattern)

    /// `bounds` must be sorted ascending, without NaN (``OTelMeter`` ensures it).
    init(bounds: [Double]) {
        self.bounds = bounds
        bucketCount = bounds.count + 1
        buckets = .allocate(capacity: bucketCount)
        for index in 0..<bucketCount {
            (buckets + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        buckets.deinitialize(count: bucketCount)
        buckets.deallocate()
    }

    /// Records `value`; NaN is ignored. A value equal to a bound counts in the bucket that bound closes.
    @inline(__always)
    func record(_ value: Double) {
        guard !value.isNaN else { return }
        buckets[bucketIndex(value)].wrappingAdd(1, ordering: .relaxed)
        var current = sumBits.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = sumBits.weakCompareExchange(
                expected: current, desired: (Double(bitPattern: current) + value).bitPattern, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        if value < Double(bitPattern: minBits.load(ordering: .relaxed)) { lower(minBits, to: value) { $0 < $1 } }
        if value > Double(bitPattern: maxBits.load(ordering: .relaxed)) { lower(maxBits, to: value) { $0 > $1 } }
    }

    /// The first bucket whose upper bound is at least `value` (binary search; `bounds.count` if none).
    @inline(__always)
    func bucketIndex(_ value: Double) -> Int {
        bounds.withUnsafeBufferPointer { bounds in
            var low = 0
            var high = bounds.count
            while low < high {
                let middle = (low &+ high) >> 1
                if bounds[middle] < value { low = middle &+ 1 } else { high = middle }
            }
            return low
        }
    }

    /// Replaces the extreme in `cell` by `value` while `value` is more extreme.
    private func lower(_ cell: borrowing Atomic<UInt64>, to value: Double, _ isMoreExtreme: (Double, Double) -> Bool) {
        var current = cell.load(ordering: .relaxed)
        while isMoreExtreme(value, Double(bitPattern: current)) {
            let (exchanged, original) = cell.weakCompareExchange(expected: current, desired: value.bitPattern, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// What was recorded since the last drain, or nil if nothing was.
    func drain() -> HistogramAggregate? {
        var counts = [UInt64](repeating: 0, count: bucketCount)
        var total: UInt64 = 0
        for index in 0..<bucketCount {
            let count = buckets[index].exchange(0, ordering: .acquiring)
            counts[index] = count
            total &+= count
        }
        guard total > 0 else { return nil }
        let minimum = Double(bitPattern: minBits.exchange(Double.infinity.bitPattern, ordering: .relaxed))
        let maximum = Double(bitPattern: maxBits.exchange((-Double.infinity).bitPattern, ordering: .relaxed))
        return HistogramAggregate(
            count: total,
            sum: Double(bitPattern: sumBits.exchange(0.0.bitPattern, ordering: .relaxed)),
            min: minimum,
            max: maximum,
            bucketCounts: counts)
    }
}

/// A distribution drained from a ``HistogramCell``, accumulated per reader.
struct HistogramAggregate: Sendable {
    var count: UInt64
    var sum: Double
    var min: Double
    var max: Double
    var bucketCounts: [UInt64]

    mutating func merge(_ other: HistogramAggregate) {
        count &+= other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        for index in bucketCounts.indices {
            bucketCounts[index] &+= other.bucketCounts[index]
        }
    }
}
