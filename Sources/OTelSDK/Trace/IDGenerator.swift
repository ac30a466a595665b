import Synchronization

/// Produces trace and span IDs.
///
/// Implementations must be thread-safe and fast: the tracer calls them on every span start.
public protocol IDGenerator: Sendable {
    func newTraceID() -> TraceID
    func newSpanID() -> SpanID
}

/// The default generator: unique, uniformly distributed IDs with one atomic increment and no lock.
///
/// Each ID is the SplitMix64 finaliser applied to a process-wide counter offset by a random seed
/// from the system generator. The finaliser is a bijection on 64-bit values, so IDs never repeat
/// within a process (until 2^64 draws), and the random seed makes them differ across processes.
/// Zero, which W3C reserves as invalid, is skipped.
public final class RandomIDGenerator: IDGenerator {
    private let seed: UInt64
    private let counter = Atomic<UInt64>(0)

    public init() {
        var system = SystemRandomNumberGenerator()
        self.seed = system.next()
    }

    public func newTraceID() -> TraceID {
        TraceID(high: nextNonZero(), low: nextNonZero())
    }

    public func newSpanID() -> SpanID {
        SpanID(nextNonZero())
    }

    private func nextNonZero() -> UInt64 {
        while true {
            let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
            let value = Self.mix(n &+ seed)
            if value != 0 { return value }
        }
    }

    /// SplitMix64's output function (Steele, Lea, Flood 2014).
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
