extension Duration {
    /// The duration in whole nanoseconds (truncated), saturated to `Int64`'s range: what NIO's `TimeAmount` takes.
    /// A far deadline (`OTEL_EXPORTER_OTLP_TIMEOUT=0` with a huge `OTEL_BSP_EXPORT_TIMEOUT`) becomes about 292 years,
    /// never an overflow.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (wholeSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = wholeSeconds.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !sumOverflow else { return seconds < 0 ? .min : .max }
        return total
    }
}
