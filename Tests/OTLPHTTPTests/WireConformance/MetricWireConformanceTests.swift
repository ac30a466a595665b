import OTelSDK
import Testing

@testable import OTLPHTTP

/// The metric encoder's bytes, decoded by the official OpenTelemetry definitions
/// (`decode_to_json.py --signal metrics`: parse errors, unknown fields and non-canonical encodings
/// are rejected), compared field by field with literal values.
@Suite("Wire conformance of metrics with the official OTLP definitions", .timeLimit(.minutes(2)))
struct MetricWireConformanceTests {
    static let resource = Resource(attributes: [Attribute("service.name", .string("wire\u{0}metrics"))])
    static let scope = InstrumentationScope(name: "meter", version: "1.0")
    static let route = [Attribute("route", .string("/a")), Attribute("empty", .string(""))]

    static func batch() -> [MetricData] {
        [
            MetricData(
                resource: resource, scope: scope, name: "requests", description: "Requests served", unit: "{request}",
                points: .sum(SumPoints(isMonotonic: true, temporality: .delta, points: [
                    NumberDataPoint(attributes: route, startTimeNanos: 1_700_000_000_000_000_000, timeNanos: 1_700_000_001_000_000_000, value: .int(-0x7FFF_FFFF_FFFF)),
                    NumberDataPoint(attributes: [], startTimeNanos: 1, timeNanos: 2, value: .int(0)),
                ]))),
            MetricData(
                resource: resource, scope: scope, name: "queue", description: "", unit: "",
                points: .sum(SumPoints(isMonotonic: false, temporality: .cumulative, points: [
                    NumberDataPoint(attributes: [], startTimeNanos: 3, timeNanos: 4, value: .double(-2.5)),
                ]))),
            MetricData(
                resource: resource, scope: scope, name: "temperature", description: "", unit: "Cel",
                points: .gauge([NumberDataPoint(attributes: [], startTimeNanos: 5, timeNanos: 6, value: .double(0))])),
            MetricData(
                resource: resource, scope: scope, name: "latency", description: "", unit: "ms",
                points: .histogram(HistogramPoints(temporality: .cumulative, points: [
                    HistogramDataPoint(
                        attributes: route, startTimeNanos: 7, timeNanos: 8, count: 4, sum: 31.5, min: 0, max: 20,
                        bounds: [0, 5, 10], bucketCounts: [1, 2, 0, 1]),
                    HistogramDataPoint(
                        attributes: [], startTimeNanos: 9, timeNanos: 10, count: 0, sum: 0, min: nil, max: nil,
                        bounds: [1], bucketCounts: [0, 0]),
                ]))),
        ]
    }

    @Test("every field of sums, gauges and histograms decodes to what the metrics say")
    func literals() async throws {
        let decoded = try await OfficialProtoDecoder.decode(OTLPMetricEncoder.encode(Self.batch()), signal: "metrics")
        let resource = try #require(decoded["resource_metrics"]?[0])
        #expect(resource["resource"]?["attributes"]?[0]?["value"] == ["string_value": "wire\u{FFFD}metrics"])
        #expect(resource["scope_metrics"]?[0]?["scope"]?["version"] == "1.0")
        let metrics = try #require(resource["scope_metrics"]?[0]?["metrics"])

        let requests = try #require(metrics[0])
        #expect(requests["name"] == "requests" && requests["description"] == "Requests served" && requests["unit"] == "{request}")
        #expect(requests["sum"]?["is_monotonic"] == .bool(true))
        #expect(requests["sum"]?["aggregation_temporality"] == "AGGREGATION_TEMPORALITY_DELTA")
        let first = try #require(requests["sum"]?["data_points"]?[0])
        #expect(first["as_int"] == "-140737488355327")
        #expect(first["start_time_unix_nano"] == "1700000000000000000")
        #expect(first["time_unix_nano"] == "1700000001000000000")
        #expect(first["attributes"]?[1]?["key"] == "empty" && first["attributes"]?[1]?["value"] == ["string_value": ""])
        #expect(requests["sum"]?["data_points"]?[1]?["as_int"] == "0")  // a zero value keeps its oneof case

        #expect(metrics[1]?["sum"]?["is_monotonic"] == .bool(false))
        #expect(metrics[1]?["sum"]?["aggregation_temporality"] == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        #expect(metrics[1]?["sum"]?["data_points"]?[0]?["as_double"] == .number(-2.5))
        #expect(metrics[2]?["gauge"]?["data_points"]?[0]?["as_double"] == .number(0))
        #expect(metrics[2]?["sum"] == nil)

        let histogram = try #require(metrics[3]?["histogram"])
        #expect(histogram["aggregation_temporality"] == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        let point = try #require(histogram["data_points"]?[0])
        #expect(point["count"] == "4")
        #expect(point["sum"] == .number(31.5))
        #expect(point["min"] == .number(0))
        #expect(point["max"] == .number(20))
        #expect(point["bucket_counts"] == ["1", "2", "0", "1"])
        #expect(point["explicit_bounds"] == [.number(0), .number(5), .number(10)])
        #expect(point["start_time_unix_nano"] == "7" && point["time_unix_nano"] == "8")
        let empty = try #require(histogram["data_points"]?[1])
        #expect(empty["count"] == "0" && empty["sum"] == .number(0))
        #expect(empty["min"] == nil && empty["max"] == nil)
    }
}
