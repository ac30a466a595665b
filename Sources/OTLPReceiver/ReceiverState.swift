import NIOConcurrencyHelpers
import NIOCore
import OTLPProto

/// The receiver's shared, mutable state: counters, the identities of the spans seen, faults, captured requests,
/// waiters and open connections, all behind one lock. Channel handlers on any event loop and callers on any thread
/// use it.
final class ReceiverState: Sendable {
    let limits: Limits
    let captureLimit: Int
    let onRequest: (@Sendable (OTLPReceiver.RequestRecord) -> Void)?

    struct Limits: Sendable {
        var maxBodyBytes: Int
        var maxDecompressedBytes: Int
        var maxConnections: Int
    }

    /// What became of a connection offered to ``register(channel:)``.
    enum Admission {
        case admitted
        /// ``Limits/maxConnections`` connections are open already: close this one.
        case overCapacity
        case stopped
    }

    private struct Waiter {
        let predicate: @Sendable (ReceiverSummary) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private enum WaiterSlot {
        /// Created, continuation not registered yet.
        case pending
        /// Timed out or cancelled before the continuation was registered.
        case expired
        case waiting(Waiter)
    }

    private struct Inner {
        var summary = ReceiverSummary()
        /// The most recently accepted spans (``OTLPReceiver/Configuration/maxTrackedSpans``).
        var spans: SpanIdentityWindow
        var faults: ReceiverFaults
        var ordinal = 0
        var waiters: [Int: WaiterSlot] = [:]
        var nextWaiterID = 0
        var captured: [OTLPSignal: [OTLPReceiver.CapturedRequest]] = [:]
        var channels: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
    }

    private let inner: NIOLockedValueBox<Inner>

    init(configuration: OTLPReceiver.Configuration) {
        self.limits = Limits(
            maxBodyBytes: max(0, configuration.maxBodyBytes),
            maxDecompressedBytes: max(0, configuration.maxDecompressedBytes),
            maxConnections: max(0, configuration.maxConnections)
        )
        self.captureLimit = max(0, configuration.captureBodies)
        self.onRequest = configuration.onRequest
        self.inner = NIOLockedValueBox(
            Inner(spans: SpanIdentityWindow(capacity: configuration.maxTrackedSpans), faults: configuration.faults)
        )
    }

    // MARK: Counters

    var summary: ReceiverSummary { inner.withLockedValue { $0.summary } }

