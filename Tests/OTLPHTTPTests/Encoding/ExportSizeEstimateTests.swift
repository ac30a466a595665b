import OTelTesting
import Testing
import Tracing

@testable import OTLPHTTP
@testable import OTelSDK

/// The batch queues bound their bytes by each item's estimated export size (`ExportSizeEstimating`): the
/// estimate must not be below what the exporter then sends, or the bounds would not hold, and must stay
/// close to it for large items, or the bounds would drop items that fit.
@Suite("Export size estimates", .timeLimit(.minutes(2)))
struct ExportSizeEstimateTests {
    /// The resource and scope are encoded once per batch, not per item, and are not part of an item's estimate.
    static let resource = Resource(attributes: [])
    static let scope = InstrumentationScope(name: "")
    static let large = String(repeating: "x", count: 1_000_000)

    /// Whether `estimate` is at or above `encoded`, and, for an item of a megabyte or more, within 2 % of it.
    static func fits(_ estimate: Int, _ encoded: Int) -> Bool {
        estimate >= encoded && (encoded < 1_000_000 || estimate <= encoded + encoded / 50)
    }

    @Test("a span's estimate is at or above its encoded size, and close to it for a large span")
    func spanEstimates() {
        let spans = [
            TraceEncodingFixtures.kitchenSink(resource: Self.resource, scope: Self.scope),
            TraceEncodingFixtures.simple(resource: Self.resource, scope: Self.scope),
            TraceEncodingFixtures.simple(
                attributes: [
                    Attribute("payload", .string(Self.large)), Attribute("short", .stringArray(Array(repeating: "abc", count: 1000))),
                    Attribute("ints", .intArray(Array(repeating: -1, count: 1000))),
                ],
                resource: Self.resource, scope: Self.scope),
        ]
        for span in spans {
            let encoded = OTLPTraceEncoder.encode([span]).count
            #expect(Self.fits(span.estimatedExportBytes, encoded), "\(span.name): estimate \(span.estimatedExportBytes), encoded \(encoded)")
        }
    }

    @Test("a span ended by the tracer is estimated from its attributes as recorded: at or above its encoded size with the limits applied")
    func recordedSpanEstimates() async {
        var limits = SpanLimits()
        limits.attributeValueLengthLimit = 1000
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        let provider = TracerProvider(resource: Self.resource, limits: limits, processors: [processor])
        let span = provider.tracer().startSpan("recorded")
        span.attributes["payload"] = Self.large
        span.attributes["strings"] = SpanAttribute.stringArray(["abc", "日本語", ""])
        span.attributes["int32s"] = SpanAttribute.int32Array([-1, 2])
        span.attributes["double"] = 1.5
        span.attributes["bool"] = true
        span.addEvent(SpanEvent(name: "event", attributes: ["message": "text"]))
        span.end()
        _ = await provider.forceFlush(deadline: .now + .seconds(10))
        let ended = exporter.exported
        #expect(ended.count == 1)
        for span in ended {
            #expect(span.estimatedExportBytes >= Self.large.utf8.count)
            #expect(span.estimatedExportBytes >= OTLPTraceEncoder.encode([span]).count)
        }
        _ = await provider.shutdown(deadline: .now + .seconds(1))
    }

    @Test("a log record's estimate is at or above its encoded size, nested bodies included, and close to it for a large one")
    func logRecordEstimates() {
        let records = [
            LogRecordData(
                timestampNanos: 1, observedTimestampNanos: 2, severityNumber: .error, severityText: "ERROR",
                body: .keyValueList([
                    Attribute("mixed", .array([.string("x"), .int(-1), .double(1.5), .bool(true), .intArray([1, 2, 3]), .keyValueList([])])),
                    Attribute("payload", .string(Self.large)),
                ]),
                attributes: [Attribute("doubles", .doubleArray([1, 2])), Attribute("bools", .boolArray([true])), Attribute("s", .stringArray(["a"]))],
                droppedAttributesCount: 7,
                spanContext: SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceFlags: .sampled),
                resource: Self.resource, scope: Self.scope),
            LogRecordData(timestampNanos: 0, observedTimestampNanos: 0, severityNumber: nil, body: nil, resource: Self.resource, scope: Self.scope),
            LogRecordData(
                timestampNanos: .max, observedTimestampNanos: .max, severityNumber: .fatal, body: .string("short"),
                attributes: [Attribute("n", .int(.min))], resource: Self.resource, scope: Self.scope),
        ]
        for record in records {
            let encoded = OTLPLogRecordEncoder.encode([record]).count
            #expect(Self.fits(record.estimatedExportBytes, encoded), "estimate \(record.estimatedExportBytes), encoded \(encoded)")
        }
    }
}
