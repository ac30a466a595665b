import Logging
@testable import OTLPHTTP
import OTelSDK
import OTelTesting
import OTLPProto
import Testing

@Suite("OTLP exporter configuration", .timeLimit(.minutes(2)))
struct OTLPExporterConfigurationTests {
    private func configuration(_ variables: [String: String], _ signal: OTLPSignal = .traces) -> (OTLPExporterConfiguration, [String]) {
        let lines = LogCapture()
        let configuration = OTLPExporterConfiguration(signal: signal, environment: OTelEnvironment(variables, diagnostics: lines.logger))
        return (configuration, lines.messages)
    }

    @Test("the default endpoint is http://localhost:4318/v1/<signal>")
    func defaults() {
        let (traces, warnings) = configuration([:])
        #expect(traces.endpoint.url == "http://localhost:4318/v1/traces")
        #expect(traces.compression == .none)
        #expect(traces.timeout == .seconds(10))
        #expect(warnings.isEmpty)
        #expect(configuration([:], .logs).0.endpoint.url == "http://localhost:4318/v1/logs")
    }

    @Test("the generic endpoint gets /v1/<signal> appended, relative to its base path", arguments: [
        ("http://collector:4318", "http://collector:4318/v1/traces"),
        ("http://collector:4318/", "http://collector:4318/v1/traces"),
        ("https://otlp.example.com/base/", "https://otlp.example.com:443/base/v1/traces"),
        ("http://[::1]:9999", "http://[::1]:9999/v1/traces"),
    ])
    func genericEndpoint(value: String, expected: String) {
        #expect(configuration(["OTEL_EXPORTER_OTLP_ENDPOINT": value]).0.endpoint.url == expected)
    }

    @Test("the signal endpoint is used as is and wins over the generic one")
    func signalEndpoint() {
        let (config, _) = configuration([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://generic:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://specific:1234/custom/path",
        ])
        #expect(config.endpoint.url == "http://specific:1234/custom/path")
    }

    @Test("a malformed endpoint is reported with the variable's name, and the default is used", arguments: [
        "collector:4318", "ftp://collector", "http://", "http://host:99999", "http://host:port",
    ])
    func badEndpoint(value: String) {
        let (config, warnings) = configuration(["OTEL_EXPORTER_OTLP_ENDPOINT": value])
        #expect(config.endpoint.url == "http://localhost:4318/v1/traces")
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("OTEL_EXPORTER_OTLP_ENDPOINT='\(value)'") == true)
        #expect(warnings.first?.contains("http://localhost:4318/v1/traces") == true)
    }

    @Test("a malformed endpoint's reason is named", arguments: [
        ("collector:4318", OTLPEndpoint.ParseError.notAbsolute), ("ftp://collector", .unsupportedScheme),
        ("http://", .invalidHost), ("http://host:99999", .invalidPort), ("http://[::1", .invalidHost),
        ("https://user:token@collector", .userInfo),
    ])
    func endpointParseErrors(value: String, expected: OTLPEndpoint.ParseError) {
        #expect(throws: expected) { try OTLPEndpoint.parse(value) }
        let (_, warnings) = configuration(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": value])
        #expect(warnings.first?.contains(expected.description) == true)
    }

    @Test("credentials in an endpoint are never logged: userinfo and query are redacted", arguments: [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ])
    func endpointSecretsRedacted(variable: String) {
        let (_, warnings) = configuration([variable: "https://user:token-secret@collector:99999/v1?api-key=key-secret"])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("\(variable)='https://<redacted>@collector:99999/v1?<redacted>'") == true)
        #expect(!warnings.joined().contains("secret"))

        let generic = configuration(["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector/base?api-key=key-secret"]).0.endpoint
        #expect(generic.url == "https://collector:443/base/v1/traces?api-key=key-secret", "the signal path goes before the query")
        #expect(OTLPEndpoint("http://collector?k=v")?.url == "http://collector:80/?k=v")

        let withQuery = OTLPEndpoint("https://collector/v1/traces?api-key=key-secret")!
        #expect(withQuery.url.hasSuffix("?api-key=key-secret"), "the request still carries the query")
        #expect("\(withQuery)" == "https://collector:443/v1/traces?<redacted>")
    }

    @Test("headers: parsed, percent-decoded, signal-specific ones override, malformed entries skipped and values never logged")
    func headers() {
        let (config, warnings) = configuration([
            "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20token-secret,x-team=a,broken-entry-secret",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "x-team=b",
        ])
        #expect(config.headers.map(\.name) == ["Authorization", "x-team"])
        #expect(config.headers.map(\.value) == ["Bearer token-secret", "b"])
        #expect(warnings.count == 1)
        #expect(!warnings.joined().contains("secret"))
    }

    @Test("compression and timeout, generic and per signal, with malformed values reported")
    func compressionAndTimeout() {
        let (config, warnings) = configuration([
            "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
            "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "GZIP",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
        ])
        #expect(config.compression == .gzip)
        #expect(config.timeout == .milliseconds(2500))
        #expect(warnings.isEmpty)
        let (bad, badWarnings) = configuration(["OTEL_EXPORTER_OTLP_COMPRESSION": "brotli", "OTEL_EXPORTER_OTLP_TIMEOUT": "soon"])
        #expect(bad.compression == .none)
        #expect(bad.timeout == .seconds(10))
        #expect(badWarnings.count == 2)
        #expect(configuration(["OTEL_EXPORTER_OTLP_TIMEOUT": "0"]).0.timeout == nil)
    }

    @Test("a protocol other than http/protobuf is reported")
    func protocolWarning() {
        let (_, warnings) = configuration(["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        #expect(warnings.first?.contains("OTEL_EXPORTER_OTLP_PROTOCOL='grpc'") == true)
    }
}

@Suite("Retry timing", .timeLimit(.minutes(2)))
struct RetryTimingTests {
    @Test("back-off grows exponentially, is capped, and stays within the jitter band")
    func backoff() {
        let policy = OTLPRetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), multiplier: 2, jitter: 0.2)
        #expect(policy.backoff(retry: 1, random: 0.5) == .milliseconds(100))
        #expect(policy.backoff(retry: 3, random: 0.5) == .milliseconds(400))
        #expect(policy.backoff(retry: 10, random: 0.5) == .seconds(1))
        #expect(policy.backoff(retry: 1, random: 0) == .milliseconds(80))
        #expect(policy.backoff(retry: 1, random: 1) == .milliseconds(120))
    }

    @Test("Retry-After: delay-seconds and HTTP-dates")
    func retryAfter() {
        let now = UnixSeconds(value: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.parse("3", now: now) == .seconds(3))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("-1", now: now) == nil)
        #expect(RetryAfter.parse("tomorrow", now: now) == nil)
    }
}
