import Logging
import NIOConcurrencyHelpers
import OTelSDK
import OTelTesting
import ServiceContextModule
import Testing

@Suite("swift-log bridge (OTelLogHandler)", .timeLimit(.minutes(2)))
struct OTelLogHandlerTests {
    private func setUp(
        level: Logger.Level = .trace, limits: LogRecordLimits = LogRecordLimits(), metadataProvider: Logger.MetadataProvider? = nil
    ) -> (LoggerProvider, InMemoryLogRecordExporter, Logger) {
        let exporter = InMemoryLogRecordExporter()
        let processor = BatchLogRecordProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        let provider = LoggerProvider(resource: Fixtures.resource, limits: limits, processors: [processor])
        var logger = Logger(label: "bridge.tests") { OTelLogHandler(label: $0, provider: provider, metadataProvider: metadataProvider) }
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

    @Test("the metadata provider's metadata overrides the handler's and the call's overrides both; an error adds exception.*")
    func providerMetadataAndError() async throws {
        let provider = Logger.MetadataProvider { ["shared": "provider", "provided": "yes"] }
        let (loggerProvider, exporter, base) = setUp(metadataProvider: provider)
        var logger = base
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "handled"] = "yes"
        logger.info("no error", metadata: ["call": "yes"])
        logger.error("failed", error: OrderFailure(reason: "out of stock"), metadata: ["shared": "call"])
        let records = await records(loggerProvider, exporter)
        try #require(records.count == 2)
        let first = Dictionary(uniqueKeysWithValues: records[0].attributes.map { ($0.key, $0.value) })
        #expect(first["shared"] == .string("provider"))
        #expect(first["handled"] == .string("yes"))
        #expect(first["provided"] == .string("yes"))
        #expect(first["call"] == .string("yes"))
        #expect(first["exception.type"] == nil)
        let second = Dictionary(uniqueKeysWithValues: records[1].attributes.map { ($0.key, $0.value) })
        #expect(second["shared"] == .string("call"))
        #expect(second["exception.message"] == .string("OrderFailure(reason: \"out of stock\")"))
        #expect(second["exception.type"]?.description.hasSuffix("OrderFailure") == true)
        #expect(records[1].attributes.count == 9)
        _ = await loggerProvider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("the provider's limits apply to bridged records: the first attributes kept, the rest counted, strings truncated")
    func limits() async throws {
        var limits = LogRecordLimits()
        limits.attributeCountLimit = 3
        limits.attributeValueLengthLimit = 4
        let (provider, exporter, logger) = setUp(limits: limits)
        logger.info("limited", metadata: ["a": "abcdefgh"], file: "Sources/File.swift", function: "f()", line: 1)
        let record = try #require(await records(provider, exporter).first)
        #expect(record.attributes == [
            Attribute("a", .string("abcd")),
            Attribute("code.file.path", .string("Sour")),
            Attribute("code.function.name", .string("f()")),
        ])
        #expect(record.droppedAttributesCount == 2)
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("values are recorded with their text at the log call, even when the exporter reads them later")
    func textAtTheCall() async throws {
        let (provider, exporter, logger) = setUp()
        let changing = MutableDescription(text: "at the call")
        logger.info("counted", metadata: ["changing": .stringConvertible(changing), "nested": [.stringConvertible(changing)]])
        changing.text.withLockedValue { $0 = "changed later" }
        let record = try #require(await records(provider, exporter).first)
        let attributes = Dictionary(uniqueKeysWithValues: record.attributes.map { ($0.key, $0.value) })
        #expect(attributes["changing"] == .string("at the call"))
        #expect(attributes["nested"] == .array([.string("at the call")]))
        _ = await provider.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("the SDK's diagnostics logger does not go through LoggingSystem")
    func diagnosticsBypassTheBridge() {
        #expect(DiagnosticLogger.make().handler is StreamLogHandler)
    }
}

private struct OrderFailure: Error {
    var reason: String
}

/// A value whose description changes after it was logged.
private final class MutableDescription: CustomStringConvertible, Sendable {
    let text: NIOLockedValueBox<String>

    init(text: String) {
        self.text = NIOLockedValueBox(text)
    }

    var description: String { text.withLockedValue { $0 } }
}
