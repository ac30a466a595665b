import NIOConcurrencyHelpers
import OTelSDK

/// A telemetry provider that marks its flushes on a ``Timeline`` (`flush` when one begins, `flushed` when it ends;
/// `shutdown` and `shut down` likewise) and keeps the deadline of each call. With `stall`, each call takes that long
/// whatever its deadline, like an exporter stuck on a collector that does not answer (the flush fan-out abandons and
/// cancels it at its deadline).
final class TimelineProvider: TelemetryProvider {
    let name = "traces"
    let timeline: Timeline
    let stall: Duration
    private let deadlines = NIOLockedValueBox<[ContinuousClock.Instant]>([])

    init(timeline: Timeline, stall: Duration = .zero) {
        self.timeline = timeline
        self.stall = stall
    }

    /// The deadlines the provider was given, flushes and shutdown alike, in order.
    var receivedDeadlines: [ContinuousClock.Instant] { deadlines.withLockedValue { $0 } }

    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await run(deadline: deadline, begin: "flush", end: "flushed")
    }

    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        await run(deadline: deadline, begin: "shutdown", end: "shut down")
    }

    private func run(deadline: ContinuousClock.Instant, begin: String, end: String) async -> FlushResult {
        deadlines.withLockedValue { $0.append(deadline) }
        timeline.record(begin)
        if stall > .zero {
            try? await Task.sleep(for: stall)
        }
        timeline.record(end)
        return FlushResult(outcome: .ok)
    }
}
