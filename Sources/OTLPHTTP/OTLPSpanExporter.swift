import Logging
import OTelSDK

/// Exports spans as OTLP/HTTP protobuf (`POST /v1/traces`, `OTLPTraceEncoder`); see ``OTLPExporter``
/// for the transport, retry and thread-safety guarantees.
public typealias OTLPSpanExporter = OTLPExporter<SpanData>

extension OTLPExporter where Item == SpanData {
    /// - Parameters:
    ///   - configuration: a `.traces` configuration; another signal's is reported on `diagnostics`, and every batch is
    ///     then rejected.
    ///   - diagnostics: where the exporter reports what goes wrong (an unreadable certificate, a partial success, the
    ///     circuit breaker opening and closing), outside the telemetry pipeline.
    public convenience init(configuration: OTLPExporterConfiguration, diagnostics: Logger = DiagnosticLogger.make()) {
        self.init(signal: .traces, configuration: configuration, diagnostics: diagnostics, encode: { OTLPTraceEncoder.encode($0, into: &$1) })
    }

    /// An exporter configured from `OTEL_EXPORTER_OTLP[_TRACES]_*`.
    public convenience init(environment: OTelEnvironment) {
        self.init(signal: .traces, environment: environment, encode: { OTLPTraceEncoder.encode($0, into: &$1) })
    }
}
