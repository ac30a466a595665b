import Foundation
import Logging
import NIOCore
import OTelSDK
import Testing
import Tracing

@testable import LambdaLifecycle

/// The invocation span of each trigger, from the event's JSON through the handler: kind server with the HTTP
/// attributes for HTTP events, the `faas.trigger` of each event type, and the SQS batch rule (kind consumer,
/// `process <queue>`, `messaging.*`, one link per message with a context).
///
/// Spans go through the tracer ``InvocationSpanTests`` bootstraps for this test process; each invocation has a unique
/// request id, by which its span is found.
@Suite("Invocation span per trigger", .timeLimit(.minutes(2)))
struct TriggerSpanTests {
    static let arn = "arn:aws:lambda:eu-west-1:111122223333:function:orders:live"
    static let lambdaHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=1111111111111111;Sampled=0"

    /// Runs `handler` on `payload` with the W3C propagator configured; returns the result and the invocation span.
    func invoke<Handler: LambdaCodableHandler>(
        _ handler: Handler,
        payload: String,
        lambdaTraceHeader: String? = nil
    ) async throws -> (result: Result<ByteBuffer, LambdaErrorDocument>, span: SpanData) {
        let provider = InvocationSpanTests.provider
        let requestID = UUID().uuidString
        let tracing = InvocationTracing(functionName: "orders", propagators: [W3CTraceContextPropagator()])
        let invocation = LambdaInvocation(
            requestID: requestID, deadlineEpochMilliseconds: 0, deadline: .now + .seconds(60), invokedFunctionARN: Self.arn,
            traceHeader: lambdaTraceHeader, payload: ByteBuffer(string: payload)
        )
        let run = InvocationHandler(handler, decoder: JSONDecoder(), encoder: JSONEncoder(), tracing: tracing).run
        let result = await run(invocation, LambdaContext(invocation: invocation, logger: Logger(label: "test")))
        _ = await provider.forceFlush(deadline: .now + .seconds(10))
        let span = try #require(InvocationSpanTests.exporter.exported.first { InvocationSpanTests.attributes($0)["faas.invocation_id"] == .string(requestID) })
        return (result, span)
    }

    func attributes(_ span: SpanData) -> [String: AttributeValue] {
        InvocationSpanTests.attributes(span)
    }

    @Test("SQS: kind consumer, process <queue>, messaging attributes, Lambda's link then one per message with a context")
    func sqsBatch() async throws {
        let handler = LambdaCodableClosureHandler { (event: SQSEvent, _: LambdaContext) in
            SQSBatchResponse(failedMessageIDs: [event.records[1].messageId])
        }
        let (result, span) = try await invoke(handler, payload: EventFixtures.sqs, lambdaTraceHeader: Self.lambdaHeader)
        #expect(span.kind == .consumer)
        #expect(span.name == "process orders")
        let attributes = attributes(span)
        #expect(attributes["faas.trigger"] == .string("pubsub"))
        #expect(attributes["messaging.system"] == .string("aws_sqs"))
        #expect(attributes["messaging.operation.type"] == .string("process"))
        #expect(attributes["messaging.operation.name"] == .string("process"))
        #expect(attributes["messaging.destination.name"] == .string("orders"))
        #expect(attributes["messaging.batch.message_count"] == .int(3))
        #expect(attributes["aws.lambda.invoked_arn"] == .string(Self.arn))
        #expect(attributes["cloud.account.id"] == .string("111122223333"))
        #expect(attributes["faas.coldstart"] != nil)
        #expect(span.parentSpanID == nil, "an SQS event carries no parent: the messages' contexts are links")
        let event = try LambdaJSON.decode(SQSEvent.self, from: ByteBuffer(string: EventFixtures.sqs))
        let expected = [XRayPropagator.parse(Self.lambdaHeader), event.records[0].traceContext, event.records[1].traceContext]
        #expect(span.links.map { Optional($0.context) } == expected)
        #expect(span.links.count == 3)
        #expect(String(buffer: try result.get()) == #"{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"}]}"#)
    }

    @Test("SQS message processing spans: consumer children of the batch span, each linked to its message's context")
    func sqsMessageSpans() async throws {
        let handler = LambdaCodableClosureHandler { (event: SQSEvent, _: LambdaContext) in
            for message in event.records {
                await message.withProcessingSpan { _ in }
            }
            return SQSBatchResponse()
        }
        let (_, batchSpan) = try await invoke(handler, payload: EventFixtures.sqs)
        let event = try LambdaJSON.decode(SQSEvent.self, from: ByteBuffer(string: EventFixtures.sqs))
        let messageSpans = InvocationSpanTests.exporter.exported.filter { $0.context.traceID == batchSpan.context.traceID && $0.context != batchSpan.context }
        #expect(messageSpans.count == 3)
        for message in event.records {
            let span = try #require(messageSpans.first { attributes($0)["messaging.message.id"] == .string(message.messageId) })
            #expect(span.kind == .consumer)
            #expect(span.name == "process orders")
            #expect(span.parentSpanID == batchSpan.context.spanID)
            #expect(span.links.map(\.context) == [message.traceContext].compactMap { $0 })
            let values = attributes(span)
            #expect(values["messaging.destination.name"] == .string("orders"))
            #expect(values["messaging.operation.type"] == .string("process"))
            #expect(values["messaging.system"] == .string("aws_sqs"))
            #expect(values["faas.trigger"] == .string("pubsub"))
        }
    }

