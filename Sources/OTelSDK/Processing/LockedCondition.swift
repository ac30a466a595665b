#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex, with a condition variable that one thread can sleep on until
/// another changes the value or a deadline passes.
///
/// `NIOLockedValueBox` is the SDK's lock everywhere else, but it cannot wait on a condition. This is
/// the same pthread mutex underneath (visible to the thread sanitizer, unlike `Synchronization.Mutex`
/// on Linux), plus a `pthread_cond_t` on `CLOCK_MONOTONIC` (where the platform allows it), so that a
/// wall-clock change cannot move a timed wait.
final class LockedCondition<Value>: @unchecked Sendable {
    /// What a waiter's body decides while it holds the lock.
    enum Step<Result> {
        /// Done: return this (the lock is released).
        case done(Result)
        /// Release the lock and sleep until `signal()` or the instant (nil: no time limit), then ask again.
        case wait(until: ContinuousClock.Instant?)
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if !canImport(Darwin)
        pthread_condattr_setclock(&attributes, Self.waitClock)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with the lock held.
    func withLockedValue<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Wakes the thread sleeping in ``wait(_:)``, if any.
    func signal() {
        pthread_cond_signal(condition)
    }

    /// Runs `body` with the lock held until it returns `.done`, sleeping as it asks in between.
    func wait<Result>(_ body: (inout Value) -> Step<Result>) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            switch body(&value) {
            case .done(let result):
                return result
            case .wait(until: nil):
                pthread_cond_wait(condition, mutex)
            case .wait(until: let instant?):
                var deadline = Self.waitClockTime(after: ContinuousClock.now.duration(to: instant))
                pthread_cond_timedwait(condition, mutex, &deadline)
            }
        }
    }

    /// The clock of timed waits. Darwin's timed wait has no clock attribute: it measures the wall clock.
    private static var waitClock: clockid_t {
        #if canImport(Darwin)
        CLOCK_REALTIME
        #else
        CLOCK_MONOTONIC
        #endif
    }

    /// The longest single timed wait. Waiters re-check their condition when it ends, so a farther deadline (a
    /// huge `OTEL_BSP_EXPORT_TIMEOUT`) only wakes them once a day; capping keeps the `timespec` arithmetic below
    /// from overflowing.
    static var maxTimedWait: Duration { .seconds(86_400) }

    /// The timed wait's clock now plus `duration` (nothing if negative, at most ``maxTimedWait``), as the timed wait
    /// expects it.
    static func waitClockTime(after duration: Duration) -> timespec {
        var now = timespec()
        clock_gettime(waitClock, &now)
        let (seconds, attoseconds) = min(max(duration, .zero), maxTimedWait).components
        var nanoseconds = Int64(now.tv_nsec) + attoseconds / 1_000_000_000
        var wholeSeconds = Int64(now.tv_sec) + seconds
        if nanoseconds >= 1_000_000_000 {
            nanoseconds -= 1_000_000_000
            wholeSeconds += 1
        }
        return timespec(tv_sec: time_t(wholeSeconds), tv_nsec: Int(nanoseconds))
    }
}
