/// How the runtime retries `GET /runtime/invocation/next` after an answer it cannot use that carries no invocation
/// to report on: a dropped connection, garbage instead of HTTP, a 4xx, an event without a request id.
///
/// The delay doubles from `initialDelay` up to `maxDelay`; after `maxConsecutiveFailures` failures in a row (about
/// 3.3 s of back-off with the defaults) the API is taken to be gone and the runtime exits, as it does at once on a
/// 500, which Lambda's contract calls fatal. Any invocation received, well-formed or not, resets the count.
struct RuntimeNextRetry: Sendable, Equatable {
    var initialDelay: Duration = .milliseconds(10)
    var maxDelay: Duration = .seconds(1)
    var maxConsecutiveFailures = 10

    /// The wait before the next attempt after `failures` failures in a row (1 = the first), or nil to give up.
    func delay(afterFailures failures: Int) -> Duration? {
        guard failures < maxConsecutiveFailures else { return nil }
        var delay = initialDelay
        for _ in 1..<max(1, failures) where delay < maxDelay {
            delay *= 2
        }
        return min(delay, maxDelay)
    }
}
