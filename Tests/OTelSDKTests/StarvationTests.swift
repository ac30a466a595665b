@testable import OTelSDK
import OTelTesting
import Testing

/// Application tasks that never suspend, one per core, occupy Swift's whole cooperative pool. The SDK's
/// background work must go on regardless: no test here waits on a clock, each requires that what it
/// checks happened while the pool was still saturated.
@Suite("Cooperative pool saturation", .timeLimit(.minutes(5)))
struct StarvationTests {
    @Test("the export worker keeps exporting while producers that never suspend occupy every pool thread")
    func workerIsNotStarved() async {
        let exporter = CountingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchConfiguration(maxQueueSize: 1024, maxExportBatchSize: 64, scheduleDelay: .seconds(3600)),
            diagnostics: DiagnosticLogger.disabled
        )
        let span = Fixtures.span(0)
        // Two full queues' worth: the worker must have run many times while the producers were spinning.
        let target = 2048
        let endings = await PoolSaturation.run(budget: 2_000_000, until: { exporter.count >= target }) {
            processor.onEnd(span)
        }
        #expect(endings.allSatisfy { $0 == .conditionMet }, "the worker did not export \(target) spans while the pool was saturated (exported \(exporter.count))")
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(10)))
    }

    @Test("forceFlush returns at its deadline while tasks that never suspend occupy every pool thread")
    func flushDeadlineHolds() async {
        let gate = Gate()
        // A collector that does not answer before the flush gives up.
        let exporter = InMemorySpanExporter { _, _, _ in
            await gate.wait()
            return .success
        }
        let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .seconds(3600)), diagnostics: DiagnosticLogger.disabled)
        let coordinator = FlushCoordinator(providers: [TracerProvider(resource: Fixtures.resource, processors: [processor])], diagnostics: DiagnosticLogger.disabled)
        processor.onEnd(Fixtures.span(0))
        // The caller runs off the pool (as the Lambda lifecycle would need to, with the pool saturated):
        // what is tested is that nothing between the call and its return needs a pool thread.
        let caller = DedicatedExecutor(name: "test-caller")
        let returned = Flag()
        async let endings = PoolSaturation.run(budget: 500_000_000, until: { returned.isSet }) {}
        let report = await withTaskExecutorPreference(caller) {
            let report = await coordinator.forceFlush(deadline: .now + .milliseconds(200))
            returned.set()
            return report
        }
        #expect(await endings.allSatisfy { $0 == .conditionMet }, "forceFlush did not return while the pool was saturated")
        #expect(report["traces"]?.outcome == .timedOut)
        gate.open()
        _ = await processor.shutdown(deadline: Fixtures.deadline(.seconds(10)))
    }
}
