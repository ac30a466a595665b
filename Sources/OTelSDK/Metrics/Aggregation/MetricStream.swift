/// An instrument as a collection sees it: something that yields its metric for one reader.
protocol MetricStream: AnyObject, Sendable {
    var descriptor: InstrumentDescriptor { get }
    /// The instrument's points for `reader`, or nil when it has none for that reader.
    func collect(reader: Int, temporality: AggregationTemporality, now: UInt64) -> MetricData?
}

extension SeriesStorage: MetricStream {}
