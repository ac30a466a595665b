import NIOConcurrencyHelpers

/// Lets one export run at a time: an async lock whose waiters give up at a deadline.
///
/// Waiters are served in arrival order. A waiter whose deadline passes first gets `false` and does
/// not hold the gate. Deadlines are timers of ``DedicatedExecutor/exports``, so they fire on time
/// even when the cooperative pool is saturated.
final class ExportGate: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Bool, Never>
        var timer: DedicatedExecutor.TimerID?
    }

    private struct State {
        var held = false
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())
    private let executor = DedicatedExecutor.exports

    /// Takes the gate, waiting until it is free or `deadline` passes; true if taken (then call
    /// ``release()`` exactly once).
    func acquire(deadline: ContinuousClock.Instant) async -> Bool {
        let id = state.withLockedValue { state -> Int? in
            if !state.held {
                state.held = true
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return true }
        return await withCheckedContinuation { continuation in
            // Queued before the timer exists, so that a deadline already past finds it.
            state.withLockedValue { $0.waiters.append(Waiter(id: id, continuation: continuation, timer: nil)) }
            let timer = executor.schedule(at: deadline) { self.giveUp(id) }
            state.withLockedValue { state in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) { state.waiters[index].timer = timer }
            }
        }
    }

    /// Hands the gate to the next waiter, or frees it.
    func release() {
        let next = state.withLockedValue { state -> Waiter? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        guard let next else { return }
        if let timer = next.timer { executor.cancel(timer) }
        next.continuation.resume(returning: true)
    }

    private func giveUp(_ id: Int) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: false)
    }
}
