#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The simulator's time base: monotonic milliseconds since the simulator started, and wall-clock epoch milliseconds.
struct SimClock: Sendable {
    /// The monotonic instant the simulator started.
    let origin: NIODeadline

    init(origin: NIODeadline = .now()) {
        self.origin = origin
    }

    /// Monotonic milliseconds from `origin` to `instant`, rounded to microseconds.
    func milliseconds(at instant: NIODeadline = .now()) -> Double {
        (Double((instant - origin).nanoseconds) / 1_000).rounded() / 1_000
    }

    /// Milliseconds since the Unix epoch (wall clock).
    static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }
}
