import NIOConcurrencyHelpers

extension DedicatedExecutor {
    /// Suspends until the continuation that `register` stores is resumed, with a deadline and cancellation that
    /// end the wait through the owner of the continuation.
    ///
    /// `register` runs once, synchronously, with the lock discipline of its caller: it stores the continuation
    /// (or resumes it at once). Then a timer of this executor calls `expire` once `deadline` has passed, and
    /// cancelling the task calls `cancel` (at once if the task was already cancelled). Both must resume the
    /// continuation if it still waits, and do nothing otherwise: they may run after it was resumed, and
    /// either may run more than once. The timer is cancelled when the wait ends.
    ///
    /// The timer is armed after `register`, so that a deadline already past still finds the waiter.
    func wait<Value: Sendable>(
        until deadline: ContinuousClock.Instant,
        register: (CheckedContinuation<Value, Never>) -> Void,
        expire: @escaping @Sendable () -> Void,
        cancel onCancel: @escaping @Sendable () -> Void
    ) async -> Value {
        let timer = NIOLockedValueBox<TimerID?>(nil)
        defer {
            if let armed = timer.withLockedValue({ $0 }) { cancel(armed) }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
                register(continuation)
                let armed = schedule(at: deadline, expire)
                timer.withLockedValue { $0 = armed }
                // A cancellation that came before the waiter was registered found nothing to end.
                if Task.isCancelled { onCancel() }
            }
        } onCancel: {
            onCancel()
        }
    }
}
