#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// Progress on standard error while the bench runs: the phase, the time since the bench started, and how many
/// invocations of the load phase were sent and answered. One line per phase change and one per second.
final class ProgressReporter: Sendable {
    private struct State {
        var phase = "starting"
        var sent = 0
        var answered = 0
    }

    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    init() {
        started = ContinuousClock.now
    }

    /// Starts a phase (`"synchronous @ 5 rps: load"`) with its counters at zero, and says so.
    func begin(_ phase: String) {
        state.withLockedValue { $0 = State(phase: phase) }
        report()
    }

    /// Counts an invocation sent.
    func sent() {
        state.withLockedValue { $0.sent += 1 }
    }

    /// Counts an invocation answered.
    func answered() {
        state.withLockedValue { $0.answered += 1 }
    }

    /// Writes the current line every `interval` until the task is cancelled.
    func tick(every interval: Duration) async {
        while (try? await Task.sleep(for: interval)) != nil {
            report()
        }
    }

    /// Writes one line to standard error, unbuffered.
    static func writeLine(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in
            _ = write(2, bytes.baseAddress, bytes.count)
        }
    }

    private func report() {
        let current = state.withLockedValue { $0 }
        let elapsed = started.duration(to: clock.now).seconds
        var line = "flush-bench [\(FixedPoint.string(elapsed, 1)) s] \(current.phase)"
        if current.sent > 0 { line += ": \(current.sent) sent, \(current.answered) answered" }
        Self.writeLine(line)
    }
}
