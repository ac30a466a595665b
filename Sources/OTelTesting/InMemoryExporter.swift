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
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = NIOLockedValueBox(State())
    private let behaviour: Behaviour

    /// - Parameter behaviour: the result of each attempt; by default every export succeeds.
    public init(behaviour: @escaping Behaviour = { _, _, _ in .success }) {
        self.behaviour = behaviour
    }

    public func export(_ batch: [Item], deadline: ContinuousClock.Instant) async -> ExportResult {
        let attempt = state.withLockedValue { state in
            state.concurrent += 1
            if state.concurrent > 1 { state.overlapped = true }
            state.attempts += 1
            return state.attempts
        }
        let result = await behaviour(attempt, batch, deadline)
        let ready = state.withLockedValue { state in
            state.concurrent -= 1
            if case .success = result {
                state.exported += batch
                state.batches.append(batch.count)
            }
            let count = state.exported.count
            let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
            state.watchers.removeAll { $0.count <= count }
            return ready
        }
        for continuation in ready { continuation.resume() }
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
        await withCheckedContinuation { continuation in
            let done = state.withLockedValue { state in
                if state.exported.count >= count { return true }
                state.watchers.append((count, continuation))
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
