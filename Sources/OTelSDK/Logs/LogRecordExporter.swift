/// A log record exporter: batches of ``LogRecordData`` go out through the same exporter contract
/// as spans (one export at a time, never past the deadline, `.retryLater` keeps the batch).
public typealias LogRecordExporter = TelemetryExporter<LogRecordData>
