import Foundation
import LambdaSim
import OTLPProto
import OTLPReceiver
import Testing

/// `example-entity-api` under `lambda-sim` (sandboxes frozen between invocations) in each tracing mode: whatever
/// Lambda's X-Ray header says, the invocation's spans are delivered, with Lambda's context as a link; it is the parent
/// only when `OTEL_PROPAGATORS` names `xray-lambda` (docs/lambda-lifecycle.md, "Parent and links").
@Suite("Tracing modes end to end", .serialized, .timeLimit(.minutes(5)))
struct TracingModeEndToEndTests {
    static let invocations = 6
    static let callerRoot = "6770a1b20123456789abcdef01234567"
    static let callerUnsampled = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=0;Lineage=0a1b2c3d:0"
    static let callerSampled = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=1"

    struct Run {
        var spans: [OTLPSpanOutline]
        var receiver: ReceiverSummary
        var statuses: [Int]

        /// The invocation spans (the ones with `faas.invocation_id`).
        var invocationSpans: [OTLPSpanOutline] { spans.filter { $0.attributes["faas.invocation_id"] != nil } }

        /// Every span belongs to the trace of an invocation span, five to a trace.
        func expectWholeTraces(sourceLocation: SourceLocation = #_sourceLocation) {
            let byTrace = Dictionary(grouping: spans, by: \.traceID)
            #expect(byTrace.count == invocationSpans.count, sourceLocation: sourceLocation)
            #expect(byTrace.values.allSatisfy { $0.count == Scenario.spansPerRequest }, sourceLocation: sourceLocation)
        }
    }

    /// An API Gateway request without trace headers, as most callers send.
    static func untracedRequest(id: Int) -> [UInt8] {
        Array(#"{"version":"2.0","routeKey":"GET /entities/{id}","rawPath":"/entities/\#(id)","headers":{},"pathParameters":{"id":"\#(id)"},"requestContext":{"http":{"method":"GET","path":"/entities/\#(id)"}},"isBase64Encoded":false}"#.utf8)
    }

    func serve(
        _ tracing: LambdaSimConfiguration.TracingMode,
        form: LambdaSimConfiguration.TraceHeaderForm = .full,
        propagators: String? = nil,
        callerHeader: String? = nil,
        payload: (Int) -> [UInt8] = Self.untracedRequest
    ) async throws -> Run {
        let receiver = try await OTLPReceiver.start(configuration: .init(port: 0, captureBodies: 1_000))
        var environment = ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "EXAMPLE_WORK_MS": "1", "OTEL_SERVICE_NAME": "entity-api"]
        environment["OTEL_PROPAGATORS"] = propagators
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-tracing-\(tracing.rawValue)-\(UUID().uuidString).log").path
        var configuration = LambdaSimConfiguration(
            bootstrap: try Binaries.path("example-entity-api"), environment: environment, port: 0, sandboxLog: .file(log)
        )
        configuration.tracing = tracing
        configuration.traceHeaderForm = form
        let simulator = try await LambdaSimulator.start(configuration: configuration)
        var statuses: [Int] = []
        for index in 0..<Self.invocations {
            let response = await simulator.invoke(payload: payload(index), headers: callerHeader.map { [("X-Amzn-Trace-Id", $0)] } ?? [])
            statuses.append(response.status)
        }
        await simulator.waitUntilIdle()
        let report = await simulator.shutdown()
        try? await receiver.stop()
        #expect(report.summary.violations == 0)
        #expect(report.summary.coldStarts == 1, "one frozen and thawed sandbox served every invocation")
        let spans = try receiver.capturedBodies(for: .traces).flatMap { try OTLPSpanOutline.decode(protobuf: $0) }
        return Run(spans: spans, receiver: receiver.summary, statuses: statuses)
    }

