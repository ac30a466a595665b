/// The circuit breaker's state machine for one collector, as a value: no clock, no randomness, no
/// I/O of its own (the caller passes `now` and `random`), so that every transition can be tested
/// from a table. `CollectorCircuit` wraps it for the exporters that share a collector.
///
/// - `closed`: exports go out as usual. An attempt that got no HTTP answer (``Verdict/unavailable``)
///   opens the breaker: a new *open period* begins.
/// - `open`: exports are refused at once until the back-off since the last failure is over; then the
///   next export becomes the probe (`probing`). The back-off grows with each failed probe of the period
///   (``OTLPCircuitBreakerPolicy/backoff(failures:random:)``).
/// - `probing`: one export is testing the collector; others wait for its verdict or are refused.
///   An answer closes the breaker, another `unavailable` opens it again with a longer back-off, and a
///   probe that proved nothing either way (cancelled, or cut off by its own deadline before
///   `probeTimeout`) leaves it open with the back-off already over, so the next export probes.
struct CircuitBreaker: Sendable, Equatable {
    /// What an attempt showed about the collector.
    enum Verdict: Sendable, Equatable {
        /// An HTTP answer of any status: the collector is there.
        case alive
        /// No answer at all: connection refused or not made, or unanswered for `probeTimeout` or longer.
        case unavailable
        /// Neither: the attempt was cancelled, or a timeout shorter than `probeTimeout` cut it off, or the
        /// connection closed after the request went out.
        case inconclusive
    }

    enum State: Sendable, Equatable {
        case closed
        /// Refusing exports until `backoff` has passed since `since`.
        case open(since: BreakerInstant, backoff: Duration)
        /// One export is probing; `backoff` is the one that ended, for the record.
        case probing(backoff: Duration)
    }

    /// What an export may do now.
    enum Admission: Sendable, Equatable {
        /// Send as usual (closed).
        case send
        /// Send one attempt, capped by `probeTimeout`, as the probe.
        case probe
        /// Another export is probing: wait for its verdict, then ask again.
        case waitForProbe
        /// Do not send; the next probe is due after `retryIn`.
        case refuse(retryIn: Duration)
    }

    /// What a verdict changed, for the diagnostics log and the open-period count.
    enum Transition: Sendable, Equatable {
        /// A new open period began.
        case opened(backoff: Duration)
        /// A probe failed; still open, with a longer back-off.
        case reopened(backoff: Duration)
        /// The collector answered; the open period is over.
        case closed
    }

    let policy: OTLPCircuitBreakerPolicy
    private(set) var state: State = .closed
    /// Unavailable verdicts in the current open period (0 when closed).
    private(set) var failures = 0

    init(policy: OTLPCircuitBreakerPolicy) {
        self.policy = policy
    }

    /// Whether an export may go out at `now`; a `.probe` admission moves the breaker to `probing`.
    /// `skippingBackoff`: an open breaker probes now (the final flush before shutdown).
    mutating func admit(now: BreakerInstant, skippingBackoff: Bool = false) -> Admission {
        switch state {
        case .closed:
            return .send
        case .probing:
            return .waitForProbe
        case .open(let since, let backoff):
            let elapsed = now.elapsed(since: since)
            guard elapsed >= backoff || skippingBackoff else { return .refuse(retryIn: backoff - elapsed) }
            state = .probing(backoff: backoff)
            return .probe
        }
    }

    /// Records what an attempt showed. `probe` says whether it was the attempt that `admit` let out as
    /// the probe (an ordinary attempt still in flight when the breaker opened may end later).
    mutating func record(_ verdict: Verdict, probe: Bool, now: BreakerInstant, random: Double) -> Transition? {
        switch (verdict, state) {
        case (.alive, .closed):
            return nil
        case (.alive, _):
            state = .closed
            failures = 0
            return .closed
        case (.unavailable, .closed):
            failures = 1
            let backoff = policy.backoff(failures: failures, random: random)
            state = .open(since: now, backoff: backoff)
            return .opened(backoff: backoff)
        case (.unavailable, .probing) where probe:
            failures += 1
            let backoff = policy.backoff(failures: failures, random: random)
            state = .open(since: now, backoff: backoff)
            return .reopened(backoff: backoff)
        case (.unavailable, _):
            // An ordinary attempt that was already under way: the period is known, the probe decides.
            return nil
        case (.inconclusive, .probing) where probe:
            state = .open(since: now, backoff: .zero)
            return nil
        case (.inconclusive, _):
            return nil
        }
    }
}
