import Synchronization

/// The distribution of one histogram series with explicit bucket bounds, updated without a lock: one
/// atomic increment of the bucket, a compare-and-swap on the sum, and min/max only when a new extreme
/// arrives (a relaxed load otherwise).
///
/// While one thread at a time records, buckets and sum are one set of words; the first sum
/// compare-and-swap that fails (another thread recorded, or a collection drained, at that moment)
/// spreads the cell over per-CPU lanes (``CPULanes``) of buckets and sum, and from then on each
/// measurement goes to the lane of the CPU it runs on. Min and max stay shared: once the extremes
/// are reached they are only read. A drain sums the base words and every lane.
///
/// The count is the sum of the bucket counts, so they always agree. A collection racing a
/// measurement may take its sum before its bucket; the bucket then arrives with the next collection.
/// Min and max are written after the bucket and read before the buckets, so a collection never
/// reports the extreme of a measurement it does not count; but one that lands in between takes the
/// bucket without them: its min and max are then unknown (``HistogramAggregate/hasExtremes`` is
/// false, and they are left out of the data point rather than exported as infinities). The late
/// extreme goes to the next collection if that one counts measurements, and is discarded if it
/// counts none, so it is never reported more than one interval late. Exact extremes under this race
/// would need each measurement to announce itself to collections (the Go SDK's hot/cold counters):
/// two more atomic writes on a shared word per measurement, which this cell does not pay.
final class HistogramCell: @unchecked Sendable {
    // @unchecked: `base` points at atomics, allocated once in init and freed in deinit.
    let bounds: [Double]
    private let bucketCount: Int
    /// Words 0 ..< bucketCount: the bucket counts; word bucketCount: the sum's bits. Lanes alike.
    private let base: UnsafeMutablePointer<Atomic<UInt64>>
    private let lanes: CPULanes
    private let minBits = Atomic<UInt64>(Double.infinity.bitPattern)
    private let maxBits = Atomic<UInt64>((-Double.infinity).bitPattern)

    /// `bounds` must be sorted ascending, without NaN (``OTelMeter`` ensures it).
    init(bounds: [Double]) {
        self.bounds = bounds
        bucketCount = bounds.count + 1
        base = .allocate(capacity: bucketCount + 1)
        for index in 0...bucketCount {
            (base + index).initialize(to: Atomic(0))
        }
        lanes = CPULanes(words: bucketCount + 1)
    }

    deinit {
        base.deinitialize(count: bucketCount + 1)
        base.deallocate()
    }

    /// Records `value`; NaN is ignored. A value equal to a bound counts in the bucket that bound closes.
    @inline(__always)
    func record(_ value: Double) {
        guard !value.isNaN else { return }
        // The sum before the bucket (released with it): a collection that takes the bucket, which
        // the count is made of, also takes the sum; one racing the measurement may take the sum
        // first, and the bucket then comes with the next collection.
        let words: UnsafeMutablePointer<Atomic<UInt64>>
        if let lane = lanes.current() {
            words = lane
            SumCell.add(value, to: lane[bucketCount])
        } else {
            let current = base[bucketCount].load(ordering: .relaxed)
            let desired = (Double(bitPattern: current) + value).bitPattern
            if base[bucketCount].compareExchange(expected: current, desired: desired, ordering: .relaxed).exchanged {
                words = base
            } else {
                words = lanes.spread()
                SumCell.add(value, to: words[bucketCount])
            }
        }
        words[bucketIndex(value)].wrappingAdd(1, ordering: .releasing)
        noteExtremes(value)
    }

    /// Makes `value` the minimum or maximum if it is more extreme than what this interval has seen:
    /// the last step of ``record(_:)``, after the bucket.
    @inline(__always)
    func noteExtremes(_ value: Double) {
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
            // Releasing: a drain that sees this extreme also sees the bucket written before it.
            let (exchanged, original) = cell.weakCompareExchange(expected: current, desired: value.bitPattern, ordering: .releasing)
            if exchanged { return }
            current = original
        }
    }

    /// What was recorded since the last drain, or nil if nothing was.
    func drain() -> HistogramAggregate? {
        // Min and max first (acquiring what `lower` released): an extreme seen here was written
        // after its measurement's bucket, so this drain or an earlier one counts that measurement.
        // Extremes seen by a drain that counts nothing are therefore late ones, of measurements
        // already reported, and are dropped with the reset rather than given to a later interval.
        let minimum = Double(bitPattern: minBits.exchange(Double.infinity.bitPattern, ordering: .acquiring))
        let maximum = Double(bitPattern: maxBits.exchange((-Double.infinity).bitPattern, ordering: .acquiring))
        var counts = [UInt64](repeating: 0, count: bucketCount)
        var total: UInt64 = 0
        for index in 0..<bucketCount {
            var count = base[index].exchange(0, ordering: .acquiring)
            lanes.forEachLane { count &+= $0[index].exchange(0, ordering: .acquiring) }
            counts[index] = count
            total &+= count
        }
        guard total > 0 else { return nil }
        var sum = Double(bitPattern: base[bucketCount].exchange(0.0.bitPattern, ordering: .relaxed))
        lanes.forEachLane { sum += Double(bitPattern: $0[bucketCount].exchange(0.0.bitPattern, ordering: .relaxed)) }
        return HistogramAggregate(count: total, sum: sum, min: minimum, max: maximum, bucketCounts: counts)
    }
}

/// A distribution drained from a ``HistogramCell``, accumulated per reader.
struct HistogramAggregate: Sendable {
    var count: UInt64
    var sum: Double
    /// +infinity while unknown (no measurement's minimum seen yet), which `merge` takes as its identity.
    var min: Double
    /// -infinity while unknown, likewise.
    var max: Double
    var bucketCounts: [UInt64]

    /// Whether min and max come from measurements: false with no measurement, and when a collection
    /// took a measurement's bucket before its min and max were written (see ``HistogramCell``).
    var hasExtremes: Bool { count > 0 && min <= max }

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
