import DequeModule

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `TaskExecutor` with one thread of its own, which also runs timers.
///
/// Why: Swift's global cooperative pool has one thread per core. Application tasks that never
/// suspend (CPU-bound loops that create spans) can occupy all of them, and then nothing else on the
/// pool runs: not the export worker, and not `Task.sleep` wake-ups, so flush deadlines would fire
/// late. The SDK's background work runs here instead (tasks through `Task(executorPreference:)` /
/// `withTaskExecutorPreference`, deadlines through ``schedule(at:_:)``), on a thread the operating
/// system schedules alongside the pool's, whatever the pool is doing.
///
/// Guarantees:
/// - Jobs run one at a time, in the order they were enqueued; timer actions run on the same thread,
///   in deadline order, as soon as their deadline has passed (and the job or action before them
///   has returned).
/// - ``cancel(_:)`` removes an action that is still waiting; one whose deadline has just passed may
///   already be on its way to run, so actions must tolerate running after their cause went away.
/// - The thread lives as long as the process: nothing enqueued or scheduled is ever stranded.
///
/// What runs here must not block the thread (no blocking I/O, no waiting on locks held for long):
/// it would delay everything else that runs here.
final class DedicatedExecutor: TaskExecutor {
    /// Runs the batch processors' export workers, their schedule timers and their flush deadlines.
    static let exports = DedicatedExecutor(name: "otel-export")
    /// Runs the flush fan-out and its deadlines, apart from the exporters, so that an exporter that
    /// blocks its thread cannot keep ``FlushCoordinator`` from returning at the deadline.
    static let flushes = DedicatedExecutor(name: "otel-flush")

    /// Identifies a scheduled action, to cancel it.
    struct TimerID: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    private struct Timer {
        var id: TimerID
        var deadline: ContinuousClock.Instant
        var action: @Sendable () -> Void
    }

    private struct State {
        var jobs = Deque<UnownedJob>()
        /// Unordered; an executor has a handful at a time (flushes in progress, schedule ticks).
        var timers: [Timer] = []
        var nextTimerID: UInt64 = 0
        /// Whether the thread is running jobs or actions (and so needs no signal to look again).
        var busy = true
    }

    private let state = LockedCondition(State())

    /// Starts the thread; `name` only appears in the message if it cannot be started.
    init(name: String) {
        let unmanaged = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let executor = Unmanaged<DedicatedExecutor>.fromOpaque(argument!).takeRetainedValue()
            executor.run()
        }, unmanaged.toOpaque())
        precondition(created == 0, "cannot start the \(name) thread: error \(created)")
        pthread_detach(thread)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let wake = state.withLockedValue { state in
            state.jobs.append(unowned)
            return !state.busy
        }
        if wake { state.signal() }
    }

    /// Runs `action` on this executor's thread once `deadline` has passed, unless cancelled first.
    /// The action must be short: it delays the jobs and actions behind it.
    @discardableResult
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> TimerID {
        let wake = state.withLockedValue { state -> (TimerID, Bool) in
            let id = TimerID(value: state.nextTimerID)
            state.nextTimerID += 1
            state.timers.append(Timer(id: id, deadline: deadline, action: action))
            return (id, !state.busy)
        }
        if wake.1 { state.signal() }
        return wake.0
    }

    /// Cancels a scheduled action; does nothing if it already ran or was cancelled.
    func cancel(_ id: TimerID) {
        state.withLockedValue { state in
            state.timers.removeAll { $0.id == id }
        }
    }

    private func run() -> Never {
        while true {
            let (jobs, actions) = state.wait { state -> LockedCondition<State>.Step<(Deque<UnownedJob>, [@Sendable () -> Void])> in
                var due: [Timer] = []
                if !state.timers.isEmpty {
                    let now = ContinuousClock.now
                    due = state.timers.filter { $0.deadline <= now }
                    if !due.isEmpty { state.timers.removeAll { $0.deadline <= now } }
                }
                if due.isEmpty && state.jobs.isEmpty {
                    state.busy = false
                    return .wait(until: state.timers.map(\.deadline).min())
                }
                state.busy = true
                defer { state.jobs = [] }
                return .done((state.jobs, due.sorted { $0.deadline < $1.deadline }.map(\.action)))
            }
            for action in actions {
                action()
            }
            for job in jobs {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
    }
}
