import ServiceContextModule
import Tracing

/// A span of the OpenTelemetry SDK, created by ``OTelTracer``.
///
/// Thread-safe: every mutation takes the span's own lock (never a global one). A span ends exactly
/// once: later `end` calls are ignored. Mutations after the end are ignored too. A span the sampler
/// dropped is not recording: it carries and propagates its context and ignores everything else.
/// Limits from ``SpanLimits`` apply as items are added (events, links) or, for attributes, when the
/// ended span's attributes are first read (``SpanData/attributes``); what they cut is counted in the
/// exported span.
public final class OTelSpan: Tracing.Span, @unchecked Sendable {
    public let context: ServiceContext
    /// This span's own trace and span IDs.
    public let spanContext: SpanContext
    private let parent: SpanContext?
    private let kind: SpanKind
    private let startTimeNanos: UInt64
    private let tracer: OTelTracer
    /// Whether the sampler let the span record. A span that does not record never takes its lock.
    private let recording: Bool

    // The span's mutable state, stored inline (one allocation per span) and guarded by `lock`: every
    // access below takes it exactly once. Hence `@unchecked Sendable`.
    private let lock = SpanLock()
    private var name: String
    private var recordedAttributes = SpanAttributes()
    private var events: [SpanData.Event] = []
    private var droppedEvents = 0
    private var links: [SpanData.Link] = []
    private var droppedLinks = 0
    private var status: SpanData.Status = .unset
    private var ended = false

    /// Attributes a span has room for when the first one is set. Six is the largest capacity of an
    /// 8-bucket dictionary (Swift rounds `minimumCapacity: 8` up to 16 buckets): a queued span of up
    /// to six attributes holds about 600 B of them instead of about 1,100 B; a seventh costs one rehash.
    private static let initialAttributeCapacity = 6

    init(name: String, context: ServiceContext, spanContext: SpanContext, parent: SpanContext?, kind: SpanKind, startTimeNanos: UInt64, isRecording: Bool, tracer: OTelTracer) {
        self.context = context
        self.spanContext = spanContext
        self.parent = parent
        self.kind = kind
        self.startTimeNanos = startTimeNanos
        self.tracer = tracer
        self.recording = isRecording
        self.name = name
    }

    public var isRecording: Bool {
        recording && lock.withLock { !ended }
    }

    public var operationName: String {
        get { recording ? lock.withLock { name } : "" }
        set { mutate { $0.name = newValue } }
    }

    /// The attributes set so far. Setting one (`span.attributes["key"] = value`) mutates them in place
    /// under the span's lock, taken once, without copying the set; after the end (or on a span that
    /// does not record) changes are discarded. Do not read or change this span from within such a
    /// mutation (the lock is not reentrant).
    public var attributes: SpanAttributes {
        _read {
            lock.lock()
            defer { lock.unlock() }
            yield recordedAttributes
        }
        _modify {
            lock.lock()
            defer { lock.unlock() }
            if ended || !recording {
                var discarded = recordedAttributes
                yield &discarded
            } else {
                if recordedAttributes.isEmpty {
                    // Room for a typical span's attributes at once: growing an empty dictionary one
                    // insertion at a time reallocates and rehashes it three times on the way to six.
                    recordedAttributes = SpanAttributes([String: SpanAttribute](minimumCapacity: Self.initialAttributeCapacity))
                }
                yield &recordedAttributes
            }
        }
    }

    /// Sets the status. Per the specification, `ok` is final: a later `error` does not replace it.
    public func setStatus(_ status: SpanStatus) {
        mutate { span in
            if span.status == .ok { return }
            switch status.code {
            case .ok: span.status = .ok
            case .error: span.status = .error(message: status.message ?? "")
            }
        }
    }

    public func addEvent(_ event: SpanEvent) {
        guard recording else { return }
        let limits = tracer.provider.limits
        let (attributes, dropped) = event.attributes.converted(countLimit: limits.attributePerEventCountLimit, valueLengthLimit: limits.attributeValueLengthLimit)
        let converted = SpanData.Event(name: event.name, timeNanos: event.nanosecondsSinceEpoch, attributes: attributes, droppedAttributesCount: dropped)
        mutate { span in
            guard span.events.count < limits.eventCountLimit else {
                span.droppedEvents += 1
                return
            }
            span.events.append(converted)
        }
    }

    /// Records `error` as an `exception` event (`exception.type`, `exception.message`), as the
    /// OpenTelemetry semantic conventions describe. It does not change the status.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard recording else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = SpanAttribute.string(String(reflecting: type(of: error)))
        eventAttributes["exception.message"] = SpanAttribute.string(String(describing: error))
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    /// Adds a link to the span whose context `link.context` carries; links without one are ignored.
    public func addLink(_ link: SpanLink) {
        guard recording, let linked = link.context.spanContext, linked.isValid else { return }
        let limits = tracer.provider.limits
        let (attributes, dropped) = link.attributes.converted(countLimit: limits.attributePerLinkCountLimit, valueLengthLimit: limits.attributeValueLengthLimit)
        let converted = SpanData.Link(context: linked, attributes: attributes, droppedAttributesCount: dropped)
        mutate { span in
            guard span.links.count < limits.linkCountLimit else {
                span.droppedLinks += 1
                return
            }
            span.links.append(converted)
        }
    }

    /// Ends the span and hands it to the provider's processors. Only the first call has an effect.
    ///
    /// The attribute limits are applied when the span's attributes are first read (by the exporter,
    /// off the caller's path), not here; values whose text could change later (`stringConvertible`)
    /// are turned into strings now.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard recording else { return }
        let endTime = instant().nanosecondsSinceEpoch
        let provider = tracer.provider
        lock.lock()
        guard !ended else {
            lock.unlock()
            return
        }
        ended = true
        let attributes = recordedAttributes
        lock.unlock()
        // Nothing changes the span once `ended` is set, so it is read without the lock from here on; the attributes
        // are converted outside it because converting calls users' `description`, which may read this span.
        let data = SpanData(
            name: name,
            context: spanContext,
            parentSpanID: parent?.spanID,
            parentIsRemote: parent?.isRemote ?? false,
            kind: kind,
            startTimeNanos: startTimeNanos,
            endTimeNanos: max(endTime, startTimeNanos),
            recordedAttributes: RecordedAttributes(attributes, limits: provider.limits),
            events: events,
            droppedEventsCount: droppedEvents,
            links: links,
            droppedLinksCount: droppedLinks,
            status: status,
            resource: provider.resource,
            scope: tracer.scope
        )
        for processor in provider.processors {
            processor.onEnd(data)
        }
    }

    /// Runs `body` under the lock, unless the span does not record or has ended.
    private func mutate(_ body: (OTelSpan) -> Void) {
        guard recording else { return }
        lock.withLock {
            guard !ended else { return }
            body(self)
        }
    }
}
