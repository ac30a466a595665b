#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A moment as the circuit breaker counts time: the continuous clock and the wall clock together.
///
/// A back-off is over when *either* clock says it is. The continuous clock (`CLOCK_BOOTTIME` on
/// Linux) keeps running while a process is stopped (`SIGSTOP`, the simulator's freeze) or the
/// machine sleeps; but a Lambda sandbox is frozen by the platform, and whether its guest's
/// monotonic clocks advance across that freeze (or a snapshot restore) is not something to rely
/// on. The wall clock is set from outside and does advance; it can also step backwards, which
/// counts as no time. So a frozen sandbox's first flush after a freeze longer than the back-off
/// probes, whichever clock stood still.
struct BreakerInstant: Sendable, Equatable {
    var continuous: ContinuousClock.Instant
    /// Nanoseconds since the Unix epoch (`CLOCK_REALTIME`).
    var wallNanoseconds: Int64

    static var now: BreakerInstant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let (wall, overflow) = Int64(spec.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        return BreakerInstant(continuous: .now, wallNanoseconds: overflow ? .max : wall &+ Int64(spec.tv_nsec))
    }

    /// The time since `earlier`: the larger of the two clocks' differences, never negative.
    func elapsed(since earlier: BreakerInstant) -> Duration {
        let continuous = max(earlier.continuous.duration(to: self.continuous), .zero)
        let (wall, overflow) = wallNanoseconds.subtractingReportingOverflow(earlier.wallNanoseconds)
        return max(continuous, overflow || wall < 0 ? .zero : .nanoseconds(wall))
    }
}
