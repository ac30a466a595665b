/// A minimal protobuf writer, enough to build OTLP export requests by hand.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    mutating func uint(_ field: Int, _ value: UInt64) {
        key(field, 0)
        varint(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        key(field, 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ field: Int, _ value: Double) {
        fixed64(field, value.bitPattern)
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }
}

/// OTLP export requests built by hand (field numbers from opentelemetry-proto).
enum OTLPPayloads {
    private static func resource(_ w: inout ProtoWriter, _ index: Int) {
        w.message(1) { resource in  // Resource
            resource.message(1) { attribute in  // KeyValue
                attribute.string(1, "service.name")
                attribute.message(2) { $0.string(1, "service-\(index)") }  // AnyValue.string_value
            }
        }
    }

    private static func scope(_ w: inout ProtoWriter) {
        w.message(1) { $0.string(1, "receiver-tests") }  // InstrumentationScope.name
    }

    /// `ExportTraceServiceRequest` with `resources` × `spansPerResource` spans.
    ///
    /// Each resource has its own trace and each span of it its own `span_id`. Requests of different `batch` share no
    /// span identity (`trace_id` is `r + 1` repeated, its first byte plus `batch`); requests of the same `batch` share
    /// all of them.
    static func traces(resources: Int = 1, spansPerResource: Int, batch: UInt8 = 0) -> [UInt8] {
        var w = ProtoWriter()
        for r in 0..<resources {
            var traceID = [UInt8](repeating: UInt8(r + 1), count: 16)
            traceID[0] &+= batch
            w.message(1) { resourceSpans in
                resource(&resourceSpans, r)
                resourceSpans.message(2) { scopeSpans in
                    scope(&scopeSpans)
                    for s in 0..<spansPerResource {
                        scopeSpans.message(2) { span in
                            span.bytes(1, traceID)  // trace_id
                            span.bytes(2, [UInt8](repeating: UInt8(s + 1), count: 8))  // span_id
                            span.string(5, "span-\(s)")  // name
                            span.uint(6, 1)  // kind INTERNAL
                            span.fixed64(7, 1_700_000_000_000_000_000)  // start_time_unix_nano
                            span.fixed64(8, 1_700_000_000_000_001_000)  // end_time_unix_nano
                        }
                    }
                }
            }
        }
        return w.bytes
    }

    /// `ExportMetricsServiceRequest` with `resources` × `metricsPerResource` gauges of `pointsPerMetric` points.
    static func metrics(resources: Int = 1, metricsPerResource: Int, pointsPerMetric: Int) -> [UInt8] {
        var w = ProtoWriter()
        for r in 0..<resources {
            w.message(1) { resourceMetrics in
                resource(&resourceMetrics, r)
                resourceMetrics.message(2) { scopeMetrics in
                    scope(&scopeMetrics)
                    for m in 0..<metricsPerResource {
                        scopeMetrics.message(2) { metric in
                            metric.string(1, "gauge-\(m)")  // name
                            metric.message(5) { gauge in  // gauge
                                for p in 0..<pointsPerMetric {
                                    gauge.message(1) { point in  // NumberDataPoint
                                        point.fixed64(3, 1_700_000_000_000_000_000)  // time_unix_nano
                                        point.double(4, Double(p))  // as_double
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return w.bytes
    }

    /// `ExportLogsServiceRequest` with `resources` × `recordsPerResource` log records.
    static func logs(resources: Int = 1, recordsPerResource: Int) -> [UInt8] {
        var w = ProtoWriter()
        for r in 0..<resources {
            w.message(1) { resourceLogs in
                resource(&resourceLogs, r)
                resourceLogs.message(2) { scopeLogs in
                    scope(&scopeLogs)
                    for l in 0..<recordsPerResource {
                        scopeLogs.message(2) { record in
                            record.fixed64(1, 1_700_000_000_000_000_000)  // time_unix_nano
                            record.uint(2, 9)  // severity_number INFO
                            record.message(5) { $0.string(1, "log line \(l)") }  // body
                        }
                    }
                }
            }
        }
        return w.bytes
    }

    /// Field 1 declares 127 bytes but 2 follow: every protobuf parser rejects it.
    static let malformed: [UInt8] = [0x0A, 0x7F, 0x08, 0x01]
}
