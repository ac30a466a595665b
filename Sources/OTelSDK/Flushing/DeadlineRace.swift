import NIOConcurrencyHelpers

/// Runs `operation` in its own task and returns its result, or nil at `deadline` if it has not
/// finished by then, whatever the operation does. The operation is then cancelled and left to end
/// on its own; its result, when it comes, goes to `late` (nil: discarded). Cancelling the caller
/// returns nil at once.
///
/// This is how the flush fan-out keeps its promise to return at the deadline even if a provider
/// (or a third-party exporter behind it) ignores its own deadline. The operation's task and the
/// deadline run on the SDK's flush thread (`otel-flush`), not on the cooperative
/// pool, so tasks that never suspend and occupy the whole pool cannot delay either; only the
/// caller's own resumption needs the caller's executor.
public func raceDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    late: (@Sendable (T) -> Void)? = nil,
    _ operation: @escaping @Sendable () async -> T
) async -> T? {
    let race = DeadlineRace<T>(executor: .flushes, late: late)
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            race.start(continuation, deadline: deadline, operation)
        }
    } onCancel: {
        race.finish(nil)
    }
}

/// The shared state of one ``raceDeadline(_:_:)``: whichever side finishes first resumes the caller
/// and cancels the other.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T?, Never>?
        var finished = false
        var work: Task<Void, Never>?
        var timer: DedicatedExecutor.TimerID?
    }

    private let executor: DedicatedExecutor
    private let late: (@Sendable (T) -> Void)?
    private let state = NIOLockedValueBox(State())

    init(executor: DedicatedExecutor, late: (@Sendable (T) -> Void)?) {
        self.executor = executor
        self.late = late
    }

    func start(_ continuation: CheckedContinuation<T?, Never>, deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async -> T) {
        let alreadyFinished = state.withLockedValue { state in
            state.continuation = continuation
            return state.finished
        }
        guard !alreadyFinished else {
            finish(nil)
            return
        }
        let work = Task(executorPreference: executor) { self.finish(await operation()) }
        let timer = executor.schedule(at: deadline) { self.finish(nil) }
        let cancelNow = state.withLockedValue { state in
            state.work = work
            state.timer = timer
            return state.finished
        }
        if cancelNow {
            work.cancel()
            executor.cancel(timer)
        }
    }

    /// Ends the race with `value` (nil: the deadline or the caller's cancellation). The operation's result after
    /// the race has ended goes to `late`.
    func finish(_ value: T?) {
        let (wasFinished, continuation, work, timer) = state.withLockedValue { state in
            let wasFinished = state.finished
            state.finished = true
            defer {
                state.continuation = nil
                state.work = nil
                state.timer = nil
            }
            return (wasFinished, state.continuation, state.work, state.timer)
        }
        if wasFinished, let value {
            late?(value)
            return
        }
        continuation?.resume(returning: value)
        work?.cancel()
        if let timer { executor.cancel(timer) }
    }
}
