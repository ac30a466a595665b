/// Amazon S3 event notifications (object created, removed, restored, ...), as S3 delivers them to Lambda.
///
/// `faas.trigger` is `datasource`. Object keys are URL-encoded, as S3 sends them (`Happy%20Face.jpg`); a removal
/// has no `size` or `eTag`.
public struct S3Event: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public struct UserIdentity: Codable, Sendable, Equatable {
            public var principalId: String
        }

        public struct RequestParameters: Codable, Sendable, Equatable {
            public var sourceIPAddress: String
        }

        public var eventVersion: String
        public var eventSource: String
        public var awsRegion: String
        /// ISO 8601 (`1970-01-01T00:00:00.000Z`), as S3 sends it.
        public var eventTime: String
        /// `ObjectCreated:Put`, `ObjectRemoved:Delete`, ...
        public var eventName: String
        public var userIdentity: UserIdentity?
        public var requestParameters: RequestParameters?
        /// `x-amz-request-id` and `x-amz-id-2`.
        public var responseElements: [String: String]?
        public var s3: Entity
    }

    public struct Entity: Codable, Sendable, Equatable {
        public struct Bucket: Codable, Sendable, Equatable {
            public var name: String
            public var ownerIdentity: Record.UserIdentity?
            public var arn: String
        }

        public struct Object: Codable, Sendable, Equatable {
            /// URL-encoded, as S3 sends it.
            public var key: String
            public var size: Int64?
            public var eTag: String?
            public var versionId: String?
            public var sequencer: String?
        }

        public var s3SchemaVersion: String
        public var configurationId: String?
        public var bucket: Bucket
        public var object: Object
    }

    public var records: [Record]

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }
}

extension S3Event: LambdaTriggerEvent {
    public static var trigger: String { "datasource" }
}
