/// How one kind of instrument aggregates: the cell measurements go to, what a drain of it yields, how
/// drained values accumulate for a reader, and the OTLP data they become.
protocol Aggregation: Sendable {
    associatedtype Cell: AnyObject & Sendable
    associatedtype Aggregate: Sendable

    func makeCell() -> Cell
    /// What the cell took since the previous drain; nil if nothing worth reporting.
    func drain(_ cell: Cell) -> Aggregate?
    /// Accumulates `next` (later) into `accumulated`.
    func merge(_ accumulated: inout Aggregate, _ next: Aggregate)
    /// Whether a delta reader may skip this aggregate (nothing happened).
    func isEmpty(_ aggregate: Aggregate) -> Bool
    /// The metric data of collected points.
    func points(_ points: [CollectedPoint<Aggregate>], temporality: AggregationTemporality) -> MetricPoints
}

/// One series' aggregate as a reader collected it.
struct CollectedPoint<Aggregate> {
    var attributes: [Attribute]
    var startNanos: UInt64
    var timeNanos: UInt64
    var aggregate: Aggregate
}

/// Counters and up-down counters: a sum.
struct SumAggregation: Aggregation {
    let isMonotonic: Bool
    let isInteger: Bool

    func makeCell() -> SumCell { SumCell() }
    func drain(_ cell: SumCell) -> SumAggregate? { cell.drain(isInteger: isInteger) }
    func merge(_ accumulated: inout SumAggregate, _ next: SumAggregate) { accumulated.merge(next) }
    func isEmpty(_ aggregate: SumAggregate) -> Bool { aggregate.isZero }

    func points(_ points: [CollectedPoint<SumAggregate>], temporality: AggregationTemporality) -> MetricPoints {
        .sum(SumPoints(isMonotonic: isMonotonic, temporality: temporality, points: points.map {
            NumberDataPoint(attributes: $0.attributes, startTimeNanos: $0.startNanos, timeNanos: $0.timeNanos, value: $0.aggregate.value)
        }))
    }
}

/// Histograms: explicit buckets, count, sum, min and max.
struct HistogramAggregation: Aggregation {
    let bounds: [Double]

    func makeCell() -> HistogramCell { HistogramCell(bounds: bounds) }
    func drain(_ cell: HistogramCell) -> HistogramAggregate? { cell.drain() }
    func merge(_ accumulated: inout HistogramAggregate, _ next: HistogramAggregate) { accumulated.merge(next) }
    func isEmpty(_ aggregate: HistogramAggregate) -> Bool { aggregate.count == 0 }

    func points(_ points: [CollectedPoint<HistogramAggregate>], temporality: AggregationTemporality) -> MetricPoints {
        .histogram(HistogramPoints(temporality: temporality, points: points.map {
            let aggregate = $0.aggregate
            return HistogramDataPoint(
                attributes: $0.attributes, startTimeNanos: $0.startNanos, timeNanos: $0.timeNanos,
                count: aggregate.count, sum: aggregate.sum,
                min: aggregate.hasExtremes ? aggregate.min : nil, max: aggregate.hasExtremes ? aggregate.max : nil,
                bounds: bounds, bucketCounts: aggregate.bucketCounts)
        }))
    }
}

/// Gauges: the last value set.
struct GaugeAggregation: Aggregation {
    let isInteger: Bool

    func makeCell() -> GaugeCell { GaugeCell() }
    func drain(_ cell: GaugeCell) -> NumberValue? { cell.drain(isInteger: isInteger) }
    func merge(_ accumulated: inout NumberValue, _ next: NumberValue) { accumulated = next }
    func isEmpty(_ aggregate: NumberValue) -> Bool { false }

    func points(_ points: [CollectedPoint<NumberValue>], temporality: AggregationTemporality) -> MetricPoints {
        .gauge(points.map {
            NumberDataPoint(attributes: $0.attributes, startTimeNanos: $0.startNanos, timeNanos: $0.timeNanos, value: $0.aggregate)
        })
    }
}
