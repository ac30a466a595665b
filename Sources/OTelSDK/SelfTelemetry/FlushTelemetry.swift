/// The SDK's own telemetry about flushes: what ``FlushCoordinator`` records, per provider, after each
/// ``FlushCoordinator/forceFlush(deadline:)``, into the ``MeterProvider`` among its providers, so that it
/// leaves with the next flush's metrics, to the same collector as the application's own.
///
/// - `otel.sdk.flush.duration` (histogram, unit `s`): how long each provider's flush took, with the
///   attributes `provider` (`traces`, `metrics`, `logs`: the provider's name), `outcome` (`ok`,
///   `timed_out`, `failed`, `collector_unavailable`) and, when the outcome is not `ok`, `error.type` (`timeout`,
///   `collector_unavailable` or `_OTHER`).
///   Bucket bounds from 1 ms to 30 s (``durationBounds``): a flush to a collector on the same host takes
///   milliseconds, to a remote one tens to hundreds, and a stall runs up to the flush deadline.
/// - `otel.sdk.flush.dropped` (counter, unit `{item}`, attribute `provider`): the items (spans, log
///   records, metric data points) the provider lost since its previous flush, as its result reports them
///   (queue overflow, or refused by the receiver). Added at every flush, zero included, so the series
///   exists from the first flush on and reads 0 rather than "no data". A provider that timed out in the
///   fan-out reports no counts, so its drops are not counted here.
/// - `otel.sdk.exporter.collector_unavailable.periods` (counter, unit `{period}`, attribute `provider`): the
///   collector outages the provider's exporter began since its previous flush: exports that opened the
///   OTLP exporter's circuit breaker (the collector refused the connection or left the request unanswered).
///   The breaker is shared by the exporters of one collector, so each outage is counted once, on the provider
///   whose export found it. Added at every flush, zero included.
///
/// Names: the OpenTelemetry semantic conventions for SDK metrics (development status) define no flush
/// metric. Their operation durations (`otel.sdk.exporter.operation.duration`,
/// `otel.sdk.metric_reader.collection.duration`) are histograms in seconds that mark a failed operation
/// with `error.type` (absent on success), which these follow; `provider` and `outcome` are ours, as the
/// convention has no attribute for a signal's provider or a deadline outcome. Their item counters
/// (`otel.sdk.processor.span.processed`, `otel.sdk.exporter.span.exported`, …) count every item, per
/// component, with the cause of failure in `error.type`; a flush report only knows the drops of the whole
/// provider, hence a counter of our own in the same namespace.
///
/// Recording is a few measurements into memory: no export is triggered (so it cannot loop), no I/O is
/// awaited, nothing can fail. Thread-safe.
struct FlushTelemetry: Sendable {
    static let durationName = "otel.sdk.flush.duration"
    static let droppedName = "otel.sdk.flush.dropped"
    static let unavailablePeriodsName = "otel.sdk.exporter.collector_unavailable.periods"

    /// Seconds: 1 ms to 30 s.
    static let durationBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    private let duration: OTelHistogram<Double>
    private let dropped: OTelCounter<Int64>
    private let unavailablePeriods: OTelCounter<Int64>

    /// The instruments in `meterProvider`'s meter of the SDK's own scope.
    init(meterProvider: MeterProvider) {
        let meter = meterProvider.meter(name: SDKInfo.name, version: SDKInfo.version)
        duration = meter.histogram(
            name: Self.durationName, unit: "s", description: "Duration of a flush of one signal's provider",
            bounds: Self.durationBounds, of: Double.self)
        dropped = meter.counter(
            name: Self.droppedName, unit: "{item}", description: "Items a provider lost since its previous flush",
            of: Int64.self)
        unavailablePeriods = meter.counter(
            name: Self.unavailablePeriodsName, unit: "{period}",
            description: "Collector outages a provider's exporter began: exports whose failure opened its circuit breaker",
            of: Int64.self)
    }

    /// Records the duration, outcome and drops of every provider in `report`.
    func record(_ report: FlushReport) {
        for entry in report.entries {
            let provider = Attribute("provider", .string(entry.provider))
            var attributes = [provider, Attribute("outcome", .string(entry.outcome.attributeValue))]
            if let errorType = entry.outcome.errorType {
                attributes.append(Attribute("error.type", .string(errorType)))
            }
            duration.record(entry.duration / .seconds(1), attributes: attributes)
            dropped.add(Int64(entry.result.dropped), attributes: [provider])
            unavailablePeriods.add(Int64(entry.result.unavailablePeriods), attributes: [provider])
        }
    }
}

extension FlushOutcome {
    /// The value of the `outcome` attribute: `ok`, `timed_out`, `failed` or `collector_unavailable` (the reason is left out: it
    /// would make a series per error message).
    fileprivate var attributeValue: String {
        switch self {
        case .ok: "ok"
        case .timedOut: "timed_out"
        case .failed: "failed"
        case .collectorUnavailable: "collector_unavailable"
        }
    }

    /// The semantic conventions' `error.type`: unset on success, `timeout` for a deadline, and their
    /// fallback `_OTHER` for a failure (whose reason is free text, not a low-cardinality class).
    fileprivate var errorType: String? {
        switch self {
        case .ok: nil
        case .timedOut: "timeout"
        case .failed: "_OTHER"
        case .collectorUnavailable: "collector_unavailable"
        }
    }
}
