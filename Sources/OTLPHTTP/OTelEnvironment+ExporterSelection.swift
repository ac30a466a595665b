import OTelSDK

extension OTelEnvironment {
    /// Whether a signal's pipeline exports over OTLP: false when `OTEL_SDK_DISABLED=true` or the
    /// signal's exporter variable (`OTEL_TRACES_EXPORTER`, `OTEL_LOGS_EXPORTER`, ...) is `none`.
    /// Any value other than `otlp` or `none` is reported and `otlp` is used.
    func exportsOTLP(exporterVariable name: String) -> Bool {
        switch string(name)?.lowercased() ?? "otlp" {
        case "none":
            return false
        case "otlp":
            return true
        case let other:
            warnMalformed(name, other, expected: "otlp or none", defaultDescription: "otlp")
            return true
        }
    }
}