    @Test("SQS from several queues: named process, no destination")
    func sqsSeveralQueues() async throws {
        let first = try LambdaJSON.decode(SQSEvent.self, from: ByteBuffer(string: EventFixtures.sqsMinimal(messageID: "a")))
        let second = try LambdaJSON.decode(SQSEvent.self, from: ByteBuffer(string: EventFixtures.sqsMinimal(queueARN: "arn:aws:sqs:us-west-2:123456789012:refunds", messageID: "b")))
        let batch = String(buffer: try LambdaJSON.encode(SQSEvent(records: first.records + second.records)))
        let handler = LambdaCodableClosureHandler { (_: SQSEvent, _: LambdaContext) in SQSBatchResponse() }
        let (_, span) = try await invoke(handler, payload: batch)
        #expect(span.kind == .consumer)
        #expect(span.name == "process")
        #expect(attributes(span)["messaging.destination.name"] == nil)
        #expect(attributes(span)["messaging.batch.message_count"] == .int(2))
        #expect(span.links.isEmpty)
    }

    @Test("API Gateway REST: named after its resource, kind server, method, path, route, status; parented on the request's traceparent")
    func apiGatewayREST() async throws {
        let handler = LambdaCodableClosureHandler { (_: APIGatewayRequest, _: LambdaContext) in APIGatewayResponse(statusCode: 502) }
        let (_, span) = try await invoke(handler, payload: EventFixtures.apiGatewayREST)
        #expect(span.kind == .server)
        #expect(span.name == "/pets/{petId}", "the conventions' API Gateway section: the span is named after the resource")
        let attributes = attributes(span)
        #expect(attributes["faas.trigger"] == .string("http"))
        #expect(attributes["http.request.method"] == .string("GET"))
        #expect(attributes["url.path"] == .string("/pets/10"))
        #expect(attributes["http.route"] == .string("/pets/{petId}"))
        #expect(attributes["http.response.status_code"] == .int(502))
        if case .error = span.status {} else { Issue.record("a 5xx response must set status error, got \(span.status)") }
        #expect(span.context.traceID.description == "0af7651916cd43dd8448eb211c80319c")
        #expect(span.parentSpanID?.description == "b7ad6b7169203331")
    }

    @Test("ALB: kind server, method, path and status, no route")
    func alb() async throws {
        let handler = LambdaCodableClosureHandler { (_: ALBTargetGroupRequest, _: LambdaContext) in ALBTargetGroupResponse(statusCode: 200) }
        let (_, span) = try await invoke(handler, payload: EventFixtures.alb)
        #expect(span.kind == .server)
        #expect(span.name == "orders", "no route: the function name")
        let attributes = attributes(span)
        #expect(attributes["faas.trigger"] == .string("http"))
        #expect(attributes["http.request.method"] == .string("GET"))
        #expect(attributes["url.path"] == .string("/lambda"))
        #expect(attributes["http.route"] == nil)
        #expect(attributes["http.response.status_code"] == .int(200))
        #expect(span.status == .unset)
    }

    @Test("Function URL: kind server, method, path and status, no route")
    func functionURL() async throws {
        let handler = LambdaCodableClosureHandler { (_: FunctionURLRequest, _: LambdaContext) in FunctionURLResponse(statusCode: 204) }
        let (_, span) = try await invoke(handler, payload: EventFixtures.functionURL)
        #expect(span.kind == .server)
        #expect(attributes(span)["url.path"] == .string("/my/path"))
        #expect(attributes(span)["http.route"] == nil)
        #expect(attributes(span)["http.response.status_code"] == .int(204))
    }

    @Test("SNS, EventBridge, S3 and any other Decodable: kind server, their faas.trigger, no HTTP or messaging attributes")
    func otherTriggers() async throws {
        struct Custom: Decodable, Sendable { var orderId: String }
        let cases: [(trigger: String, span: SpanData)] = [
            ("pubsub", try await invoke(LambdaCodableClosureHandler { (_: SNSEvent, _: LambdaContext) in 0 }, payload: EventFixtures.sns).span),
            ("pubsub", try await invoke(LambdaCodableClosureHandler { (_: EventBridgeEvent<EventDecodingTests.NoDetail>, _: LambdaContext) in 0 }, payload: EventFixtures.eventBridgeScheduled).span),
            ("datasource", try await invoke(LambdaCodableClosureHandler { (_: S3Event, _: LambdaContext) in 0 }, payload: EventFixtures.s3Put).span),
            ("other", try await invoke(LambdaCodableClosureHandler { (_: Custom, _: LambdaContext) in 0 }, payload: #"{"orderId":"o-1"}"#).span),
        ]
        for (trigger, span) in cases {
            #expect(span.kind == .server)
            #expect(span.name == "orders")
            let attributes = attributes(span)
            #expect(attributes["faas.trigger"] == .string(trigger))
            #expect(attributes["cloud.account.id"] == .string("111122223333"))
            #expect(attributes["http.request.method"] == nil)
            #expect(attributes["messaging.system"] == nil)
        }
    }
}
