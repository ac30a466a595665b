#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lambda gives deadlines as Unix epoch milliseconds; the lifecycle computes with the monotonic clock. This is the
/// one place that converts between the two.
enum LambdaClock {
    /// The wall clock now, in Unix epoch milliseconds.
    static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// The monotonic instant of the wall-clock instant `epochMilliseconds`, measured from (`now`, `wallNow`): the same
    /// moment on both clocks.
    static func instant(
        epochMilliseconds: Int64,
        now: ContinuousClock.Instant = .now,
        wallNow: Int64 = LambdaClock.epochMilliseconds()
    ) -> ContinuousClock.Instant {
        now + .milliseconds(epochMilliseconds - wallNow)
    }
}
