/// An Amazon API Gateway HTTP API (payload format 2.0) request, as Lambda delivers it.
///
/// Only the fields a handler commonly needs are decoded; unknown fields are ignored. Header names are lower-case,
/// as API Gateway sends them.
public struct APIGatewayV2Request: Codable, Sendable, Equatable {
    public struct RequestContext: Codable, Sendable, Equatable {
        public struct HTTP: Codable, Sendable, Equatable {
            public var method: String
            public var path: String
            public var sourceIp: String?
            public var userAgent: String?
        }

        public var accountId: String?
        public var apiId: String?
        public var domainName: String?
        public var requestId: String?
        public var routeKey: String?
        public var stage: String?
        public var timeEpoch: Int64?
        public var http: HTTP
    }

    public var version: String?
    public var routeKey: String
    public var rawPath: String
    public var rawQueryString: String?
    public var cookies: [String]?
    public var headers: [String: String]
    public var queryStringParameters: [String: String]?
    public var pathParameters: [String: String]?
    public var requestContext: RequestContext
    public var body: String?
    public var isBase64Encoded: Bool

    public init(
        routeKey: String,
        rawPath: String,
        method: String,
        headers: [String: String] = [:],
        queryStringParameters: [String: String]? = nil,
        pathParameters: [String: String]? = nil,
        body: String? = nil
    ) {
        self.version = "2.0"
        self.routeKey = routeKey
        self.rawPath = rawPath
        self.rawQueryString = ""
        self.headers = headers
        self.queryStringParameters = queryStringParameters
        self.pathParameters = pathParameters
        self.requestContext = RequestContext(http: RequestContext.HTTP(method: method, path: rawPath))
        self.body = body
        self.isBase64Encoded = false
    }
}

extension APIGatewayV2Request: LambdaTraceCarrier {
    public func traceHeader(_ name: String) -> String? {
        headers[name] ?? headers.first { $0.key.lowercased() == name }?.value
    }

    public static var trigger: String { "http" }
}

extension APIGatewayV2Request: LambdaHTTPRequestEvent {
    public var httpMethod: String { requestContext.http.method }
    public var httpPath: String { rawPath }
    /// The path of `routeKey` (`GET /entities/{id}` → `/entities/{id}`); nil for `$default`.
    public var httpRoute: String? {
        guard let space = routeKey.firstIndex(of: " ") else { return nil }
        return String(routeKey[routeKey.index(after: space)...])
    }
}

extension APIGatewayV2Request.RequestContext {
    init(http: HTTP) {
        self.http = http
    }
}
