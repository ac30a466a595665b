import NIOConcurrencyHelpers

/// Runs `operation` in its own task and returns its result, or nil at `deadline` if it has not
/// finished by then, whatever the operation does. The operation is then cancelled and left to end
/// on its own; its result is discarded. Cancelling the caller returns nil at once.
///
/// This is how the flush fan-out keeps its promise to return at the deadline even if a provider
/// (or a third-party exporter behind it) ignores its own deadline.
func raceDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    _ operation: @escaping @Sendable () async -> T
) async -> T? {
    let race = DeadlineRace<T>()
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
        var tasks: [Task<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func start(_ continuation: CheckedContinuation<T?, Never>, deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async -> T) {
        let alreadyFinished = state.withLockedValue { state in
            state.continuation = continuation
            return state.finished
        }
        guard !alreadyFinished else {
            finish(nil)
            return
        }
        let work = Task { self.finish(await operation()) }
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.finish(nil)
        }
        let cancelNow = state.withLockedValue { state in
            state.tasks = [work, timer]
            return state.finished
        }
        if cancelNow {
            work.cancel()
            timer.cancel()
        }
    }

    func finish(_ value: T?) {
        let (continuation, tasks) = state.withLockedValue { state in
            state.finished = true
            defer {
                state.continuation = nil
                state.tasks = []
            }
            return (state.continuation, state.tasks)
        }
        continuation?.resume(returning: value)
        for task in tasks {
            task.cancel()
        }
    }
}
