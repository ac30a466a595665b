import Logging
import OTelSDK
import ServiceContextModule
import Testing

@Suite("Logger.MetadataProvider.otelTraceContext", .timeLimit(.minutes(1)))
struct TraceMetadataProviderTests {
    @Test("inside a span: trace_id, span_id and trace_flags of the current span; outside: nothing")
    func metadata() {
        let tracer = TracerProvider(resource: Fixtures.resource, processors: []).tracer()
        let span = tracer.startSpan("request", context: .topLevel)
        let inside = ServiceContext.withValue(span.context) { Logger.MetadataProvider.otelTraceContext.get() }
        span.end()
        #expect(inside["trace_id"] == .string(span.spanContext.traceID.hex))
        #expect(inside["span_id"] == .string(span.spanContext.spanID.hex))
        #expect(inside["trace_flags"] == .string("01"))
        #expect(span.spanContext.traceID.hex.count == 32 && span.spanContext.spanID.hex.count == 16)
        #expect(Logger.MetadataProvider.otelTraceContext.get().isEmpty)

        var unsampled = ServiceContext.topLevel
        unsampled.spanContext = SpanContext(traceID: span.spanContext.traceID, spanID: span.spanContext.spanID, traceFlags: [])
        let flags = ServiceContext.withValue(unsampled) { Logger.MetadataProvider.otelTraceContext.get()["trace_flags"] }
        #expect(flags == .string("00"))
    }
}
