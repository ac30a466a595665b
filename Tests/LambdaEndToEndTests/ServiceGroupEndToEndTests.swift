import Foundation
import LambdaSim
import OTLPProto
import OTLPReceiver
import Testing

/// `example-sqs-consumer` under `lambda-sim`, its runtime in a `ServiceGroup` beside a stand-in connection pool: the
/// SIGTERM lambda-sim sends when it shuts the environment down makes the group shut down gracefully (the runtime's
/// final flush within its 300 ms budget, then the pool), and the process exits with status 0 before the SIGKILL
/// that ends the Shutdown phase (docs/lambda-lifecycle.md, "In a ServiceGroup").
@Suite("ServiceGroup shutdown end to end", .timeLimit(.minutes(5)))
struct ServiceGroupEndToEndTests {
    static let invocations = 3
    static let messagesPerBatch = 2

    static func batch(_ index: Int) -> [UInt8] {
        let messages = (1...messagesPerBatch).map { SQSConsumerEndToEndTests.message(id: "m-\(index)-\($0)", body: "ok") }
        return Array((#"{"Records": ["# + messages.joined(separator: ",") + "]}").utf8)
    }

    @Test("SIGTERM: the group shuts down gracefully, the final flush ends within 300 ms, exit 0, every span exported")
    func sigtermShutsTheGroupDownGracefully() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(port: 0, captureBodies: 1_000))
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-service-group-\(UUID().uuidString).log").path
        let simulator = try await LambdaSimulator.start(configuration: LambdaSimConfiguration(
            bootstrap: try Binaries.path("example-sqs-consumer"),
            environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                "OTEL_SERVICE_NAME": "sqs-consumer",
                "OTEL_LAMBDA_LOG_FLUSH_EVENTS": "true",
                // Under the thread sanitizer (test.sh runs this suite with it) a process sleeps 1 s in exit by
                // default, to catch races at exit: longer than the Shutdown phase this test checks the exit against.
                "TSAN_OPTIONS": "atexit_sleep_ms=0",
            ],
            port: 0, sandboxLog: .file(log)
        ))
        var statuses: [Int] = []
        for index in 0..<Self.invocations {
            statuses.append(await simulator.invoke(payload: Self.batch(index), headers: []).status)
        }
        await simulator.waitUntilIdle()
        let report = await simulator.shutdown()
        try? await receiver.stop()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""

        #expect(statuses == Array(repeating: 200, count: Self.invocations))
        #expect(report.summary.violations == 0)
        // One environment, shut down by lambda-sim: SIGTERM, then an exit of its own before the grace ended.
        #expect(report.sandboxes.count == 1)
        let sandbox = try #require(report.sandboxes.first)
        #expect(sandbox.endReason == "shutdown")
        #expect(sandbox.sigtermMs != nil, "lambda-sim sent no SIGTERM: \(sandbox)")
        #expect(sandbox.sigkillMs == nil, "the sandbox was killed at the end of the grace: \(sandbox)")
        #expect(sandbox.exitStatus == "exit 0")
        // The runtime's final flush, within its budget.
        let finalFlush = try #require(report.flushes.first { $0.requestId == "shutdown" }, "no final flush line; see \(log)")
        #expect(finalFlush.outcome == "ok")
        let duration = try #require(finalFlush.durationMs)
        #expect(duration <= 300, "the final flush took \(duration) ms")
        // The group shut the pool down gracefully, after the runtime (reverse order).
        let finalFlushEnd = try #require(output.range(of: #"{"event":"otel.lambda.flush.end","requestId":"shutdown""#), "see \(log)")
        let poolClosed = try #require(output.range(of: "connection pool: shutting down gracefully"), "the pool was not shut down gracefully; see \(log)")
        #expect(finalFlushEnd.upperBound <= poolClosed.lowerBound, "the pool closed before the runtime's final flush; see \(log)")

        let spans = try receiver.capturedBodies(for: .traces).flatMap { try OTLPSpanOutline.decode(protobuf: $0) }
        let batchSpans = spans.filter { $0.attributes["faas.invocation_id"] != nil }
        let messageIDs = spans.compactMap { $0.attributes["messaging.message.id"] }
        #expect(batchSpans.count == Self.invocations, "\(spans.count) spans")
        #expect(Set(messageIDs) == Set((0..<Self.invocations).flatMap { index in (1...Self.messagesPerBatch).map { "m-\(index)-\($0)" } }))
    }
}
