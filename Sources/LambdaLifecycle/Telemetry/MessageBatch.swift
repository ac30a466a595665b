import OTelSDK

/// What the invocation span of a message batch records, by the semantic conventions' rule for SQS ("Instrumenting
/// AWS Lambda", SQS Event): kind consumer, named `process <destination>` (`process` when the batch comes from several
/// destinations), `messaging.system`, `messaging.operation.type` and `.name` `process`,
/// `messaging.destination.name` when there is one destination, `messaging.batch.message_count`, and one span link
/// per message that carries a context.
struct MessageBatch: Sendable, Equatable {
    /// `messaging.system` (`aws_sqs`).
    var system: String
    /// The one destination every message came from; nil for several.
    var destinationName: String?
    var messageCount: Int
    /// The contexts the messages were sent in, in message order.
    var links: [SpanContext]

    var spanName: String {
        destinationName.map { "process \($0)" } ?? "process"
    }
}

/// An event that is a batch of messages: its invocation span is a ``MessageBatch`` span.
protocol MessageBatchEvent {
    var messageBatch: MessageBatch { get }
}
