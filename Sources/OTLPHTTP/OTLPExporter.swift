import Logging
import NIOCore
import OTelSDK
import OTLPProto

/// Exports one signal's items as OTLP/HTTP protobuf (`POST /v1/<signal>`), encoded with
/// libprotobuf-c and optionally gzipped with zlib: the exporter behind ``OTLPSpanExporter`` and
/// ``OTLPLogRecordExporter``, which say how a batch is encoded.
///
/// See ``OTLPExporterConfiguration`` for the endpoint, headers, compression and timeout rules and
/// `OTLPHTTPClient` for retries and the circuit breaker: transient failures come back as `.retryLater`
/// (the processor keeps the batch), a collector that refuses connections or leaves requests
/// unanswered as `.collectorUnavailable` (kept too, and later exports return at once until a probe
/// gets an answer, see ``OTLPCircuitBreakerPolicy``), permanent refusals as `.rejected`; a partial success is logged to the diagnostics
/// logger and counts as delivered. `export` returns by its deadline. Thread-safe; processors call
/// `export` one batch at a time, and `prepare` the next while it waits on the network.
public final class OTLPExporter<Item: Sendable>: TelemetryExporter {
    private let client: OTLPHTTPClient
    /// Encodes a batch into the client's encoding workspace.
    private let encode: @Sendable ([Item], inout OTLPEncodingWorkspace) -> Void

    public var configuration: OTLPExporterConfiguration { client.configuration }

    /// Set when the configuration is another signal's: every batch is then rejected with it.
    private let signalMismatch: ExportFailure?

    init(signal: OTLPSignal, configuration: OTLPExporterConfiguration, diagnostics: Logger, encode: @escaping @Sendable ([Item], inout OTLPEncodingWorkspace) -> Void) {
        self.signalMismatch = configuration.signalMismatch(exporting: signal, diagnostics: diagnostics)
        self.client = OTLPHTTPClient(configuration: configuration, diagnostics: diagnostics)
        self.encode = encode
    }

    /// An exporter of `signal` configured from `OTEL_EXPORTER_OTLP[_<SIGNAL>]_*`.
    convenience init(signal: OTLPSignal, environment: OTelEnvironment, encode: @escaping @Sendable ([Item], inout OTLPEncodingWorkspace) -> Void) {
        self.init(signal: signal, configuration: OTLPExporterConfiguration(signal: signal, environment: environment), diagnostics: environment.diagnostics, encode: encode)
    }

    /// A batch's request body, encoded and gzipped (when configured) by ``prepare(_:)``.
    public struct PreparedBatch: Sendable {
        /// `nil` for an empty batch, which is not sent.
        fileprivate let body: Result<ByteBuffer, ExportFailure>?
    }

    public func export(_ batch: [Item], deadline: ContinuousClock.Instant) async -> ExportResult {
        await export(batch, prepared: prepare(batch), deadline: deadline)
    }

    /// Encodes `batch` (and gzips it when configured) into the request body, in memory this exporter
    /// keeps: two bodies at a time, the one being sent and the next.
    public func prepare(_ batch: [Item]) -> PreparedBatch {
        PreparedBatch(body: batch.isEmpty ? nil : client.body { workspace in encode(batch, &workspace) })
    }

    public func export(_ batch: [Item], prepared: PreparedBatch, deadline: ContinuousClock.Instant) async -> ExportResult {
        guard let body = prepared.body else { return .success }
        if let signalMismatch { return .rejected(signalMismatch) }
        return await client.send(body, deadline: deadline)
    }

    /// From now on a collector counted as unavailable is probed by the next export, back-off or not: the
    /// final flush is the last chance for what is queued.
    public func beginShutdown() {
        client.beginShutdown()
    }

    public func shutdown(deadline: ContinuousClock.Instant) async {
        await client.shutdown()
    }
}
