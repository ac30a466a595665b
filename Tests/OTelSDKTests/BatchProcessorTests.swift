import OTelSDK
import OTelTesting
import Testing

/// The guarantees every batch processor keeps (the span and log record processors share their
/// engine, `BatchExportQueue`), tested on both, and what is particular to each.
@Suite("Batch processors (spans and log records)", .timeLimit(.minutes(2)))
struct BatchProcessorTests {
    @Test("flush returns once every item submitted before it is exported, in order", arguments: BatchProcessorKind.allCases)
    func flushIsABarrier(kind: BatchProcessorKind) async {
        let processor = kind.make()
        for n in 0..<42 { processor.submit(n) }
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result == FlushResult(outcome: .ok, exported: 42, pending: 0, dropped: 0))
        #expect(processor.exportedNames() == (0..<42).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a full batch is exported without waiting for the timer or a flush", arguments: BatchProcessorKind.allCases)
    func batchSizeTriggersExport(kind: BatchProcessorKind) async {
        let processor = kind.make(BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(3600)))
        for n in 0..<10 { processor.submit(n) }
        await processor.exporter.waitForExported(10)
        #expect(processor.exporter.batchSizes == [10])
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("full batches leave whole and in order; a flush takes the partial rest", arguments: BatchProcessorKind.allCases)
    func fullBatchesThenPartialRest(kind: BatchProcessorKind) async {
        let processor = kind.make(BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(3600)))
        for n in 0..<35 { processor.submit(n) }
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(result.pending == 0)
        #expect(processor.exporter.batchSizes == [10, 10, 10, 5])
        #expect(processor.exportedNames() == (0..<35).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a batch kept after a retryable failure leaves again ahead of the items queued behind it", arguments: BatchProcessorKind.allCases)
    func retriedBatchKeepsItsPlace(kind: BatchProcessorKind) async {
        let gate = Gate()
        let processor = kind.make(BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(3600))) { attempt, _ in
            guard attempt == 1 else { return .success }
            await gate.wait()
            return .retryLater(ExportFailure("connection refused"))
        }
        // The first full batch goes to the (held) exporter, which then fails it; 15 more queue behind it.
        for n in 0..<10 { processor.submit(n) }
        await processor.exporter.waitForAttempts(1)
        for n in 10..<25 { processor.submit(n) }
        gate.open()
        // A flush that arrives while the first export still runs learns that it failed; the next one sends everything.
        _ = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(processor.exportedNames() == (0..<25).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("the next batch is prepared while the current one is exported, and goes back behind it when that export fails")
    func preparedBatchReturnsBehindARetriedOne() async throws {
        let gates = [Gate(), Gate()]
        let processor = BatchProcessorKind.preparedSpans.make(BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(3600))) { attempt, _ in
            guard attempt <= 2 else { return .success }
            await gates[attempt - 1].wait()
            return .retryLater(ExportFailure("connection refused"))
        }
        let exporter = try #require(processor.exporter as? PreparingExporter<SpanData>)
        // Attempt 1 (items 0-9) fails after 15 more items have queued; the processor then waits for a flush.
        for n in 0..<10 { processor.submit(n) }
        await processor.exporter.waitForAttempts(1)
        for n in 10..<25 { processor.submit(n) }
        gates[0].open()
        // The flush's attempt 2 sends items 0-9 again; while it is held, items 10-19 are taken and prepared.
        async let first = processor.forceFlush(Fixtures.deadline(.seconds(10)))
        await exporter.waitForPreparation(.init(firstItem: "span-10", duringAttempt: 2))
        gates[1].open()
        let failed = await first
        #expect(failed.outcome == .failed("connection refused"))
        #expect(failed.pending == 25)
        // Both went back, in order: the next flush sends 0-9, 10-19, 20-24, each once.
        let second = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(second == FlushResult(outcome: .ok, exported: 25, pending: 0, dropped: 0))
        #expect(processor.exportedNames() == (0..<25).map(BatchProcessorKind.preparedSpans.name))
        #expect(processor.exporter.batchSizes == [10, 10, 5])
        #expect(!exporter.mismatched)
        #expect(!processor.exporter.overlapped)
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("the schedule delay exports a partial batch", arguments: BatchProcessorKind.allCases)
    func timerTriggersExport(kind: BatchProcessorKind) async {
        let processor = kind.make(BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 50, scheduleDelay: .milliseconds(20)))
        for n in 0..<3 { processor.submit(n) }
        await processor.exporter.waitForExported(3)
        #expect(processor.exportedNames().count == 3)
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a full queue drops new items and counts them; submitting never waits for the exporter", arguments: BatchProcessorKind.allCases)
    func overflowDropsAndCounts(kind: BatchProcessorKind) async {
        let gate = Gate()
        let processor = kind.make(BatchConfiguration(maxQueueSize: 10, maxExportBatchSize: 10, scheduleDelay: .seconds(3600))) { _, _ in
            await gate.wait()
            return .success
        }
        // The first 10 fill the queue and go to the (held) exporter; 10 more refill the queue; 5 overflow.
        for n in 0..<10 { processor.submit(n) }
        await processor.exporter.waitForAttempts(1)
        for n in 10..<25 { processor.submit(n) }
        gate.open()
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(result.dropped == 5)
        #expect(processor.exportedNames().count == 20)
        #expect(!processor.exporter.overlapped)
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a flush the deadline interrupts returns timedOut; the items leave with the next flush, none lost", arguments: BatchProcessorKind.allCases)
    func deadlineInterruptedItemsAreKept(kind: BatchProcessorKind) async {
        let processor = kind.make { attempt, deadline in
            if attempt == 1 {
                // A stalled collector: the exporter gives up at the deadline, as the OTLP exporter does.
                try? await Task.sleep(until: deadline, clock: .continuous)
                return .retryLater(ExportFailure("deadline reached"))
            }
            return .success
        }
        for n in 0..<7 { processor.submit(n) }
        let first = await processor.forceFlush(Fixtures.deadline(.milliseconds(100)))
        #expect(first.outcome == .timedOut)
        #expect(first.exported == 0)
        #expect(first.pending == 7)
        processor.submit(7)
        let second = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(second == FlushResult(outcome: .ok, exported: 8, pending: 0, dropped: 0))
        #expect(processor.exportedNames() == (0..<8).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a flush whose task was cancelled before it began returns failed at once, not at its deadline; its items stay queued", arguments: BatchProcessorKind.allCases)
    func cancelledFlushReturnsAtOnce(kind: BatchProcessorKind) async {
        let gate = Gate()
        let processor = kind.make(BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(3600))) { attempt, _ in
            if attempt == 1 { await gate.wait() }
            return .success
        }
        // A full batch goes to the (held) exporter: the flush has something to wait for.
        for n in 0..<10 { processor.submit(n) }
        await processor.exporter.waitForAttempts(1)
        let flush = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            // Without the cancellation, the flush would return timedOut at this deadline.
            return await processor.forceFlush(Fixtures.deadline(.seconds(30)))
        }
        let cancelled = await flush.value
        #expect(cancelled.outcome == .failed("flush cancelled"))
        #expect(cancelled.pending == 10)
        gate.open()
        let next = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(next.outcome == .ok)
        #expect(processor.exportedNames() == (0..<10).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a retryable failure before the deadline fails the flush and keeps the items", arguments: BatchProcessorKind.allCases)
    func retryableFailureKeepsItems(kind: BatchProcessorKind) async {
        let processor = kind.make { attempt, _ in
            attempt == 1 ? .retryLater(ExportFailure("connection refused")) : .success
        }
        for n in 0..<5 { processor.submit(n) }
        let first = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(first.outcome == .failed("connection refused"))
        #expect(first.pending == 5)
        let second = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(second.outcome == .ok)
        #expect(processor.exportedNames().count == 5)
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a batch the receiver refuses is dropped, counted and reported", arguments: BatchProcessorKind.allCases)
    func rejectedBatchIsDropped(kind: BatchProcessorKind) async {
        // Nothing leaves in the background (large batches, long delay): the flush starts the export it reports.
        let processor = kind.make { attempt, _ in
            attempt == 1 ? .rejected(ExportFailure("HTTP 400")) : .success
        }
        for n in 0..<3 { processor.submit(n) }
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .failed("HTTP 400"))
        #expect(result.dropped == 3)
        for n in 3..<5 { processor.submit(n) }
        let next = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(next == FlushResult(outcome: .ok, exported: 2, pending: 0, dropped: 0))
        #expect(processor.exportedNames() == [kind.name(3), kind.name(4)])
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("exports never overlap, even with many producers and flushes", arguments: BatchProcessorKind.allCases)
    func oneExportAtATime(kind: BatchProcessorKind) async {
        let processor = kind.make(BatchConfiguration(maxQueueSize: 10_000, maxExportBatchSize: 7, scheduleDelay: .milliseconds(1))) { _, _ in
            // Not a synchronisation: each export suspends, so that a second one started meanwhile would overlap it.
            await Task.yield()
            return .success
        }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for n in 0..<500 { processor.submit(worker * 1000 + n) }
                    _ = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
                }
            }
        }
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(processor.exportedNames().count == 2000)
        #expect(Set(processor.exportedNames()).count == 2000)
        #expect(!processor.exporter.overlapped)
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("shutdown drains the queue, shuts the exporter down and refuses later items", arguments: BatchProcessorKind.allCases)
    func shutdownDrains(kind: BatchProcessorKind) async {
        let processor = kind.make()
        for n in 0..<3 { processor.submit(n) }
        let result = await processor.shutdown(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(result.exported == 3)
        #expect(processor.exporter.shutdownCalled)
        processor.submit(3)
        let after = await processor.forceFlush(Fixtures.deadline(.seconds(1)))
        #expect(after.dropped == 1)
        #expect(processor.exportedNames().count == 3)
    }

    @Test("the simple processor exports each item on its own, in order", arguments: BatchProcessorKind.allCases)
    func simpleProcessor(kind: BatchProcessorKind) async {
        let processor = kind.make(simple: true)
        for n in 0..<4 { processor.submit(n) }
        await processor.exporter.waitForExported(4)
        #expect(processor.exporter.batchSizes == [1, 1, 1, 1])
        #expect(processor.exportedNames() == (0..<4).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("unsampled spans are not exported")
    func unsampledSpansAreSkipped() async {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .seconds(3600)), diagnostics: DiagnosticLogger.disabled)
        var span = Fixtures.span(0)
        span.context.traceFlags = []
        processor.onEnd(span)
        processor.onEnd(Fixtures.span(1))
        _ = await processor.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
        #expect(exporter.exported.map(\.name) == ["span-1"])
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(1)))
    }

    @Test("span configuration comes from OTEL_BSP_* with defaults and clamping")
    func spanConfigurationFromEnvironment() {
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

    @Test("log record configuration comes from OTEL_BLRP_* with the defaults 2048 / 512 / 1000 ms / 30000 ms")
    func logRecordConfigurationFromEnvironment() {
        let defaults = BatchConfiguration.logRecords(environment: OTelEnvironment([:], diagnostics: DiagnosticLogger.disabled))
        #expect(defaults == BatchConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512, scheduleDelay: .milliseconds(1000), exportTimeout: .milliseconds(30000)))
        let custom = BatchConfiguration.logRecords(environment: OTelEnvironment([
            "OTEL_BLRP_MAX_QUEUE_SIZE": "100", "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE": "500",
            "OTEL_BLRP_SCHEDULE_DELAY": "250", "OTEL_BLRP_EXPORT_TIMEOUT": "0",
        ], diagnostics: DiagnosticLogger.disabled))
        #expect(custom == BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .milliseconds(250), exportTimeout: nil))
    }
}
