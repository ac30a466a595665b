import COTLP
import OTelSDK

extension OTLPProtobufC {
    typealias Metric = Opentelemetry__Proto__Metrics__V1__Metric
    typealias Sum = Opentelemetry__Proto__Metrics__V1__Sum
    typealias Gauge = Opentelemetry__Proto__Metrics__V1__Gauge
    typealias Histogram = Opentelemetry__Proto__Metrics__V1__Histogram
    typealias NumberDataPoint = Opentelemetry__Proto__Metrics__V1__NumberDataPoint
    typealias HistogramDataPoint = Opentelemetry__Proto__Metrics__V1__HistogramDataPoint
}

/// The metric messages, built in the arena like the span and log messages (see
/// ``OTLPMessageBuilder``): each struct starts from its generated `..._init` value.
extension OTLPMessageBuilder {
    /// A `Metric` message with its `Sum`, `Gauge` or `Histogram` and every data point; the resource and
    /// scope go to the enclosing `ResourceMetrics` and `ScopeMetrics`.
    ///
    /// Sums carry `is_monotonic` and their temporality; histogram points carry count, sum, bucket
    /// counts and explicit bounds, and min and max when they have any measurement. Values keep
    /// their type (`as_int` or `as_double`).
    mutating func metric(_ metric: borrowing MetricData) -> UnsafeMutablePointer<PB.Metric> {
        var message = PB.Metric()
        opentelemetry__proto__metrics__v1__metric__init(&message)
        message.name = cString(metric.name)
        message.description = cString(metric.description)
        message.unit = cString(metric.unit)
        switch metric.points {
        case .sum(let sum):
            var data = PB.Sum()
            opentelemetry__proto__metrics__v1__sum__init(&data)
            data.is_monotonic = sum.isMonotonic ? 1 : 0
            data.aggregation_temporality = Self.temporality(sum.temporality)
            (data.n_data_points, data.data_points) = messages(sum.points) { $0.numberPoint($1) }
            message.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM
            message.sum = place(data)
        case .gauge(let points):
            var data = PB.Gauge()
            opentelemetry__proto__metrics__v1__gauge__init(&data)
            (data.n_data_points, data.data_points) = messages(points) { $0.numberPoint($1) }
            message.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE
            message.gauge = place(data)
        case .histogram(let histogram):
            var data = PB.Histogram()
            opentelemetry__proto__metrics__v1__histogram__init(&data)
            data.aggregation_temporality = Self.temporality(histogram.temporality)
            (data.n_data_points, data.data_points) = messages(histogram.points) { $0.histogramPoint($1) }
            message.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM
            message.histogram = place(data)
        }
        return place(message)
    }

    private static func temporality(_ temporality: AggregationTemporality) -> Opentelemetry__Proto__Metrics__V1__AggregationTemporality {
        switch temporality {
        case .delta: OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_DELTA
        case .cumulative: OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_CUMULATIVE
        }
    }

    /// A pointer array of one message per element (nil when empty).
    private mutating func messages<Element, Message>(
        _ elements: [Element], _ make: (inout OTLPMessageBuilder, Element) -> UnsafeMutablePointer<Message>
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Message>?>?) {
        guard !elements.isEmpty else { return (0, nil) }
        let pointers = arena.allocate(UnsafeMutablePointer<Message>?.self, count: elements.count)
        for (index, element) in elements.enumerated() {
            (pointers + index).initialize(to: make(&self, element))
        }
        return (elements.count, pointers)
    }

    /// Sets the attributes and time stamps that every kind of data point carries.
    private mutating func setCommonFields(of message: inout some OTLPDataPointMessage, attributes: [Attribute], startTimeNanos: UInt64, timeNanos: UInt64) {
        (message.n_attributes, message.attributes) = keyValues(attributes)
        message.start_time_unix_nano = startTimeNanos
        message.time_unix_nano = timeNanos
    }

    private mutating func numberPoint(_ point: NumberDataPoint) -> UnsafeMutablePointer<PB.NumberDataPoint> {
        var message = PB.NumberDataPoint()
        opentelemetry__proto__metrics__v1__number_data_point__init(&message)
        setCommonFields(of: &message, attributes: point.attributes, startTimeNanos: point.startTimeNanos, timeNanos: point.timeNanos)
        switch point.value {
        case .int(let value):
            message.value_case = OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT
            message.as_int = value
        case .double(let value):
            message.value_case = OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_DOUBLE
            message.as_double = value
        }
        return place(message)
    }

    private mutating func histogramPoint(_ point: HistogramDataPoint) -> UnsafeMutablePointer<PB.HistogramDataPoint> {
        var message = PB.HistogramDataPoint()
        opentelemetry__proto__metrics__v1__histogram_data_point__init(&message)
        setCommonFields(of: &message, attributes: point.attributes, startTimeNanos: point.startTimeNanos, timeNanos: point.timeNanos)
        message.count = point.count
        message._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM
        message.sum = point.sum
        if let min = point.min {
            message._min_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MIN_MIN
            message.min = min
        }
        if let max = point.max {
            message._max_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX
            message.max = max
        }
        if !point.bucketCounts.isEmpty {
            let counts = arena.allocate(UInt64.self, count: point.bucketCounts.count)
            _ = UnsafeMutableBufferPointer(start: counts, count: point.bucketCounts.count).initialize(from: point.bucketCounts)
            message.n_bucket_counts = point.bucketCounts.count
            message.bucket_counts = counts
        }
        if !point.bounds.isEmpty {
            let bounds = arena.allocate(Double.self, count: point.bounds.count)
            _ = UnsafeMutableBufferPointer(start: bounds, count: point.bounds.count).initialize(from: point.bounds)
            message.n_explicit_bounds = point.bounds.count
            message.explicit_bounds = bounds
        }
        return place(message)
    }
}
