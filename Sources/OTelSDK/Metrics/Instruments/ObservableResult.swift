import NIOConcurrencyHelpers

/// Where an observable instrument's callback reports its observations during a collection.
///
/// Thread-safe. Only valid inside the callback: observations made after it returned are ignored.
public final class ObservableResult<Value: MetricValue>: Sendable {
    private let observations = NIOLockedValueBox<[(AttributeSet, Value)]?>([])

    init() {}

    /// Reports the current value of the series of `attributes` (for counters: the total so far).
    /// Observing one attribute set twice keeps the last value.
    public func observe(_ value: Value, attributes: [Attribute] = []) {
        observations.withLockedValue { $0?.append((AttributeSet(attributes), value)) }
    }

    /// Ends the callback: what it observed.
    func close() -> [(AttributeSet, Value)] {
        observations.withLockedValue { observations in
            defer { observations = nil }
            return observations ?? []
        }
    }
}
