import Foundation
import NIOCore
import OTelSDK
import OTelTesting
import Testing
import Tracing

@testable import LambdaLifecycle

/// The invocation span by the semantic conventions for AWS Lambda: kind server for every trigger, the FaaS
/// attributes on every invocation, the HTTP ones for HTTP events and responses.
///
/// Spans go through the process-wide tracer, bootstrapped once for this test process; each test names its function
/// uniquely and reads only its own spans.
@Suite("Invocation span", .timeLimit(.minutes(2)))
struct InvocationSpanTests {
    static let exporter = InMemorySpanExporter()
    static let provider: TracerProvider = {
        let provider = TracerProvider(
            resource: Resource(attributes: []),
            processors: [BatchSpanProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)]
        )
        InstrumentationSystem.bootstrap(provider.tracer())
        return provider
    }()

    static let arn = "arn:aws:lambda:eu-west-1:111122223333:function:orders:live"

    static let functionName = "orders"

    /// Runs `body` in the span of an invocation with a fresh request ID, and returns that span.
    func span<T>(
        trigger: String,
        httpRequest: (any LambdaHTTPRequestEvent)? = nil,
        _ body: () async throws -> T
    ) async throws -> SpanData {
        let provider = Self.provider
        let requestID = "request-\(UUID().uuidString)"
        let tracing = InvocationTracing(functionName: Self.functionName, propagators: [])
        let invocation = LambdaInvocation(
            requestID: requestID, deadlineEpochMilliseconds: 0, deadline: .now, invokedFunctionARN: Self.arn,
            traceHeader: nil, payload: ByteBuffer()
        )
        _ = try? await tracing.withInvocationSpan(invocation, trigger: trigger, carrier: nil, httpRequest: httpRequest, body)
        _ = await provider.forceFlush(deadline: .now + .seconds(10))
        return try #require(Self.exporter.exported.first { Self.attributes($0)["faas.invocation_id"] == .string(requestID) })
    }

    static func attributes(_ span: SpanData) -> [String: AttributeValue] {
        Dictionary(span.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("kind server and the FaaS attributes for a non-HTTP trigger")
    func nonHTTPTrigger() async throws {
        let span = try await span(trigger: "pubsub") { 1 }
        #expect(span.kind == .server)
        #expect(span.name == Self.functionName)
        let attributes = Self.attributes(span)
        #expect(attributes["faas.trigger"] == .string("pubsub"))
        #expect(attributes["faas.coldstart"] == .bool(true))
        #expect(attributes["aws.lambda.invoked_arn"] == .string(Self.arn))
        #expect(attributes["cloud.account.id"] == .string("111122223333"))
        #expect(attributes["http.request.method"] == nil)
    }

    @Test("an HTTP request and response: named after the route, method, path, route, status code; a 5xx is an error")
    func httpRequestAndResponse() async throws {
        let request = APIGatewayV2Request(routeKey: "GET /entities/{id}", rawPath: "/entities/7", method: "GET")
        let ok = try await span(trigger: "http", httpRequest: request) { APIGatewayV2Response(statusCode: 404) }
        #expect(ok.kind == .server)
        #expect(ok.name == "/entities/{id}", "named after the route, not the function")
        let attributes = Self.attributes(ok)
        #expect(attributes["http.request.method"] == .string("GET"))
        #expect(attributes["url.path"] == .string("/entities/7"))
        #expect(attributes["http.route"] == .string("/entities/{id}"))
        #expect(attributes["http.response.status_code"] == .int(404))
        #expect(ok.status == .unset, "a 4xx is the client's error, not the server span's")
        let failed = try await span(trigger: "http", httpRequest: request) { APIGatewayV2Response(statusCode: 503) }
        #expect(Self.attributes(failed)["http.response.status_code"] == .int(503))
        if case .error = failed.status {} else { Issue.record("a 5xx response must set status error, got \(failed.status)") }
        let catchAll = APIGatewayV2Request(routeKey: "$default", rawPath: "/anything", method: "POST")
        let defaultRoute = try await span(trigger: "http", httpRequest: catchAll) { APIGatewayV2Response(statusCode: 200) }
        #expect(Self.attributes(defaultRoute)["http.route"] == nil)
        #expect(defaultRoute.name == Self.functionName, "a catch-all route has no template: the function name")
        #expect(Self.attributes(defaultRoute)["url.path"] == .string("/anything"))
    }
}
