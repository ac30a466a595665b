import Logging

extension BatchSpanProcessor {
    /// The OpenTelemetry "simple" span processor: each sampled span is exported as soon as it ends,
    /// one export at a time, in the order spans ended.
    ///
    /// For debugging and tests. It is a batch processor with a batch size of one and no delay, so it
    /// keeps every guarantee of one: `onEnd` never blocks (spans wait in a bounded queue of
    /// `maxQueueSize`; overflow is dropped and counted), and `forceFlush(deadline:)` returns once every
    /// span ended before the call has been exported.
    public static func simple(exporter: some SpanExporter, maxQueueSize: Int = 2048, exportTimeout: Duration? = .seconds(30), diagnostics: Logger = DiagnosticLogger.make()) -> BatchSpanProcessor {
        BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchConfiguration(maxQueueSize: maxQueueSize, maxExportBatchSize: 1, scheduleDelay: .zero, exportTimeout: exportTimeout),
            diagnostics: diagnostics
        )
    }
}
