#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

    init<Handler: LambdaCodableHandler>(_ handler: Handler, decoder: JSONDecoder, encoder: JSONEncoder, tracing: InvocationTracing) {
        self.init(
            decoding: Handler.Event.self, trigger: Handler.trigger, decoder: decoder, tracing: tracing,
            handle: { event, context in try await handler.handle(event, context: context) },
            encode: { output in try LambdaJSON.encode(output, encoder: encoder) }
        )
    }

    /// The response is empty.
    init<Handler: LambdaEventHandler>(_ handler: Handler, decoder: JSONDecoder, tracing: InvocationTracing) {
        self.init(
            decoding: Handler.Event.self, trigger: Handler.trigger, decoder: decoder, tracing: tracing,
            handle: { event, context in try await handler.handle(event, context: context) },
            encode: { ByteBuffer() }
        )
    }

    /// Decodes the event with `decoder`, runs `handle` in the invocation span (shaped by the event: trace carrier,
    /// HTTP request, message batch), and encodes its output with `encode`.
    private init<Event: Decodable & Sendable, Output>(
        decoding _: Event.Type,
        trigger: String,
        decoder: JSONDecoder,
        tracing: InvocationTracing,
        handle: @escaping @Sendable (Event, LambdaContext) async throws -> Output,
        encode: @escaping @Sendable (Output) throws -> ByteBuffer
    ) {
        run = { invocation, context in
            let event: Event
            do {
                event = try LambdaJSON.decode(Event.self, from: invocation.payload, decoder: decoder)
            } catch {
                // Still traced: an invocation span that records the decoding error.
                let failure = LambdaErrorDocument(errorType: "Runtime.EventDecodingFailed", errorMessage: "the event is not a \(Event.self): \(error)")
                return await Self.capture {
                    try await tracing.withInvocationSpan(invocation, trigger: trigger, carrier: nil) { () -> ByteBuffer in throw failure }
                }
            }
            return await Self.capture {
                let output = try await tracing.withInvocationSpan(
                    invocation, trigger: trigger, carrier: event as? any LambdaTraceCarrier, httpRequest: event as? any LambdaHTTPRequestEvent,
                    batch: (event as? any MessageBatchEvent)?.messageBatch
                ) {
                    try await handle(event, context)
                }
                return try encode(output)
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
