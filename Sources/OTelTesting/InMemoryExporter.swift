import OTelSDK
import NIOConcurrencyHelpers

/// A span exporter that keeps what it exports in memory.
public typealias InMemorySpanExporter = InMemoryExporter<SpanData>

/// A log record exporter that keeps what it exports in memory.
public typealias InMemoryLogRecordExporter = InMemoryExporter<LogRecordData>

/// An exporter that keeps what it exports in memory, for tests of instrumented code and of
/// processors: it records every successful batch, answers with a scripted result, and notes whether
/// two exports ever overlapped (a processor must never let them). Thread-safe.
public final class InMemoryExporter<Item: Sendable>: TelemetryExporter {
    /// Decides the result of export attempt number `attempt` (1-based); may suspend to simulate a slow collector.
    public typealias Behaviour = @Sendable (_ attempt: Int, _ batch: [Item], _ deadline: ContinuousClock.Instant) async -> ExportResult

    private struct State {
        var exported: [Item] = []
        var batches: [Int] = []
        var attempts = 0
        var concurrent = 0
        var overlapped = false
        var shutdownCalled = false
        var watchers: [(milestone: Milestone, continuation: CheckedContinuation<Void, Never>)] = []

        func reached(_ milestone: Milestone) -> Bool {
            switch milestone {
            case .attempts(let count): attempts >= count
            case .exported(let count): exported.count >= count
            }
        }

        /// Removes the watchers whose milestone is reached and returns their continuations, to be
        /// resumed once the lock is released.
        mutating func takeReached() -> [CheckedContinuation<Void, Never>] {
            var ready: [CheckedContinuation<Void, Never>] = []
            var waiting: [(milestone: Milestone, continuation: CheckedContinuation<Void, Never>)] = []
            for watcher in watchers {
                if reached(watcher.milestone) { ready.append(watcher.continuation) } else { waiting.append(watcher) }
            }
            watchers = waiting
            return ready
        }
    }

    /// What a test can wait for: a number of export calls started, or of items exported successfully.
    private enum Milestone {
        case attempts(Int)
        case exported(Int)
    }

    private let state = NIOLockedValueBox(State())
    private let behaviour: Behaviour

    /// - Parameter behaviour: the result of each attempt; by default every export succeeds.
    public init(behaviour: @escaping Behaviour = { _, _, _ in .success }) {
        self.behaviour = behaviour
    }

    public func export(_ batch: [Item], deadline: ContinuousClock.Instant) async -> ExportResult {
        let (attempt, started) = state.withLockedValue { state in
            state.concurrent += 1
            if state.concurrent > 1 { state.overlapped = true }
            state.attempts += 1
            return (state.attempts, state.takeReached())
        }
        for continuation in started { continuation.resume() }
        let result = await behaviour(attempt, batch, deadline)
        let exported = state.withLockedValue { state in
            state.concurrent -= 1
            if case .success = result {
                state.exported += batch
                state.batches.append(batch.count)
            }
            return state.takeReached()
        }
        for continuation in exported { continuation.resume() }
        return result
    }

    public func shutdown(deadline: ContinuousClock.Instant) async {
        state.withLockedValue { $0.shutdownCalled = true }
    }

    /// Every item exported successfully, in export order.
    public var exported: [Item] { state.withLockedValue { $0.exported } }
    /// The size of each successful batch.
    public var batchSizes: [Int] { state.withLockedValue { $0.batches } }
    /// Export calls so far, successful or not.
    public var attempts: Int { state.withLockedValue { $0.attempts } }
    /// Whether two exports ever ran at the same time.
    public var overlapped: Bool { state.withLockedValue { $0.overlapped } }
    public var shutdownCalled: Bool { state.withLockedValue { $0.shutdownCalled } }

    /// Returns once at least `count` items have been exported successfully (signal-driven, no polling).
    public func waitForExported(_ count: Int) async {
        await wait(for: .exported(count))
    }

    /// Returns once at least `count` export calls have started, successful or not (signal-driven, no
    /// polling). An attempt counts as started before its behaviour runs: when the behaviour holds
    /// attempt `count` (at a ``Gate``, say), this returns while that attempt is still in flight.
    public func waitForAttempts(_ count: Int) async {
        await wait(for: .attempts(count))
    }

    private func wait(for milestone: Milestone) async {
        await withCheckedContinuation { continuation in
            let done = state.withLockedValue { state in
                if state.reached(milestone) { return true }
                state.watchers.append((milestone, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// A one-shot gate: tasks that `wait()` are held until someone calls `open()`; later waits pass at once.
public final class Gate: Sendable {
    private let state = NIOLockedValueBox<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLockedValue { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    public func open() {
        let waiters = state.withLockedValue { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
