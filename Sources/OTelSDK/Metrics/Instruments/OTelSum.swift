/// A counter: a monotonic sum (request counts, bytes sent). Negative values are ignored; NaN and infinite ones are
/// dropped and counted (``MeterProvider/droppedNonFiniteMeasurements``).
public typealias OTelCounter<Value: MetricValue> = OTelSum<Value, Monotonic>

/// An up-down counter: a non-monotonic sum (items in a queue, open connections); any finite value is
/// accepted, NaN and infinite ones are dropped and counted. Exported with cumulative temporality under every preference (see ``TemporalityPreference``).
public typealias OTelUpDownCounter<Value: MetricValue> = OTelSum<Value, NonMonotonic>

/// Whether a sum only grows (``Monotonic``) or not (``NonMonotonic``).
public protocol SumMonotonicity: Sendable {
    static var isMonotonic: Bool { get }
}

public enum Monotonic: SumMonotonicity {
    public static var isMonotonic: Bool { true }
}

public enum NonMonotonic: SumMonotonicity {
    public static var isMonotonic: Bool { false }
}

/// A synchronous sum instrument: ``OTelCounter`` or ``OTelUpDownCounter``.
///
/// Thread-safe and non-blocking: `add` is one atomic operation on the series' cell after a lookup of
/// the attribute set under the instrument's lock; a ``Bound`` handle skips the lookup.
public struct OTelSum<Value: MetricValue, Monotonicity: SumMonotonicity>: Sendable {
    let storage: SeriesStorage<SumAggregation>

    public func add(_ value: Value, attributes: [Attribute] = []) {
        guard Self.accepts(value, storage) else { return }
        storage.cell(for: AttributeSet(attributes)).add(value)
    }

    /// A handle on the series of `attributes`, for recording without looking it up each time.
    public func bind(_ attributes: [Attribute]) -> Bound {
        Bound(cell: storage.cell(for: AttributeSet(attributes)), storage: storage)
    }

    @inline(__always)
    static func accepts(_ value: Value, _ storage: SeriesStorage<SumAggregation>) -> Bool {
        guard value.isFiniteMeasurement else {
            NonFiniteMeasurements.drop(instrument: storage.descriptor.name, value: value.metricDoubleValue)
            return false
        }
        return !Monotonicity.isMonotonic || value.metricDoubleValue >= 0
    }

    /// A series bound to one attribute set: `add` is one atomic update of the series' cell (see `SumCell`).
    public struct Bound: Sendable {
        let cell: SumCell
        let storage: SeriesStorage<SumAggregation>

        @inline(__always)
        public func add(_ value: Value) {
            guard OTelSum.accepts(value, storage) else { return }
            cell.add(value)
        }
    }
}
