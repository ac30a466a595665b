/// How the exporter retries a transient failure (429, 502, 503, 504, connection failures).
///
/// Delays grow exponentially from `initialBackoff` by `multiplier` up to `maxBackoff`, each
/// randomised by ±`jitter` (a fraction). A server's `Retry-After` lengthens the computed delay, never
/// shortens it: `Retry-After: 0` or a date in the past still waits the back-off, so a server cannot make
/// the exporter re-send as fast as round trips allow.
/// Retrying never goes past the export's deadline: when the next attempt could not start before it,
/// the exporter stops and the processor keeps the batch for the next flush.
///
/// The defaults are shorter than the OpenTelemetry Go SDK's (5 s initial, 30 s max, 1 min budget)
/// because a Lambda flush has seconds, not minutes; the deadline is the budget.
public struct OTLPRetryPolicy: Sendable, Equatable {
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var multiplier: Double
    public var jitter: Double
    /// Attempts per export including the first; nil means "until the deadline".
    public var maxAttempts: Int?

    public init(initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5), multiplier: Double = 2, jitter: Double = 0.2, maxAttempts: Int? = nil) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
        self.maxAttempts = maxAttempts
    }

    /// No retries at all.
    public static let disabled = OTLPRetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry`: the longer of the back-off and the server's `Retry-After`.
    func delay(retry: Int, random: Double, retryAfter: Duration?) -> Duration {
        max(backoff(retry: retry, random: random), retryAfter ?? .zero)
    }

    /// The delay before retry number `retry` (1 = the first retry), jittered with `random` in 0..<1.
    func backoff(retry: Int, random: Double) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, retry) {
            delay = min(delay * multiplier, maxBackoff)
        }
        return min(delay, maxBackoff) * (1 + jitter * (2 * random - 1))
    }
}
