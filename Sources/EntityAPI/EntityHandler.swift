import LambdaLifecycle
import Metrics
import Tracing

/// The seed's entity endpoint: `GET /entities/{id}` behind an API Gateway HTTP API.
///
/// Each request does `workMilliseconds` of simulated work (a random duration in the range) split over three child
/// spans of the invocation span, counts itself (`entity.requests`, swift-metrics), logs one line (swift-log, correlated
/// with the span), and defers an `audit` span to after the response. Every request
/// therefore records exactly ``spansPerRequest`` spans, which the end-to-end tests and the flush benchmark count.
public struct EntityHandler: LambdaCodableHandler {
    /// The invocation span plus `validate`, `load`, `render`, and the deferred `audit`.
    public static let spansPerRequest = 5

    /// The range the handler's simulated work per request is drawn from, in milliseconds.
    public let workMilliseconds: ClosedRange<Int>

    public init(workMilliseconds: ClosedRange<Int>) {
        self.workMilliseconds = workMilliseconds
    }

    /// Thrown for the entity id `fail`: shows (and lets the tests check) that a handler error becomes Lambda's error
    /// answer and the runtime goes on serving.
    public struct SimulatedFailure: Error, CustomStringConvertible {
        public var description: String { "the entity store is unavailable (simulated)" }
    }

    public func handle(_ request: APIGatewayV2Request, context: LambdaContext) async throws -> APIGatewayV2Response {
        let id = request.pathParameters?["id"] ?? String(request.rawPath.split(separator: "/").last ?? "unknown")
        if id == "fail" {
            throw SimulatedFailure()
        }
        let total = Int.random(in: workMilliseconds)
        try await withSpan("validate") { span in
            span.attributes["entity.id"] = id
            try await Task.sleep(for: .milliseconds(total / 10))
        }
        let name = try await withSpan("load", ofKind: .client) { span in
            span.attributes["db.system.name"] = "simulated"
            span.attributes["db.operation.name"] = "GetItem"
            try await Task.sleep(for: .milliseconds(total * 8 / 10))
            return "entity-\(id)"
        }
        let body = try await withSpan("render") { _ in
            try await Task.sleep(for: .milliseconds(total - total / 10 - total * 8 / 10))
            return #"{"id":"\#(id)","name":"\#(name)"}"#
        }
        context.defer {
            // Post-response work: runs after the caller has the answer, before Lambda may freeze the sandbox.
            try await withSpan("audit") { span in
                span.attributes["entity.id"] = id
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        Counter(label: "entity.requests", dimensions: [("route", request.routeKey)]).increment()
        context.logger.info("served entity", metadata: ["entity.id": "\(id)", "work_ms": "\(total)"])
        return APIGatewayV2Response(statusCode: 200, headers: ["content-type": "application/json"], body: body)
    }
}
