/// One metric stream as a reader collected it: what an exporter receives.
///
/// Immutable values; `resource` and `scope` are the shared instances of the provider and meter, so
/// exporters group by identity as they do for spans.
public struct MetricData: Sendable {
    public var resource: Resource
    public var scope: InstrumentationScope
    public var name: String
    public var description: String
    public var unit: String
    public var points: MetricPoints
    /// How many of the last points no later collection repeats: every point of a delta collection, and under
    /// cumulative temporality the final points of destroyed series. A reader keeps these when an export fails
    /// transiently; the other points come back with the next collection. Data made outside a collection
    /// counts as never repeated.
    var unrepeatedPointCount: Int

    public init(resource: Resource, scope: InstrumentationScope, name: String, description: String, unit: String, points: MetricPoints) {
        self.init(resource: resource, scope: scope, name: name, description: description, unit: unit, points: points, unrepeatedPointCount: nil)
    }

    init(
        resource: Resource, scope: InstrumentationScope, name: String, description: String, unit: String, points: MetricPoints,
        unrepeatedPointCount: Int?
    ) {
        self.resource = resource
        self.scope = scope
        self.name = name
        self.description = description
        self.unit = unit
        self.points = points
        self.unrepeatedPointCount = 0
        self.unrepeatedPointCount = min(unrepeatedPointCount ?? pointCount, pointCount)
    }

    /// The points no later collection repeats, or nil if there are none (see ``unrepeatedPointCount``).
    var unrepeated: MetricData? {
        guard unrepeatedPointCount > 0 else { return nil }
        var kept = self
        switch points {
        case .sum(var sum):
            sum.points = Array(sum.points.suffix(unrepeatedPointCount))
            kept.points = .sum(sum)
        case .gauge(let gauge):
            kept.points = .gauge(Array(gauge.suffix(unrepeatedPointCount)))
        case .histogram(var histogram):
            histogram.points = Array(histogram.points.suffix(unrepeatedPointCount))
            kept.points = .histogram(histogram)
        }
        return kept
    }

    /// The number of data points (what flush results count for metrics).
    public var pointCount: Int {
        switch points {
        case .sum(let sum): sum.points.count
        case .gauge(let points): points.count
        case .histogram(let histogram): histogram.points.count
        }
    }
}

/// The data of a metric stream: OTLP's `Sum`, `Gauge` or `Histogram`.
public enum MetricPoints: Sendable {
    case sum(SumPoints)
    case gauge([NumberDataPoint])
    case histogram(HistogramPoints)
}

/// Whether a point covers the time since the previous collection or since the stream started.
public enum AggregationTemporality: Sendable, Hashable {
    case delta
    case cumulative
}

/// The points of a `Sum`: monotonic for counters, not for up-down counters.
public struct SumPoints: Sendable {
    public var isMonotonic: Bool
    public var temporality: AggregationTemporality
    public var points: [NumberDataPoint]

    public init(isMonotonic: Bool, temporality: AggregationTemporality, points: [NumberDataPoint]) {
        self.isMonotonic = isMonotonic
        self.temporality = temporality
        self.points = points
    }
}

/// The points of an explicit-bucket `Histogram`.
public struct HistogramPoints: Sendable {
    public var temporality: AggregationTemporality
    public var points: [HistogramDataPoint]

    public init(temporality: AggregationTemporality, points: [HistogramDataPoint]) {
        self.temporality = temporality
        self.points = points
    }
}

/// An integer or floating-point measurement value.
public enum NumberValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)
}

/// One series' value: OTLP's `NumberDataPoint`. Times are nanoseconds since the Unix epoch.
public struct NumberDataPoint: Sendable {
    public var attributes: [Attribute]
    public var startTimeNanos: UInt64
    public var timeNanos: UInt64
    public var value: NumberValue

    public init(attributes: [Attribute], startTimeNanos: UInt64, timeNanos: UInt64, value: NumberValue) {
        self.attributes = attributes
        self.startTimeNanos = startTimeNanos
        self.timeNanos = timeNanos
        self.value = value
    }
}

/// One series' distribution: OTLP's `HistogramDataPoint`.
///
/// `bucketCounts` has `bounds.count + 1` entries and adds up to `count`; bucket `i` counts values in
/// `(bounds[i-1], bounds[i]]` (the last bucket is everything above the last bound).
public struct HistogramDataPoint: Sendable {
    public var attributes: [Attribute]
    public var startTimeNanos: UInt64
    public var timeNanos: UInt64
    public var count: UInt64
    public var sum: Double
    public var min: Double?
    public var max: Double?
    public var bounds: [Double]
    public var bucketCounts: [UInt64]

    public init(
        attributes: [Attribute], startTimeNanos: UInt64, timeNanos: UInt64, count: UInt64, sum: Double,
        min: Double?, max: Double?, bounds: [Double], bucketCounts: [UInt64]
    ) {
        self.attributes = attributes
        self.startTimeNanos = startTimeNanos
        self.timeNanos = timeNanos
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.bounds = bounds
        self.bucketCounts = bucketCounts
    }
}
