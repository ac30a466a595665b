import Foundation
import NIOCore
import OTelSDK
import Testing

@testable import LambdaLifecycle

/// Every event type decodes the JSON Lambda sends (AWS's documented samples), also when optional fields are absent,
/// and says its `faas.trigger`; the SQS partial batch response encodes as Lambda reads it.
@Suite("Event types decode the JSON Lambda sends", .timeLimit(.minutes(2)))
struct EventDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try LambdaJSON.decode(type, from: ByteBuffer(string: json))
    }

    @Test("API Gateway REST: method, path, route, headers (any case), and a console test event with null maps")
    func apiGatewayREST() throws {
        let request = try decode(APIGatewayRequest.self, EventFixtures.apiGatewayREST)
        #expect(request.httpMethod == "GET")
        #expect(request.httpPath == "/pets/10")
        #expect(request.httpRoute == "/pets/{petId}")
        #expect(request.pathParameters == ["petId": "10"])
        #expect(request.requestContext?.identity?.sourceIp == "192.168.196.186")
        #expect(request.requestContext?.requestTimeEpoch == 1_589_522_469_693)
        #expect(request.traceHeader("traceparent") == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(request.traceHeader("host") == "gy415nuibc.execute-api.us-east-1.amazonaws.com")
        #expect(request.body == #"{"a": 1}"#)
        let minimal = try decode(APIGatewayRequest.self, EventFixtures.apiGatewayRESTMinimal)
        #expect(minimal.headers == nil && minimal.body == nil && minimal.queryStringParameters == nil)
        #expect(minimal.traceHeader("traceparent") == nil)
        #expect(APIGatewayRequest.trigger == "http")
    }

    @Test("Function URL: an API Gateway v2 request with route key $default, hence no route")
    func functionURL() throws {
        let request = try decode(FunctionURLRequest.self, EventFixtures.functionURL)
        #expect(request.httpMethod == "POST")
        #expect(request.httpPath == "/my/path")
        #expect(request.httpRoute == nil)
        #expect(request.cookies == ["cookie1", "cookie2"])
        #expect(request.requestContext.http.sourceIp == "123.123.123.123")
        #expect(request.body == "Hello from client!")
    }

    @Test("ALB: single-value and multi-value header forms; no route")
    func alb() throws {
        let request = try decode(ALBTargetGroupRequest.self, EventFixtures.alb)
        #expect(request.httpMethod == "GET")
        #expect(request.httpPath == "/lambda")
        #expect(request.httpRoute == nil)
        #expect(request.requestContext.elb.targetGroupArn.hasSuffix("targetgroup/lambda-target/abcdefg"))
        #expect(request.traceHeader("x-amzn-trace-id") == "Root=1-5c536348-3d683b8b04734faae651f476")
        let multiValue = try decode(ALBTargetGroupRequest.self, EventFixtures.albMultiValue)
        #expect(multiValue.headers == nil)
        #expect(multiValue.multiValueQueryStringParameters == ["key": ["hello"]])
        #expect(multiValue.traceHeader("traceparent") == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(ALBTargetGroupRequest.trigger == "http")
    }

    @Test("HTTP responses encode the fields API Gateway and ALB read")
    func httpResponses() throws {
        let rest = try LambdaJSON.encode(APIGatewayResponse(statusCode: 201, headers: ["content-type": "text/plain"], body: "made"))
        let restJSON = try JSONSerialization.jsonObject(with: Data(rest.readableBytesView)) as? [String: Any]
        #expect(restJSON?["statusCode"] as? Int == 201)
        #expect(restJSON?["body"] as? String == "made")
        #expect(restJSON?["isBase64Encoded"] as? Bool == false)
        let alb = try LambdaJSON.encode(ALBTargetGroupResponse(statusCode: 503, statusDescription: "503 Service Unavailable"))
        let albJSON = try JSONSerialization.jsonObject(with: Data(alb.readableBytesView)) as? [String: Any]
        #expect(albJSON?["statusCode"] as? Int == 503)
        #expect(albJSON?["statusDescription"] as? String == "503 Service Unavailable")
    }

    @Test("SQS: messages, system and message attributes, the trace context of each message")
    func sqs() throws {
        let event = try decode(SQSEvent.self, EventFixtures.sqs)
        #expect(event.records.count == 3)
        let first = event.records[0]
        #expect(first.messageId == "059f36b4-87a3-44ab-83d2-661975830a7d")
        #expect(first.attributes["ApproximateReceiveCount"] == "1")
        #expect(first.queueName == "orders")
        #expect(first.traceContext == XRayPropagator.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
        #expect(first.traceContext != nil)
        let second = event.records[1]
        #expect(second.messageAttributes?["Attribute3"]?.binaryValue == "MTEwMA==")
        #expect(second.messageAttributes?["Attribute3"]?.stringListValues == ["abc", "123"])
        #expect(second.traceContext?.traceID.description == "0af7651916cd43dd8448eb211c80319c")
        #expect(event.records[2].traceContext == nil)
        let minimal = try decode(SQSEvent.self, EventFixtures.sqsMinimal())
        #expect(minimal.records.first?.messageAttributes == nil)
        #expect(minimal.records.first?.md5OfMessageAttributes == nil)
        #expect(minimal.records.first?.traceContext == nil)
        #expect(SQSEvent.trigger == "pubsub")
    }

    @Test("SQS partial batch response: {\"batchItemFailures\":[{\"itemIdentifier\":…}]}, empty when all succeeded")
    func sqsBatchResponse() throws {
        let failed = try LambdaJSON.encode(SQSBatchResponse(failedMessageIDs: ["m-2", "m-5"]))
        #expect(String(buffer: failed) == #"{"batchItemFailures":[{"itemIdentifier":"m-2"},{"itemIdentifier":"m-5"}]}"#)
        #expect(String(buffer: try LambdaJSON.encode(SQSBatchResponse())) == #"{"batchItemFailures":[]}"#)
    }

    @Test("SNS: the capitalised fields, and a notification without subject or attributes")
    func sns() throws {
        let event = try decode(SNSEvent.self, EventFixtures.sns)
        let message = try #require(event.records.first).sns
        #expect(message.message == "Hello from SNS!")
        #expect(message.topicArn == "arn:aws:sns:us-east-1:123456789012:sns-lambda")
        #expect(message.subject == "TestInvoke")
        #expect(message.messageAttributes?["Test"] == SNSEvent.Message.Attribute(type: "String", value: "TestString"))
        #expect(event.records.first?.eventSource == "aws:sns")
        let minimal = try decode(SNSEvent.self, EventFixtures.snsMinimal)
        #expect(minimal.records.first?.sns.subject == nil)
        #expect(minimal.records.first?.sns.messageAttributes == nil)
        #expect(SNSEvent.trigger == "pubsub")
    }

    struct OrderPlaced: Codable, Sendable, Equatable {
        var orderId: String
        var total: Int
    }

    struct NoDetail: Codable, Sendable, Equatable {}

    @Test("EventBridge: detail-type, and a typed detail")
    func eventBridge() throws {
        let scheduled = try decode(EventBridgeEvent<NoDetail>.self, EventFixtures.eventBridgeScheduled)
        #expect(scheduled.detailType == "Scheduled Event")
        #expect(scheduled.source == "aws.events")
        #expect(scheduled.resources == ["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"])
        let custom = try decode(EventBridgeEvent<OrderPlaced>.self, EventFixtures.eventBridgeCustom)
        #expect(custom.detail == OrderPlaced(orderId: "o-17", total: 42))
        #expect(custom.resources.isEmpty)
        #expect(EventBridgeEvent<OrderPlaced>.trigger == "pubsub")
    }

    @Test("S3: a put, and a removal without size or eTag")
    func s3() throws {
        let put = try #require(try decode(S3Event.self, EventFixtures.s3Put).records.first)
        #expect(put.eventName == "ObjectCreated:Put")
        #expect(put.s3.bucket.name == "DOC-EXAMPLE-BUCKET")
        #expect(put.s3.object.size == 1_305_107)
        #expect(put.responseElements?["x-amz-request-id"] == "D82B88E5F771F645")
        let removal = try #require(try decode(S3Event.self, EventFixtures.s3Delete).records.first)
        #expect(removal.s3.object.key == "Happy%20Face.jpg")
        #expect(removal.s3.object.size == nil && removal.s3.object.eTag == nil)
        #expect(S3Event.trigger == "datasource")
    }
}
