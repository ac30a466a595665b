import OTelSDK
import OTLPProto

/// Everything the OTLP/HTTP exporter needs for one signal.
///
/// ``init(signal:environment:)`` follows the OpenTelemetry specification: signal-specific variables
/// (`OTEL_EXPORTER_OTLP_TRACES_*`) win over generic ones (`OTEL_EXPORTER_OTLP_*`); the generic
/// endpoint gets `/v1/<signal>` appended, the signal endpoint is used as is; the default endpoint is
/// `http://localhost:4318`. A malformed value is reported with the variable's name and the default
/// applies. Header values are never logged.
public struct OTLPExporterConfiguration: Sendable {
    public var signal: OTLPSignal
    public var endpoint: OTLPEndpoint
    /// Extra request headers (e.g. authentication), sent on every request.
    public var headers: [(name: String, value: String)]
    public var compression: OTLPCompression
    /// Cap on one HTTP attempt (`OTEL_EXPORTER_OTLP_TIMEOUT`, default 10 s); nil means only the export deadline applies.
    public var timeout: Duration?
    public var retry: OTLPRetryPolicy
    /// When exports stop waiting on a collector that refuses connections or leaves requests unanswered,
    /// and how it is probed; shared by the exporters of one collector (see ``OTLPCircuitBreakerPolicy``).
    public var circuitBreaker: OTLPCircuitBreakerPolicy
    /// Responses larger than this are not parsed (treated as a non-retryable error), per the OTLP spec.
    public var maxResponseBytes: Int
    /// PEM file of the certificate authorities to trust for an `https` endpoint, instead of the
    /// system's (`OTEL_EXPORTER_OTLP[_SIGNAL]_CERTIFICATE`).
    public var certificateFile: String?
    /// PEM files of a client certificate and its private key, for mutual TLS
    /// (`OTEL_EXPORTER_OTLP[_SIGNAL]_CLIENT_CERTIFICATE`, `…_CLIENT_KEY`).
    public var clientCertificateFile: String?
    public var clientKeyFile: String?

    public static let defaultEndpoint = OTLPEndpoint("http://localhost:4318")!

    public init(
        signal: OTLPSignal,
        endpoint: OTLPEndpoint? = nil,
        headers: [(name: String, value: String)] = [],
        compression: OTLPCompression = .none,
        timeout: Duration? = .seconds(10),
        retry: OTLPRetryPolicy = OTLPRetryPolicy(),
        circuitBreaker: OTLPCircuitBreakerPolicy = OTLPCircuitBreakerPolicy(),
        maxResponseBytes: Int = 4 * 1024 * 1024
    ) {
        self.signal = signal
        self.endpoint = endpoint ?? Self.defaultEndpoint.appendingPath(signal.path)
        self.headers = headers
        self.compression = compression
        self.timeout = timeout
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.maxResponseBytes = maxResponseBytes
    }

    /// Reads `OTEL_EXPORTER_OTLP[_<SIGNAL>]_{ENDPOINT,HEADERS,COMPRESSION,TIMEOUT,PROTOCOL}`.
    public init(signal: OTLPSignal, environment: OTelEnvironment) {
        self.init(signal: signal)
        let specific = "OTEL_EXPORTER_OTLP_\(signal.rawValue.uppercased())_"
        let generic = "OTEL_EXPORTER_OTLP_"

        if let (name, value) = environment.firstString(specific + "ENDPOINT") {
            do {
                endpoint = try OTLPEndpoint.parse(value)
            } catch {
                environment.warnMalformed(name, value, expected: "a usable http:// or https:// URL (\(error))", defaultDescription: endpoint.description)
            }
        } else if let (name, value) = environment.firstString(generic + "ENDPOINT") {
            do {
                endpoint = try OTLPEndpoint.parse(value).appendingPath(signal.path)
            } catch {
                environment.warnMalformed(name, value, expected: "a usable http:// or https:// URL (\(error))", defaultDescription: endpoint.description)
            }
        }

        // Signal-specific headers replace the generic ones with the same name.
        var merged: [(name: String, value: String)] = []
        for name in [generic + "HEADERS", specific + "HEADERS"] {
            for header in Self.parseHeaders(name, environment) {
                merged.removeAll { $0.name == header.name }
                merged.append(header)
            }
        }
        headers = merged

        if let (name, value) = environment.firstString(specific + "COMPRESSION", generic + "COMPRESSION") {
            if let parsed = OTLPCompression(rawValue: value.lowercased()) {
                compression = parsed
            } else {
                environment.warnMalformed(name, value, expected: "gzip or none", defaultDescription: "none")
            }
        }

        if let (name, _) = environment.firstString(specific + "TIMEOUT", generic + "TIMEOUT") {
            timeout = environment.timeout(name, default: .seconds(10))
        }

        certificateFile = environment.firstString(specific + "CERTIFICATE", generic + "CERTIFICATE")?.value
        clientCertificateFile = environment.firstString(specific + "CLIENT_CERTIFICATE", generic + "CLIENT_CERTIFICATE")?.value
        clientKeyFile = environment.firstString(specific + "CLIENT_KEY", generic + "CLIENT_KEY")?.value

        if let (name, value) = environment.firstString(specific + "PROTOCOL", generic + "PROTOCOL"), value != "http/protobuf" {
            environment.warnMalformed(name, value, expected: "http/protobuf (the only protocol this exporter speaks)", defaultDescription: "http/protobuf")
        }
    }

    /// Parses `k1=v1,k2=v2` (W3C Baggage style, values percent-decoded). A malformed entry is
    /// reported (by position, never by value) and skipped; the others are kept.
    static func parseHeaders(_ name: String, _ environment: OTelEnvironment) -> [(name: String, value: String)] {
        let (pairs, malformed) = environment.keyValueList(name)
        var result: [(name: String, value: String)] = []
        var invalid = malformed
        for (index, pair) in pairs.enumerated() {
            guard pair.key.utf8.allSatisfy(isHeaderNameByte), !pair.value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else {
                invalid.append(index + 1)
                continue
            }
            result.append((pair.key, pair.value))
        }
        if !invalid.isEmpty {
            environment.diagnostics.warning("\(name): skipping \(invalid.count) malformed entr\(invalid.count == 1 ? "y" : "ies"); expected key=value pairs with token keys and percent-encoded values")
        }
        return result
    }
}

/// RFC 9110 token characters.
private func isHeaderNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}
