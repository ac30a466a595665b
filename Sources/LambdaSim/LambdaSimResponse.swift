/// The answer a caller of the front door (or of ``LambdaSimulator/invoke(payload:headers:)``) gets.
public struct LambdaSimResponse: Sendable {
    /// HTTP status: 200 for a response or a function error, 504 after the gateway timeout, 4xx/5xx when the
    /// simulator could not take the invocation.
    public var status: Int
    /// Response headers, names as sent (`X-Amz-Function-Error: Unhandled` for a function error).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
