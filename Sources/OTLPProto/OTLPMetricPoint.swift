import COTLP
import CProtobufC

/// One data point of an `ExportMetricsServiceRequest`, read back with its metric's name and unit: what a
/// test needs to check which series a collector received.
///
/// Gauge and sum points (``Value/int(_:)``, ``Value/double(_:)``) and explicit-bucket histogram points
/// (``Value/histogram(count:bucketCounts:)``) are read; exponential histograms and summaries are skipped.
public struct OTLPMetricPoint: Sendable, Equatable {
    /// A point's value.
    public enum Value: Sendable, Equatable {
        case int(Int64)
        case double(Double)
        case histogram(count: UInt64, bucketCounts: [UInt64])
    }

    /// The metric's name.
    public var metric: String
    /// The metric's unit.
    public var unit: String
    /// The point's attributes with a string, bool, int or double value, as text by key; others are left out.
    public var attributes: [String: String]
    public var value: Value

    /// Creates a point from its parts.
    public init(metric: String, unit: String, attributes: [String: String], value: Value) {
        self.metric = metric
        self.unit = unit
        self.attributes = attributes
        self.value = value
    }

    /// Every gauge, sum and histogram point of an `ExportMetricsServiceRequest`, in request order.
    ///
    /// - Parameter protobuf: The uncompressed protobuf request body.
    /// - Throws: `OTLPDecodingError` when the bytes are not a valid metrics request.
    public static func decode(protobuf: [UInt8]) throws -> [OTLPMetricPoint] {
        try withUnpackedProtobufC(
            protobuf,
            messageType: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
            unpack: opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__unpack
        ) { request in
            var points: [OTLPMetricPoint] = []
            for resourceMetrics in elements(request.pointee.resource_metrics, request.pointee.n_resource_metrics) {
                for scopeMetrics in elements(resourceMetrics.pointee.scope_metrics, resourceMetrics.pointee.n_scope_metrics) {
                    for metric in elements(scopeMetrics.pointee.metrics, scopeMetrics.pointee.n_metrics) {
                        points += Self.points(of: metric.pointee)
                    }
                }
            }
            return points
        }
    }

    private static func points(of metric: Opentelemetry__Proto__Metrics__V1__Metric) -> [OTLPMetricPoint] {
        let name = swiftString(metric.name)
        let unit = swiftString(metric.unit)
        func numberPoints(_ data: UnsafeMutablePointer<UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__NumberDataPoint>?>?, _ count: Int) -> [OTLPMetricPoint] {
            elements(data, count).map { point in
                let value: Value = point.pointee.value_case == OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT
                    ? .int(point.pointee.as_int) : .double(point.pointee.as_double)
                return OTLPMetricPoint(metric: name, unit: unit, attributes: attributes(point.pointee.attributes, point.pointee.n_attributes), value: value)
            }
        }
        switch metric.data_case {
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE:
            return numberPoints(metric.gauge?.pointee.data_points, metric.gauge?.pointee.n_data_points ?? 0)
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM:
            return numberPoints(metric.sum?.pointee.data_points, metric.sum?.pointee.n_data_points ?? 0)
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM:
            return elements(metric.histogram?.pointee.data_points, metric.histogram?.pointee.n_data_points ?? 0).map { point in
                let buckets = point.pointee.bucket_counts.map { Array(UnsafeBufferPointer(start: $0, count: point.pointee.n_bucket_counts)) } ?? []
                return OTLPMetricPoint(
                    metric: name, unit: unit, attributes: attributes(point.pointee.attributes, point.pointee.n_attributes),
                    value: .histogram(count: point.pointee.count, bucketCounts: buckets))
            }
        default:
            return []
        }
    }

    private static func attributes(
        _ keyValues: UnsafeMutablePointer<UnsafeMutablePointer<Opentelemetry__Proto__Common__V1__KeyValue>?>?, _ count: Int
    ) -> [String: String] {
        var result: [String: String] = [:]
        for keyValue in elements(keyValues, count) {
            guard let value = keyValue.pointee.value?.pointee else { continue }
            let text: String? = switch value.value_case {
            case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE: swiftString(value.string_value)
            case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE: String(value.bool_value != 0)
            case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE: String(value.int_value)
            case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE: String(value.double_value)
            default: nil
            }
            result[swiftString(keyValue.pointee.key)] = text
        }
        return result
    }
}
