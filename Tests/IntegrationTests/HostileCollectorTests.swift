import OTelSDK
import OTelTesting
import OTLPHTTP
import OTLPReceiver
import Testing

/// The trace exporter against collectors that answer what no well-behaved collector would.
@Suite("Export against a hostile collector", .timeLimit(.minutes(2)))
struct HostileCollectorTests {
    @Test("a redirect is not followed: the headers never reach its target, and the failure names it")
    func redirectNotFollowed() async throws {
        let target = try await OTLPReceiver.start(configuration: .init())
        let targetEndpoint = target.endpoint
        let redirecting = try await HostileCollector.start { _ in
            .http(307, "Temporary Redirect", headers: [("Location", "\(targetEndpoint)/v1/traces")])
        }
        let pipeline = ExportPipeline(endpoint: redirecting.endpoint, headers: [("x-api-key", "secret-key")])
        pipeline.makeSpans(3)
        let result = await pipeline.flush(within: .seconds(5))

        guard case .failed(let reason) = result.outcome else {
            Issue.record("expected a failure, got \(result.outcome)")
            return
        }
        #expect(reason.contains("307") && reason.contains("redirect"))
        #expect(reason.contains(target.endpoint), "the failure names where the collector redirects")
        #expect(result.dropped == 3, "a redirect is a permanent failure: the batch is dropped and counted")
        #expect(redirecting.requests.count == 1)
        #expect(target.summary.traces.requests == 0, "the redirect's target never sees the request, nor its headers")
        await pipeline.shutdown()
        try await redirecting.stop()
        try await target.stop()
    }

    @Test("a redirect's target is named without its query")
    func redirectTargetRedacted() async throws {
        let redirecting = try await HostileCollector.start { _ in
            .http(301, "Moved Permanently", headers: [("Location", "https://user:password@elsewhere.invalid/v1/traces?token=secret")])
        }
        let pipeline = ExportPipeline(endpoint: redirecting.endpoint)
        pipeline.makeSpans(1)
        let result = await pipeline.flush(within: .seconds(5))
        guard case .failed(let reason) = result.outcome else {
            Issue.record("expected a failure, got \(result.outcome)")
            return
        }
        #expect(reason.contains("https://<redacted>@elsewhere.invalid/v1/traces?<redacted>"))
        #expect(!reason.contains("secret") && !reason.contains("password"))
        await pipeline.shutdown()
        try await redirecting.stop()
    }
}
