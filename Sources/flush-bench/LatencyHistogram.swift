import Histogram

/// Durations recorded in an HDR histogram at microsecond resolution (three significant digits), read back in
/// milliseconds.
struct LatencyHistogram {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)

    init() {}

    /// A histogram of `milliseconds`.
    init(milliseconds: some Sequence<Double>) {
        for value in milliseconds { record(milliseconds: value) }
    }

    /// Records one duration (negative ones as zero, beyond an hour as an hour).
    mutating func record(milliseconds: Double) {
        let micros = UInt64(Swift.max(0, (milliseconds * 1_000).rounded()))
        histogram.record(Swift.min(micros, histogram.highestTrackableValue))
    }

    /// How many durations were recorded.
    var count: Int { Int(histogram.totalCount) }

    /// The value at `percentile` (0–100) in milliseconds; `nil` when nothing was recorded.
    func percentile(_ percentile: Double) -> Double? {
        count == 0 ? nil : Double(histogram.valueAtPercentile(percentile)) / 1_000
    }

    /// The largest value in milliseconds; `nil` when nothing was recorded.
    var max: Double? {
        count == 0 ? nil : Double(histogram.max) / 1_000
    }

    /// The mean in milliseconds; `nil` when nothing was recorded.
    var mean: Double? {
        count == 0 ? nil : histogram.mean / 1_000
    }

    /// The cumulative distribution: for every recorded value (in milliseconds, ascending), the fraction of the values
    /// at or below it.
    var distribution: [CDFPoint] {
        histogram.recordedValues().map { CDFPoint(milliseconds: Double($0.value) / 1_000, fraction: $0.percentile / 100) }
    }
}

/// One point of a latency CDF: `fraction` of the invocations took `milliseconds` or less.
struct CDFPoint: Sendable, Equatable {
    var milliseconds: Double
    var fraction: Double
}
