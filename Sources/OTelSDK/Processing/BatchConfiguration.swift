/// Sizes and timings of a batch processor.
///
/// - `maxQueueSize`: items waiting for export; an item ended while the queue is full is dropped and counted.
/// - `maxExportBatchSize`: items per export call; clamped to `maxQueueSize`.
/// - `scheduleDelay`: longest time an item waits before a background export; zero exports at once.
/// - `exportTimeout`: cap on one background export; nil means no cap. A flush uses its own deadline.
public struct BatchConfiguration: Sendable, Equatable {
    public var maxQueueSize: Int
    public var maxExportBatchSize: Int
    public var scheduleDelay: Duration
    public var exportTimeout: Duration?

    public init(maxQueueSize: Int = 2048, maxExportBatchSize: Int = 512, scheduleDelay: Duration = .milliseconds(5000), exportTimeout: Duration? = .milliseconds(30000)) {
        self.maxQueueSize = Swift.max(1, maxQueueSize)
        self.maxExportBatchSize = Swift.min(Swift.max(1, maxExportBatchSize), self.maxQueueSize)
        self.scheduleDelay = scheduleDelay
        self.exportTimeout = exportTimeout
    }

    /// Spans: `OTEL_BSP_*` with defaults 2048 / 512 / 5000 ms / 30000 ms.
    public static func spans(environment: OTelEnvironment) -> BatchConfiguration {
        read(environment, prefix: "OTEL_BSP", defaults: BatchConfiguration())
    }

    /// The log record processor's defaults: 2048 / 512 / 1000 ms / 30000 ms.
    public static let logRecordDefaults = BatchConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512, scheduleDelay: .milliseconds(1000), exportTimeout: .milliseconds(30000))

    /// Log records: `OTEL_BLRP_*` with defaults 2048 / 512 / 1000 ms / 30000 ms.
    public static func logRecords(environment: OTelEnvironment) -> BatchConfiguration {
        read(environment, prefix: "OTEL_BLRP", defaults: logRecordDefaults)
    }

    /// Reads `<prefix>_MAX_QUEUE_SIZE`, `_MAX_EXPORT_BATCH_SIZE`, `_SCHEDULE_DELAY`, `_EXPORT_TIMEOUT`.
    /// A batch size above the queue size is reported and clamped.
    public static func read(_ environment: OTelEnvironment, prefix: String, defaults: BatchConfiguration) -> BatchConfiguration {
        let queueSize = environment.integer("\(prefix)_MAX_QUEUE_SIZE", default: defaults.maxQueueSize, in: 1...Int(Int32.max))
        var batchSize = environment.integer("\(prefix)_MAX_EXPORT_BATCH_SIZE", default: defaults.maxExportBatchSize, in: 1...Int(Int32.max))
        if batchSize > queueSize {
            environment.warnMalformed("\(prefix)_MAX_EXPORT_BATCH_SIZE", String(batchSize), expected: "at most \(prefix)_MAX_QUEUE_SIZE (\(queueSize))", defaultDescription: String(queueSize))
            batchSize = queueSize
        }
        return BatchConfiguration(
            maxQueueSize: queueSize,
            maxExportBatchSize: batchSize,
            scheduleDelay: environment.milliseconds("\(prefix)_SCHEDULE_DELAY", default: defaults.scheduleDelay),
            exportTimeout: environment.timeout("\(prefix)_EXPORT_TIMEOUT", default: defaults.exportTimeout)
        )
    }
}
