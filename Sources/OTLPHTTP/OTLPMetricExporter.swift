import Logging
import OTelSDK

/// Exports metrics as OTLP/HTTP protobuf (`POST /v1/metrics`), encoded with libprotobuf-c and
/// optionally gzipped with zlib, through the same HTTP core as spans and log records.
///
/// See ``OTLPExporterConfiguration`` for the endpoint, headers, compression and timeout rules
/// (`OTEL_EXPORTER_OTLP[_METRICS]_*`) and `OTLPHTTPClient` for retries and the circuit breaker
/// (``OTLPCircuitBreakerPolicy``): transient failures come back as `.retryLater` and an unavailable
/// collector as `.collectorUnavailable` (the reader keeps delta data for the next export), permanent refusals as
/// `.rejected`; a partial success is logged. Thread-safe; the reader exports one batch at a time,
/// and `export` returns by the deadline.
public final class OTLPMetricExporter: MetricExporter {
    private let client: OTLPHTTPClient

    public var configuration: OTLPExporterConfiguration { client.configuration }

    /// Set when the configuration is another signal's: every batch is then rejected with it.
    private let signalMismatch: ExportFailure?

    /// - Parameters:
    ///   - configuration: a `.metrics` configuration; another signal's is reported on `diagnostics`, and every batch is
    ///     then rejected.
    ///   - diagnostics: where the exporter reports what goes wrong (an unreadable certificate, a partial success, the
    ///     circuit breaker opening and closing), outside the telemetry pipeline.
    public init(configuration: OTLPExporterConfiguration, diagnostics: Logger = DiagnosticLogger.make()) {
        self.signalMismatch = configuration.signalMismatch(exporting: .metrics, diagnostics: diagnostics)
        self.client = OTLPHTTPClient(configuration: configuration, diagnostics: diagnostics)
    }

    /// An exporter configured from `OTEL_EXPORTER_OTLP[_METRICS]_*`.
    public convenience init(environment: OTelEnvironment) {
        self.init(configuration: OTLPExporterConfiguration(signal: .metrics, environment: environment), diagnostics: environment.diagnostics)
    }

    public func export(_ batch: [MetricData], deadline: ContinuousClock.Instant) async -> ExportResult {
        guard !batch.isEmpty else { return .success }
        if let signalMismatch { return .rejected(signalMismatch) }
        return await client.send(OTLPMetricEncoder.encode(batch), deadline: deadline)
    }

    /// From now on a collector counted as unavailable is probed by the next export, back-off or not: the
    /// final flush is the last chance for what is kept.
    public func beginShutdown() {
        client.beginShutdown()
    }

    public func shutdown(deadline: ContinuousClock.Instant) async {
        await client.shutdown()
    }
}
