import NIOConcurrencyHelpers

/// Lets one export run at a time: an async lock whose waiters give up at a deadline.
///
/// Waiters are served in arrival order. A waiter whose deadline passes first, or whose task is
/// cancelled, gets `false` at once and does not hold the gate. Waits go through
/// ``DedicatedExecutor/wait(until:register:expire:cancel:)``: deadlines are timers of
/// ``DedicatedExecutor/exports``, so they fire on time even when the cooperative pool is saturated.
final class ExportGate: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var held = false
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())
    private let executor = DedicatedExecutor.exports

    /// Takes the gate, waiting until it is free, `deadline` passes or the task is cancelled; true if
    /// taken (then call ``release()`` exactly once).
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
        return await executor.wait(until: deadline) { continuation in
            // Checked again under the lock that queues the waiter: a release in between may have freed the gate.
            let free = state.withLockedValue { state -> Bool in
                if !state.held {
                    state.held = true
                    return true
                }
                state.waiters.append(Waiter(id: id, continuation: continuation))
                return false
            }
            if free { continuation.resume(returning: true) }
        } expire: {
            self.giveUp(id)
        } cancel: {
            self.giveUp(id)
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
        next?.continuation.resume(returning: true)
    }

    /// Ends a wait that its deadline or its task's cancellation cut short, if it still waits.
    private func giveUp(_ id: Int) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: false)
    }
}
