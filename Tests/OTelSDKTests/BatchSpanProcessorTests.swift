import OTelSDK
import OTelTesting
import Synchronization
import Testing

@Suite("BatchSpanProcessor")
struct BatchSpanProcessorTests {
    /// No background export interferes: long delay, large batches.
    let quiet = BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .seconds(3600))

    @Test("flush returns once every span ended before it is exported, in order")
    func flushIsABarrier() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: quiet, diagnostics: DiagnosticLogger.disabled)
        for n in 0..<42 { processor.onEnd(Fixtures.span(n)) }
        let result = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(result == FlushResult(outcome: .ok, exported: 42, pending: 0, dropped: 0))
        #expect(exporter.exported.map(\.name) == (0..<42).map { "span-\($0)" })
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("a full batch is exported without waiting for the timer or a flush")
    func batchSizeTriggersExport() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(3600)), diagnostics: DiagnosticLogger.disabled)
        for n in 0..<10 { processor.onEnd(Fixtures.span(n)) }
        await exporter.waitForExported(10)
        #expect(exporter.batchSizes == [10])
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("the schedule delay exports a partial batch")
    func timerTriggersExport() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 50, scheduleDelay: .milliseconds(20)), diagnostics: DiagnosticLogger.disabled)
        for n in 0..<3 { processor.onEnd(Fixtures.span(n)) }
        await exporter.waitForExported(3)
        #expect(exporter.exported.count == 3)
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("a full queue drops new spans and counts them; onEnd never waits for the exporter")
    func overflowDropsAndCounts() async {
        let gate = Gate()
        let exporter = InMemorySpanExporter { _, _, _ in
            await gate.wait()
            return .success
        }
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 10, maxExportBatchSize: 10, scheduleDelay: .seconds(3600)), diagnostics: DiagnosticLogger.disabled)
        // The first 10 fill the queue and go to the (held) exporter; 10 more refill the queue; 5 overflow.
        for n in 0..<10 { processor.onEnd(Fixtures.span(n)) }
        while exporter.attempts == 0 { await Task.yield() }
        for n in 10..<25 { processor.onEnd(Fixtures.span(n)) }
        gate.open()
        let result = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(result.dropped == 5)
        #expect(exporter.exported.count == 20)
        #expect(!exporter.overlapped)
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("a flush the deadline interrupts returns timedOut; the spans leave with the next flush, none lost")
    func deadlineInterruptedSpansAreKept() async {
        let exporter = InMemorySpanExporter { attempt, _, deadline in
            if attempt == 1 {
                // A stalled collector: the exporter gives up at the deadline, as the OTLP exporter does.
                try? await Task.sleep(until: deadline, clock: .continuous)
                return .retryLater(ExportFailure("deadline reached"))
            }
            return .success
        }
        let processor = BatchSpanProcessor(exporter: exporter, configuration: quiet, diagnostics: DiagnosticLogger.disabled)
        for n in 0..<7 { processor.onEnd(Fixtures.span(n)) }
        let first = await processor.forceFlush(deadline: Fixtures.deadline(.milliseconds(100)))
        #expect(first.outcome == .timedOut)
        #expect(first.exported == 0)
        #expect(first.pending == 7)
        processor.onEnd(Fixtures.span(7))
        let second = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(second == FlushResult(outcome: .ok, exported: 8, pending: 0, dropped: 0))
        #expect(exporter.exported.map(\.name) == (0..<8).map { "span-\($0)" })
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("a retryable failure before the deadline fails the flush and keeps the spans")
    func retryableFailureKeepsSpans() async {
        let exporter = InMemorySpanExporter { attempt, _, _ in
            attempt == 1 ? .retryLater(ExportFailure("connection refused")) : .success
        }
        let processor = BatchSpanProcessor(exporter: exporter, configuration: quiet, diagnostics: DiagnosticLogger.disabled)
        for n in 0..<5 { processor.onEnd(Fixtures.span(n)) }
        let first = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(first.outcome == .failed("connection refused"))
        #expect(first.pending == 5)
        let second = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(second.outcome == .ok)
        #expect(exporter.exported.count == 5)
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("a batch the receiver refuses is dropped, counted and reported")
    func rejectedBatchIsDropped() async {
        let exporter = InMemorySpanExporter { attempt, _, _ in
            attempt == 1 ? .rejected(ExportFailure("HTTP 400")) : .success
        }
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 3, scheduleDelay: .seconds(3600)), diagnostics: DiagnosticLogger.disabled)
        for n in 0..<5 { processor.onEnd(Fixtures.span(n)) }
        let result = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .failed("HTTP 400"))
        #expect(result.dropped == 3)
        #expect(exporter.exported.map(\.name) == ["span-3", "span-4"])
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("exports never overlap, even with many producers and flushes")
    func oneExportAtATime() async {
        let exporter = InMemorySpanExporter { _, _, _ in
            await Task.yield()
            return .success
        }
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 10_000, maxExportBatchSize: 7, scheduleDelay: .milliseconds(1)), diagnostics: DiagnosticLogger.disabled)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for n in 0..<500 { processor.onEnd(Fixtures.span(worker * 1000 + n)) }
                    _ = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
                }
            }
        }
        let result = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(exporter.exported.count == 2000)
        #expect(Set(exporter.exported.map(\.name)).count == 2000)
        #expect(!exporter.overlapped)
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("unsampled spans are not exported")
    func unsampledSpansAreSkipped() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: quiet, diagnostics: DiagnosticLogger.disabled)
        var span = Fixtures.span(0)
        span.context.traceFlags = []
        processor.onEnd(span)
        processor.onEnd(Fixtures.span(1))
        _ = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(exporter.exported.map(\.name) == ["span-1"])
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("shutdown drains the queue, shuts the exporter down and refuses later spans")
    func shutdownDrains() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: quiet, diagnostics: DiagnosticLogger.disabled)
        for n in 0..<3 { processor.onEnd(Fixtures.span(n)) }
        let result = await processor.shutdown(deadline: Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(result.exported == 3)
        #expect(exporter.shutdownCalled)
        processor.onEnd(Fixtures.span(3))
        let after = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(1)))
        #expect(after.dropped == 1)
        #expect(exporter.exported.count == 3)
    }

    @Test("the simple processor exports each span on its own, in order")
    func simpleProcessor() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        for n in 0..<4 { processor.onEnd(Fixtures.span(n)) }
        await exporter.waitForExported(4)
        #expect(exporter.batchSizes == [1, 1, 1, 1])
        #expect(exporter.exported.map(\.name) == ["span-0", "span-1", "span-2", "span-3"])
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("configuration comes from OTEL_BSP_* with defaults and clamping")
    func configurationFromEnvironment() {
        let capture = LogCapture()
        let defaults = BatchConfiguration.spans(environment: OTelEnvironment([:], diagnostics: capture.logger))
        #expect(defaults == BatchConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512, scheduleDelay: .milliseconds(5000), exportTimeout: .milliseconds(30000)))
        let custom = BatchConfiguration.spans(environment: OTelEnvironment([
            "OTEL_BSP_MAX_QUEUE_SIZE": "100",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "500",
            "OTEL_BSP_SCHEDULE_DELAY": "abc",
            "OTEL_BSP_EXPORT_TIMEOUT": "0",
        ], diagnostics: capture.logger))
        #expect(custom == BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .milliseconds(5000), exportTimeout: nil))
        #expect(capture.messages.contains { $0.contains("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") && $0.contains("100") })
        #expect(capture.messages.contains { $0.contains("OTEL_BSP_SCHEDULE_DELAY='abc'") && $0.contains("5000 ms") })
    }
}
