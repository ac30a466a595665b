import LambdaSim
import OTLPReceiver
import Testing

/// `example-entity-api` under `lambda-sim` (sandboxes frozen with SIGSTOP between invocations) against a collector
/// that stalls past the flush cap: the deferred strategies lose nothing and never let Lambda freeze mid-flush; the
/// synchronous one makes callers wait; the naive early `next` is caught by the emulator.
///
/// Serialized: each test runs several processes on a 2-core machine, and latencies are compared.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FlushStrategyEndToEndTests {
    /// Every 30th export request stalls 3 s, twice the 1.5 s flush cap. Each flush sends three requests (traces,
    /// metrics, logs), so about one flush in ten meets a stall.
    static let stalls = ReceiverFaults(stall: .init(every: 30, duration: .seconds(3)))

    @Test(arguments: ["extension-gated", "runtime-gated"])
    func deferredStrategiesDeliverEverySpanWithoutViolations(strategy: String) async throws {
        let outcome = try await Scenario(strategy: strategy, invocations: 60, faults: Self.stalls).run()
        let summary = outcome.report.summary
        #expect(outcome.statuses.allSatisfy { $0 == 200 })
        #expect(summary.violations == 0, "violations: \(outcome.report.violations.map { "\($0.kind) \($0.requestId ?? "-")" })")
        #expect(summary.gatewayTimeouts == 0)
        #expect(summary.timeouts == 0)
        #expect(outcome.receiver.faults.stalled > 0, "the collector never stalled: the test proves nothing")
        // Counted after lambda-sim shut the sandboxes down (SIGTERM → final flush): nothing lost.
        #expect(outcome.receiver.traces.items >= outcome.spansCreated, "created \(outcome.spansCreated), received \(outcome.receiver.traces.items)")
        // Callers never wait for a stalled export: p99 stays below the cap a stalled flush runs to (1.5 s).
        #expect(outcome.latencyPercentile(0.99) < TimingTolerance.bound(1000), "p99 \(outcome.latencyPercentile(0.99)) ms")
    }

    @Test func synchronousFlushPutsTheStallOnTheCaller() async throws {
        let outcome = try await Scenario(strategy: "synchronous", invocations: 30, faults: Self.stalls).run()
        #expect(outcome.statuses.allSatisfy { $0 == 200 })
        #expect(outcome.report.summary.violations == 0)
        #expect(outcome.receiver.traces.items >= outcome.spansCreated, "created \(outcome.spansCreated), received \(outcome.receiver.traces.items)")
        // A stalled export holds the response until the flush cap.
        #expect((outcome.callerLatencies.max() ?? 0) >= 1400, "max \(outcome.callerLatencies.max() ?? 0) ms")
    }

    @Test func naiveEarlyNextIsCaughtFreezingMidFlush() async throws {
        let outcome = try await Scenario(strategy: "naive", invocations: 30, faults: Self.stalls).run()
        #expect(outcome.statuses.allSatisfy { $0 == 200 })
        let lost = outcome.spansCreated - outcome.receiver.traces.items
        #expect(outcome.report.summary.violations > 0 || lost > 0, "the naive strategy went unnoticed")
        #expect(outcome.report.violations.contains { $0.kind == .freezeWhileFlushing })
    }

    @Test func collectorDownNeverReachesTheCaller() async throws {
        // Each invocation's flush retries until the 1.5 s cap and holds its sandbox that long; like Lambda, the
        // emulator scales out to more sandboxes instead of making callers queue. A flush on the response path would
        // put the whole cap on every caller.
        let outcome = try await Scenario(strategy: "extension-gated", invocations: 10, ratePerSecond: 5, maxSandboxes: 10, collectorDown: true).run()
        #expect(outcome.statuses.allSatisfy { $0 == 200 })
        #expect(outcome.report.summary.violations == 0)
        #expect(outcome.report.summary.timeouts == 0)
        #expect(outcome.latencyPercentile(0.99) < TimingTolerance.bound(1000), "p99 \(outcome.latencyPercentile(0.99)) ms")
    }

    @Test func spansHeldBackByTheCapLeaveWithTheFinalFlushOnSIGTERM() async throws {
        // A zero cap: every per-invocation flush returns at once with its spans still queued, so they can only reach
        // the collector through the final flush lambda-sim's shutdown (SIGTERM) triggers.
        let outcome = try await Scenario(strategy: "extension-gated", invocations: 5, ratePerSecond: 10, flushCapMilliseconds: 0, maxSandboxes: 1).run()
        let finalFlush = outcome.report.flushes.first { $0.requestId == "shutdown" }
        #expect(finalFlush?.outcome == "ok", "final flush: \(String(describing: finalFlush))")
        #expect(outcome.receiver.traces.items >= outcome.spansCreated, "created \(outcome.spansCreated), received \(outcome.receiver.traces.items)")
        #expect(outcome.report.summary.violations == 0)
    }
}
