/// Sizes and timings of a batch processor.
///
/// - `maxQueueSize`: items waiting for export; an item ended while the queue is full is dropped and counted.
/// - `maxExportBatchSize`: items per export call; clamped to `maxQueueSize`.
/// - `scheduleDelay`: longest time an item waits before a background export; zero exports at once.
/// - `exportTimeout`: cap on one background export; nil means no cap. A flush uses its own deadline.
/// - `maxQueueBytes`: estimated export bytes the queue holds, from an item's queueing until its export
///   is settled (batches being exported and batches kept after a failed export included). An item that
///   would take the queue past it is dropped and counted like an item past `maxQueueSize`; so is an
///   item larger than the bound on its own. Default 16 MiB: the smallest Lambda functions have 128 MB,
///   and the span and log record queues at their bound, with the exporter's buffers, must leave
///   most of it to the function.
/// - `maxExportBatchBytes`: estimated export bytes per export call; a batch is closed before an item
///   that would take it past the bound, so that large items travel in several requests instead of one
///   a collector refuses as too large (the OpenTelemetry Collector's default limit is 20 MiB). An item
///   larger than the bound travels alone. Default 4 MiB; clamped to `maxQueueBytes`.
///
/// Item sizes are estimates made without encoding (`ExportSizeEstimating`): the UTF-8 bytes of the
/// item's strings plus a fixed framing per field, meant to be at or above the encoded size.
public struct BatchConfiguration: Sendable, Equatable {
    public var maxQueueSize: Int
    public var maxExportBatchSize: Int
    public var scheduleDelay: Duration
    public var exportTimeout: Duration?
    public var maxQueueBytes: Int
    public var maxExportBatchBytes: Int

    /// The default of ``maxQueueBytes``: 16 MiB.
    public static let defaultMaxQueueBytes = 16 << 20
    /// The default of ``maxExportBatchBytes``: 4 MiB.
    public static let defaultMaxExportBatchBytes = 4 << 20

    public init(
        maxQueueSize: Int = 2048, maxExportBatchSize: Int = 512, scheduleDelay: Duration = .milliseconds(5000), exportTimeout: Duration? = .milliseconds(30000),
        maxQueueBytes: Int = defaultMaxQueueBytes, maxExportBatchBytes: Int = defaultMaxExportBatchBytes
    ) {
        self.maxQueueSize = Swift.max(1, maxQueueSize)
        self.maxExportBatchSize = Swift.min(Swift.max(1, maxExportBatchSize), self.maxQueueSize)
        self.scheduleDelay = scheduleDelay
        self.exportTimeout = exportTimeout
        self.maxQueueBytes = Swift.max(1, maxQueueBytes)
        self.maxExportBatchBytes = Swift.min(Swift.max(1, maxExportBatchBytes), self.maxQueueBytes)
    }

    /// Spans: `OTEL_BSP_*` with defaults 2048 / 512 / 5000 ms / 30000 ms, and `OTEL_LAMBDA_BSP_*` with 16 MiB / 4 MiB.
    public static func spans(environment: OTelEnvironment) -> BatchConfiguration {
        read(environment, prefix: "OTEL_BSP", defaults: BatchConfiguration())
    }

    /// The log record processor's defaults: 2048 / 512 / 1000 ms / 30000 ms / 16 MiB / 4 MiB.
    public static let logRecordDefaults = BatchConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512, scheduleDelay: .milliseconds(1000), exportTimeout: .milliseconds(30000))

    /// Log records: `OTEL_BLRP_*` with defaults 2048 / 512 / 1000 ms / 30000 ms, and `OTEL_LAMBDA_BLRP_*` with 16 MiB / 4 MiB.
    public static func logRecords(environment: OTelEnvironment) -> BatchConfiguration {
        read(environment, prefix: "OTEL_BLRP", defaults: logRecordDefaults)
    }

    /// Reads `<prefix>_MAX_QUEUE_SIZE`, `_MAX_EXPORT_BATCH_SIZE`, `_SCHEDULE_DELAY`, `_EXPORT_TIMEOUT`, and
    /// the byte bounds, which the specification does not define, under this package's prefix:
    /// `OTEL_LAMBDA_<prefix without OTEL_>_MAX_QUEUE_BYTES` and `_MAX_EXPORT_BATCH_BYTES`
    /// (`OTEL_LAMBDA_BSP_MAX_QUEUE_BYTES` for `OTEL_BSP`). A batch size or batch byte bound set above its
    /// queue's is reported and clamped; an unset one is clamped silently.
    public static func read(_ environment: OTelEnvironment, prefix: String, defaults: BatchConfiguration) -> BatchConfiguration {
        let queueSize = environment.integer("\(prefix)_MAX_QUEUE_SIZE", default: defaults.maxQueueSize, in: 1...Int(Int32.max))
        let batchSize = clamped(environment, "\(prefix)_MAX_EXPORT_BATCH_SIZE", default: defaults.maxExportBatchSize, to: queueSize, of: "\(prefix)_MAX_QUEUE_SIZE")
        let bytesPrefix = "OTEL_LAMBDA_" + (prefix.hasPrefix("OTEL_") ? prefix.dropFirst("OTEL_".count) : Substring(prefix))
        let queueBytes = environment.integer("\(bytesPrefix)_MAX_QUEUE_BYTES", default: defaults.maxQueueBytes, in: 1...Int(Int32.max))
        let batchBytes = clamped(environment, "\(bytesPrefix)_MAX_EXPORT_BATCH_BYTES", default: defaults.maxExportBatchBytes, to: queueBytes, of: "\(bytesPrefix)_MAX_QUEUE_BYTES")
        return BatchConfiguration(
            maxQueueSize: queueSize,
            maxExportBatchSize: batchSize,
            scheduleDelay: environment.milliseconds("\(prefix)_SCHEDULE_DELAY", default: defaults.scheduleDelay),
            exportTimeout: environment.timeout("\(prefix)_EXPORT_TIMEOUT", default: defaults.exportTimeout),
            maxQueueBytes: queueBytes,
            maxExportBatchBytes: batchBytes
        )
    }

    /// A batch bound read from `name`, clamped to its queue's bound (`queueBound`, read from `queueName`);
    /// reported when the variable set it above.
    private static func clamped(_ environment: OTelEnvironment, _ name: String, default defaultValue: Int, to queueBound: Int, of queueName: String) -> Int {
        let value = environment.integer(name, default: defaultValue, in: 1...Int(Int32.max))
        guard value > queueBound else { return value }
        guard environment.string(name) != nil else { return queueBound }
        environment.warnMalformed(name, String(value), expected: "at most \(queueName) (\(queueBound))", defaultDescription: String(queueBound))
        return queueBound
    }
}
