import OTelSDK

extension TracerProvider {
    /// The standard trace pipeline, configured only by `OTEL_*` variables: resource, sampler, limits
    /// and propagators (see `TracerProvider.init(environment:processors:additionalResource:)`), a
    /// batch span processor (`OTEL_BSP_*`) and an OTLP/HTTP exporter (`OTEL_EXPORTER_OTLP_*`).
    ///
    /// `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` gives a provider that records nothing.
    /// Any `OTEL_TRACES_EXPORTER` other than `otlp` or `none` is reported and `otlp` is used.
    public static func otlp(environment: OTelEnvironment = .process(), additionalResource: Resource = .empty) -> TracerProvider {
        if environment.bool("OTEL_SDK_DISABLED", default: false) {
            return TracerProvider(resource: .empty, sampler: AlwaysOffSampler(), processors: [])
        }
        guard environment.exportsOTLP(exporterVariable: "OTEL_TRACES_EXPORTER") else {
            return TracerProvider(environment: environment, processors: [], additionalResource: additionalResource)
        }
        let processor = BatchSpanProcessor(
            exporter: OTLPSpanExporter(environment: environment),
            configuration: .spans(environment: environment),
            diagnostics: environment.diagnostics
        )
        return TracerProvider(environment: environment, processors: [processor], additionalResource: additionalResource)
    }
}
