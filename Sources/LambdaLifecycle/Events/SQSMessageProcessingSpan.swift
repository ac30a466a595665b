import OTelSDK
import ServiceContextModule
import Tracing

extension SQSEvent.Message {
    /// Runs `body` in this message's processing span, by the semantic conventions' "SQS Message" rule: kind consumer,
    /// named `process <queue>`, a child of the current span (in a handler, the batch's invocation span), linked to
    /// the context the message was sent in (``traceContext``), with `faas.trigger` `pubsub`, `messaging.system`
    /// `aws_sqs`, `messaging.operation.type` and `.name` `process`, `messaging.destination.name` and
    /// `messaging.message.id`.
    ///
    /// An error `body` throws is recorded on the span (exception event, status error) and rethrown. Through the
    /// globally bootstrapped `InstrumentationSystem.tracer`, like every span of the invocation.
    public func withProcessingSpan<T>(_ body: (any Span) async throws -> T) async rethrows -> T {
        try await withSpan("process \(queueName)", ofKind: .consumer) { span in
            if let traceContext {
                var linked = ServiceContext.topLevel
                linked.spanContext = traceContext
                span.addLink(SpanLink(context: linked, attributes: [:]))
            }
            span.attributes["faas.trigger"] = SQSEvent.trigger
            span.attributes["messaging.system"] = "aws_sqs"
            span.attributes["messaging.operation.type"] = "process"
            span.attributes["messaging.operation.name"] = "process"
            span.attributes["messaging.destination.name"] = queueName
            span.attributes["messaging.message.id"] = messageId
            return try await body(span)
        }
    }
}
