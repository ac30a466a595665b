import OTelSDK
import Testing

@testable import LambdaLifecycle

/// The invocation span's parent and link (docs/lambda-lifecycle.md, "Parent and links"): Lambda's X-Ray context is
/// the parent only with `xray-lambda` configured, and a link otherwise.
@Suite("Invocation parent and link", .timeLimit(.minutes(2)))
struct InvocationParentTests {
    /// What Lambda sends with Active tracing off and no sampled caller.
    static let passThrough = "Root=1-66ca4895-3f6cef844dab67fb6f6461a4;Parent=27c4bbf84acc163c;Sampled=0;Lineage=d4d48d4d:0"
    static let active = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=1"
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    static func propagators(_ names: String?) -> [any SpanContextPropagator] {
        let values = names.map { ["OTEL_PROPAGATORS": $0] } ?? [:]
        return PropagatorConfiguration.propagators(from: OTelEnvironment(values, diagnostics: DiagnosticLogger.disabled))
    }

    static func request(_ headers: [String: String] = [:]) -> APIGatewayV2Request {
        APIGatewayV2Request(routeKey: "GET /x", rawPath: "/x", method: "GET", headers: headers)
    }

    static func select(_ names: String?, lambda: String?, carrier: (any LambdaTraceCarrier)?) -> InvocationParent {
        InvocationParent.select(propagators: propagators(names), lambdaTraceHeader: lambda, carrier: carrier)
    }

    @Test("by default Lambda's Sampled=0 context is a link, not the parent")
    func passThroughHeaderIsALink() throws {
        for carrier: (any LambdaTraceCarrier)? in [nil, Self.request()] {
            let selected = Self.select(nil, lambda: Self.passThrough, carrier: carrier)
            #expect(selected.parent == nil)
            let link = try #require(selected.lambdaLink)
            #expect(link.traceID.hex == "66ca48953f6cef844dab67fb6f6461a4" && link.spanID.hex == "27c4bbf84acc163c")
            #expect(!link.isSampled)
        }
        #expect(Self.select("tracecontext,baggage,xray", lambda: Self.active, carrier: nil).parent == nil, "xray reads the event, not Lambda")
        #expect(Self.select("none", lambda: Self.active, carrier: Self.request(["traceparent": Self.traceparent])) == InvocationParent(parent: nil, lambdaLink: XRayPropagator.parse(Self.active)))
    }

    @Test("the event's context is the parent, Lambda's the link")
    func eventContextIsTheParent() {
        let selected = Self.select(nil, lambda: Self.active, carrier: Self.request(["traceparent": Self.traceparent]))
        #expect(selected.parent?.traceID.hex == "0af7651916cd43dd8448eb211c80319c")
        #expect(selected.lambdaLink?.spanID.hex == "1a2b3c4d5e6f7a8b")
        let fromXRayHeader = Self.select("tracecontext,xray", lambda: Self.active, carrier: Self.request(["X-Amzn-Trace-Id": Self.passThrough]))
        #expect(fromXRayHeader.parent?.spanID.hex == "27c4bbf84acc163c", "xray extracts the event's X-Amzn-Trace-Id")
        #expect(fromXRayHeader.lambdaLink?.spanID.hex == "1a2b3c4d5e6f7a8b")
    }

    @Test("with xray-lambda Lambda's context is the parent, Sampled=0 included, and not also a link")
    func xrayLambdaMakesLambdaTheParent() {
        let active = Self.select("tracecontext,baggage,xray-lambda", lambda: Self.active, carrier: Self.request())
        #expect(active.parent?.spanID.hex == "1a2b3c4d5e6f7a8b" && active.parent?.isSampled == true)
        #expect(active.lambdaLink == nil)
        let passThrough = Self.select("xray-lambda", lambda: Self.passThrough, carrier: nil)
        #expect(passThrough.parent?.spanID.hex == "27c4bbf84acc163c" && passThrough.parent?.isSampled == false)
        #expect(passThrough.lambdaLink == nil)
        // Earlier names win: the event's traceparent before Lambda's header.
        let event = Self.select("tracecontext,xray-lambda", lambda: Self.active, carrier: Self.request(["traceparent": Self.traceparent]))
        #expect(event.parent?.traceID.hex == "0af7651916cd43dd8448eb211c80319c")
        #expect(event.lambdaLink?.spanID.hex == "1a2b3c4d5e6f7a8b")
    }

    @Test("a Root-only header names no span: neither parent nor link")
    func rootOnlyHeader() {
        let rootOnly = "Root=1-66ca4895-3f6cef844dab67fb6f6461a4"
        #expect(Self.select(nil, lambda: rootOnly, carrier: nil) == InvocationParent(parent: nil, lambdaLink: nil))
        #expect(Self.select("xray-lambda", lambda: rootOnly, carrier: nil) == InvocationParent(parent: nil, lambdaLink: nil))
        #expect(Self.select(nil, lambda: nil, carrier: nil) == InvocationParent(parent: nil, lambdaLink: nil))
    }
}
