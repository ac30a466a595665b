import OTelSDK
import OTelTesting
import NIOConcurrencyHelpers
import Testing

/// A provider whose flush does what the test says.
struct ScriptedProvider: TelemetryProvider {
    let name: String
    let flush: @Sendable (ContinuousClock.Instant) async -> FlushResult

    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult { await flush(deadline) }
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult { await flush(deadline) }
}

@Suite("FlushCoordinator", .timeLimit(.minutes(2)))
struct FlushCoordinatorTests {
    @Test("one provider failing does not stop another; each failure gets its own line with the provider's name")
    func independentFailures() async throws {
        let capture = LogCapture()
        let coordinator = FlushCoordinator(providers: [
            ScriptedProvider(name: "traces") { _ in FlushResult(outcome: .ok, exported: 10) },
            ScriptedProvider(name: "metrics") { _ in FlushResult(outcome: .failed("HTTP 400: bad"), pending: 0, dropped: 3) },
            ScriptedProvider(name: "logs") { _ in FlushResult(outcome: .failed("connection refused"), pending: 5) },
        ], diagnostics: capture.logger)
        let report = await coordinator.forceFlush(deadline: .now + .seconds(5))
        #expect(report["traces"]?.outcome == .ok)
        #expect(report["traces"]?.result.exported == 10)
        #expect(report["metrics"]?.outcome == .failed("HTTP 400: bad"))
        #expect(report["logs"]?.result.pending == 5)
        #expect(!report.isComplete)
        let lines = capture.all
        #expect(lines.count == 2)
        #expect(Set(lines.compactMap { $0.metadata["provider"] }) == ["metrics", "logs"])
        #expect(lines.allSatisfy { $0.level == .error })
    }

    @Test("a provider that ignores its deadline is reported as timed out at the deadline, with its own log line; the others are not delayed")
    func stalledProviderDoesNotDelayOthers() async throws {
        let gate = Gate()
        let capture = LogCapture()
        let coordinator = FlushCoordinator(providers: [
            ScriptedProvider(name: "traces") { _ in FlushResult(outcome: .ok, exported: 1) },
            ScriptedProvider(name: "logs") { _ in
                await gate.wait()  // never opened before the deadline: a provider stuck in a third-party exporter
                return FlushResult(outcome: .ok)
            },
        ], selfTelemetry: false, diagnostics: capture.logger)
        let clock = ContinuousClock()
        let start = clock.now
        let report = await coordinator.forceFlush(deadline: start + .seconds(3))
        let elapsed = clock.now - start
        #expect(report["logs"]?.outcome == .timedOut)
        #expect(report["traces"]?.outcome == .ok)
        #expect(try #require(report["traces"]?.duration) < .seconds(3))
        #expect(elapsed >= .seconds(3))
        // Without the race against the deadline the call would never return (the gate opens only after
        // it). The bound is loose because a saturated machine (sanitizer builds, parallel CPU-bound
        // tests on a 2-thread cooperative pool) delays timers.
        #expect(elapsed < .seconds(30))
        let lines = capture.all
        #expect(lines.count == 1, "one line, for the timed-out provider only: \(lines.map(\.rendered))")
        #expect(lines.first?.metadata["provider"] == "logs")
        #expect(lines.first?.message == "logs flush timed out")
        gate.open()
    }

    @Test("a provider's counts that arrive after the deadline are reported with the next flush, never lost")
    func lateCountsCarriedOver() async throws {
        let gate = Gate()
        let calls = NIOLockedValueBox(0)
        let capture = LogCapture()
        let coordinator = FlushCoordinator(providers: [
            ScriptedProvider(name: "logs") { _ in
                let call = calls.withLockedValue { value in
                    value += 1
                    return value
                }
                guard call == 1 else { return FlushResult(outcome: .ok, exported: 1) }
                await gate.wait()  // opened only after the fan-out has returned
                return FlushResult(outcome: .ok, exported: 4, dropped: 7)
            },
        ], selfTelemetry: false, diagnostics: capture.logger)
        let first = await coordinator.forceFlush(deadline: .now + .milliseconds(200))
        #expect(first["logs"]?.outcome == .timedOut)
        #expect(first["logs"]?.result.dropped == 0)
        gate.open()
        let lateLine = await capture.line { $0.message.contains("ended after its deadline") }
        #expect(lateLine.metadata["dropped"] == "7" && lateLine.metadata["provider"] == "logs")

        let second = await coordinator.forceFlush(deadline: .now + .seconds(5))
        #expect(second["logs"]?.outcome == .ok)
        #expect(second["logs"]?.result.dropped == 7, "the late flush's drops are reported")
        #expect(second["logs"]?.result.exported == 5)
        let third = await coordinator.forceFlush(deadline: .now + .seconds(5))
        #expect(third["logs"]?.result.dropped == 0, "and only once")
    }

    @Test("providers are asked to finish a little before the caller's deadline, so that they can report their counts")
    func providersGetAnEarlierDeadline() async throws {
        let received = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
        let coordinator = FlushCoordinator(providers: [
            ScriptedProvider(name: "traces") { deadline in
                received.withLockedValue { $0 = deadline }
                return FlushResult(outcome: .ok)
            }
        ], diagnostics: DiagnosticLogger.disabled)
        let deadline = ContinuousClock.now + .seconds(1)
        _ = await coordinator.forceFlush(deadline: deadline)
        let providerDeadline = try #require(received.withLockedValue { $0 })
        #expect(providerDeadline < deadline)
        #expect(providerDeadline >= deadline - .milliseconds(50))
    }

    @Test("providers flush concurrently")
    func concurrent() async {
        let gate = Gate()
        // "traces" can only finish after "logs" has started: sequential flushing would deadlock until the deadline.
        let coordinator = FlushCoordinator(providers: [
            ScriptedProvider(name: "traces") { _ in
                await gate.wait()
                return FlushResult(outcome: .ok)
            },
            ScriptedProvider(name: "logs") { _ in
                gate.open()
                return FlushResult(outcome: .ok)
            },
        ], diagnostics: DiagnosticLogger.disabled)
        let report = await coordinator.forceFlush(deadline: .now + .seconds(10))
        #expect(report.isComplete)
    }

    @Test("the report describes every provider")
    func reportDescription() async {
        let coordinator = FlushCoordinator(providers: [ScriptedProvider(name: "traces") { _ in FlushResult(outcome: .ok, exported: 3) }], diagnostics: DiagnosticLogger.disabled)
        let report = await coordinator.forceFlush(deadline: .now + .seconds(1))
        #expect(report.description.hasPrefix("traces: ok in "))
        #expect(report.description.hasSuffix("(exported 3, pending 0, dropped 0)"))
    }
}
