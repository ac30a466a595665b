import Logging
import OTelSDK
import OTelTesting
import ServiceContextModule
import Testing

@Suite("swift-log bridge (OTelLogHandler)")
struct OTelLogHandlerTests {
    private func setUp(level: Logger.Level = .trace) -> (LoggerProvider, InMemoryLogRecordExporter, Logger) {
        let exporter = InMemoryLogRecordExporter()
        let processor = BatchLogRecordProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        let provider = LoggerProvider(resource: Fixtures.resource, processors: [processor])
        var logger = Logger(label: "bridge.tests") { OTelLogHandler(label: $0, provider: provider) }
        logger.logLevel = level
        return (provider, exporter, logger)
    }

    private func records(_ provider: LoggerProvider, _ exporter: InMemoryLogRecordExporter) async -> [LogRecordData] {
        _ = await provider.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        return exporter.exported
    }

    @Test("levels map to the specification's severities")
    func severities() async {
        let (provider, exporter, logger) = setUp()
        for level in Logger.Level.allCases {
            logger.log(level: level, "\(level)")
        }
        let severities = await records(provider, exporter).map { $0.severityNumber?.rawValue }
        #expect(severities == [1, 5, 9, 10, 13, 17, 21])
        #expect(exporter.exported.map(\.severityText) == ["TRACE", "DEBUG", "INFO", "INFO2", "WARN", "ERROR", "FATAL"])
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("message → body, metadata (nested too) → attributes, source location → code.*; scope is the label")
    func recordContent() async throws {
        let (provider, exporter, base) = setUp()
        var logger = base
        logger[metadataKey: "handler.key"] = "from the handler"
        logger.info("order placed", metadata: [
            "order.id": "42",
            "count": .stringConvertible(3),
            "user": ["id": "u-1", "roles": ["admin", "ops"]],
            "handler.key": "overridden by the call",
        ], source: "Shop", file: "Shop/Orders.swift", function: "place(_:)", line: 77)
        let record = try #require(await records(provider, exporter).first)
        #expect(record.body == .string("order placed"))
        #expect(record.scope.name == "bridge.tests")
        let attributes = Dictionary(uniqueKeysWithValues: record.attributes.map { ($0.key, $0.value) })
        #expect(attributes["order.id"] == .string("42"))
        #expect(attributes["count"] == .string("3"))
        #expect(attributes["user"] == .keyValueList([
            Attribute("id", .string("u-1")),
            Attribute("roles", .array([.string("admin"), .string("ops")])),
        ]))
        #expect(attributes["handler.key"] == .string("overridden by the call"))
        #expect(attributes["code.file.path"] == .string("Shop/Orders.swift"))
        #expect(attributes["code.function.name"] == .string("place(_:)"))
        #expect(attributes["code.line.number"] == .int(77))
        #expect(attributes["swift.log.source"] == .string("Shop"))
        #expect(record.attributes.count == 8)
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("the span active in the current task gives the record its trace ID, span ID and flags")
    func traceContext() async throws {
        let (provider, exporter, logger) = setUp()
        let tracer = TracerProvider(resource: Fixtures.resource, processors: []).tracer()
        let span = tracer.startSpan("request", context: .topLevel)
        ServiceContext.withValue(span.context) {
            logger.info("inside")
        }
        span.end()
        logger.info("outside")
        let records = await records(provider, exporter)
        #expect(records.count == 2)
        #expect(records.first?.spanContext?.traceID == span.spanContext.traceID)
        #expect(records.first?.spanContext?.spanID == span.spanContext.spanID)
        #expect(records.first?.spanContext?.traceFlags == .sampled)
        #expect(records.last?.spanContext == nil)
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("the handler's level filters; its metadata is a value per Logger")
    func valueSemantics() async {
        let (provider, exporter, logger) = setUp(level: .warning)
        var other = logger
        other[metadataKey: "only"] = "other"
        logger.info("filtered")
        logger.warning("kept")
        other.error("also kept")
        let records = await records(provider, exporter)
        #expect(records.map(LogFixtures.body) == ["kept", "also kept"])
        #expect(!records[0].attributes.contains { $0.key == "only" })
        #expect(records[1].attributes.contains { $0.key == "only" })
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("the SDK's diagnostics logger does not go through LoggingSystem")
    func diagnosticsBypassTheBridge() {
        #expect(DiagnosticLogger.make().handler is StreamLogHandler)
    }
}
