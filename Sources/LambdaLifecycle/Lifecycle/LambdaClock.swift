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

    /// Unix epoch milliseconds as the Lambda APIs send them (`Lambda-Runtime-Deadline-Ms`, `deadlineMs`): decimal
    /// digits, no sign, no more than fit in an `Int64`. Nil for anything else.
    static func parseEpochMilliseconds(_ text: some StringProtocol) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(text)
    }

    /// The monotonic instant of the wall-clock instant `epochMilliseconds`, measured from (`now`, `wallNow`): the same
    /// moment on both clocks. Any pair of values gives an instant: the difference is computed in `Duration`'s 128
    /// bits, so no deadline a Lambda API sends can overflow it.
    static func instant(
        epochMilliseconds: Int64,
        now: ContinuousClock.Instant = .now,
        wallNow: Int64 = LambdaClock.epochMilliseconds()
    ) -> ContinuousClock.Instant {
        now + (Duration.milliseconds(epochMilliseconds) - Duration.milliseconds(wallNow))
    }
}
