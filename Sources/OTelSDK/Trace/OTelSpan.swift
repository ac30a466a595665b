import ServiceContextModule
import NIOConcurrencyHelpers
import Tracing

/// A span of the OpenTelemetry SDK, created by ``OTelTracer``.
///
/// Thread-safe: every mutation takes the span's own lock (never a global one). A span ends exactly
/// once: later `end` calls are ignored. Mutations after the end are ignored too. A span the sampler
/// dropped is not recording: it carries and propagates its context and ignores everything else.
/// Limits from ``SpanLimits`` apply as items are added (events, links) or when the span ends
/// (attributes); what they cut is counted in the exported span.
public final class OTelSpan: Tracing.Span {
    public let context: ServiceContext
    /// This span's own trace and span IDs.
    public let spanContext: SpanContext
    private let parent: SpanContext?
    private let kind: SpanKind
    private let startTimeNanos: UInt64
    private let tracer: OTelTracer
    private let state: NIOLockedValueBox<State>?

    private struct State {
        var name: String
        var attributes = SpanAttributes()
        var events: [SpanData.Event] = []
        var droppedEvents = 0
        var links: [SpanData.Link] = []
        var droppedLinks = 0
        var status: SpanData.Status = .unset
        var ended = false
    }

    init(name: String, context: ServiceContext, spanContext: SpanContext, parent: SpanContext?, kind: SpanKind, startTimeNanos: UInt64, isRecording: Bool, tracer: OTelTracer) {
        self.context = context
        self.spanContext = spanContext
        self.parent = parent
        self.kind = kind
        self.startTimeNanos = startTimeNanos
        self.tracer = tracer
        self.state = isRecording ? NIOLockedValueBox(State(name: name)) : nil
    }

    public var isRecording: Bool {
        state?.withLockedValue { !$0.ended } ?? false
    }

    public var operationName: String {
        get { state?.withLockedValue { $0.name } ?? "" }
        set { mutate { $0.name = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state?.withLockedValue { $0.attributes } ?? SpanAttributes() }
        set { mutate { $0.attributes = newValue } }
    }

    /// Sets the status. Per the specification, `ok` is final: a later `error` does not replace it.
    public func setStatus(_ status: SpanStatus) {
        mutate { state in
            if state.status == .ok { return }
            switch status.code {
            case .ok: state.status = .ok
            case .error: state.status = .error(message: status.message ?? "")
            }
        }
    }

    public func addEvent(_ event: SpanEvent) {
        let limits = tracer.provider.limits
        mutate { state in
            guard state.events.count < limits.eventCountLimit else {
                state.droppedEvents += 1
                return
            }
            let (attributes, dropped) = event.attributes.converted(countLimit: limits.attributePerEventCountLimit, valueLengthLimit: limits.attributeValueLengthLimit)
            state.events.append(SpanData.Event(name: event.name, timeNanos: event.nanosecondsSinceEpoch, attributes: attributes, droppedAttributesCount: dropped))
        }
    }

    /// Records `error` as an `exception` event (`exception.type`, `exception.message`), as the
    /// OpenTelemetry semantic conventions describe. It does not change the status.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard state != nil else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = SpanAttribute.string(String(reflecting: type(of: error)))
        eventAttributes["exception.message"] = SpanAttribute.string(String(describing: error))
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    /// Adds a link to the span whose context `link.context` carries; links without one are ignored.
    public func addLink(_ link: SpanLink) {
        guard let linked = link.context.spanContext, linked.isValid else { return }
        let limits = tracer.provider.limits
        mutate { state in
            guard state.links.count < limits.linkCountLimit else {
                state.droppedLinks += 1
                return
            }
            let (attributes, dropped) = link.attributes.converted(countLimit: limits.attributePerLinkCountLimit, valueLengthLimit: limits.attributeValueLengthLimit)
            state.links.append(SpanData.Link(context: linked, attributes: attributes, droppedAttributesCount: dropped))
        }
    }

    /// Ends the span and hands it to the provider's processors. Only the first call has an effect.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard state != nil else { return }
        let endTime = instant().nanosecondsSinceEpoch
        let finished: State? = state?.withLockedValue { state in
            guard !state.ended else { return nil }
            state.ended = true
            return state
        }
        guard let finished else { return }
        let provider = tracer.provider
        let (attributes, droppedAttributes) = finished.attributes.converted(countLimit: provider.limits.attributeCountLimit, valueLengthLimit: provider.limits.attributeValueLengthLimit)
        let data = SpanData(
            name: finished.name,
            context: spanContext,
            parentSpanID: parent?.spanID,
            parentIsRemote: parent?.isRemote ?? false,
            kind: kind,
            startTimeNanos: startTimeNanos,
            endTimeNanos: max(endTime, startTimeNanos),
            attributes: attributes,
            droppedAttributesCount: droppedAttributes,
            events: finished.events,
            droppedEventsCount: finished.droppedEvents,
            links: finished.links,
            droppedLinksCount: finished.droppedLinks,
            status: finished.status,
            resource: provider.resource,
            scope: tracer.scope
        )
        for processor in provider.processors {
            processor.onEnd(data)
        }
    }

    private func mutate(_ body: (inout State) -> Void) {
        state?.withLockedValue { state in
            guard !state.ended else { return }
            body(&state)
        }
    }
}
