/// An event that is an HTTP request (API Gateway, a Function URL, a load balancer): the invocation span records its
/// method, path and route (`http.request.method`, `url.path`, `http.route`), as the semantic conventions ask.
public protocol LambdaHTTPRequestEvent {
    /// The request method (`GET`).
    var httpMethod: String { get }
    /// The request path, without the query string (`/entities/7`).
    var httpPath: String { get }
    /// The route template the request matched (`/entities/{id}`); nil when there is none (a catch-all route).
    var httpRoute: String? { get }
}

/// A handler's output that is an HTTP response: the invocation span records its status code
/// (`http.response.status_code`), and a 5xx marks the span as an error, as for any HTTP server span.
public protocol LambdaHTTPResponseOutput {
    /// The response's status code.
    var httpStatusCode: Int { get }
}
