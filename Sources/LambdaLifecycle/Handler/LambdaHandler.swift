import NIOCore

/// A handler over the raw event bytes: the payload in, the response body out.
///
/// Throwing reports the error to Lambda (`/runtime/invocation/{id}/error`, error type = the Swift type name) and the
/// runtime goes on to the next invocation; it never stops because one invocation failed.
public protocol LambdaByteHandler: Sendable {
    func handle(_ event: ByteBuffer, context: LambdaContext) async throws -> ByteBuffer
}

/// A handler over JSON: the event is decoded as `Event`, the result encoded from `Output`.
///
/// An event that does not decode is reported as an error of type `Runtime.EventDecodingFailed`; a thrown error as in
/// ``LambdaByteHandler``. When `Event` conforms to ``LambdaTraceCarrier`` (the HTTP events do), the invocation
/// span is parented on the context the event carries, extracted by the propagators of `OTEL_PROPAGATORS`; Lambda's
/// own X-Ray context becomes the parent only with `xray-lambda` configured, and is a span link otherwise.
public protocol LambdaCodableHandler: Sendable {
    associatedtype Event: Decodable & Sendable
    associatedtype Output: Encodable & Sendable

    func handle(_ event: Event, context: LambdaContext) async throws -> Output

    /// The invocation span's `faas.trigger` (`http`, `pubsub`, `datasource`, `timer`, `other`). Default: the
    /// event's (``LambdaTriggerEvent``), else `other`.
    static var trigger: String { get }
}

extension LambdaCodableHandler {
    public static var trigger: String { LambdaTrigger.of(Event.self) }
}

/// A handler over JSON events that answers nothing (a queue, topic, bucket or schedule handler): the event is decoded
/// as `Event`, and a handler that returns posts an empty response. Failures and tracing as in
/// ``LambdaCodableHandler``.
public protocol LambdaEventHandler: Sendable {
    associatedtype Event: Decodable & Sendable

    func handle(_ event: Event, context: LambdaContext) async throws

    /// The invocation span's `faas.trigger`, as ``LambdaCodableHandler/trigger``.
    static var trigger: String { get }
}

extension LambdaEventHandler {
    public static var trigger: String { LambdaTrigger.of(Event.self) }
}

/// An event type that knows its invocation span's `faas.trigger`.
public protocol LambdaTriggerEvent {
    /// The `faas.trigger` of invocations carrying this event (`http`, `pubsub`, `datasource`, `timer`, `other`).
    static var trigger: String { get }
}

/// An event that carries trace context headers of its own (for example an HTTP request's `traceparent`).
public protocol LambdaTraceCarrier: LambdaTriggerEvent {
    /// The header value for a (lower-case) name, if the event has it.
    func traceHeader(_ name: String) -> String?
}

enum LambdaTrigger {
    /// `Event`'s ``LambdaTriggerEvent/trigger``; `other` for an event that does not say.
    static func of<Event>(_: Event.Type) -> String {
        (Event.self as? any LambdaTriggerEvent.Type)?.trigger ?? "other"
    }
}

/// A ``LambdaByteHandler`` made from a closure.
public struct LambdaByteClosureHandler: LambdaByteHandler {
    private let body: @Sendable (ByteBuffer, LambdaContext) async throws -> ByteBuffer

    public init(_ body: @escaping @Sendable (ByteBuffer, LambdaContext) async throws -> ByteBuffer) {
        self.body = body
    }

    public func handle(_ event: ByteBuffer, context: LambdaContext) async throws -> ByteBuffer {
        try await body(event, context)
    }
}

/// A ``LambdaCodableHandler`` made from a closure.
public struct LambdaCodableClosureHandler<Event: Decodable & Sendable, Output: Encodable & Sendable>: LambdaCodableHandler {
    private let body: @Sendable (Event, LambdaContext) async throws -> Output

    public init(_ body: @escaping @Sendable (Event, LambdaContext) async throws -> Output) {
        self.body = body
    }

    public func handle(_ event: Event, context: LambdaContext) async throws -> Output {
        try await body(event, context)
    }
}

/// A ``LambdaEventHandler`` made from a closure.
public struct LambdaEventClosureHandler<Event: Decodable & Sendable>: LambdaEventHandler {
    private let body: @Sendable (Event, LambdaContext) async throws -> Void

    public init(_ body: @escaping @Sendable (Event, LambdaContext) async throws -> Void) {
        self.body = body
    }

    public func handle(_ event: Event, context: LambdaContext) async throws {
        try await body(event, context)
    }
}
