/// Which temporality a reader asks for, per instrument kind
/// (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, as the OTLP metrics exporter spec defines it).
///
/// | preference | counter, histogram | observable counter | up-down counters |
/// | --- | --- | --- | --- |
/// | `cumulative` | cumulative | cumulative | cumulative |
/// | `delta` | delta | delta | cumulative |
/// | `lowmemory` | delta | cumulative | cumulative |
///
/// Gauges have no temporality: each collection reports the last value (a delta reader only those
/// set since its previous collection).
public enum TemporalityPreference: String, Sendable, CaseIterable {
    case cumulative
    case delta
    case lowMemory = "lowmemory"

    public func temporality(for kind: InstrumentKind) -> AggregationTemporality {
        switch (self, kind) {
        case (.cumulative, _), (_, .upDownCounter), (_, .observableUpDownCounter): .cumulative
        case (.lowMemory, .observableCounter): .cumulative
        case (_, .gauge), (_, .observableGauge): self == .cumulative ? .cumulative : .delta
        default: .delta
        }
    }

    /// Reads `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` (case-insensitive); a malformed
    /// value is reported and `cumulative` applies.
    public init(environment: OTelEnvironment) {
        let name = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
        guard let value = environment.string(name) else {
            self = .cumulative
            return
        }
        guard let parsed = TemporalityPreference(rawValue: value.lowercased()) else {
            environment.warnMalformed(name, value, expected: "cumulative, delta or lowmemory", defaultDescription: "cumulative")
            self = .cumulative
            return
        }
        self = parsed
    }
}
