import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The circuit breaker of one collector, shared by every exporter of the process that sends to it
/// (the same scheme, host and port; see ``shared(origin:policy:diagnostics:)``): when the trace
/// exporter finds the collector gone, the metrics and logs exporters stop waiting on it too, and
/// one probe at a time tests it for all of them.
///
/// An export asks ``admit(deadline:)`` before sending and reports each attempt's verdict with
/// ``record(_:probe:)``. While another export probes, `admit` waits for that probe's verdict (at
/// most until the caller's deadline): in a flush, the three signals flush concurrently, so waiting
/// costs no extra time, and all of them send in the flush whose probe found the collector back.
///
/// Thread-safe (one lock, never held across an `await`).
final class CollectorCircuit: Sendable {
    /// What ``admit(deadline:)`` allows.
    enum Permit: Sendable, Equatable {
        case send
        /// One attempt capped by the policy's `probeTimeout`.
        case probe
        /// Do not send: the collector is unavailable; says why and when the next probe is due.
        case refuse(String)
    }

    let origin: String
    let policy: OTLPCircuitBreakerPolicy
    private let diagnostics: Logger
    private let state: NIOLockedValueBox<State>

    private struct State {
        var breaker: CircuitBreaker
        /// Exports waiting for the probe's verdict.
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID = 0
    }

    init(origin: String, policy: OTLPCircuitBreakerPolicy, diagnostics: Logger) {
        self.origin = origin
        self.policy = policy
        self.diagnostics = diagnostics
        self.state = NIOLockedValueBox(State(breaker: CircuitBreaker(policy: policy)))
    }

    /// Whether an export may be sent now. Returns at once, except while another export probes: then
    /// it waits for that probe's verdict or `deadline`, whichever comes first. `skippingBackoff` (the
    /// exporter is shutting down): an open breaker lets this export probe now.
    func admit(deadline: ContinuousClock.Instant, skippingBackoff: Bool = false) async -> Permit {
        guard policy.isEnabled else { return .send }
        while true {
            let id = state.withLockedValue { state in
                defer { state.nextWaiterID += 1 }
                return state.nextWaiterID
            }
            var admission: CircuitBreaker.Admission = .send
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = state.withLockedValue { state in
                    admission = state.breaker.admit(now: .now, skippingBackoff: skippingBackoff)
                    guard admission == .waitForProbe, ContinuousClock.now < deadline else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if waits {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    HTTPClient.defaultEventLoopGroup.any().scheduleTask(in: .nanoseconds(remaining.nanoseconds)) { self.resume(id) }
                } else {
                    continuation.resume()
                }
            }
            switch admission {
            case .send: return .send
            case .probe: return .probe
            case .refuse(let retryIn): return .refuse("collector \(origin) unavailable; next probe in \(retryIn.formattedSeconds)")
            case .waitForProbe:
                guard ContinuousClock.now < deadline else {
                    return .refuse("collector \(origin) unavailable; a probe is under way")
                }
            }
        }
    }

    /// Records an attempt's verdict; true when it began an open period (for the open-period count).
    func record(_ verdict: CircuitBreaker.Verdict, probe: Bool) -> Bool {
        guard policy.isEnabled else { return false }
        let (transition, waiters) = state.withLockedValue { state in
            let transition = state.breaker.record(verdict, probe: probe, now: .now, random: Double.random(in: 0..<1))
            guard probe else { return (transition, [CheckedContinuation<Void, Never>]()) }
            defer { state.waiters = [:] }
            return (transition, Array(state.waiters.values))
        }
        for waiter in waiters { waiter.resume() }
        switch transition {
        case .opened(let backoff):
            diagnostics.warning("collector unavailable; exports return at once and keep their items until a probe gets an answer", metadata: ["collector": "\(origin)", "next_probe_in": "\(backoff.formattedSeconds)"])
            return true
        case .reopened(let backoff):
            diagnostics.debug("collector still unavailable", metadata: ["collector": "\(origin)", "next_probe_in": "\(backoff.formattedSeconds)"])
        case .closed:
            diagnostics.info("collector available again", metadata: ["collector": "\(origin)"])
        case nil:
            break
        }
        return false
    }

    private func resume(_ id: Int) {
        state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
    }

    private static let registry = NIOLockedValueBox<[String: WeakCircuit]>([:])

    private struct WeakCircuit {
        weak var circuit: CollectorCircuit?
    }

    /// The circuit of `origin` (`scheme://host:port`) that other exporters of this process already use,
    /// or a new one. A circuit lives as long as an exporter holds it; an exporter with another policy
    /// gets a circuit of its own.
    static func shared(origin: String, policy: OTLPCircuitBreakerPolicy, diagnostics: Logger) -> CollectorCircuit {
        registry.withLockedValue { circuits in
            if let existing = circuits[origin]?.circuit, existing.policy == policy { return existing }
            let circuit = CollectorCircuit(origin: origin, policy: policy, diagnostics: diagnostics)
            circuits = circuits.filter { $0.value.circuit != nil }
            circuits[origin] = WeakCircuit(circuit: circuit)
            return circuit
        }
    }
}

extension Duration {
    /// Seconds with one decimal, e.g. `1.6 s`.
    var formattedSeconds: String {
        let tenths = Int64((Double(components.seconds) + Double(components.attoseconds) / 1e18) * 10)
        return "\(tenths / 10).\(abs(tenths % 10)) s"
    }
}
