/// The current value of something sampled synchronously (OTel synchronous `Gauge`): a temperature,
/// a configuration value. Each collection reports the last value set per series.
///
/// Thread-safe and non-blocking: `record` is an atomic store; a ``Bound`` handle skips the lookup.
public struct OTelGauge<Value: MetricValue>: Sendable {
    let storage: SeriesStorage<GaugeAggregation>

    public func record(_ value: Value, attributes: [Attribute] = []) {
        storage.cell(for: AttributeSet(attributes)).set(value)
    }

    /// A handle on the series of `attributes`, for recording without looking it up each time.
    public func bind(_ attributes: [Attribute]) -> Bound {
        Bound(cell: storage.cell(for: AttributeSet(attributes)))
    }

    /// A gauge series bound to one attribute set.
    public struct Bound: Sendable {
        let cell: GaugeCell

        @inline(__always)
        public func record(_ value: Value) {
            cell.set(value)
        }
    }
}
