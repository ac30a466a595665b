/// The response to an ``APIGatewayRequest`` (REST API, payload format 1.0).
public struct APIGatewayResponse: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var headers: [String: String]?
    public var multiValueHeaders: [String: [String]]?
    public var body: String?
    public var isBase64Encoded: Bool?

    public init(statusCode: Int, headers: [String: String]? = nil, multiValueHeaders: [String: [String]]? = nil, body: String? = nil) {
        self.statusCode = statusCode
        self.headers = headers
        self.multiValueHeaders = multiValueHeaders
        self.body = body
        self.isBase64Encoded = false
    }
}

extension APIGatewayResponse: LambdaHTTPResponseOutput {
    public var httpStatusCode: Int { statusCode }
}
