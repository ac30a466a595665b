import Logging

extension SeverityNumber {
    /// The OpenTelemetry severity of a swift-log level, as the specification maps it: trace → TRACE (1),
    /// debug → DEBUG (5), info → INFO (9), notice → INFO2 (10), warning → WARN (13), error → ERROR (17),
    /// critical → FATAL (21).
    public init(_ level: Logger.Level) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .info2
        case .warning: self = .warn
        case .error: self = .error
        case .critical: self = .fatal
        }
    }
}