    @Test("pass-through, no caller header (Sampled=0): every span delivered; Lambda's context is a link, not the parent")
    func passThroughDeliversWithALink() async throws {
        let run = try await serve(.passThrough)
        #expect(run.statuses.allSatisfy { $0 == 200 })
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest, "received \(run.spans.count) spans")
        run.expectWholeTraces()
        #expect(run.invocationSpans.count == Self.invocations)
        for span in run.invocationSpans {
            #expect(span.parentSpanID.isEmpty, "Lambda's unsampled header must not be the parent")
            #expect(span.links.count == 1)
            #expect(span.links.first.map { $0.traceFlags & 1 == 0 && $0.spanID.count == 16 && $0.traceID != span.traceID } == true)
        }
        #expect(Set(run.invocationSpans.compactMap { $0.links.first?.traceID }).count == Self.invocations, "each invocation its own X-Ray trace")
    }

    @Test("pass-through forwarding a caller's Sampled=0 header: linked exactly, spans delivered")
    func passThroughLinksTheCallersHeader() async throws {
        let run = try await serve(.passThrough, callerHeader: Self.callerUnsampled)
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest)
        for span in run.invocationSpans {
            #expect(span.parentSpanID.isEmpty)
            #expect(span.links == [.init(traceID: Self.callerRoot, spanID: "1a2b3c4d5e6f7a8b", traceFlags: 0)])
        }
    }

    @Test("pass-through, Root-only header: spans delivered, no parent and no link")
    func passThroughRootOnly() async throws {
        let run = try await serve(.passThrough, form: .rootOnly)
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest)
        run.expectWholeTraces()
        #expect(run.invocationSpans.allSatisfy { $0.parentSpanID.isEmpty && $0.links.isEmpty })
    }

    @Test("the example's one-call bootstrap (OTLPTelemetry) delivers all three signals")
    func oneCallBootstrapDeliversThreeSignals() async throws {
        let run = try await serve(.active)
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest)
        #expect(run.receiver.metrics.items > 0, "swift-metrics reached the collector")
        #expect(run.receiver.logs.items > 0, "swift-log reached the collector")
    }

    @Test("the event's traceparent is the parent, Lambda's context the link")
    func eventTraceparentIsTheParent() async throws {
        let run = try await serve(.passThrough, payload: { Scenario.request(id: $0) })
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest)
        for span in run.invocationSpans {
            #expect(span.traceID == "0af7651916cd43dd8448eb211c80319c" && span.parentSpanID == "b7ad6b7169203331")
            #expect(span.links.count == 1 && span.links.first?.traceFlags == 0)
        }
    }

    @Test("active: Sampled=1, spans delivered; without xray-lambda still a link")
    func activeLinks() async throws {
        let run = try await serve(.active)
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest)
        run.expectWholeTraces()
        for span in run.invocationSpans {
            #expect(span.parentSpanID.isEmpty)
            #expect(span.links.count == 1 && span.links.first?.traceFlags == 1)
        }
    }

    @Test("active with xray-lambda: Lambda's segment is the parent, in the caller's X-Ray trace, no link")
    func activeWithXRayLambdaParents() async throws {
        let run = try await serve(.active, propagators: "tracecontext,baggage,xray-lambda", callerHeader: Self.callerSampled)
        #expect(run.spans.count == Self.invocations * Scenario.spansPerRequest)
        let invocationSpans = run.invocationSpans
        #expect(invocationSpans.count == Self.invocations)
        for span in invocationSpans {
            #expect(span.traceID == Self.callerRoot)
            #expect(span.parentSpanID.count == 16 && span.parentSpanID != "1a2b3c4d5e6f7a8b", "parent: Lambda's segment, \(span.parentSpanID)")
            #expect(span.links.isEmpty)
        }
        #expect(Set(invocationSpans.map(\.parentSpanID)).count == Self.invocations, "a Lambda segment per invocation")
    }

    @Test("invocation spans: kind server with the FaaS and HTTP attributes of the conventions")
    func invocationSpanAttributes() async throws {
        let run = try await serve(.passThrough)
        let spans = run.invocationSpans.sorted { ($0.attributes["faas.coldstart"] ?? "") > ($1.attributes["faas.coldstart"] ?? "") }
        #expect(spans.count == Self.invocations)
        #expect(spans.map { $0.attributes["faas.coldstart"] } == ["true"] + Array(repeating: "false", count: Self.invocations - 1))
        for span in spans {
            #expect(span.kind == 2, "SERVER")
            #expect(span.attributes["faas.trigger"] == "http")
            #expect(span.attributes["aws.lambda.invoked_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:function")
            #expect(span.attributes["cloud.account.id"] == "123456789012")
            #expect(span.attributes["http.request.method"] == "GET")
            #expect(span.attributes["url.path"]?.hasPrefix("/entities/") == true)
            #expect(span.attributes["http.route"] == "/entities/{id}")
            #expect(span.attributes["http.response.status_code"] == "200")
            #expect(span.statusCode == 0)
        }
    }

    @Test("pass-through with xray-lambda: the user chose Lambda's Sampled=0 parent, so no span is sampled")
    func passThroughWithXRayLambdaSamplesNothing() async throws {
        let run = try await serve(.passThrough, propagators: "tracecontext,baggage,xray-lambda")
        #expect(run.statuses.allSatisfy { $0 == 200 })
        #expect(run.spans.isEmpty, "received \(run.spans.count) spans")
        #expect(run.receiver.logs.items > 0, "the other signals were delivered: the export path worked")
    }
}
