import Logging
import OTLPHTTP
import OTLPReceiver
import OTelSDK
import Testing
import Tracing

/// The three real providers behind one `FlushCoordinator`, each exporting over OTLP/HTTP.
@Suite("Flush fan-out across traces, metrics and logs", .timeLimit(.minutes(5)))
struct ThreeSignalFanOutTests {
    @Test("a logs collector that stalls past the deadline neither delays nor prevents the traces and metrics flush")
    func stalledLogsDoNotHoldTracesAndMetrics() async throws {
        let healthy = try await OTLPReceiver.start()
        let stalling = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(stall: .init(every: 1, duration: .seconds(30)))))
        let quiet = DiagnosticLogger.disabled
        let toHealthy = OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": healthy.endpoint], diagnostics: quiet)
        let toStalling = OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": stalling.endpoint], diagnostics: quiet)
        let traces = TracerProvider.otlp(environment: toHealthy)
        let metrics = MeterProvider.otlp(environment: toHealthy)
        let logs = LoggerProvider.otlp(environment: toStalling)

        traces.tracer().withSpan("request") { _ in }
        metrics.meter().counter(name: "requests", of: Int64.self).add(1)
        Logger(label: "app") { OTelLogHandler(label: $0, provider: logs) }.info("served")

        let coordinator = FlushCoordinator(providers: [logs, traces, metrics], diagnostics: quiet)
        let deadline = ContinuousClock.now + .seconds(2)
        let report = await coordinator.forceFlush(deadline: deadline)

        #expect(report["logs"]?.outcome == .timedOut)
        #expect(report["logs"]?.result.pending == 1, "the stalled record is kept for the next flush")
        #expect(report["traces"]?.outcome == .ok && report["traces"]?.result.exported == 1)
        #expect(report["metrics"]?.outcome == .ok)
        // Not delayed: traces and metrics finished long before the logs deadline, and the fan-out returned by it
        // (a loose bound for a loaded machine; the stall is 30 s).
        #expect(try #require(report["traces"]?.duration) < .seconds(2))
        #expect(try #require(report["metrics"]?.duration) < .seconds(2))
        #expect(report.duration < .seconds(10))
        #expect(healthy.summary.traces.items == 1)
        #expect(healthy.summary.metrics.items == 1)
        #expect(stalling.summary.logs.items == 0)

        _ = await coordinator.shutdown(deadline: .now + .milliseconds(200))
        try await healthy.stop()
        try await stalling.stop()
    }
}
