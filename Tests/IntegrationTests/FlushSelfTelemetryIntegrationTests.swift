import Logging
import OTLPHTTP
import OTLPProto
import OTLPReceiver
import OTelSDK
import Testing
import Tracing

/// The coordinator's self-telemetry over real HTTP: three OTLP providers, two flushes, and what the collector got.
@Suite("Flush self-telemetry over HTTP against otlp-receiver", .timeLimit(.minutes(5)))
struct FlushSelfTelemetryIntegrationTests {
    @Test("the second flush delivers the first one's otel.sdk.flush.duration, one series per provider, a stalled one as timed_out")
    func durationsArriveWithTheNextFlush() async throws {
        let collector = try await OTLPReceiver.start(configuration: .init(captureBodies: 10))
        let stalling = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(stall: .init(every: 1, duration: .seconds(30)))))
        let quiet = DiagnosticLogger.disabled
        let toCollector = OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint], diagnostics: quiet)
        let traces = TracerProvider.otlp(environment: toCollector)
        let metrics = MeterProvider.otlp(environment: toCollector)
        let logs = LoggerProvider.otlp(environment: OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": stalling.endpoint], diagnostics: quiet))
        let coordinator = FlushCoordinator(providers: [traces, metrics, logs], selfTelemetry: true, diagnostics: quiet)

        traces.tracer().withSpan("request") { _ in }
        metrics.meter().counter(name: "requests", of: Int64.self).add(1)
        Logger(label: "app") { OTelLogHandler(label: $0, provider: logs) }.info("served")

        let first = await coordinator.forceFlush(deadline: .now + .seconds(1))
        #expect(first["logs"]?.outcome == .timedOut)
        #expect(try Self.points(collector).filter { $0.metric.hasPrefix("otel.sdk.") }.isEmpty, "nothing of a flush leaves with itself")

        let second = await coordinator.forceFlush(deadline: .now + .seconds(1))
        #expect(second["metrics"]?.outcome == .ok)
        let durations = try Self.points(collector).filter { $0.metric == "otel.sdk.flush.duration" }
        #expect(durations.allSatisfy { $0.unit == "s" })
        #expect(durations.map(\.attributes).sorted { $0["provider"]! < $1["provider"]! } == [
            ["provider": "logs", "outcome": "timed_out", "error.type": "timeout"],
            ["provider": "metrics", "outcome": "ok"],
            ["provider": "traces", "outcome": "ok"],
        ])
        #expect(durations.allSatisfy { $0.value.histogramCount == 1 })
        let dropped = try Self.points(collector).filter { $0.metric == "otel.sdk.flush.dropped" }
        #expect(Set(dropped.compactMap { $0.attributes["provider"] }) == ["traces", "metrics", "logs"])
        #expect(dropped.allSatisfy { $0.value == .int(0) })

        _ = await coordinator.shutdown(deadline: .now + .milliseconds(200))
        try await collector.stop()
        try await stalling.stop()
    }

    /// Every metric point the collector received so far.
    private static func points(_ collector: OTLPReceiver) throws -> [OTLPMetricPoint] {
        try collector.capturedBodies(for: .metrics).flatMap { try OTLPMetricPoint.decode(protobuf: $0) }
    }
}

extension OTLPMetricPoint.Value {
    fileprivate var histogramCount: UInt64? {
        if case .histogram(let count, _) = self { return count }
        return nil
    }
}
