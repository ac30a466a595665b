import Tracing

/// An ended span, as processors and exporters see it: immutable, with limits applied.
///
/// Spans ended by ``OTelSpan`` carry their attributes as recorded and apply the attribute limits
/// when ``attributes`` or ``droppedAttributesCount`` is read (by the exporter, off the path of the
/// code that ended the span); what is read is the same as if they had been applied at the end.
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
    /// The attributes that the limits kept.
    public var attributes: [Attribute] {
        get { recordedAttributes?.limited.attributes ?? limitedAttributes }
        set {
            applyAttributeLimits()
            limitedAttributes = newValue
        }
    }
    /// How many attributes the limits dropped.
    public var droppedAttributesCount: Int {
        get { recordedAttributes?.droppedCount ?? limitedDroppedAttributesCount }
        set {
            applyAttributeLimits()
            limitedDroppedAttributesCount = newValue
        }
    }
    /// Calls `body` with each attribute the limits keep, the same as ``attributes`` in the same
    /// order, and returns how many the limits dropped (``droppedAttributesCount``).
    ///
    /// Applies the limits once and builds no array: for an exporter that copies the attributes into
    /// its own representation. `body` runs at most ``attributeCountBound`` times.
    public func forEachAttribute(_ body: (_ key: String, _ value: AttributeValue) -> Void) -> Int {
        if let recorded = recordedAttributes {
            return recorded.forEachLimited(body)
        }
        for attribute in limitedAttributes {
            body(attribute.key, attribute.value)
        }
        return limitedDroppedAttributesCount
    }
    /// At least as many attributes as ``forEachAttribute(_:)`` visits (and ``attributes`` holds),
    /// known without applying the limits: room to reserve before visiting them.
    public var attributeCountBound: Int {
        recordedAttributes?.keptCountBound ?? limitedAttributes.count
    }
    public var events: [Event]
    public var droppedEventsCount: Int
    public var links: [Link]
    public var droppedLinksCount: Int
    public var status: Status
    public var resource: Resource
    public var scope: InstrumentationScope

    /// Set by ``OTelSpan``: the attributes as recorded, until a setter replaces them.
    private var recordedAttributes: RecordedAttributes?
    private var limitedAttributes: [Attribute]
    private var limitedDroppedAttributesCount: Int

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
        self.limitedAttributes = attributes
        self.limitedDroppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
        self.resource = resource
        self.scope = scope
    }

    /// A span as ``OTelSpan`` ends it: attribute limits are applied when the attributes are read.
    init(
        name: String, context: SpanContext, parentSpanID: SpanID?, parentIsRemote: Bool, kind: SpanKind,
        startTimeNanos: UInt64, endTimeNanos: UInt64, recordedAttributes: RecordedAttributes,
        events: [Event], droppedEventsCount: Int, links: [Link], droppedLinksCount: Int,
        status: Status, resource: Resource, scope: InstrumentationScope
    ) {
        self.init(
            name: name, context: context, parentSpanID: parentSpanID, parentIsRemote: parentIsRemote, kind: kind,
            startTimeNanos: startTimeNanos, endTimeNanos: endTimeNanos,
            events: events, droppedEventsCount: droppedEventsCount, links: links, droppedLinksCount: droppedLinksCount,
            status: status, resource: resource, scope: scope
        )
        self.recordedAttributes = recordedAttributes
    }

    /// The estimated export size of the attributes, as recorded (before the limits) when ``OTelSpan`` ended the span.
    var recordedAttributeBytes: Int {
        recordedAttributes?.estimatedExportBytes ?? ExportSize.attributes(limitedAttributes)
    }

    /// Replaces the recorded attributes by their limited form, before a setter changes part of it.
    private mutating func applyAttributeLimits() {
        guard let recorded = recordedAttributes else { return }
        (limitedAttributes, limitedDroppedAttributesCount) = recorded.limited
        recordedAttributes = nil
    }
}
