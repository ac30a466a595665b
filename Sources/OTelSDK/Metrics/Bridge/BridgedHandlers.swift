import CoreMetrics

/// A swift-metrics handler of ``OTelMetricsFactory``: bound to one series of one instrument.
///
/// Several handler objects may be bound to the same series (``replica()``): the factory hands out
/// one per CPU, so that threads creating the same metric at once do not all update one object's
/// reference count. They record into the same cell; destroying any of them destroys the series.
protocol BridgedHandler: AnyObject, Sendable {
    var key: HandlerKey { get }
    /// Whether `key` is the key of `kind`, `label` and `dimensions` (``HandlerKey/matches(_:_:_:digest:)``),
    /// compared in place: reading `key` through the protocol would copy it and retain its strings.
    func hasKey(_ kind: HandlerKey.Kind, _ label: String, _ dimensions: [(String, String)], digest: UInt64) -> Bool
    /// The same for every handler bound to the same series.
    var series: ObjectIdentifier { get }
    /// Another handler bound to this one's series.
    func replica() -> Self
    /// Releases the series (see ``OTelMetricsFactory``); later updates are ignored.
    func release()
}

/// What every bridged handler holds: its series' cell, and how to release the series.
/// `@unchecked`: a non-final class whose stored properties are all immutable and `Sendable`.
class BridgedSeries<A: Aggregation>: @unchecked Sendable {
    let key: HandlerKey
    let storage: SeriesStorage<A>
    let attributes: AttributeSet
    let cell: A.Cell

    init(storage: SeriesStorage<A>, attributes: AttributeSet, key: HandlerKey) {
        self.storage = storage
        self.attributes = attributes
        self.cell = storage.cell(for: attributes)
        self.key = key
    }

    required init(replicating original: BridgedSeries) {
        storage = original.storage
        attributes = original.attributes
        cell = original.cell
        key = original.key
    }

    var series: ObjectIdentifier { ObjectIdentifier(cell) }

    func hasKey(_ kind: HandlerKey.Kind, _ label: String, _ dimensions: [(String, String)], digest: UInt64) -> Bool {
        key.matches(kind, label, dimensions, digest: digest)
    }

    func replica() -> Self { Self(replicating: self) }

    /// Counts a NaN or infinite measurement that was not recorded (``NonFiniteMeasurements``).
    func dropNonFinite(_ value: Double) {
        NonFiniteMeasurements.drop(instrument: storage.descriptor.name, value: value)
    }

    func release() {
        storage.destroy(attributes, cell: cell)
    }
}

/// `Counter` and `FloatingPointCounter`: a monotonic sum. Negative increments are ignored, as swift-metrics' own
/// floating-point counter does; NaN and infinite ones are dropped and counted.
final class BridgedSum: BridgedSeries<SumAggregation>, CounterHandler, FloatingPointCounterHandler, BridgedHandler, @unchecked Sendable {
    @inline(__always)
    func increment(by amount: Int64) {
        guard amount >= 0 else { return }
        cell.add(amount)
    }

    @inline(__always)
    func increment(by amount: Double) {
        guard amount.isFinite else { return dropNonFinite(amount) }
        guard amount >= 0 else { return }
        cell.add(amount)
    }

    /// Restarts the series at zero, unless it was destroyed.
    func reset() {
        storage.reset(attributes, cell: cell)
    }
}

/// `Meter` and `Recorder(aggregate: false)`: a floating-point gauge. A value set replaces the last one, whatever it
/// is; a NaN or infinite increment or decrement, which would stay in the value for good, is dropped and counted.
final class BridgedGauge: BridgedSeries<GaugeAggregation>, MeterHandler, RecorderHandler, BridgedHandler, @unchecked Sendable {
    func set(_ value: Int64) { cell.set(Double(value)) }
    func set(_ value: Double) { cell.set(value) }
    func record(_ value: Int64) { cell.set(Double(value)) }
    func record(_ value: Double) { cell.set(value) }
    func increment(by amount: Double) {
        guard amount.isFinite else { return dropNonFinite(amount) }
        cell.add(amount)
    }

    func decrement(by amount: Double) {
        guard amount.isFinite else { return dropNonFinite(amount) }
        cell.add(-amount)
    }
}

/// `Recorder(aggregate: true)` and `Timer`: a floating-point histogram (timers in seconds). NaN and infinite values
/// are dropped and counted.
final class BridgedHistogram: BridgedSeries<HistogramAggregation>, RecorderHandler, TimerHandler, BridgedHandler, @unchecked Sendable {
    @inline(__always)
    func record(_ value: Int64) { cell.record(Double(value)) }
    @inline(__always)
    func record(_ value: Double) {
        guard value.isFinite else { return dropNonFinite(value) }
        cell.record(value)
    }

    @inline(__always)
    func recordNanoseconds(_ duration: Int64) { cell.record(Double(duration) / 1e9) }
}
