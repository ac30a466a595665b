#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OTelSDK
import OTelTesting
import ServiceContextModule
import Testing
import Tracing

/// `xray-lambda` (semantic conventions, "Instrumenting AWS Lambda"): the carrier's X-Ray header, else Lambda's.
@Suite("xray-lambda propagator", .serialized, .timeLimit(.minutes(2)))
struct XRayLambdaPropagatorTests {
    static let lambdaHeader = "Root=1-66ca4895-3f6cef844dab67fb6f6461a4;Parent=27c4bbf84acc163c;Sampled=0;Lineage=d4d48d4d:0"
    static let carrierHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    @Test("OTEL_PROPAGATORS accepts xray-lambda")
    func configured() {
        let capture = LogCapture()
        let propagators = PropagatorConfiguration.propagators(from: OTelEnvironment(["OTEL_PROPAGATORS": "tracecontext,baggage,xray-lambda"], diagnostics: capture.logger))
        #expect(propagators.count == 2)
        #expect(propagators.last is XRayLambdaPropagator)
        #expect(capture.messages.isEmpty)
    }

    @Test("the carrier's X-Ray header wins; Lambda's header is the fallback, Sampled=0 kept")
    func carrierThenLambda() throws {
        let propagator = XRayLambdaPropagator()
        let fromCarrier = propagator.extract(getHeader: { $0 == "x-amzn-trace-id" ? Self.carrierHeader : nil }, lambdaTraceHeader: Self.lambdaHeader)
        #expect(fromCarrier?.spanID.hex == "53995c3f42cd8ad8")
        let fromLambda = try #require(propagator.extract(getHeader: { _ in nil }, lambdaTraceHeader: Self.lambdaHeader))
        #expect(fromLambda.traceID.hex == "66ca48953f6cef844dab67fb6f6461a4")
        #expect(fromLambda.spanID.hex == "27c4bbf84acc163c")
        #expect(!fromLambda.isSampled && fromLambda.isRemote)
        #expect(propagator.extract(getHeader: { _ in nil }, lambdaTraceHeader: "Root=1-66ca4895-3f6cef844dab67fb6f6461a4") == nil)
        #expect(propagator.extract(getHeader: { _ in nil }, lambdaTraceHeader: nil) == nil)
    }

    @Test("as the tracer's propagator it reads _X_AMZN_TRACE_ID, only for a context without a span")
    func tracerReadsTheEnvironmentOnlyWithoutASpan() {
        setenv(XRayPropagator.environmentVariable, Self.lambdaHeader, 1)
        defer { unsetenv(XRayPropagator.environmentVariable) }
        let provider = TracerProvider(resource: Fixtures.resource, processors: [], propagators: [XRayLambdaPropagator()])
        let tracer = provider.tracer()

        var withoutSpan = ServiceContext.topLevel
        tracer.extract([String: String](), into: &withoutSpan, using: DictionaryExtractor())
        #expect(withoutSpan.spanContext?.spanID.hex == "27c4bbf84acc163c")

        let current = SpanContext(traceID: TraceID(high: 7, low: 7), spanID: SpanID(7), traceFlags: .sampled)
        var withSpan = ServiceContext.topLevel
        withSpan.spanContext = current
        tracer.extract([String: String](), into: &withSpan, using: DictionaryExtractor())
        #expect(withSpan.spanContext == current, "Lambda's context must not replace the current span's")
        tracer.extract(["X-Amzn-Trace-Id": Self.carrierHeader], into: &withSpan, using: DictionaryExtractor())
        #expect(withSpan.spanContext?.spanID.hex == "53995c3f42cd8ad8", "the carrier's header is still extracted")
    }
}
