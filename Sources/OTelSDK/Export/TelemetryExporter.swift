/// Sends batches of finished telemetry items (spans, log records, metric data) somewhere.
///
/// Processors call `export` one batch at a time (never concurrently on one processor; only
/// `prepare` may run while an export is waiting) and never on the thread that ended the span, so an
/// exporter may do I/O freely. It must return by `deadline`
/// (shortly after at worst): the flush that waits on it has promised its caller to return then.
///
/// An exporter may also split an export in two: ``prepare(_:)``, the work that needs no I/O
/// (encoding, compression), then ``export(_:prepared:deadline:)``, the sending. A processor then
/// prepares the next batch while the current one's request is in flight. Exporters without such a
/// step need neither: their `PreparedBatch` is `Void` and both default to a plain `export`.
public protocol TelemetryExporter<Item>: Sendable {
    associatedtype Item: Sendable
    /// What ``prepare(_:)`` makes of a batch ahead of its export; `Void` when there is no such step.
    associatedtype PreparedBatch: Sendable = Void

    /// Exports `batch`, retrying as the exporter sees fit, but never past `deadline`.
    func export(_ batch: [Item], deadline: ContinuousClock.Instant) async -> ExportResult

    /// Does the part of exporting `batch` that needs no I/O, ahead of its turn. Processors call it on
    /// their export thread, possibly while the previous batch's `export` is waiting on the network,
    /// and may drop the result unsent (the batch is then prepared again before it is exported).
    func prepare(_ batch: [Item]) -> PreparedBatch

    /// Exports `batch`, which ``prepare(_:)`` turned into `prepared`, exactly as
    /// ``export(_:deadline:)`` would: same result, same deadline rule.
    func export(_ batch: [Item], prepared: PreparedBatch, deadline: ContinuousClock.Instant) async -> ExportResult

    /// Called once when shutdown begins, before the final flush: the exports that follow are the last
    /// chance for what is queued, so an exporter that holds exports back (a circuit breaker waiting out
    /// its back-off) should try them now. The default does nothing.
    func beginShutdown()

    /// Releases resources (connections). Called once, after the last export.
    func shutdown(deadline: ContinuousClock.Instant) async
}

extension TelemetryExporter {
    public func beginShutdown() {}
}

extension TelemetryExporter where PreparedBatch == Void {
    /// No preparation: the whole export happens in ``export(_:deadline:)``.
    public func prepare(_ batch: [Item]) {}

    /// The plain ``export(_:deadline:)``.
    public func export(_ batch: [Item], prepared: Void, deadline: ContinuousClock.Instant) async -> ExportResult {
        await export(batch, deadline: deadline)
    }
}

/// A span exporter.
public typealias SpanExporter = TelemetryExporter<SpanData>

/// What became of one exported batch. It decides whether the processor keeps the batch.
public enum ExportResult: Sendable {
    /// The receiver accepted the batch (a partial success counts here; the exporter logs it).
    case success
    /// The batch did not get through but might later (deadline reached, connection refused, 429/503
    /// after the retry budget). The processor keeps it at the front of its queue for the next export.
    case retryLater(ExportFailure)
    /// The exporter did not send the batch, or sent it as the one probe of a collector it already
    /// counted as unavailable and got no answer: a circuit breaker is open because the collector
    /// refused connections or left requests unanswered. The processor keeps the batch, as for
    /// `retryLater`, and the flush that waits on it learns at once that the collector is unavailable.
    case collectorUnavailable(CollectorUnavailable)
    /// The receiver refused the batch and sending it again cannot help (400, 401, 413, ...).
    /// The processor drops it and counts it as dropped.
    case rejected(ExportFailure)
}

/// Why an export returned ``ExportResult/collectorUnavailable(_:)``.
public struct CollectorUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Whether this export's failure began the open period (the breaker was closed before it): the
    /// count of such exports is the count of the collector's outages the process saw.
    public var beganOpenPeriod: Bool

    public init(_ description: String, beganOpenPeriod: Bool = false) {
        self.description = description
        self.beganOpenPeriod = beganOpenPeriod
    }
}

/// Why an export failed, in words fit for a diagnostics log line.
public struct ExportFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
