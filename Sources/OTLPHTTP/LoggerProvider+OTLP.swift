import OTelSDK

extension LoggerProvider {
    /// The standard log pipeline, configured only by `OTEL_*` variables: resource and limits (see
    /// `LoggerProvider.init(environment:processors:additionalResource:)`), a batch log record
    /// processor (`OTEL_BLRP_*`) and an OTLP/HTTP exporter (`OTEL_EXPORTER_OTLP[_LOGS]_*`).
    ///
    /// `OTEL_SDK_DISABLED=true` or `OTEL_LOGS_EXPORTER=none` gives a provider that exports nothing.
    /// Any `OTEL_LOGS_EXPORTER` other than `otlp` or `none` is reported and `otlp` is used.
    public static func otlp(environment: OTelEnvironment = .process(), additionalResource: Resource = .empty) -> LoggerProvider {
        if environment.bool("OTEL_SDK_DISABLED", default: false) {
            return LoggerProvider(resource: .empty, processors: [])
        }
        guard environment.exportsOTLP(exporterVariable: "OTEL_LOGS_EXPORTER") else {
            return LoggerProvider(environment: environment, processors: [], additionalResource: additionalResource)
        }
        let processor = BatchLogRecordProcessor(
            exporter: OTLPLogRecordExporter(environment: environment),
            configuration: .logRecords(environment: environment),
            diagnostics: environment.diagnostics
        )
        return LoggerProvider(environment: environment, processors: [processor], additionalResource: additionalResource)
    }
}
