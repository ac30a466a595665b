import OTelSDK
import Synchronization

/// A span exporter for tests: records every batch, answers with a scripted result, and can hold an
/// export until the test releases it. Fails the recorded invariant if two exports ever overlap.
final class RecordingExporter: SpanExporter {
    typealias Behaviour = @Sendable (_ attempt: Int, _ batch: [SpanData], _ deadline: ContinuousClock.Instant) async -> ExportResult

    private struct State {
        var exported: [SpanData] = []
        var batches: [Int] = []
        var attempts = 0
        var concurrent = 0
        var overlapped = false
        var shutdownCalled = false
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    private let behaviour: Behaviour

    init(behaviour: @escaping Behaviour = { _, _, _ in .success }) {
        self.behaviour = behaviour
    }

    func export(_ batch: [SpanData], deadline: ContinuousClock.Instant) async -> ExportResult {
        let attempt = state.withLock { state in
            state.concurrent += 1
            if state.concurrent > 1 { state.overlapped = true }
            state.attempts += 1
            return state.attempts
        }
        let result = await behaviour(attempt, batch, deadline)
        let ready = state.withLock { state in
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

    func shutdown(deadline: ContinuousClock.Instant) async {
        state.withLock { $0.shutdownCalled = true }
    }

    var exported: [SpanData] { state.withLock { $0.exported } }
    var batchSizes: [Int] { state.withLock { $0.batches } }
    var attempts: Int { state.withLock { $0.attempts } }
    var overlapped: Bool { state.withLock { $0.overlapped } }
    var shutdownCalled: Bool { state.withLock { $0.shutdownCalled } }

    /// Returns once at least `count` spans have been exported successfully.
    func waitForExported(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.exported.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// A one-shot gate a test opens to let a held export continue.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
