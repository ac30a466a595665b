import Foundation
import LambdaSim
import OTLPProto
import OTLPReceiver
import Testing

/// `example-sqs-consumer` under `lambda-sim`: an SQS batch becomes one consumer span linked to Lambda's context and
/// to each traced message, with a child span per message, and the failed message comes back as a batch item failure
/// (docs/lambda-lifecycle.md, "SQS: the batch span").
@Suite("SQS consumer end to end", .timeLimit(.minutes(5)))
struct SQSConsumerEndToEndTests {
    static let queueARN = "arn:aws:sqs:us-west-2:123456789012:orders"

    static func message(id: String, body: String, attributes: String = "", messageAttributes: String = "{}") -> String {
        #"""
        {"messageId": "\#(id)", "receiptHandle": "h-\#(id)", "body": "\#(body)",
         "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183"\#(attributes)},
         "messageAttributes": \#(messageAttributes), "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
         "eventSource": "aws:sqs", "eventSourceARN": "\#(queueARN)", "awsRegion": "us-west-2"}
        """#
    }

    /// Three messages: sent by a traced AWS SDK (`AWSTraceHeader`), with a `traceparent` attribute (and a body that
    /// fails), and without context.
    static let batch = #"{"Records": ["# + [
        message(id: "m-1", body: "ok", attributes: #", "AWSTraceHeader": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1""#),
        message(
            id: "m-2", body: "fail",
            messageAttributes: #"{"traceparent": {"stringValue": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "dataType": "String"}}"#
        ),
        message(id: "m-3", body: "ok"),
    ].joined(separator: ",") + "]}"

    @Test("one consumer batch span with Lambda's and the messages' links, a child span per message, m-2 reported failed")
    func batchOfThree() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(port: 0, captureBodies: 1_000))
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-sqs-\(UUID().uuidString).log").path
        let configuration = LambdaSimConfiguration(
            bootstrap: try Binaries.path("example-sqs-consumer"),
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_SERVICE_NAME": "sqs-consumer"],
            port: 0, sandboxLog: .file(log)
        )
        let simulator = try await LambdaSimulator.start(configuration: configuration)
        let response = await simulator.invoke(payload: Array(Self.batch.utf8), headers: [])
        await simulator.waitUntilIdle()
        let report = await simulator.shutdown()
        try? await receiver.stop()
        #expect(report.summary.violations == 0)
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"batchItemFailures":[{"itemIdentifier":"m-2"}]}"#)

        let spans = try receiver.capturedBodies(for: .traces).flatMap { try OTLPSpanOutline.decode(protobuf: $0) }
        let batchSpan = try #require(spans.first { $0.attributes["faas.invocation_id"] != nil })
        #expect(batchSpan.kind == 5, "consumer")
        #expect(batchSpan.name == "process orders")
        #expect(batchSpan.parentSpanID.isEmpty)
        #expect(batchSpan.attributes["faas.trigger"] == "pubsub")
        #expect(batchSpan.attributes["messaging.system"] == "aws_sqs")
        #expect(batchSpan.attributes["messaging.batch.message_count"] == "3")
        #expect(batchSpan.links.count == 3, "Lambda's context, then m-1's and m-2's: \(batchSpan.links)")
        #expect(Array(batchSpan.links.dropFirst()) == [
            .init(traceID: "5759e988bd862e3fe1be46a994272793", spanID: "53995c3f42cd8ad8", traceFlags: 1),
            .init(traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331", traceFlags: 1),
        ])
        let messageSpans = spans.filter { $0.parentSpanID == batchSpan.spanID }
        #expect(messageSpans.map { $0.attributes["messaging.message.id"] ?? "" }.sorted() == ["m-1", "m-2", "m-3"])
        #expect(messageSpans.allSatisfy { $0.kind == 5 && $0.name == "process orders" && $0.traceID == batchSpan.traceID })
    }
}
