/// Collects a ``MeterProvider``'s metrics and exports them; ``PeriodicExportingMetricReader`` is the
/// standard one. A provider registers each of its readers once, at its creation.
public protocol MetricReader: Sendable {
    /// Which temporality the reader's exporter wants per instrument kind.
    var temporalityPreference: TemporalityPreference { get }
    /// Called once by the provider, before any collection: how to collect its metrics.
    func register(_ producer: MetricProducer)
    /// Collects and exports now, returning by `deadline`.
    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult
    /// Collects and exports a last time, then stops and shuts the exporter down, by `deadline`.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult
}

/// A provider's collection as one reader sees it (its own temporality and per-reader state).
///
/// `collect()` is thread-safe; the provider runs one collection at a time (observable callbacks
/// never run concurrently with each other).
public struct MetricProducer: Sendable {
    private let body: @Sendable () -> [MetricData]

    init(_ body: @escaping @Sendable () -> [MetricData]) {
        self.body = body
    }

    /// Drains every instrument's measurements for this reader and returns its metrics.
    public func collect() -> [MetricData] {
        body()
    }
}

/// A metric exporter.
public typealias MetricExporter = TelemetryExporter<MetricData>
