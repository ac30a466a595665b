import COTLP
import CProtobufC

/// Counts of what an `Export{Trace,Metrics,Logs}ServiceRequest` carries.
///
/// Used by the test receiver to record what arrived, and by tests to compare with what an
/// exporter sent.
public struct OTLPRequestSummary: Sendable, Equatable {
    /// Number of `ResourceSpans`, `ResourceMetrics` or `ResourceLogs` in the request.
    public var resources: Int
    /// Number of spans (traces), metric data points of every kind (metrics: gauge and sum
    /// number points, histogram, exponential histogram and summary points), or log records
    /// (logs).
    public var items: Int
    /// Number of `Metric` messages (metrics); always 0 for traces and logs.
    public var metrics: Int

    /// Creates a summary from its counts.
    public init(resources: Int, items: Int, metrics: Int) {
        self.resources = resources
        self.items = items
        self.metrics = metrics
    }

    /// Decodes an `Export{Trace,Metrics,Logs}ServiceRequest` with libprotobuf-c and counts it.
    ///
    /// The decoded message is freed before returning. An empty byte array is a valid,
    /// empty request (all counts 0), as in protobuf.
    ///
    /// - Parameters:
    ///   - signal: Which request message `protobuf` holds.
    ///   - protobuf: The uncompressed protobuf request body.
    /// - Throws: `OTLPDecodingError` when the bytes are not a valid request of that signal.
    public static func decode(_ signal: OTLPSignal, protobuf: [UInt8]) throws -> OTLPRequestSummary {
        var spans: [OTLPSpanIdentity]? = nil
        return try decode(signal, protobuf: protobuf, spans: &spans)
    }

    /// Decodes and counts like ``decode(_:protobuf:)``; in the same pass, when `spans` is not `nil`, appends the
    /// identity of each span of a trace request to it, in request order (nothing for metrics and logs).
    static func decode(
        _ signal: OTLPSignal,
        protobuf: [UInt8],
        spans: inout [OTLPSpanIdentity]?
    ) throws -> OTLPRequestSummary {
        switch signal {
        case .traces:
            return try withUnpackedProtobufC(
                protobuf,
                messageType: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
                unpack: opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack
            ) { summarize(traces: $0, spans: &spans) }
        case .metrics:
            return try withUnpackedProtobufC(
                protobuf,
                messageType: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
                unpack: opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__unpack,
                summarize(metrics:)
            )
        case .logs:
            return try withUnpackedProtobufC(
                protobuf,
                messageType: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
                unpack: opentelemetry__proto__collector__logs__v1__export_logs_service_request__unpack,
                summarize(logs:)
            )
        }
    }

    private static func summarize(
        traces request: UnsafePointer<Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest>,
        spans identities: inout [OTLPSpanIdentity]?
    ) -> OTLPRequestSummary {
        var spans = 0
        for resourceSpans in elements(request.pointee.resource_spans, request.pointee.n_resource_spans) {
            for scopeSpans in elements(resourceSpans.pointee.scope_spans, resourceSpans.pointee.n_scope_spans) {
                spans += scopeSpans.pointee.n_spans
                guard identities != nil else { continue }
                for span in elements(scopeSpans.pointee.spans, scopeSpans.pointee.n_spans) {
                    identities?.append(
                        OTLPSpanIdentity(traceID: bytes(span.pointee.trace_id), spanID: bytes(span.pointee.span_id))
                    )
                }
            }
        }
        return OTLPRequestSummary(resources: request.pointee.n_resource_spans, items: spans, metrics: 0)
    }

    private static func summarize(
        metrics request: UnsafePointer<Opentelemetry__Proto__Collector__Metrics__V1__ExportMetricsServiceRequest>
    ) -> OTLPRequestSummary {
        var metrics = 0
        var points = 0
        for resourceMetrics in elements(request.pointee.resource_metrics, request.pointee.n_resource_metrics) {
            for scopeMetrics in elements(resourceMetrics.pointee.scope_metrics, resourceMetrics.pointee.n_scope_metrics) {
                metrics += scopeMetrics.pointee.n_metrics
                for metric in elements(scopeMetrics.pointee.metrics, scopeMetrics.pointee.n_metrics) {
                    points += dataPointCount(metric.pointee)
                }
            }
        }
        return OTLPRequestSummary(resources: request.pointee.n_resource_metrics, items: points, metrics: metrics)
    }

    private static func summarize(
        logs request: UnsafePointer<Opentelemetry__Proto__Collector__Logs__V1__ExportLogsServiceRequest>
    ) -> OTLPRequestSummary {
        var records = 0
        for resourceLogs in elements(request.pointee.resource_logs, request.pointee.n_resource_logs) {
            for scopeLogs in elements(resourceLogs.pointee.scope_logs, resourceLogs.pointee.n_scope_logs) {
                records += scopeLogs.pointee.n_log_records
            }
        }
        return OTLPRequestSummary(resources: request.pointee.n_resource_logs, items: records, metrics: 0)
    }

    /// Number of data points of whichever kind the metric's `data` oneof holds (0 if unset).
    private static func dataPointCount(_ metric: Opentelemetry__Proto__Metrics__V1__Metric) -> Int {
        switch metric.data_case {
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE:
            return metric.gauge?.pointee.n_data_points ?? 0
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM:
            return metric.sum?.pointee.n_data_points ?? 0
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM:
            return metric.histogram?.pointee.n_data_points ?? 0
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_EXPONENTIAL_HISTOGRAM:
            return metric.exponential_histogram?.pointee.n_data_points ?? 0
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUMMARY:
            return metric.summary?.pointee.n_data_points ?? 0
        default:
            return 0
        }
    }
}

/// The bytes of a protobuf-c `bytes` field; only valid while its message is.
private func bytes(_ field: ProtobufCBinaryData) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: field.data, count: field.data == nil ? 0 : field.len)
}
