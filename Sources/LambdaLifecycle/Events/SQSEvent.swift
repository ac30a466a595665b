import OTelSDK

/// A batch of Amazon SQS messages, as an SQS event source mapping delivers it to Lambda.
///
/// The invocation span follows the semantic conventions' rule for SQS: kind consumer, named `process <queue>`, with
/// `faas.trigger` `pubsub`, the `messaging.*` attributes and one span link per message that carries a trace context
/// (``Message/traceContext``). To report which messages failed, return an ``SQSBatchResponse``.
public struct SQSEvent: Codable, Sendable, Equatable {
    /// One message of the batch.
    public struct Message: Codable, Sendable, Equatable {
        /// A message attribute (set by the sender); `dataType` is `String`, `Number`, `Binary` or a custom
        /// `<type>.<label>`. Binary values are base64 text.
        public struct Attribute: Codable, Sendable, Equatable {
            public var dataType: String
            public var stringValue: String?
            public var binaryValue: String?
            public var stringListValues: [String]?
            public var binaryListValues: [String]?

            public init(dataType: String, stringValue: String? = nil, binaryValue: String? = nil) {
                self.dataType = dataType
                self.stringValue = stringValue
                self.binaryValue = binaryValue
            }
        }

        public var messageId: String
        public var receiptHandle: String
        public var body: String
        public var md5OfBody: String?
        public var md5OfMessageAttributes: String?
        /// The message system attributes (`ApproximateReceiveCount`, `SentTimestamp`, `SenderId`,
        /// `AWSTraceHeader`, `MessageGroupId` for FIFO queues, ...).
        public var attributes: [String: String]
        /// The message attributes the sender set.
        public var messageAttributes: [String: Attribute]?
        public var eventSource: String
        /// The queue's ARN (`arn:aws:sqs:REGION:ACCOUNT:QUEUE`).
        public var eventSourceARN: String
        public var awsRegion: String

        public init(
            messageId: String,
            body: String,
            eventSourceARN: String,
            attributes: [String: String] = [:],
            messageAttributes: [String: Attribute]? = nil,
            receiptHandle: String = "",
            awsRegion: String = ""
        ) {
            self.messageId = messageId
            self.receiptHandle = receiptHandle
            self.body = body
            self.attributes = attributes
            self.messageAttributes = messageAttributes
            self.eventSource = "aws:sqs"
            self.eventSourceARN = eventSourceARN
            self.awsRegion = awsRegion
        }

        /// The queue's name: the last field of ``eventSourceARN``.
        public var queueName: String {
            eventSourceARN.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? eventSourceARN
        }

        /// The trace context the message was sent in: its `AWSTraceHeader` system attribute (X-Ray format, set by
        /// AWS when the sender was traced), else a W3C `traceparent` (and `tracestate`) message attribute; nil when
        /// neither holds a valid context.
        public var traceContext: SpanContext? {
            if let header = attributes["AWSTraceHeader"], let context = XRayPropagator.parse(header) {
                return context
            }
            return W3CTraceContextPropagator().extract { messageAttributes?[$0]?.stringValue }
        }
    }

    public var records: [Message]

    public init(records: [Message]) {
        self.records = records
    }

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }
}

extension SQSEvent: LambdaTriggerEvent {
    public static var trigger: String { "pubsub" }
}

extension SQSEvent: MessageBatchEvent {
    var messageBatch: MessageBatch {
        let queues = Set(records.map(\.queueName))
        return MessageBatch(
            system: "aws_sqs",
            destinationName: queues.count == 1 ? queues.first : nil,
            messageCount: records.count,
            links: records.compactMap(\.traceContext)
        )
    }
}
