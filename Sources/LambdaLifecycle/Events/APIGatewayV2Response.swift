/// The response to an ``APIGatewayV2Request`` (payload format 2.0).
public struct APIGatewayV2Response: Codable, Sendable, Equatable {
    public var statusCode: Int
    public var headers: [String: String]?
    public var cookies: [String]?
    public var body: String?
    public var isBase64Encoded: Bool?

    public init(statusCode: Int, headers: [String: String]? = nil, body: String? = nil, cookies: [String]? = nil) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.cookies = cookies
        self.isBase64Encoded = false
    }
}

extension APIGatewayV2Response: LambdaHTTPResponseOutput {
    public var httpStatusCode: Int { statusCode }
}
