import ServiceContextModule
import Tracing

/// Emits log records into a ``LoggerProvider``'s processors: the OpenTelemetry Logs Bridge API
/// that log libraries' adapters (such as ``OTelLogHandler`` for swift-log) call.
///
/// Thread-safe and cheap to copy. `emit` never blocks and does no I/O: it stamps the record,
/// applies the attribute limits, attaches the active span's context and hands the record to each
/// processor (a batch processor queues it, or drops and counts it when its queue is full).
public struct OTelLogger: Sendable {
    let provider: LoggerProvider
    /// The instrumentation scope of every record this logger emits.
    public let scope: InstrumentationScope

    init(provider: LoggerProvider, scope: InstrumentationScope) {
        self.provider = provider
        self.scope = scope
    }

    /// Emits one log record.
    ///
    /// - Parameters:
    ///   - severity: the OpenTelemetry severity, or nil for none.
    ///   - severityText: the severity as the source names it; by default the severity's short name.
    ///   - body: the message.
    ///   - attributes: limited by the provider's ``LogRecordLimits`` (the first ones are kept).
    ///   - timestampNanos: when the event happened (nanoseconds since the Unix epoch); now by default.
    ///   - context: the span context attached to the record is `context.spanContext` when valid;
    ///     by default the task-local `ServiceContext.current`, i.e. the span active in this task.
    public func emit(
        severity: SeverityNumber?,
        severityText: String? = nil,
        body: AttributeValue?,
        attributes: [Attribute] = [],
        timestampNanos: UInt64? = nil,
        context: ServiceContext? = ServiceContext.current
    ) {
        let processors = provider.processors
        guard !provider.isShutDown, let last = processors.last else { return }
        let now = DefaultTracerClock.now.nanosecondsSinceEpoch
        let (kept, dropped) = provider.limits.apply(to: attributes)
        let record = LogRecordData(
            timestampNanos: timestampNanos ?? now,
            observedTimestampNanos: now,
            severityNumber: severity,
            severityText: severityText ?? severity?.shortName,
            body: body,
            attributes: kept,
            droppedAttributesCount: dropped,
            spanContext: context?.spanContext.flatMap { $0.isValid ? $0 : nil },
            resource: provider.resource,
            scope: scope
        )
        // The last processor (usually the only one) takes the record over; the others get copies.
        for processor in processors.dropLast() {
            processor.onEmit(record)
        }
        last.onEmit(record)
    }
}
