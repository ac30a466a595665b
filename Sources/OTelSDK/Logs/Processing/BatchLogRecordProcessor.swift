import Logging

/// Batches log records and exports them in the background, one batch at a time: the batch span
/// processor's engine (`BatchExportQueue`) with its guarantees, for logs.
///
/// `onEmit` only appends to a bounded in-memory queue under a short lock: it never waits for the
/// exporter, never does I/O and never blocks the code that logs. A record emitted while the queue
/// is full (`maxQueueSize` records, or `maxQueueBytes` of estimated export bytes, 16 MiB by default)
/// or after shutdown began is dropped and counted (``FlushResult/dropped``). Batches leave when
/// `maxExportBatchSize` records or `maxExportBatchBytes` are waiting, when `scheduleDelay` has passed, or on
/// `forceFlush`, so under steady load records leave as fast as the exporter takes them, not once
/// per timer tick.
///
/// `forceFlush(deadline:)` is a barrier: `.ok` once every record emitted before the call has been
/// exported, or `.timedOut` at the deadline. Records whose export the deadline (or a retryable
/// failure) interrupted go back to the front of the queue and leave with the next export
/// (at-least-once); only a receiver's permanent refusal drops a batch, and it is counted.
///
/// Owns one background task (the export worker) and a schedule timer until ``shutdown(deadline:)``.
/// They hold the processor and its exporter: one dropped without a shutdown lives until the process ends.
///
/// Not generic over the exporter: its queue holds the exporter as an existential, so that `onEmit`
/// (on the path of every `logger.info`) runs queue code specialized for ``LogRecordData`` in this
/// module rather than generic code instantiated at run time for an exporter type of another module.
public final class BatchLogRecordProcessor: LogRecordProcessor {
    private let queue: BatchExportQueue<LogRecordData>

    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: queue and batch sizes and timings; ``BatchConfiguration/logRecords(environment:)`` reads `OTEL_BLRP_*`.
    ///   - diagnostics: where export failures are reported (never the logs pipeline itself).
    public init(exporter: some LogRecordExporter, configuration: BatchConfiguration = .logRecordDefaults, diagnostics: Logger = DiagnosticLogger.make()) {
        self.queue = BatchExportQueue(exporter: exporter, configuration: configuration, name: "BatchLogRecordProcessor", diagnostics: diagnostics)
    }

    /// The OpenTelemetry "simple" processor: each record is exported as soon as it is emitted, one
    /// export at a time, in order. A batch processor with a batch size of one and no delay, so
    /// `onEmit` still never blocks (overflow of `maxQueueSize` is dropped and counted).
    public static func simple(exporter: some LogRecordExporter, maxQueueSize: Int = 2048, diagnostics: Logger = DiagnosticLogger.make()) -> BatchLogRecordProcessor {
        BatchLogRecordProcessor(
            exporter: exporter,
            configuration: BatchConfiguration(maxQueueSize: maxQueueSize, maxExportBatchSize: 1, scheduleDelay: .zero, exportTimeout: BatchConfiguration.logRecordDefaults.exportTimeout),
            diagnostics: diagnostics
        )
    }

    public func onEmit(_ record: consuming LogRecordData) {
        queue.enqueue(record)
    }

    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await queue.flush(deadline: deadline)
    }

    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        await queue.shutdown(deadline: deadline)
    }
}
