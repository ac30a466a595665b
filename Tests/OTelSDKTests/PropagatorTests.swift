import OTelSDK
import OTelTesting
import Testing

@Suite("Propagators", .timeLimit(.minutes(2)))
struct PropagatorTests {
    let w3c = W3CTraceContextPropagator()

    @Test("traceparent and tracestate round-trip")
    func w3cRoundTrip() throws {
        let headers = [
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate": "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7",
        ]
        let context = try #require(w3c.extract { headers[$0] })
        #expect(context.traceID.hex == "0af7651916cd43dd8448eb211c80319c")
        #expect(context.spanID.hex == "b7ad6b7169203331")
        #expect(context.isSampled && context.isRemote)
        #expect(context.traceState == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        var injected: [String: String] = [:]
        w3c.inject(context) { injected[$0] = $1 }
        #expect(injected["traceparent"] == headers["traceparent"])
        #expect(injected["tracestate"] == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
    }

    @Test("malformed traceparent values are rejected", arguments: [
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
        "00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",
        "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-B7AD6B7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-+1",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0A",
        "garbage",
    ])
    func w3cRejects(header: String) {
        #expect(w3c.extract { $0 == "traceparent" ? header : nil } == nil)
    }

    @Test("a future version with extra fields is accepted")
    func w3cFutureVersion() {
        let context = w3c.extract { $0 == "traceparent" ? "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-future" : nil }
        #expect(context?.isSampled == false)
    }

    @Test("X-Ray headers map onto W3C IDs")
    func xray() throws {
        let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        let context = try #require(XRayPropagator.parse(header))
        #expect(context.traceID.hex == "5759e988bd862e3fe1be46a994272793")
        #expect(context.spanID.hex == "53995c3f42cd8ad8")
        #expect(context.isSampled && context.isRemote)
        var injected: [String: String] = [:]
        XRayPropagator().inject(context) { injected[$0] = $1 }
        #expect(injected["x-amzn-trace-id"] == header)
        #expect(XRayPropagator.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1") == nil)
        #expect(XRayPropagator.parse("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8") == nil)
        #expect(XRayPropagator.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")?.isSampled == false)
    }

    @Test("_X_AMZN_TRACE_ID is read from the environment")
    func xrayEnvironment() {
        let environment = OTelEnvironment(["_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0"], diagnostics: DiagnosticLogger.disabled)
        #expect(XRayPropagator().extract(environment: environment)?.spanID.hex == "53995c3f42cd8ad8")
    }

    @Test("OTEL_PROPAGATORS chooses propagators and reports unknown names")
    func configuration() {
        let capture = LogCapture()
        let propagators = PropagatorConfiguration.propagators(from: OTelEnvironment(["OTEL_PROPAGATORS": "tracecontext,baggage,xray,b3"], diagnostics: capture.logger))
        #expect(propagators.map { $0.fields } == [["traceparent", "tracestate"], ["x-amzn-trace-id"]])
        #expect(capture.messages.count == 1 && capture.messages[0].contains("OTEL_PROPAGATORS='b3'"))
    }
}
