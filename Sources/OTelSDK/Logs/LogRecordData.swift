/// An emitted log record, as processors and exporters see it: immutable, with the attribute limits
/// of its ``LoggerProvider`` already applied.
public struct LogRecordData: Sendable {
    /// When the event happened, in nanoseconds since the Unix epoch; 0 when unknown.
    public var timestampNanos: UInt64
    /// When the SDK saw the record, in nanoseconds since the Unix epoch.
    public var observedTimestampNanos: UInt64
    /// Nil when the record has no severity (OTLP `SEVERITY_NUMBER_UNSPECIFIED`).
    public var severityNumber: SeverityNumber?
    /// The severity as the source named it, or nil.
    public var severityText: String?
    /// The message: a string usually, possibly a structured value. Nil when the record has none.
    public var body: AttributeValue?
    /// The attributes the limits kept (values may be nested: arrays and key/value lists).
    public var attributes: [Attribute]
    /// How many attributes the limits dropped.
    public var droppedAttributesCount: Int
    /// The span that was active when the record was emitted (trace ID, span ID and trace flags
    /// are exported), or nil outside any span.
    public var spanContext: SpanContext?
    public var resource: Resource
    public var scope: InstrumentationScope

    public init(
        timestampNanos: UInt64, observedTimestampNanos: UInt64,
        severityNumber: SeverityNumber?, severityText: String? = nil, body: AttributeValue?,
        attributes: [Attribute] = [], droppedAttributesCount: Int = 0, spanContext: SpanContext? = nil,
        resource: Resource, scope: InstrumentationScope
    ) {
        self.timestampNanos = timestampNanos
        self.observedTimestampNanos = observedTimestampNanos
        self.severityNumber = severityNumber
        self.severityText = severityText
        self.body = body
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.spanContext = spanContext
        self.resource = resource
        self.scope = scope
    }
}
