import AsyncHTTPClient
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import OTLPHTTP

@Suite("CircuitBreaker: the state machine with injected time", .timeLimit(.minutes(2)))
struct CircuitBreakerTests {
    /// No jitter, so that back-offs are exact: 1, 2, 4, 8, 16, 30 s.
    static let policy = OTLPCircuitBreakerPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(30), multiplier: 2, jitter: 0, probeTimeout: .seconds(1))
    static let start = BreakerInstant(continuous: .now, wallNanoseconds: 1_800_000_000_000_000_000)

    /// One step of a table: at `at` seconds (on both clocks), either ask for admission or record a verdict.
    enum Step {
        case admit(Double, expect: CircuitBreaker.Admission)
        case record(Double, CircuitBreaker.Verdict, probe: Bool, expect: CircuitBreaker.Transition?)
    }

    static func instant(_ seconds: Double) -> BreakerInstant {
        start.advanced(by: .milliseconds(Int64(seconds * 1000)))
    }

    func run(_ steps: [Step], policy: OTLPCircuitBreakerPolicy = CircuitBreakerTests.policy) {
        var breaker = CircuitBreaker(policy: policy)
        for (index, step) in steps.enumerated() {
            switch step {
            case .admit(let at, let expected):
                #expect(breaker.admit(now: Self.instant(at)) == expected, "step \(index)")
            case .record(let at, let verdict, let probe, let expected):
                #expect(breaker.record(verdict, probe: probe, now: Self.instant(at), random: 0.5) == expected, "step \(index)")
            }
        }
    }

    @Test("closed: answers of any status keep it closed; timeouts too short to tell and closed connections do not open it")
    func closedStays() {
        run([
            .admit(0, expect: .send),
            .record(0.1, .alive, probe: false, expect: nil),
            .record(0.2, .inconclusive, probe: false, expect: nil),
            .admit(0.3, expect: .send),
        ])
    }

    @Test("an unavailable verdict opens it; exports are refused until the back-off is over, then one probes and the rest wait")
    func opensAndProbes() {
        run([
            .admit(0, expect: .send),
            .record(5, .unavailable, probe: false, expect: .opened(backoff: .seconds(1))),
            .admit(5.0, expect: .refuse(retryIn: .seconds(1))),
            .admit(5.75, expect: .refuse(retryIn: .milliseconds(250))),
            .admit(6, expect: .probe),
            .admit(6.1, expect: .waitForProbe),
            .record(6.2, .alive, probe: true, expect: .closed),
            .admit(6.3, expect: .send),
        ])
    }

    @Test("the final flush before shutdown probes an open breaker at once, back-off or not")
    func finalFlushProbes() {
        var breaker = CircuitBreaker(policy: Self.policy)
        _ = breaker.record(.unavailable, probe: false, now: Self.instant(0), random: 0)
        #expect(breaker.admit(now: Self.instant(0.1)) == .refuse(retryIn: .milliseconds(900)))
        #expect(breaker.admit(now: Self.instant(0.1), skippingBackoff: true) == .probe)
        #expect(breaker.admit(now: Self.instant(0.2), skippingBackoff: true) == .waitForProbe)
    }

    @Test("failed probes double the back-off up to the cap; a success resets it")
    func backoffGrowsAndResets() {
        var steps: [Step] = [.record(0, .unavailable, probe: false, expect: .opened(backoff: .seconds(1)))]
        // (probe due at, back-off after it fails)
        for (due, next) in [(1.0, 2), (3, 4), (7, 8), (15, 16), (31, 30), (61, 30)] as [(Double, Int64)] {
            steps.append(.admit(due - 0.001, expect: .refuse(retryIn: .milliseconds(1))))
            steps.append(.admit(due, expect: .probe))
            steps.append(.record(due, .unavailable, probe: true, expect: .reopened(backoff: .seconds(next))))
        }
        steps += [
            .admit(91, expect: .probe),
            .record(91, .alive, probe: true, expect: .closed),
            .record(92, .unavailable, probe: false, expect: .opened(backoff: .seconds(1))),
        ]
        run(steps)
    }

    @Test("an ordinary attempt that was in flight when the breaker opened does not lengthen the back-off; its answer closes it")
    func attemptsInFlight() {
        run([
            .record(0, .unavailable, probe: false, expect: .opened(backoff: .seconds(1))),
            .record(0.5, .unavailable, probe: false, expect: nil),
            .admit(1, expect: .probe),
            .record(1.1, .unavailable, probe: false, expect: nil),
            .record(1.2, .unavailable, probe: true, expect: .reopened(backoff: .seconds(2))),
            .record(1.3, .alive, probe: false, expect: .closed),
            .admit(1.4, expect: .send),
        ])
    }

    @Test("a probe that proved nothing (cancelled, or cut off by a shorter deadline) lets the next export probe at once")
    func inconclusiveProbe() {
        run([
            .record(0, .unavailable, probe: false, expect: .opened(backoff: .seconds(1))),
            .admit(1, expect: .probe),
            .record(1.05, .inconclusive, probe: true, expect: nil),
            .admit(1.06, expect: .probe),
        ])
    }

    @Test("jitter only shortens a back-off: the first is at most 1 s and none exceeds 30 s", arguments: [0.0, 0.3, 0.999])
    func jitterBounds(random: Double) {
        let policy = OTLPCircuitBreakerPolicy()
        #expect(policy.initialBackoff <= .seconds(1) && policy.maxBackoff <= .seconds(30))
        for failures in 1...12 {
            let backoff = policy.backoff(failures: failures, random: random)
            let nominal = min(policy.initialBackoff * (1 << (failures - 1)), policy.maxBackoff)
            #expect(backoff <= nominal && backoff >= nominal * (1 - policy.jitter), "failures \(failures)")
        }
    }

    @Test("time across a freeze: the wall clock ends a back-off even when the continuous clock stood still, and a clock stepping back counts as no time")
    func freezes() {
        var breaker = CircuitBreaker(policy: Self.policy)
        #expect(breaker.record(.unavailable, probe: false, now: Self.start, random: 0) == .opened(backoff: .seconds(1)))
        // A freeze of 10 s during which only the wall clock advanced.
        let thawed = BreakerInstant(continuous: Self.start.continuous + .milliseconds(5), wallNanoseconds: Self.start.wallNanoseconds + 10_000_000_000)
        #expect(breaker.admit(now: thawed) == .probe)

        var stepped = CircuitBreaker(policy: Self.policy)
        _ = stepped.record(.unavailable, probe: false, now: Self.start, random: 0)
        let back = BreakerInstant(continuous: Self.start.continuous + .milliseconds(400), wallNanoseconds: Self.start.wallNanoseconds - 3_600_000_000_000)
        #expect(stepped.admit(now: back) == .refuse(retryIn: .milliseconds(600)))
        // The continuous clock alone (SIGSTOP, the simulator's freeze) ends it too.
        let stopped = BreakerInstant(continuous: Self.start.continuous + .seconds(2), wallNanoseconds: Self.start.wallNanoseconds)
        #expect(stepped.admit(now: stopped) == .probe)
    }

    @Test("which errors count as 'no collector': connection failures and unanswered attempts of at least the probe timeout")
    func errorVerdicts() {
        let probe = Duration.seconds(1)
        let table: [(any Error, Duration, CircuitBreaker.Verdict)] = [
            (IOError(errnoCode: ECONNREFUSED, reason: "connect"), .seconds(5), .unavailable),
            (IOError(errnoCode: EHOSTUNREACH, reason: "connect"), .seconds(5), .unavailable),
            (IOError(errnoCode: ECONNRESET, reason: "read"), .seconds(5), .inconclusive),
            (ChannelError.connectTimeout(.seconds(5)), .seconds(5), .unavailable),
            (HTTPClientError.connectTimeout, .seconds(5), .unavailable),
            (HTTPClientError.deadlineExceeded, .seconds(1), .unavailable),
            (HTTPClientError.deadlineExceeded, .milliseconds(999), .inconclusive),
            (HTTPClientError.remoteConnectionClosed, .seconds(5), .inconclusive),
            (HTTPClientError.cancelled, .seconds(5), .inconclusive),
        ]
        for (error, allowed, expected) in table {
            #expect(OTLPHTTPClient.verdict(error, waitedUpTo: allowed, probeTimeout: probe) == expected, "\(error), \(allowed)")
        }
    }
}

extension BreakerInstant {
    /// This instant moved forward by `duration` on both clocks.
    func advanced(by duration: Duration) -> BreakerInstant {
        BreakerInstant(continuous: continuous + duration, wallNanoseconds: wallNanoseconds + Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
