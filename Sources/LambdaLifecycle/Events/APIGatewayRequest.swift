/// An Amazon API Gateway REST API request (Lambda proxy integration, payload format 1.0), as Lambda delivers it.
///
/// Only the fields a handler commonly needs are decoded; unknown fields are ignored. API Gateway sends `null` for the
/// header, query and path maps when there are none, so they are optional. `resource` is the route template
/// (`/pets/{petId}`, `/{proxy+}`), `path` the request path.
public struct APIGatewayRequest: Codable, Sendable, Equatable {
    public struct RequestContext: Codable, Sendable, Equatable {
        public struct Identity: Codable, Sendable, Equatable {
            public var sourceIp: String?
            public var userAgent: String?
        }

        public var accountId: String?
        public var apiId: String?
        public var resourceId: String?
        public var resourcePath: String?
        public var httpMethod: String?
        public var path: String?
        public var stage: String?
        public var requestId: String?
        public var domainName: String?
        public var requestTimeEpoch: Int64?
        public var identity: Identity?
    }

    public var resource: String
    public var path: String
    public var httpMethod: String
    public var headers: [String: String]?
    public var multiValueHeaders: [String: [String]]?
    public var queryStringParameters: [String: String]?
    public var multiValueQueryStringParameters: [String: [String]]?
    public var pathParameters: [String: String]?
    public var stageVariables: [String: String]?
    public var requestContext: RequestContext?
    public var body: String?
    public var isBase64Encoded: Bool?

    public init(resource: String, path: String, httpMethod: String, headers: [String: String]? = nil, body: String? = nil) {
        self.resource = resource
        self.path = path
        self.httpMethod = httpMethod
        self.headers = headers
        self.body = body
        self.isBase64Encoded = false
    }
}

extension APIGatewayRequest: LambdaTraceCarrier {
    /// Looks in `headers`, then `multiValueHeaders` (first value), ignoring case.
    public func traceHeader(_ name: String) -> String? {
        HTTPHeaderLookup.value(name, headers: headers, multiValueHeaders: multiValueHeaders)
    }

    public static var trigger: String { "http" }
}

extension APIGatewayRequest: LambdaHTTPRequestEvent {
    public var httpPath: String { path }
    /// `resource`, the route template the request matched (`/pets/{petId}`).
    public var httpRoute: String? { resource }
}
