import Logging

/// The SDK's own diagnostics: configuration warnings, export failures, per-provider flush errors.
///
/// Diagnostics never enter the telemetry pipelines. The default logger writes to standard error
/// through swift-log's `StreamLogHandler` directly, bypassing `LoggingSystem`, so that a process
/// which bootstraps `LoggingSystem` with an OpenTelemetry log handler cannot feed the SDK's own
/// messages back into the pipeline that is being flushed.
public enum DiagnosticLogger {
    /// The label of the default diagnostics logger.
    public static let label = "otel.sdk"

    /// A standard-error logger at `level`, independent of `LoggingSystem`.
    public static func make(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }

    /// A logger that discards everything; for tests and for callers that collect diagnostics elsewhere.
    public static var disabled: Logger {
        Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
