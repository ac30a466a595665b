/// Amazon SNS notifications, as an SNS subscription delivers them to Lambda (one record per invocation in practice).
///
/// The field names are SNS's capitalised ones (`Sns`, `TopicArn`, ...); `faas.trigger` is `pubsub`.
public struct SNSEvent: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var eventVersion: String
        public var eventSubscriptionArn: String
        public var eventSource: String
        public var sns: Message

        enum CodingKeys: String, CodingKey {
            case eventVersion = "EventVersion"
            case eventSubscriptionArn = "EventSubscriptionArn"
            case eventSource = "EventSource"
            case sns = "Sns"
        }
    }

    public struct Message: Codable, Sendable, Equatable {
        /// A message attribute: `type` is `String`, `String.Array`, `Number` or `Binary` (base64 text).
        public struct Attribute: Codable, Sendable, Equatable {
            public var type: String
            public var value: String

            enum CodingKeys: String, CodingKey {
                case type = "Type"
                case value = "Value"
            }
        }

        public var type: String
        public var messageId: String
        public var topicArn: String
        public var subject: String?
        public var message: String
        /// ISO 8601 (`2019-01-02T12:45:07.000Z`), as SNS sends it.
        public var timestamp: String
        public var signatureVersion: String?
        public var signature: String?
        public var signingCertUrl: String?
        public var unsubscribeUrl: String?
        public var messageAttributes: [String: Attribute]?

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case messageId = "MessageId"
            case topicArn = "TopicArn"
            case subject = "Subject"
            case message = "Message"
            case timestamp = "Timestamp"
            case signatureVersion = "SignatureVersion"
            case signature = "Signature"
            case signingCertUrl = "SigningCertUrl"
            case unsubscribeUrl = "UnsubscribeUrl"
            case messageAttributes = "MessageAttributes"
        }
    }

    public var records: [Record]

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }
}

extension SNSEvent: LambdaTriggerEvent {
    public static var trigger: String { "pubsub" }
}
