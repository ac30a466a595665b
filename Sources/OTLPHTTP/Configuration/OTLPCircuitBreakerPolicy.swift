/// When the exporter stops waiting on a collector that is not there, and how it finds out that the
/// collector is back (see `CircuitBreaker` and docs/flush-semantics.md).
///
/// The collector counts as *unavailable* after an attempt that got no HTTP answer at all: the
/// connection was refused or could not be made, or the request stayed unanswered for
/// `probeTimeout` or longer. Any HTTP status, 4xx and 5xx included, proves it alive.
/// While it is unavailable, exports return at once with `.collectorUnavailable` and the batch stays
/// queued; after a back-off (`initialBackoff`, times `multiplier` after each failed probe, at most
/// `maxBackoff`, each shortened by up to `jitter` of itself, so never longer than the nominal value)
/// one export is sent as a probe, whose attempt (connect included) is capped by `probeTimeout`.
public struct OTLPCircuitBreakerPolicy: Sendable, Equatable {
    /// Whether the breaker is used at all; when false every export waits on the collector as before.
    public var isEnabled: Bool
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var multiplier: Double
    /// The fraction (0...1) by which each back-off is randomly shortened, so that many processes that
    /// lost the same collector do not probe it in step.
    public var jitter: Double
    /// Cap on a probe's attempt, connect included; also how long an ordinary attempt must have waited
    /// without an answer for its timeout to count as "unavailable" (a shorter deadline proves nothing).
    public var probeTimeout: Duration

    public init(
        isEnabled: Bool = true,
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(30),
        multiplier: Double = 2,
        jitter: Double = 0.2,
        probeTimeout: Duration = .seconds(1)
    ) {
        self.isEnabled = isEnabled
        self.initialBackoff = max(initialBackoff, .zero)
        self.maxBackoff = max(maxBackoff, self.initialBackoff)
        self.multiplier = max(multiplier, 1)
        self.jitter = min(max(jitter, 0), 1)
        self.probeTimeout = max(probeTimeout, .milliseconds(1))
    }

    /// No breaker: every export waits on the collector up to its deadline.
    public static let disabled = OTLPCircuitBreakerPolicy(isEnabled: false)

    /// The wait before the next probe after `failures` consecutive unavailable verdicts (1 = the one
    /// that opened the breaker), shortened by `random` (0..<1) times `jitter`.
    func backoff(failures: Int, random: Double) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, failures) {
            guard delay < maxBackoff else { break }
            delay = min(delay * multiplier, maxBackoff)
        }
        return delay * (1 - jitter * min(max(random, 0), 1))
    }
}
