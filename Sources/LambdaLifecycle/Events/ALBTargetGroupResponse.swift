/// The response to an ``ALBTargetGroupRequest``. With multi-value headers enabled on the target group, set
/// `multiValueHeaders` instead of `headers`.
public struct ALBTargetGroupResponse: Codable, Sendable, Equatable {
    public var statusCode: Int
    /// The status line's text (`200 OK`); the load balancer derives it from `statusCode` when absent.
    public var statusDescription: String?
    public var headers: [String: String]?
    public var multiValueHeaders: [String: [String]]?
    public var body: String?
    public var isBase64Encoded: Bool?

    public init(
        statusCode: Int,
        statusDescription: String? = nil,
        headers: [String: String]? = nil,
        multiValueHeaders: [String: [String]]? = nil,
        body: String? = nil
    ) {
        self.statusCode = statusCode
        self.statusDescription = statusDescription
        self.headers = headers
        self.multiValueHeaders = multiValueHeaders
        self.body = body
        self.isBase64Encoded = false
    }
}

extension ALBTargetGroupResponse: LambdaHTTPResponseOutput {
    public var httpStatusCode: Int { statusCode }
}
