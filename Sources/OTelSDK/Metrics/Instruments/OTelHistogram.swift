/// A distribution over explicit buckets (OTel `Histogram`): latencies, sizes.
///
/// Thread-safe and non-blocking: `record` is a few atomic operations on the series' cell (see
/// `HistogramCell`); a ``Bound`` handle skips the attribute lookup. NaN and infinite values are dropped and
/// counted (``MeterProvider/droppedNonFiniteMeasurements``). A value equal to
/// a bucket bound counts in the bucket that bound closes (buckets are `(previous, bound]`).
public struct OTelHistogram<Value: MetricValue>: Sendable {
    let storage: SeriesStorage<HistogramAggregation>

    /// The spec's default bucket bounds.
    public static var defaultBounds: [Double] {
        [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]
    }

    public func record(_ value: Value, attributes: [Attribute] = []) {
        guard value.isFiniteMeasurement else {
            NonFiniteMeasurements.drop(instrument: storage.descriptor.name, value: value.metricDoubleValue)
            return
        }
        storage.cell(for: AttributeSet(attributes)).record(value.metricDoubleValue)
    }

    /// A handle on the series of `attributes`, for recording without looking it up each time.
    public func bind(_ attributes: [Attribute]) -> Bound {
        Bound(cell: storage.cell(for: AttributeSet(attributes)), storage: storage)
    }

    /// A histogram series bound to one attribute set.
    public struct Bound: Sendable {
        let cell: HistogramCell
        let storage: SeriesStorage<HistogramAggregation>

        @inline(__always)
        public func record(_ value: Value) {
            guard value.isFiniteMeasurement else {
                NonFiniteMeasurements.drop(instrument: storage.descriptor.name, value: value.metricDoubleValue)
                return
            }
            cell.record(value.metricDoubleValue)
        }
    }
}
