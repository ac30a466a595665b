import Logging
import OTelSDK
import OTLPProto

/// Exports spans as OTLP/HTTP protobuf (`POST /v1/traces`), encoded with libprotobuf-c and
/// optionally gzipped with zlib.
///
/// See ``OTLPExporterConfiguration`` for the endpoint, headers, compression and timeout rules and
/// `OTLPHTTPClient` for retries: transient failures come back as `.retryLater` (the processor keeps
/// the batch), permanent refusals as `.rejected`. Thread-safe; the processor calls `export` one batch
/// at a time.
public final class OTLPSpanExporter: SpanExporter {
    private let client: OTLPHTTPClient

    public var configuration: OTLPExporterConfiguration { client.configuration }

    public init(configuration: OTLPExporterConfiguration, diagnostics: Logger = DiagnosticLogger.make()) {
        precondition(configuration.signal == .traces, "OTLPSpanExporter needs a traces configuration")
        self.client = OTLPHTTPClient(configuration: configuration, diagnostics: diagnostics)
    }

    /// An exporter configured from `OTEL_EXPORTER_OTLP[_TRACES]_*`.
    public convenience init(environment: OTelEnvironment) {
        self.init(configuration: OTLPExporterConfiguration(signal: .traces, environment: environment), diagnostics: environment.diagnostics)
    }

    public func export(_ batch: [SpanData], deadline: ContinuousClock.Instant) async -> ExportResult {
        guard !batch.isEmpty else { return .success }
        return await client.send(OTLPTraceEncoder.encode(batch), deadline: deadline)
    }

    public func shutdown(deadline: ContinuousClock.Instant) async {
        await client.shutdown()
    }
}
