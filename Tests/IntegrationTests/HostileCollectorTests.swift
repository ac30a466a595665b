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

    @Test("a 2xx whose body is larger than the limit is a delivery: the body is not read past the limit")
    func hugeSuccessBody() async throws {
        let collector = try await HostileCollector.start { _ in .http(200, "OK", body: Array(repeating: 0x41, count: 5 << 20)) }
        let pipeline = ExportPipeline(endpoint: collector.endpoint)
        pipeline.makeSpans(4)
        let result = await pipeline.flush(within: .seconds(5))
        #expect(result.outcome == .ok && result.exported == 4 && result.dropped == 0)
        #expect(collector.requests.count == 1, "a delivery is not repeated")
        await pipeline.shutdown()
        try await collector.stop()
    }

    @Test("a 503 whose body is larger than the limit is retried, and the spans arrive")
    func hugeUnavailableBody() async throws {
        let collector = try await HostileCollector.start { request in
            request == 1 ? .http(503, "Service Unavailable", body: Array(repeating: 0x42, count: 5 << 20)) : .http(200, "OK")
        }
        let pipeline = ExportPipeline(endpoint: collector.endpoint)
        pipeline.makeSpans(4)
        let result = await pipeline.flush(within: .seconds(5))
        #expect(result.outcome == .ok && result.exported == 4 && result.dropped == 0)
        #expect(collector.requests.count == 2)
        await pipeline.shutdown()
        try await collector.stop()
    }

    @Test("a status line that is not HTTP, or an answer trickled a byte at a time: the flush returns by its deadline and keeps the spans", arguments: [
        HostileAnswer.garbage, .trickle,
    ])
    func brokenAnswers(answer: HostileAnswer) async throws {
        let collector = try await HostileCollector.start { _ in answer.answer }
        let pipeline = ExportPipeline(endpoint: collector.endpoint)
        pipeline.makeSpans(4)
        let clock = ContinuousClock()
        let start = clock.now
        let result = await pipeline.flush(within: .seconds(2))
        #expect(clock.now - start < .seconds(10), "the flush ends near its deadline, whatever the collector does")
        #expect(result.outcome != .ok)
        #expect(result.dropped == 0 && result.pending == 4, "nothing is lost: the spans wait for the next flush")
        await pipeline.shutdown()
        try await collector.stop()
    }
}

/// Answers no collector should give, for ``HostileCollectorTests/brokenAnswers(answer:)``.
enum HostileAnswer: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case garbage
    case trickle

    var answer: HostileCollector.Answer {
        switch self {
        case .garbage: .bytes(Array("SMTP 220 hello\r\n\r\n".utf8))
        case .trickle: .trickle(Array("HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n".utf8) + Array(repeating: 0x43, count: 1000), interval: .milliseconds(100))
        }
    }

    var testDescription: String { rawValue }
}
