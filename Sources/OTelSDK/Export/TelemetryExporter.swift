/// Sends batches of finished telemetry items (spans, log records, metric data) somewhere.
///
/// Processors call `export` one batch at a time (never concurrently on one processor) and never on
/// the thread that ended the span, so an exporter may do I/O freely. It must return by `deadline`
/// (shortly after at worst): the flush that waits on it has promised its caller to return then.
public protocol TelemetryExporter<Item>: Sendable {
    associatedtype Item: Sendable

    /// Exports `batch`, retrying as the exporter sees fit, but never past `deadline`.
    func export(_ batch: [Item], deadline: ContinuousClock.Instant) async -> ExportResult

    /// Releases resources (connections). Called once, after the last export.
    func shutdown(deadline: ContinuousClock.Instant) async
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
    /// The receiver refused the batch and sending it again cannot help (400, 401, 413, ...).
    /// The processor drops it and counts it as dropped.
    case rejected(ExportFailure)
}

/// Why an export failed, in words fit for a diagnostics log line.
public struct ExportFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
