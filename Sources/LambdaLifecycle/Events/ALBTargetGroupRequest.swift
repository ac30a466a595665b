/// An Application Load Balancer request to a Lambda target group, as Lambda delivers it.
///
/// With multi-value headers enabled on the target group, the load balancer sends `multiValueHeaders` and
/// `multiValueQueryStringParameters` instead of `headers` and `queryStringParameters`; both forms decode. A load
/// balancer has no route templates, so the invocation span has no `http.route`.
public struct ALBTargetGroupRequest: Codable, Sendable, Equatable {
    public struct RequestContext: Codable, Sendable, Equatable {
        public struct ELB: Codable, Sendable, Equatable {
            public var targetGroupArn: String
        }

        public var elb: ELB
    }

    public var requestContext: RequestContext
    public var httpMethod: String
    public var path: String
    public var headers: [String: String]?
    public var multiValueHeaders: [String: [String]]?
    public var queryStringParameters: [String: String]?
    public var multiValueQueryStringParameters: [String: [String]]?
    public var body: String?
    public var isBase64Encoded: Bool

    public init(targetGroupArn: String, httpMethod: String, path: String, headers: [String: String]? = nil, body: String? = nil) {
        self.requestContext = RequestContext(elb: RequestContext.ELB(targetGroupArn: targetGroupArn))
        self.httpMethod = httpMethod
        self.path = path
        self.headers = headers
        self.body = body
        self.isBase64Encoded = false
    }
}

extension ALBTargetGroupRequest: LambdaTraceCarrier {
    /// Looks in `headers`, then `multiValueHeaders` (first value), ignoring case.
    public func traceHeader(_ name: String) -> String? {
        HTTPHeaderLookup.value(name, headers: headers, multiValueHeaders: multiValueHeaders)
    }

    public static var trigger: String { "http" }
}

extension ALBTargetGroupRequest: LambdaHTTPRequestEvent {
    public var httpPath: String { path }
    /// Always nil: a load balancer matches rules, not route templates.
    public var httpRoute: String? { nil }
}
