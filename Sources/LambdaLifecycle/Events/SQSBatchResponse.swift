/// The answer to an ``SQSEvent`` that reports partial batch failure: the messages listed are returned to the queue,
/// the others are deleted. An empty list means every message succeeded.
///
/// Lambda honours it only when the event source mapping has `ReportBatchItemFailures` in its
/// `FunctionResponseTypes`; otherwise the batch succeeds or fails as a whole (a thrown error fails it).
public struct SQSBatchResponse: Codable, Sendable, Equatable {
    public struct BatchItemFailure: Codable, Sendable, Equatable {
        /// The failed message's ``SQSEvent/Message/messageId``.
        public var itemIdentifier: String

        public init(itemIdentifier: String) {
            self.itemIdentifier = itemIdentifier
        }
    }

    public var batchItemFailures: [BatchItemFailure]

    public init(batchItemFailures: [BatchItemFailure] = []) {
        self.batchItemFailures = batchItemFailures
    }

    /// Reports the messages with these ``SQSEvent/Message/messageId``s as failed.
    public init(failedMessageIDs: [String]) {
        self.batchItemFailures = failedMessageIDs.map(BatchItemFailure.init(itemIdentifier:))
    }
}
