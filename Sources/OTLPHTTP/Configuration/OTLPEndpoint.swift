/// A validated OTLP/HTTP endpoint URL: `http` or `https`, a host, an optional port and path.
public struct OTLPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int
    /// The path, starting with `/`.
    public let path: String

    /// Parses `url`; nil unless it is an absolute `http://` or `https://` URL with a host and a valid port.
    public init?(_ url: String) {
        let text = url.trimmingCharacters(in: " \t")
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return nil }
        let scheme = text[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[text.index(colon, offsetBy: 3)...]
        let authorityEnd = rest.firstIndex { character in character == "/" || character == "?" || character == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port = scheme == "https" ? 443 : 80
        if authority.hasPrefix("[") {
            // IPv6 literal: [::1]:4318
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":"), let parsed = Int(afterHost.dropFirst()), (1...65535).contains(parsed) else { return nil }
                port = parsed
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else { return nil }
            port = parsed
        }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.path = path.isEmpty ? "/" : path
    }

    /// This endpoint with `suffix` appended to its path (the spec's rule for the generic endpoint variable).
    public func appendingPath(_ suffix: String) -> OTLPEndpoint {
        var base = path
        while base.hasSuffix("/") { base.removeLast() }
        return OTLPEndpoint(scheme: scheme, host: host, port: port, path: base + suffix)
    }

    private init(scheme: String, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    public var url: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)\(path)"
    }

    public var description: String { url }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