    /// Mutates the counters, counts the accepted `spans` of a trace request as distinct (first seen) or duplicate
    /// (seen before) in the same step, so that no waiter sees items without their spans, and resumes the waiters whose
    /// predicate became true.
    func update(accepting spans: ArraySlice<OTLPSpanIdentity> = [], _ body: (inout ReceiverSummary) -> Void) {
        let ready: [CheckedContinuation<Bool, Never>] = inner.withLockedValue { inner in
            body(&inner.summary)
            for span in spans {
                if inner.spans.insert(span) {
                    inner.summary.traces.distinctItems += 1
                } else {
                    inner.summary.traces.duplicateItems += 1
                }
            }
            inner.summary.traces.forgottenIdentities = inner.spans.forgotten
            return Self.takeSatisfiedWaiters(&inner)
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    func reset() {
        let ready: [CheckedContinuation<Bool, Never>] = inner.withLockedValue { inner in
            inner.summary = ReceiverSummary()
            inner.spans.removeAll()
            inner.captured = [:]
            inner.ordinal = 0
            return Self.takeSatisfiedWaiters(&inner)
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    private static func takeSatisfiedWaiters(_ inner: inout Inner) -> [CheckedContinuation<Bool, Never>] {
        guard !inner.waiters.isEmpty else { return [] }
        var ready: [CheckedContinuation<Bool, Never>] = []
        for (id, slot) in inner.waiters {
            if case .waiting(let waiter) = slot, waiter.predicate(inner.summary) {
                ready.append(waiter.continuation)
                inner.waiters[id] = nil
            }
        }
        return ready
    }

    // MARK: Faults

    var faults: ReceiverFaults { inner.withLockedValue { $0.faults } }

    func setFaults(_ faults: ReceiverFaults) {
        inner.withLockedValue {
            $0.faults = faults
            $0.ordinal = 0
        }
    }

    /// Takes the next request ordinal and the faults that hit it.
    func nextPlan() -> (ordinal: Int, plan: FaultPlan) {
        inner.withLockedValue { inner in
            inner.ordinal += 1
            return (inner.ordinal, inner.faults.plan(forOrdinal: inner.ordinal))
        }
    }

    // MARK: Captured requests

    func capture(_ request: OTLPReceiver.CapturedRequest) {
        guard captureLimit > 0 else { return }
        inner.withLockedValue { inner in
            var list = inner.captured[request.signal, default: []]
            inner.captured[request.signal] = nil  // keep `list` uniquely referenced
            if list.count >= captureLimit { list.removeFirst(list.count - captureLimit + 1) }
            list.append(request)
            inner.captured[request.signal] = list
        }
    }

    func captured(for signal: OTLPSignal) -> [OTLPReceiver.CapturedRequest] {
        inner.withLockedValue { $0.captured[signal] ?? [] }
    }

    // MARK: Waiters

    func makeWaiterID() -> Int {
        inner.withLockedValue { inner in
            inner.nextWaiterID += 1
            inner.waiters[inner.nextWaiterID] = .pending
            return inner.nextWaiterID
        }
    }

    /// Registers the continuation of waiter `id`, or resumes it at once: with `true` when the predicate
    /// already holds (even if the timeout fired first: what was waited for is there), with `false` when the
    /// waiter expired, the task is cancelled or the receiver stopped.
    func register(
        id: Int,
        predicate: @escaping @Sendable (ReceiverSummary) -> Bool,
        continuation: CheckedContinuation<Bool, Never>
    ) {
        let immediate: Bool? = inner.withLockedValue { inner in
            if predicate(inner.summary) {
                inner.waiters[id] = nil
                return true
            }
            guard case .pending = inner.waiters[id] else {
                inner.waiters[id] = nil
                return false
            }
            if inner.stopped || Task.isCancelled {
                inner.waiters[id] = nil
                return false
            }
            inner.waiters[id] = .waiting(Waiter(predicate: predicate, continuation: continuation))
            return nil
        }
        if let immediate { continuation.resume(returning: immediate) }
    }

    /// Resumes waiter `id` with `false` (timeout or cancellation), if it is still waiting.
    func expire(id: Int) {
        let continuation: CheckedContinuation<Bool, Never>? = inner.withLockedValue { inner in
            switch inner.waiters[id] {
            case .pending:
                inner.waiters[id] = .expired
                return nil
            case .waiting(let waiter):
                inner.waiters[id] = nil
                return waiter.continuation
            case .expired, nil:
                return nil
            }
        }
        continuation?.resume(returning: false)
    }

    // MARK: Connections

    /// Tracks an open connection so that `stop()` can close it, unless the receiver has stopped or has
    /// ``Limits/maxConnections`` open already (counted in ``ReceiverSummary/refusedConnections``).
    func register(channel: any Channel) -> Admission {
        let admission: Admission = inner.withLockedValue { inner in
            guard !inner.stopped else { return .stopped }
            guard inner.channels.count < limits.maxConnections else { return .overCapacity }
            inner.channels[ObjectIdentifier(channel)] = channel
            return .admitted
        }
        if case .overCapacity = admission { update { $0.refusedConnections += 1 } }
        return admission
    }

    /// How many identities of accepted spans are held now (at most ``OTLPReceiver/Configuration/maxTrackedSpans``).
    var trackedSpans: Int { inner.withLockedValue { $0.spans.count } }

    func unregister(channel: any Channel) {
        _ = inner.withLockedValue { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var isStopped: Bool { inner.withLockedValue { $0.stopped } }

    /// Marks the receiver stopped, fails every waiter and returns the open connections to close.
    func markStopped() -> [any Channel] {
        let (channels, waiting): ([any Channel], [CheckedContinuation<Bool, Never>]) = inner.withLockedValue { inner in
            inner.stopped = true
            var waiting: [CheckedContinuation<Bool, Never>] = []
            for (id, slot) in inner.waiters {
                switch slot {
                case .pending: inner.waiters[id] = .expired
                case .waiting(let waiter):
                    waiting.append(waiter.continuation)
                    inner.waiters[id] = nil
                case .expired: break
                }
            }
            let channels = Array(inner.channels.values)
            inner.channels = [:]
            return (channels, waiting)
        }
        for continuation in waiting { continuation.resume(returning: false) }
        return channels
    }
}
