import Synchronization
import NIOConcurrencyHelpers

/// Creates instruments for one instrumentation scope; obtained from ``MeterProvider/meter(name:version:)``.
///
/// Thread-safe. Asking twice for an instrument with the same name (case-insensitive), kind, unit and
/// value type returns the same instrument; its description and histogram bounds are those of the
/// first request. The same name and kind asked for with two value types that record alike (`Int64`
/// and a type of the caller's own that is also an integer ``MetricValue``) gives the second caller an
/// instrument that is not exported, with a warning; never a crash. Instruments record into memory only (atomics, no I/O); readers collect them.
///
/// At most `instrumentLimit` instruments are kept (``MeterProvider/defaultInstrumentLimit``): names made up at run
/// time (a swift-metrics label with a request ID in it) would otherwise grow the meter for the life of the process.
/// An instrument asked for beyond the limit works but is not exported; the first one is reported, all are counted
/// (``droppedInstruments``).
public final class OTelMeter: Sendable {
    public let scope: InstrumentationScope
    private let resource: Resource
    private let readerCount: Int
    private let cardinalityLimit: Int
    private let instrumentLimit: Int
    private let overLimit = Atomic<Int>(0)
    private let clock: @Sendable () -> UInt64
    private let instruments = NIOLockedValueBox<[InstrumentDescriptor: any MetricStream]>([:])
    /// In creation order, for a stable export order.
    private let order = NIOLockedValueBox<[any MetricStream]>([])

    init(
        scope: InstrumentationScope, resource: Resource, readerCount: Int, cardinalityLimit: Int, instrumentLimit: Int,
        clock: @escaping @Sendable () -> UInt64
    ) {
        self.scope = scope
        self.resource = resource
        self.readerCount = readerCount
        self.cardinalityLimit = cardinalityLimit
        self.instrumentLimit = instrumentLimit
        self.clock = clock
    }

    public func counter<Value: MetricValue>(name: String, unit: String = "", description: String = "", of: Value.Type = Int64.self) -> OTelCounter<Value> {
        OTelCounter(storage: storage(name, .counter, unit, description, Value.self, SumAggregation(isMonotonic: true, isInteger: Value.isMetricInteger)))
    }

    public func upDownCounter<Value: MetricValue>(name: String, unit: String = "", description: String = "", of: Value.Type = Int64.self) -> OTelUpDownCounter<Value> {
        OTelUpDownCounter(storage: storage(name, .upDownCounter, unit, description, Value.self, SumAggregation(isMonotonic: false, isInteger: Value.isMetricInteger)))
    }

    /// A histogram with explicit bucket `bounds` (default: the spec's). Bounds that are not strictly
    /// increasing or contain NaN or infinities are replaced by the default, with a warning.
    public func histogram<Value: MetricValue>(
        name: String, unit: String = "", description: String = "", bounds: [Double]? = nil, of: Value.Type = Double.self
    ) -> OTelHistogram<Value> {
        var checked = bounds ?? OTelHistogram<Value>.defaultBounds
        if !checked.allSatisfy(\.isFinite) || zip(checked, checked.dropFirst()).contains(where: { !($0 < $1) }) {
            DiagnosticLogger.make().warning("histogram \(name): bucket bounds \(checked) are not finite and strictly increasing; using the default bounds")
            checked = OTelHistogram<Value>.defaultBounds
        }
        return OTelHistogram(storage: storage(name, .histogram, unit, description, Value.self, HistogramAggregation(bounds: checked)))
    }

    public func gauge<Value: MetricValue>(name: String, unit: String = "", description: String = "", of: Value.Type = Double.self) -> OTelGauge<Value> {
        OTelGauge(storage: storage(name, .gauge, unit, description, Value.self, GaugeAggregation(isInteger: Value.isMetricInteger)))
    }

    /// An observable counter: `callback` reports monotonic totals per attribute set at each collection.
    /// Callbacks run on the collecting thread and must return promptly.
    public func observableCounter<Value: MetricValue>(
        name: String, unit: String = "", description: String = "", of: Value.Type,
        _ callback: @escaping @Sendable (ObservableResult<Value>) -> Void
    ) {
        observable(name, .observableCounter, unit, description, callback) {
            .sum(self.makeStorage($0, SumAggregation(isMonotonic: true, isInteger: Value.isMetricInteger)))
        }
    }

