import Logging
import ServiceContextModule

extension Logger.MetadataProvider {
    /// Adds the current span's IDs to every log line: `trace_id` (32 hex digits), `span_id` (16) and `trace_flags`
    /// (2, `01` when sampled), read from `ServiceContext.current`; nothing outside a span.
    ///
    /// For plain log lines (standard error, which Lambda ships to CloudWatch Logs) that a backend can join to the
    /// trace:
    ///
    /// ```swift
    /// LoggingSystem.bootstrap({ label, provider in
    ///     StreamLogHandler.standardError(label: label, metadataProvider: provider)
    /// }, metadataProvider: .otelTraceContext)
    /// ```
    ///
    /// ``OTelLogHandler`` needs none of it: its records carry the span's IDs in their own fields; with this
    /// provider they would also carry them as attributes.
    ///
    /// Thread-safe; reads a task-local, allocates three short strings per line inside a span.
    public static var otelTraceContext: Logger.MetadataProvider {
        Logger.MetadataProvider {
            guard let span = ServiceContext.current?.spanContext, span.isValid else { return [:] }
            let flags = span.traceFlags.rawValue
            return [
                "trace_id": .string(span.traceID.hex),
                "span_id": .string(span.spanID.hex),
                "trace_flags": .string(flags < 16 ? "0\(String(flags, radix: 16))" : String(flags, radix: 16)),
            ]
        }
    }
}
