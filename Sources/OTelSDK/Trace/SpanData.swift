import Tracing

/// An ended span, as processors and exporters see it: immutable, with limits already applied.
public struct SpanData: Sendable {
    public var name: String
    public var context: SpanContext
    /// The parent's span ID, or nil for a root span.
    public var parentSpanID: SpanID?
    /// Whether the parent context came from another process.
    public var parentIsRemote: Bool
    public var kind: SpanKind
    public var startTimeNanos: UInt64
    public var endTimeNanos: UInt64
    public var attributes: [Attribute]
    public var droppedAttributesCount: Int
    public var events: [Event]
    public var droppedEventsCount: Int
    public var links: [Link]
    public var droppedLinksCount: Int
    public var status: Status
    public var resource: Resource
    public var scope: InstrumentationScope

    /// A timestamped event within a span.
    public struct Event: Sendable {
        public var name: String
        public var timeNanos: UInt64
        public var attributes: [Attribute]
        public var droppedAttributesCount: Int

        public init(name: String, timeNanos: UInt64, attributes: [Attribute], droppedAttributesCount: Int = 0) {
            self.name = name
            self.timeNanos = timeNanos
            self.attributes = attributes
            self.droppedAttributesCount = droppedAttributesCount
        }
    }

    /// A link to another span.
    public struct Link: Sendable {
        public var context: SpanContext
        public var attributes: [Attribute]
        public var droppedAttributesCount: Int

        public init(context: SpanContext, attributes: [Attribute], droppedAttributesCount: Int = 0) {
            self.context = context
            self.attributes = attributes
            self.droppedAttributesCount = droppedAttributesCount
        }
    }

    /// The span status; `unset` unless the instrumentation set one.
    public enum Status: Sendable, Equatable {
        case unset
        case ok
        case error(message: String)
    }

    public init(
        name: String, context: SpanContext, parentSpanID: SpanID?, parentIsRemote: Bool = false, kind: SpanKind,
        startTimeNanos: UInt64, endTimeNanos: UInt64,
        attributes: [Attribute] = [], droppedAttributesCount: Int = 0,
        events: [Event] = [], droppedEventsCount: Int = 0,
        links: [Link] = [], droppedLinksCount: Int = 0,
        status: Status = .unset, resource: Resource, scope: InstrumentationScope
    ) {
        self.name = name
        self.context = context
        self.parentSpanID = parentSpanID
        self.parentIsRemote = parentIsRemote
        self.kind = kind
        self.startTimeNanos = startTimeNanos
        self.endTimeNanos = endTimeNanos
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
        self.resource = resource
        self.scope = scope
    }
}
