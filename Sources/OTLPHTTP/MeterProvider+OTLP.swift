import OTelSDK

extension MeterProvider {
    /// The standard metrics pipeline, configured only by `OTEL_*` variables: the resource
    /// (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, merged with `additionalResource`), a
    /// `PeriodicExportingMetricReader` (`OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_METRIC_EXPORT_TIMEOUT`,
    /// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`) and an OTLP/HTTP exporter
    /// (`OTEL_EXPORTER_OTLP[_METRICS]_*`).
    ///
    /// `OTEL_SDK_DISABLED=true` or `OTEL_METRICS_EXPORTER=none` gives a provider without readers:
    /// instruments work and nothing is exported. Any `OTEL_METRICS_EXPORTER` other than `otlp` or
    /// `none` is reported and `otlp` is used.
    public static func otlp(environment: OTelEnvironment = .process(), additionalResource: Resource = .empty) -> MeterProvider {
        if environment.bool("OTEL_SDK_DISABLED", default: false) {
            return MeterProvider(resource: .empty, readers: [])
        }
        guard environment.exportsOTLP(exporterVariable: "OTEL_METRICS_EXPORTER") else {
            return MeterProvider(environment: environment, readers: [], additionalResource: additionalResource)
        }
        let reader = PeriodicExportingMetricReader(exporter: OTLPMetricExporter(environment: environment), environment: environment)
        return MeterProvider(environment: environment, readers: [reader], additionalResource: additionalResource)
    }
}
