import OTelSDK

/// A validated OTLP/HTTP endpoint URL: `http` or `https`, a host, an optional port and path.
///
/// Its ``description`` hides the query; ``url`` is the whole URL, for the request only.
public struct OTLPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int
    /// The path, starting with `/`.
    public let path: String
    /// The query after `?`, without it; empty when there is none. Sent, never logged.
    public let query: String

    /// Why a text is not a usable OTLP/HTTP endpoint.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// Not of the form `scheme://authority[/path]`.
        case notAbsolute
        /// A scheme other than `http` or `https`.
        case unsupportedScheme
        /// `user:password@` before the host: credentials belong in `OTEL_EXPORTER_OTLP_HEADERS`, where they are
        /// never logged.
        case userInfo
        /// No host, or a host with a space or an unclosed IPv6 bracket.
        case invalidHost
        /// A port that is not a number in 1...65535.
        case invalidPort

        public var description: String {
            switch self {
            case .notAbsolute: return "not an absolute URL (scheme://host[:port][/path])"
            case .unsupportedScheme: return "the scheme is neither http nor https"
            case .userInfo: return "credentials in the URL are not supported; send them in OTEL_EXPORTER_OTLP_HEADERS"
            case .invalidHost: return "the host is missing or malformed"
            case .invalidPort: return "the port is not a number in 1...65535"
            }
        }
    }

    /// Parses `url`; nil unless it is an absolute `http://` or `https://` URL with a host and a valid port.
    public init?(_ url: String) {
        guard let parsed = try? Self.parse(url) else { return nil }
        self = parsed
    }

    /// Parses `url`, an absolute `http://` or `https://` URL with a host, an optional port, path and query (sent,
    /// but never logged: ``description`` hides it); a fragment is dropped.
    public static func parse(_ url: String) throws(ParseError) -> OTLPEndpoint {
        let text = url.trimmingCharacters(in: " \t")
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { throw .notAbsolute }
        let scheme = text[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme }
        let rest = text[text.index(colon, offsetBy: 3)...]
        let authorityEnd = rest.firstIndex { character in character == "/" || character == "?" || character == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        guard !authority.contains("@") else { throw .userInfo }
        guard !authority.isEmpty else { throw .invalidHost }
        var host = Substring(authority)
        var port = scheme == "https" ? 443 : 80
        if authority.hasPrefix("[") {
            // IPv6 literal: [::1]:4318
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":"), let parsed = Int(afterHost.dropFirst()), (1...65535).contains(parsed) else { throw .invalidPort }
                port = parsed
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else { throw .invalidPort }
            port = parsed
        }
        guard !host.isEmpty, !host.contains(" ") else { throw .invalidHost }
        var query = ""
        if let mark = path.firstIndex(of: "?") {
            query = String(path[path.index(after: mark)...])
            path = String(path[..<mark])
        }
        return OTLPEndpoint(scheme: scheme, host: String(host), port: port, path: path.isEmpty ? "/" : path, query: query)
    }

    /// This endpoint with `suffix` appended to its path (the spec's rule for the generic endpoint variable); the
    /// query stays after the whole path.
    public func appendingPath(_ suffix: String) -> OTLPEndpoint {
        var base = path
        while base.hasSuffix("/") { base.removeLast() }
        return OTLPEndpoint(scheme: scheme, host: host, port: port, path: base + suffix, query: query)
    }

    private init(scheme: String, host: String, port: Int, path: String, query: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    /// The complete URL the exporter sends to, query included. Never log it: use ``description``.
    public var url: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)\(path)\(query.isEmpty ? "" : "?" + query)"
    }

    /// The URL for log lines: the query, which may carry an API key, is shown as `?<redacted>`.
    public var description: String { URLRedaction.redacted(url) }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
