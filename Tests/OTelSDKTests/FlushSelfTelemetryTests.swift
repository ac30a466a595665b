import NIOConcurrencyHelpers
import OTelSDK
import OTelTesting
import Testing

@Suite("Flush self-telemetry", .timeLimit(.minutes(2)))
struct FlushSelfTelemetryTests {
    /// A coordinator over scripted traces and logs providers and a real meter provider (in-memory exporter).
    private func coordinator(_ harness: MetricsHarness, logs: ScriptedProvider, traces: ScriptedProvider, selfTelemetry: Bool? = true) -> FlushCoordinator {
        FlushCoordinator(providers: [traces, harness.provider, logs], selfTelemetry: selfTelemetry, diagnostics: DiagnosticLogger.disabled)
    }

    @Test("a flush records each provider's duration with its outcome; a provider that times out is recorded as timed_out")
    func durationPerProviderAndOutcome() async throws {
        let harness = MetricsHarness()
        let gate = Gate()
        let coordinator = coordinator(
            harness,
            logs: ScriptedProvider(name: "logs") { _ in
                await gate.wait()  // opened only after the flush: the provider stalls past the deadline
                return FlushResult(outcome: .ok)
            },
            traces: ScriptedProvider(name: "traces") { _ in FlushResult(outcome: .failed("HTTP 400"), dropped: 2) })
        let report = await coordinator.forceFlush(deadline: .now + .milliseconds(300))
        gate.open()
        #expect(report["logs"]?.outcome == .timedOut)

        let metrics = await harness.collect()
        let duration = try #require(metrics["otel.sdk.flush.duration"])
        #expect(duration.unit == "s")
        let histogram = try #require(duration.histogram)
        let points = Dictionary(uniqueKeysWithValues: histogram.points.map { (Self.attributes($0.attributes), $0) })
        #expect(Set(points.keys) == [
            ["provider": "traces", "outcome": "failed", "error.type": "_OTHER"],
            ["provider": "metrics", "outcome": "ok"],
            ["provider": "logs", "outcome": "timed_out", "error.type": "timeout"],
        ])
        let logs = try #require(points[["provider": "logs", "outcome": "timed_out", "error.type": "timeout"]])
        #expect(logs.count == 1)
        // In seconds: the stalled provider held its task until the deadline, 300 ms after the call (less the
        // moment its task took to start).
        #expect(logs.sum >= 0.25 && logs.sum < 30)
        #expect(logs.bounds.first == 0.001 && logs.bounds.last == 30)
        #expect(logs.bucketCounts.reduce(0, +) == 1)
    }

    @Test("dropped items are counted per provider, adding each flush's drops (the increase, not a total)")
    func droppedPerProvider() async throws {
        let harness = MetricsHarness()
        let drops = NIOLockedValueBox([4, 2])
        let coordinator = coordinator(
            harness,
            logs: ScriptedProvider(name: "logs") { _ in FlushResult(outcome: .ok) },
            traces: ScriptedProvider(name: "traces") { _ in
                FlushResult(outcome: .ok, dropped: drops.withLockedValue { $0.removeFirst() })
            })
        _ = await coordinator.forceFlush(deadline: .now + .seconds(5))
        _ = await coordinator.forceFlush(deadline: .now + .seconds(5))

        let metrics = await harness.collect()
        let dropped = try #require(metrics["otel.sdk.flush.dropped"]?.sum)
        #expect(dropped.isMonotonic)
        let totals = Dictionary(uniqueKeysWithValues: dropped.points.map { (Self.attributes($0.attributes), $0.int) })
        #expect(totals == [["provider": "traces"]: 6, ["provider": "logs"]: 0, ["provider": "metrics"]: 0])
    }

    @Test("what a flush records leaves with the next flush, not with its own")
    func arrivesWithTheNextFlush() async throws {
        let harness = MetricsHarness()
        let coordinator = coordinator(
            harness,
            logs: ScriptedProvider(name: "logs") { _ in FlushResult(outcome: .ok) },
            traces: ScriptedProvider(name: "traces") { _ in FlushResult(outcome: .ok) })
        _ = await coordinator.forceFlush(deadline: .now + .seconds(5))
        #expect(!harness.exporter.exported.contains { $0.name.hasPrefix("otel.sdk.") })
        _ = await coordinator.forceFlush(deadline: .now + .seconds(5))
        let names = Set(harness.exporter.exported.map(\.name))
        #expect(names == ["otel.sdk.flush.duration", "otel.sdk.flush.dropped", "otel.sdk.exporter.collector_unavailable.periods"])
    }

    @Test("collector outages are counted per provider as they begin; flushes answered while it is down show as collector_unavailable")
    func collectorUnavailablePeriods() async throws {
        let harness = MetricsHarness()
        // traces: the first flush opens the breaker, the second is refused by it, the third finds a new outage.
        let script = NIOLockedValueBox([
            FlushResult(outcome: .collectorUnavailable("refused"), unavailablePeriods: 1),
            FlushResult(outcome: .collectorUnavailable("next probe in 1.0 s")),
            FlushResult(outcome: .collectorUnavailable("refused"), unavailablePeriods: 1),
        ])
        let coordinator = coordinator(
            harness,
            logs: ScriptedProvider(name: "logs") { _ in FlushResult(outcome: .collectorUnavailable("next probe in 1.0 s")) },
            traces: ScriptedProvider(name: "traces") { _ in script.withLockedValue { $0.removeFirst() } })
        for _ in 0..<3 { _ = await coordinator.forceFlush(deadline: .now + .seconds(5)) }

        let metrics = await harness.collect()
        let periods = try #require(metrics["otel.sdk.exporter.collector_unavailable.periods"])
        #expect(periods.unit == "{period}")
        let counts = try #require(periods.sum)
        #expect(counts.isMonotonic)
        let totals = Dictionary(uniqueKeysWithValues: counts.points.map { (Self.attributes($0.attributes), $0.int) })
        #expect(totals == [["provider": "traces"]: 2, ["provider": "logs"]: 0, ["provider": "metrics"]: 0])
        let durations = try #require(metrics["otel.sdk.flush.duration"]?.histogram)
        let outcomes = Set(durations.points.map { Self.attributes($0.attributes) })
        #expect(outcomes.contains(["provider": "logs", "outcome": "collector_unavailable", "error.type": "collector_unavailable"]))
    }

    @Test("turned off, flushes record nothing")
    func off() async {
        let harness = MetricsHarness()
        let coordinator = coordinator(
            harness,
            logs: ScriptedProvider(name: "logs") { _ in FlushResult(outcome: .ok) },
            traces: ScriptedProvider(name: "traces") { _ in FlushResult(outcome: .ok, dropped: 1) },
            selfTelemetry: false)
        _ = await coordinator.forceFlush(deadline: .now + .seconds(5))
        _ = await coordinator.forceFlush(deadline: .now + .seconds(5))
        #expect(harness.exporter.exported.isEmpty)
    }

    @Test("OTEL_LAMBDA_SELF_TELEMETRY: on unless false; a malformed value is reported and leaves it on")
    func environmentVariable() {
        let capture = LogCapture()
        #expect(OTelEnvironment([:]).isSelfTelemetryEnabled)
        #expect(OTelEnvironment(["OTEL_LAMBDA_SELF_TELEMETRY": "TRUE"]).isSelfTelemetryEnabled)
        #expect(!OTelEnvironment(["OTEL_LAMBDA_SELF_TELEMETRY": "false"]).isSelfTelemetryEnabled)
        #expect(OTelEnvironment(["OTEL_LAMBDA_SELF_TELEMETRY": "no"], diagnostics: capture.logger).isSelfTelemetryEnabled)
        #expect(capture.all.count == 1)
    }

    private static func attributes(_ attributes: [Attribute]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: attributes.map { ($0.key, $0.value.description) })
    }
}
