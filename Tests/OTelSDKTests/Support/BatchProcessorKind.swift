import OTelSDK
import OTelTesting

/// The batch processors of the two signals (``BatchSpanProcessor``, ``BatchLogRecordProcessor``),
/// which share their engine and must keep the same guarantees, driven the same way by the tests:
/// items are numbered, and each exported item is known by its name (`span-<n>`, `log-<n>`).
/// `preparedSpans` is the span processor over an exporter with a preparation step, which the
/// processor runs for the next batch while the current one is exported.
enum BatchProcessorKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case spans
    case preparedSpans
    case logRecords

    var description: String { rawValue }

    /// The name item number `n` is exported under.
    func name(_ n: Int) -> String {
        switch self {
        case .spans, .preparedSpans: "span-\(n)"
        case .logRecords: "log-\(n)"
        }
    }

    /// A processor of this kind over an in-memory exporter whose export attempts `behaviour` answers
    /// (by default every one succeeds). `simple` makes the signal's "simple" processor instead.
    func make(
        _ configuration: BatchConfiguration = BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .seconds(3600)),
        simple: Bool = false,
        behaviour: @escaping @Sendable (_ attempt: Int, _ deadline: ContinuousClock.Instant) async -> ExportResult = { _, _ in .success }
    ) -> ProcessorUnderTest {
        switch self {
        case .spans:
            let exporter = InMemorySpanExporter { attempt, _, deadline in await behaviour(attempt, deadline) }
            return Self.spanProcessor(exporter: exporter, statistics: exporter, exportedNames: { exporter.exported.map(\.name) }, configuration: configuration, simple: simple)
        case .preparedSpans:
            let inner = InMemorySpanExporter { attempt, _, deadline in await behaviour(attempt, deadline) }
            let exporter = PreparingExporter(inner: inner, describe: \.name)
            return Self.spanProcessor(exporter: exporter, statistics: exporter, exportedNames: { inner.exported.map(\.name) }, configuration: configuration, simple: simple)
        case .logRecords:
            let exporter = InMemoryLogRecordExporter { attempt, _, deadline in await behaviour(attempt, deadline) }
            let processor = simple
                ? BatchLogRecordProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
                : BatchLogRecordProcessor(exporter: exporter, configuration: configuration, diagnostics: DiagnosticLogger.disabled)
            return ProcessorUnderTest(
                exporter: exporter, submitItem: { processor.onEmit(LogFixtures.record($0, paddingBytes: $1)) }, exportedNames: { exporter.exported.map(LogFixtures.body) },
                forceFlush: processor.forceFlush, shutdown: processor.shutdown)
        }
    }

    private static func spanProcessor(
        exporter: some SpanExporter, statistics: any ExportStatistics, exportedNames: @escaping @Sendable () -> [String], configuration: BatchConfiguration, simple: Bool
    ) -> ProcessorUnderTest {
        let processor = simple
            ? BatchSpanProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
            : BatchSpanProcessor(exporter: exporter, configuration: configuration, diagnostics: DiagnosticLogger.disabled)
        return ProcessorUnderTest(
            exporter: statistics, submitItem: { processor.onEnd(Fixtures.span($0, paddingBytes: $1)) }, exportedNames: exportedNames,
            forceFlush: processor.forceFlush, shutdown: processor.shutdown)
    }
}

/// What the tests read from an in-memory exporter, whatever its item.
protocol ExportStatistics: Sendable {
    var batchSizes: [Int] { get }
    var attempts: Int { get }
    var overlapped: Bool { get }
    var shutdownCalled: Bool { get }
    func waitForExported(_ count: Int) async
    /// Returns once at least `count` export calls have started (see ``InMemoryExporter/waitForAttempts(_:)``).
    func waitForAttempts(_ count: Int) async
}

extension InMemoryExporter: ExportStatistics {}

/// One batch processor and its in-memory exporter.
struct ProcessorUnderTest: Sendable {
    let exporter: any ExportStatistics
    /// Hands item number `n`, with a string attribute of `paddingBytes` bytes, to the processor (`onEnd` / `onEmit`).
    let submitItem: @Sendable (_ n: Int, _ paddingBytes: Int) -> Void
    /// The names of the items exported so far, in export order.
    let exportedNames: @Sendable () -> [String]
    let forceFlush: @Sendable (ContinuousClock.Instant) async -> FlushResult
    let shutdown: @Sendable (ContinuousClock.Instant) async -> FlushResult

    /// Hands item number `n` to the processor; with `paddingBytes`, the item has a string attribute of that many bytes.
    func submit(_ n: Int, paddingBytes: Int = 0) {
        submitItem(n, paddingBytes)
    }
}
