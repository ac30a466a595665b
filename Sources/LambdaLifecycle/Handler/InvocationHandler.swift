import NIOCore

/// What the lifecycle driver runs per invocation: a user handler wrapped in its invocation span, with every
/// failure turned into the error document Lambda expects. Never throws.
struct InvocationHandler: Sendable {
    let run: @Sendable (LambdaInvocation, LambdaContext) async -> Result<ByteBuffer, LambdaErrorDocument>

    init(_ handler: some LambdaByteHandler, tracing: InvocationTracing) {
        run = { invocation, context in
            await Self.capture {
                try await tracing.withInvocationSpan(invocation, trigger: "other", carrier: nil) {
                    try await handler.handle(invocation.payload, context: context)
                }
            }
        }
    }

    init<Handler: LambdaCodableHandler>(_ handler: Handler, tracing: InvocationTracing) {
        run = { invocation, context in
            let event: Handler.Event
            do {
                event = try LambdaJSON.decode(Handler.Event.self, from: invocation.payload)
            } catch {
                // Still traced: an invocation span that records the decoding error.
                let failure = LambdaErrorDocument(errorType: "Runtime.EventDecodingFailed", errorMessage: "the event is not a \(Handler.Event.self): \(error)")
                return await Self.capture {
                    try await tracing.withInvocationSpan(invocation, trigger: Handler.trigger, carrier: nil) { () -> ByteBuffer in throw failure }
                }
            }
            return await Self.capture {
                let output = try await tracing.withInvocationSpan(
                    invocation, trigger: Handler.trigger, carrier: event as? any LambdaTraceCarrier, httpRequest: event as? any LambdaHTTPRequestEvent
                ) {
                    try await handler.handle(event, context: context)
                }
                return try LambdaJSON.encode(output)
            }
        }
    }

    private static func capture(_ body: () async throws -> ByteBuffer) async -> Result<ByteBuffer, LambdaErrorDocument> {
        do {
            return .success(try await body())
        } catch let document as LambdaErrorDocument {
            return .failure(document)
        } catch {
            return .failure(LambdaErrorDocument(error: error))
        }
    }
}
