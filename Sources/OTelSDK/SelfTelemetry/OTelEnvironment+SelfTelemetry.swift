extension OTelEnvironment {
    /// Whether the SDK records telemetry about itself (see ``FlushCoordinator``): `OTEL_LAMBDA_SELF_TELEMETRY`,
    /// on unless set to `false` (a malformed value is reported and leaves it on). The variable carries the
    /// package's own prefix, as the Lambda flush variables do: the specification defines none for this.
    public var isSelfTelemetryEnabled: Bool {
        bool("OTEL_LAMBDA_SELF_TELEMETRY", default: true)
    }
}
