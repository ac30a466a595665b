import OTelSDK
import OTelTesting
import OTLPReceiver
import Testing

/// A provider under another name, so that two trace pipelines can stand in for two signals.
struct NamedProvider: TelemetryProvider {
    let name: String
    let base: TracerProvider

    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult { await base.forceFlush(deadline: deadline) }
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult { await base.shutdown(deadline: deadline) }
}

@Suite("Flush fan-out over HTTP", .timeLimit(.minutes(5)))
struct FanOutIntegrationTests {
    @Test("a provider whose collector refuses fails alone; the healthy one flushes fully, and the failure is logged with its name")
    func oneFailsOneSucceeds() async throws {
        let healthy = try await OTLPReceiver.start()
        let refusing = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(failure: .init(every: 1, status: 500))))
        let good = ExportPipeline(endpoint: healthy.endpoint)
        let bad = ExportPipeline(endpoint: refusing.endpoint)
        good.makeSpans(30)
        bad.makeSpans(30)
        let lines = LogCapture()
        let coordinator = FlushCoordinator(providers: [good.provider, NamedProvider(name: "logs", base: bad.provider)], diagnostics: lines.logger)
        let report = await coordinator.forceFlush(deadline: .now + .seconds(5))
        #expect(report["traces"]?.outcome == .ok)
        #expect(report["traces"]?.result.exported == 30)
        #expect(report["logs"]?.outcome != .ok)
        #expect(healthy.summary.traces.items == 30)
        let errorLines = lines.all.map(\.rendered).filter { $0.hasPrefix("error logs flush") }
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.contains("provider=logs") == true)
        #expect(!lines.all.map(\.rendered).contains { $0.hasPrefix("error traces flush") })
        await good.shutdown()
        await bad.shutdown()
        try await healthy.stop()
        try await refusing.stop()
    }

    @Test("a provider whose collector stalls past the deadline neither delays nor prevents the other's flush")
    func stallDoesNotDelayOthers() async throws {
        let healthy = try await OTLPReceiver.start()
        let stalling = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(stall: .init(every: 1, duration: .seconds(10)))))
        let good = ExportPipeline(endpoint: healthy.endpoint)
        let slow = ExportPipeline(endpoint: stalling.endpoint)
        good.makeSpans(30)
        slow.makeSpans(30)
        let coordinator = FlushCoordinator(providers: [NamedProvider(name: "logs", base: slow.provider), good.provider], diagnostics: DiagnosticLogger.disabled)
        let report = await coordinator.forceFlush(deadline: .now + .seconds(3))
        #expect(report["logs"]?.outcome == .timedOut)
        #expect(report["traces"]?.outcome == .ok)
        #expect(try #require(report["traces"]?.duration) < .seconds(3))
        #expect(report.duration < .seconds(30))
        #expect(healthy.summary.traces.items == 30)
        // The stalled provider lost nothing: its spans leave with the next flush.
        stalling.setFaults(.none)
        let next = await coordinator.forceFlush(deadline: .now + .seconds(10))
        #expect(next["logs"]?.outcome == .ok)
        #expect(stalling.summary.traces.items >= 30)
        await good.shutdown()
        await slow.shutdown()
        try await healthy.stop()
        try await stalling.stop()
    }
}