    /// An observable up-down counter: `callback` reports totals that may go down.
    public func observableUpDownCounter<Value: MetricValue>(
        name: String, unit: String = "", description: String = "", of: Value.Type,
        _ callback: @escaping @Sendable (ObservableResult<Value>) -> Void
    ) {
        observable(name, .observableUpDownCounter, unit, description, callback) {
            .sum(self.makeStorage($0, SumAggregation(isMonotonic: false, isInteger: Value.isMetricInteger)))
        }
    }

    /// An observable gauge: `callback` reports current values.
    public func observableGauge<Value: MetricValue>(
        name: String, unit: String = "", description: String = "", of: Value.Type,
        _ callback: @escaping @Sendable (ObservableResult<Value>) -> Void
    ) {
        observable(name, .observableGauge, unit, description, callback) {
            .gauge(self.makeStorage($0, GaugeAggregation(isInteger: Value.isMetricInteger)))
        }
    }

    // MARK: Registry

    private func storage<Value: MetricValue, A: Aggregation>(
        _ name: String, _ kind: InstrumentKind, _ unit: String, _ description: String, _: Value.Type, _ aggregation: A
    ) -> SeriesStorage<A> {
        let descriptor = InstrumentDescriptor(name: name, kind: kind, unit: unit, description: description, isInteger: Value.isMetricInteger)
        return register(descriptor, Value.self) { makeStorage($0, aggregation) }
    }

    private func observable<Value: MetricValue>(
        _ name: String, _ kind: InstrumentKind, _ unit: String, _ description: String,
        _ callback: @escaping @Sendable (ObservableResult<Value>) -> Void,
        _ makeStorage: (InstrumentDescriptor) -> ObservableStream<Value>.Storage
    ) {
        let descriptor = InstrumentDescriptor(name: name, kind: kind, unit: unit, description: description, isInteger: Value.isMetricInteger)
        let stream = register(descriptor, Value.self) { ObservableStream<Value>(storage: makeStorage($0)) }
        stream.addCallback(callback)
    }

    /// The registered stream of `descriptor`, created by `make` on first use. When the name is already registered
    /// with another value type that records alike (both integers, or both doubles), the instrument asked for is
    /// created but not registered: it records nothing any reader sees, with a warning, instead of a crash.
    private func register<Stream: MetricStream>(
        _ descriptor: InstrumentDescriptor, _ valueType: Any.Type, _ make: (InstrumentDescriptor) -> Stream
    ) -> Stream {
        let (stream, isRegistered) = instruments.withLockedValue { instruments -> (Stream, Bool) in
            guard let existing = instruments[descriptor] else {
                guard instruments.count < instrumentLimit else { return (make(descriptor), false) }
                let created = make(descriptor)
                instruments[descriptor] = created
                order.withLockedValue { $0.append(created) }
                return (created, true)
            }
            if let same = existing as? Stream { return (same, true) }
            return (make(descriptor), false)
        }
        if !isRegistered {
            if instruments.withLockedValue({ $0[descriptor] }) == nil {
                if overLimit.wrappingAdd(1, ordering: .relaxed).oldValue == 0 {
                    DiagnosticLogger.make().warning(
                        "meter \(scope.name) has \(instrumentLimit) instruments, its limit: \(descriptor.name) and any later new instrument are not exported (OTelMeter.droppedInstruments counts them)")
                }
            } else {
                DiagnosticLogger.make().warning(
                    "instrument \(descriptor.name) (\(descriptor.kind)) is already registered with another value type than \(valueType); this one is not exported")
            }
        }
        return stream
    }

    private func makeStorage<A: Aggregation>(_ descriptor: InstrumentDescriptor, _ aggregation: A) -> SeriesStorage<A> {
        SeriesStorage(
            descriptor: descriptor, aggregation: aggregation, scope: scope, resource: resource,
            readerCount: readerCount, cardinalityLimit: cardinalityLimit, clock: clock)
    }

    /// Instruments asked for after the meter reached its instrument limit: they record, but are not exported.
    public var droppedInstruments: Int { overLimit.load(ordering: .relaxed) }

    /// Every instrument's metric for `reader`.
    func collect(reader: Int, preference: TemporalityPreference, now: UInt64) -> [MetricData] {
        order.withLockedValue { $0 }.compactMap { stream in
            stream.collect(reader: reader, temporality: preference.temporality(for: stream.descriptor.kind), now: now)
        }
    }
}
