import Synchronization

/// Measurements dropped because they were NaN or infinite where they would be added to a series: one such value
/// makes a sum, a histogram's sum or a gauge's running value NaN or infinite for the rest of the process. Counted
/// process-wide; the first one is reported on the diagnostics logger, naming its instrument.
enum NonFiniteMeasurements {
    private static let dropped = Atomic<Int>(0)

    /// How many have been dropped since the process started.
    static var count: Int { dropped.load(ordering: .relaxed) }

    /// Counts one dropped measurement of `instrument`.
    static func drop(instrument: String, value: Double) {
        if dropped.wrappingAdd(1, ordering: .relaxed).oldValue == 0 {
            DiagnosticLogger.make().warning(
                "dropped a measurement of \(value) for the metric '\(instrument)': a NaN or infinite value would stay in the series for the life of the process; later ones are dropped and counted without a message (MeterProvider.droppedNonFiniteMeasurements)")
        }
    }
}

extension MetricValue {
    /// Whether the value can be added to a series: any integer, or a finite floating-point number.
    @inline(__always)
    var isFiniteMeasurement: Bool { Self.isMetricInteger || metricDoubleValue.isFinite }
}

extension MeterProvider {
    /// Measurements dropped since the process started because they were NaN or infinite and would have been added
    /// to a series (counters, up-down counters, histograms, swift-metrics counters, recorders, timers and meters'
    /// increments). Process-wide, across providers.
    public static var droppedNonFiniteMeasurements: Int { NonFiniteMeasurements.count }
}
