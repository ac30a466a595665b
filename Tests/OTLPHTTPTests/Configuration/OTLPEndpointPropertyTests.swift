import OTelSDK
import PropertyBased
import Testing

@testable import OTLPHTTP

/// `OTEL_EXPORTER_OTLP_*ENDPOINT` values at the boundary: any text parses or is rejected with a named reason, a parsed
/// endpoint round-trips through its URL, and no log form of any text shows its userinfo or query.
@Suite("OTLP endpoint parsing, properties", .timeLimit(.minutes(2)))
struct OTLPEndpointPropertyTests {
    /// Texts near the shape of a URL: a scheme, optional userinfo, a host, an optional port, path and query.
    static let urlLike = Gen<String>.oneOf(
        Gen.ascii.string(of: 0...40).eraseToAny(),
        zip(
            Gen<String?>.element(of: ["http", "https", "HTTP", "ftp", ""]).map { $0 ?? "" },
            Gen<String?>.element(of: ["", "user:secret-pass@", "@", "a@b@"]).map { $0 ?? "" },
            Gen<String?>.element(of: ["collector", "127.0.0.1", "[::1]", "[::1", "", "a b"]).map { $0 ?? "" },
            Gen<String?>.element(of: ["", ":4318", ":0", ":65536", ":x", ":99999999999999999999"]).map { $0 ?? "" },
            Gen<String?>.element(of: ["", "/", "/v1/traces", "/base/"]).map { $0 ?? "" },
            Gen<String?>.element(of: ["", "?api-key=secret-key", "#fragment"]).map { $0 ?? "" }
        ).map { "\($0)://\($1)\($2)\($3)\($4)\($5)" }.eraseToAny()
    )

    @Test("any text parses or is rejected with a named reason; a parsed endpoint round-trips through its URL")
    func parseOrNamedError() async {
        await propertyCheck(count: 2000, input: Self.urlLike) { text in
            switch Result(catching: { () throws(OTLPEndpoint.ParseError) in try OTLPEndpoint.parse(text) }) {
            case .success(let endpoint):
                #expect(["http", "https"].contains(endpoint.scheme))
                #expect((1...65535).contains(endpoint.port) && !endpoint.host.isEmpty && endpoint.path.hasPrefix("/"))
                #expect(OTLPEndpoint(endpoint.url) == endpoint)
            case .failure(let error):
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("no log form of any text shows its userinfo or query")
    func redactionHidesSecrets() async {
        await propertyCheck(count: 2000, input: Self.urlLike) { text in
            #expect(!URLRedaction.redacted(text).contains("secret"))
            if let endpoint = OTLPEndpoint(text) {
                #expect(!endpoint.description.contains("secret"))
            }
        }
    }
}
