import ServiceContextModule

/// The part of a span that propagates: trace and span IDs, trace flags and trace state.
///
/// Carried in `ServiceContext` (under `ServiceContext.spanContext`), so that
/// swift-distributed-tracing's task-local context propagation parents child spans and links.
public struct SpanContext: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    public var traceFlags: TraceFlags
    /// The W3C `tracestate` header value, kept verbatim (validated on extraction).
    public var traceState: String
    /// Whether this context was extracted from a remote process rather than created here.
    public var isRemote: Bool

    public init(traceID: TraceID, spanID: SpanID, traceFlags: TraceFlags, traceState: String = "", isRemote: Bool = false) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// Valid when both IDs are non-zero.
    public var isValid: Bool { traceID.isValid && spanID.isValid }

    public var isSampled: Bool { traceFlags.contains(.sampled) }
}

/// W3C trace flags.
public struct TraceFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let sampled = TraceFlags(rawValue: 0x01)
}

private enum SpanContextKey: ServiceContextKey {
    typealias Value = SpanContext
    static let nameOverride: String? = "otel-span-context"
}

extension ServiceContext {
    /// The OpenTelemetry span context of the current span, or of the remote parent after extraction.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self] }
        set { self[SpanContextKey.self] = newValue }
    }
}
