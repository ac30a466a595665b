import OTelSDK
import OTelTesting
import ServiceContextModule
import Testing

@Suite("LoggerProvider and OTelLogger", .timeLimit(.minutes(2)))
struct LoggerProviderTests {
    private func makeProvider(limits: LogRecordLimits = LogRecordLimits()) -> (LoggerProvider, InMemoryLogRecordExporter) {
        let exporter = InMemoryLogRecordExporter()
        let processor = BatchLogRecordProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        return (LoggerProvider(resource: Fixtures.resource, limits: limits, processors: [processor]), exporter)
    }

    @Test("emit stamps the record, keeps scope and resource, and attaches the span context of the given context")
    func emitRecord() async throws {
        let (provider, exporter) = makeProvider()
        let spanContext = SpanContext(traceID: TraceID(high: 7, low: 8), spanID: SpanID(9), traceFlags: .sampled)
        var context = ServiceContext.topLevel
        context.spanContext = spanContext
        provider.logger(name: "scope-a", version: "1.0").emit(severity: .warn, body: .string("hello"), attributes: [Attribute("k", .int(1))], timestampNanos: 42, context: context)
        let result = await provider.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        let record = try #require(exporter.exported.first)
        #expect(record.timestampNanos == 42)
        #expect(record.observedTimestampNanos > 1_600_000_000_000_000_000)
        #expect(record.severityNumber == .warn)
        #expect(record.severityText == "WARN")
        #expect(record.body == .string("hello"))
        #expect(record.attributes == [Attribute("k", .int(1))])
        #expect(record.spanContext == spanContext)
        #expect(record.scope.name == "scope-a")
        #expect(record.scope.version == "1.0")
        #expect(record.resource === Fixtures.resource)
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("loggers of the same name share one scope object; an invalid span context is not attached")
    func scopesAreShared() async {
        let (provider, exporter) = makeProvider()
        #expect(provider.logger(name: "x").scope === provider.logger(name: "x").scope)
        #expect(provider.logger(name: "x").scope !== provider.logger(name: "y").scope)
        var context = ServiceContext.topLevel
        context.spanContext = SpanContext(traceID: TraceID(high: 0, low: 0), spanID: SpanID(0), traceFlags: [])
        provider.logger().emit(severity: nil, body: nil, context: context)
        _ = await provider.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(exporter.exported.first?.spanContext == nil)
        #expect(exporter.exported.first?.severityText == nil)
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("attribute limits: the first attributes are kept, the rest counted; strings truncated, nested ones too")
    func limits() async throws {
        var limits = LogRecordLimits()
        limits.attributeCountLimit = 2
        limits.attributeValueLengthLimit = 3
        let (provider, exporter) = makeProvider(limits: limits)
        provider.logger().emit(severity: .info, body: .string("body is not limited"), attributes: [
            Attribute("a", .string("abcdef")),
            Attribute("b", .keyValueList([Attribute("c", .array([.string("ghijk"), .int(5)]))])),
            Attribute("d", .bool(true)),
        ])
        _ = await provider.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        let record = try #require(exporter.exported.first)
        #expect(record.attributes == [
            Attribute("a", .string("abc")),
            Attribute("b", .keyValueList([Attribute("c", .array([.string("ghi"), .int(5)]))])),
        ])
        #expect(record.droppedAttributesCount == 1)
        #expect(record.body == .string("body is not limited"))
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("limits from OTEL_LOGRECORD_ATTRIBUTE_*, falling back to OTEL_ATTRIBUTE_*")
    func limitsFromEnvironment() {
        let specific = LogRecordLimits(environment: OTelEnvironment([
            "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT": "5", "OTEL_ATTRIBUTE_COUNT_LIMIT": "9", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "12",
        ], diagnostics: DiagnosticLogger.disabled))
        #expect(specific.attributeCountLimit == 5)
        #expect(specific.attributeValueLengthLimit == 12)
        #expect(LogRecordLimits(environment: OTelEnvironment([:], diagnostics: DiagnosticLogger.disabled)) == LogRecordLimits())
    }

    @Test("records emitted after shutdown are not recorded; the provider is named logs")
    func shutdownStopsRecording() async {
        let (provider, exporter) = makeProvider()
        #expect(provider.name == "logs")
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
        provider.logger().emit(severity: .info, body: .string("late"))
        #expect(exporter.exported.isEmpty)
        #expect(exporter.shutdownCalled)
    }
}
