/// One of the three OTLP signals, with the OTLP/HTTP request path it is exported to.
///
/// The raw value is the last path component (`"traces"`, `"metrics"`, `"logs"`).
public enum OTLPSignal: String, Sendable, CaseIterable {
    /// Spans: `ExportTraceServiceRequest` on `/v1/traces`.
    case traces
    /// Metrics: `ExportMetricsServiceRequest` on `/v1/metrics`.
    case metrics
    /// Log records: `ExportLogsServiceRequest` on `/v1/logs`.
    case logs

    /// The default OTLP/HTTP URL path of this signal: `"/v1/traces"`, `"/v1/metrics"` or `"/v1/logs"`.
    public var path: String {
        "/v1/\(rawValue)"
    }
}
