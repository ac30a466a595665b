/// A measurement type: `Int64` or `Double`. An instrument records one of them, fixed when it is created.
public protocol MetricValue: Sendable, Comparable {
    /// Whether the instrument's points carry integers (`as_int`) rather than doubles.
    static var isMetricInteger: Bool { get }
    var metricIntegerValue: Int64 { get }
    var metricDoubleValue: Double { get }
}

extension Int64: MetricValue {
    public static var isMetricInteger: Bool { true }
    public var metricIntegerValue: Int64 { self }
    public var metricDoubleValue: Double { Double(self) }
}

extension Double: MetricValue {
    public static var isMetricInteger: Bool { false }
    public var metricIntegerValue: Int64 { Int64(exactly: rounded()) ?? (self < 0 ? .min : .max) }
    public var metricDoubleValue: Double { self }
}

extension SumCell {
    @inline(__always)
    func add<Value: MetricValue>(_ value: Value) {
        if Value.isMetricInteger { add(value.metricIntegerValue) } else { add(value.metricDoubleValue) }
    }
}

extension GaugeCell {
    @inline(__always)
    func set<Value: MetricValue>(_ value: Value) {
        if Value.isMetricInteger { set(value.metricIntegerValue) } else { set(value.metricDoubleValue) }
    }
}
