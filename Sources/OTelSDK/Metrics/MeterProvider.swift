import NIOConcurrencyHelpers
import Synchronization
import Tracing

/// The metrics signal's provider: owns the resource, the readers and the meters.
///
/// Thread-safe. Recording never blocks on I/O: instruments write to atomics in memory, and the
/// readers collect and export on their own schedule and on ``forceFlush(deadline:)``, which flushes
/// every reader concurrently and combines their results (counts are data points). Each instrument
/// keeps at most `cardinalityLimit` series (default 2000, the last being `otel.metric.overflow=true`), and each meter
/// at most `instrumentLimit` instruments (default 4096: see ``OTelMeter``).
/// After ``shutdown(deadline:)`` nothing more is exported.
public final class MeterProvider: TelemetryProvider {
    public let name = "metrics"
    public let resource: Resource
    let readers: [any MetricReader]
    private let cardinalityLimit: Int
    private let instrumentLimit: Int
    private let meters = NIOLockedValueBox<[MeterKey: OTelMeter]>([:])
    /// Collections run one at a time: observable callbacks must not run concurrently.
    private let collecting = NIOLockedValueBox(())
    private let shutDown = Atomic<Bool>(false)

    private struct MeterKey: Hashable {
        var name: String
        var version: String?
    }

    public static let defaultCardinalityLimit = 2000

    /// The default most instruments of one meter.
    public static let defaultInstrumentLimit = 4096

    public init(
        resource: Resource, readers: [any MetricReader], cardinalityLimit: Int = MeterProvider.defaultCardinalityLimit,
        instrumentLimit: Int = MeterProvider.defaultInstrumentLimit
    ) {
        self.resource = resource
        self.readers = readers
        self.cardinalityLimit = max(cardinalityLimit, 2)
        self.instrumentLimit = max(instrumentLimit, 1)
        for (index, reader) in readers.enumerated() {
            let preference = reader.temporalityPreference
            reader.register(MetricProducer { [weak self] in
                self?.collect(reader: index, preference: preference) ?? []
            })
        }
    }

    /// A provider whose resource comes from `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`, merged
    /// with `additionalResource`.
    public convenience init(environment: OTelEnvironment, readers: [any MetricReader], additionalResource: Resource = .empty) {
        self.init(resource: EnvironmentResourceDetector(environment: environment).detect().merging(additionalResource), readers: readers)
    }

    /// The meter of the instrumentation scope `name` (the library or module measuring); the same
    /// instance for the same name and version.
    public func meter(name: String = SDKInfo.name, version: String? = nil) -> OTelMeter {
        meters.withLockedValue { meters in
            let key = MeterKey(name: name, version: version)
            if let existing = meters[key] { return existing }
            let meter = OTelMeter(
                scope: InstrumentationScope(name: name, version: version), resource: resource,
                readerCount: readers.count, cardinalityLimit: cardinalityLimit, instrumentLimit: instrumentLimit,
                clock: { DefaultTracerClock.now.nanosecondsSinceEpoch })
            meters[key] = meter
            return meter
        }
    }

    private func collect(reader: Int, preference: TemporalityPreference) -> [MetricData] {
        guard !shutDown.load(ordering: .relaxed) else { return [] }
        return collecting.withLockedValue { _ in
            let now = DefaultTracerClock.now.nanosecondsSinceEpoch
            return meters.withLockedValue { Array($0.values) }
                .sorted { ($0.scope.name, $0.scope.version ?? "") < ($1.scope.name, $1.scope.version ?? "") }
                .flatMap { $0.collect(reader: reader, preference: preference, now: now) }
        }
    }

    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await FlushResult.concurrently(readers) { await $0.forceFlush(deadline: deadline) }
    }

    /// Flushes every reader a last time and shuts it down; measurements recorded afterwards are not exported.
    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        let result = await FlushResult.concurrently(readers) { await $0.shutdown(deadline: deadline) }
        shutDown.store(true, ordering: .relaxed)
        return result
    }
}
