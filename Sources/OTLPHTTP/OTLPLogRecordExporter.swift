import Logging
import OTelSDK

/// Exports log records as OTLP/HTTP protobuf (`POST /v1/logs`, `OTLPLogRecordEncoder`) through the
/// same HTTP core as spans; see ``OTLPExporter`` for the transport, retry and thread-safety guarantees.
public typealias OTLPLogRecordExporter = OTLPExporter<LogRecordData>

extension OTLPExporter where Item == LogRecordData {
    /// - Parameters:
    ///   - configuration: a `.logs` configuration; another signal's is reported on `diagnostics`, and every batch is
    ///     then rejected.
    ///   - diagnostics: where the exporter reports what goes wrong (an unreadable certificate, a partial success, the
    ///     circuit breaker opening and closing), outside the telemetry pipeline.
    public convenience init(configuration: OTLPExporterConfiguration, diagnostics: Logger = DiagnosticLogger.make()) {
        self.init(signal: .logs, configuration: configuration, diagnostics: diagnostics, encode: { OTLPLogRecordEncoder.encode($0, into: &$1) })
    }

    /// An exporter configured from `OTEL_EXPORTER_OTLP[_LOGS]_*`.
    public convenience init(environment: OTelEnvironment) {
        self.init(signal: .logs, environment: environment, encode: { OTLPLogRecordEncoder.encode($0, into: &$1) })
    }
}
