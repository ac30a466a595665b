import Logging

/// Batches sampled spans and exports them in the background, one batch at a time.
///
/// `onEnd` only appends to a bounded in-memory queue under a short lock: it never waits for the
/// exporter, never does I/O and never blocks. A span ended while the queue is full (`maxQueueSize`
/// spans, or `maxQueueBytes` of estimated export bytes, 16 MiB by default) is dropped and counted
/// (reported in ``FlushResult/dropped``). Batches leave when `maxExportBatchSize` spans or
/// `maxExportBatchBytes` are waiting, when `scheduleDelay` has passed, or on `forceFlush`.
///
/// `forceFlush(deadline:)` is a barrier: it returns `.ok` once every span ended before the call has
/// been exported, or `.timedOut` at the deadline. Spans whose export the deadline (or a retryable
/// failure) interrupted are not lost: they go back to the front of the queue and leave with the next
/// export. Delivery is at-least-once: a batch the collector stored but whose reply the deadline cut
/// off is sent again. Spans not flagged as sampled are not exported.
///
/// Owns one background task (the export worker) and a schedule timer until ``shutdown(deadline:)``.
/// They hold the processor and its exporter: one dropped without a shutdown lives until the process ends.
///
/// Not generic over the exporter: its queue holds the exporter as an existential, so that `onEnd`
/// (on the path of every span) runs queue code specialized for ``SpanData`` in this module.
public final class BatchSpanProcessor: SpanProcessor {
    private let queue: BatchExportQueue<SpanData>

    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: queue and batch sizes and timings; ``BatchConfiguration/spans(environment:)`` reads `OTEL_BSP_*`.
    ///   - diagnostics: where export failures are reported.
    public init(exporter: some SpanExporter, configuration: BatchConfiguration = BatchConfiguration(), diagnostics: Logger = DiagnosticLogger.make()) {
        self.queue = BatchExportQueue(exporter: exporter, configuration: configuration, name: "BatchSpanProcessor", diagnostics: diagnostics)
    }

    public func onEnd(_ span: SpanData) {
        guard span.context.isSampled else { return }
        queue.enqueue(span)
    }

    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await queue.flush(deadline: deadline)
    }

    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        await queue.shutdown(deadline: deadline)
    }
}
