/// The deadline of one invocation's drain (deferred actions + flush): `min(now + cap, invocation deadline - margin)`,
/// never earlier than `now`.
///
/// The cap bounds how long a stalled collector can hold the environment (and the bill); the safety margin keeps the
/// whole invoke phase, which includes the extension's post-response work, inside the function timeout, so a slow
/// export never turns into a timed-out invocation and a cold start.
public struct FlushDeadline: Sendable, Equatable {
    /// The longest a drain may take.
    public var cap: Duration
    /// Kept free before the invocation's deadline.
    public var safetyMargin: Duration

    public init(cap: Duration, safetyMargin: Duration) {
        self.cap = cap
        self.safetyMargin = safetyMargin
    }

    public func deadline(invocationDeadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        max(now, min(now + cap, invocationDeadline - safetyMargin))
    }
}
