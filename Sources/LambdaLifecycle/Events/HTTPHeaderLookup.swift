/// Header lookup for the HTTP events whose header maps keep the client's spelling (API Gateway REST, ALB).
enum HTTPHeaderLookup {
    /// The value of header `name` (lower-case) in `headers`, else the first in `multiValueHeaders`, ignoring case.
    static func value(_ name: String, headers: [String: String]?, multiValueHeaders: [String: [String]]?) -> String? {
        if let headers, let value = headers[name] ?? headers.first(where: { $0.key.lowercased() == name })?.value {
            return value
        }
        guard let multiValueHeaders else { return nil }
        return (multiValueHeaders[name] ?? multiValueHeaders.first(where: { $0.key.lowercased() == name })?.value)?.first
    }
}
