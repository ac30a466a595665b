import OTLPProto

/// Faults that an ``OTLPReceiver`` injects into its answers, to exercise an exporter's error paths.
///
/// A small value type: set it with ``OTLPReceiver/Configuration/faults`` at start, and replace it at run time
/// with ``OTLPReceiver/setFaults(_:)``.
///
/// ## Which requests are hit
/// Every OTLP export request (a `POST` to `/v1/traces`, `/v1/metrics` or `/v1/logs` that passed the HTTP checks:
/// content type, content encoding and size) gets an ordinal, counted per receiver across all signals and starting
/// at 1; it restarts at 1 whenever the faults are replaced. A fault configured with `every: N` hits the requests whose
/// ordinal is a multiple of N, so `every: 1` hits all of them, `every: 3` the 3rd, 6th, 9th and so on; `every` below 1
/// hits none. Requests that the receiver rejects on their headers (404, 405, 415, and 413 on the wire size) take no
/// ordinal.
///
/// ## When several faults hit the same request
/// A ``Stall`` only delays the answer; it combines with everything else. Of the faults that decide the answer, the first
/// of this list wins: ``drop``, ``failure``, ``garbage``, ``partialSuccess``.
///
/// ## What is counted
/// - `failure` and `drop`: the request's items are not counted (the exporter is expected to retry or drop them).
/// - `garbage` and `partialSuccess`: the answer is a 200, so the items are counted; with a partial success only
///   `items - rejected` are counted as accepted and the rest as ``ReceiverSummary/SignalCounts/rejectedItems``.
/// - `stall`: the items are counted when the delayed answer is sent, unless the client has gone by then
///   (see ``ReceiverSummary/abandonedRequests``).
/// - A malformed body (400) is still answered 400 under `stall`, `garbage` and `partialSuccess`, but `drop` and `failure`
///   win over it: the receiver fails before looking at the body.
public struct ReceiverFaults: Sendable, Hashable {
    /// Delay the answer to every `every`-th request by `duration`, without blocking the event loop.
    public struct Stall: Sendable, Hashable {
        public var every: Int
        public var duration: Duration
        public init(every: Int, duration: Duration) {
            self.every = every
            self.duration = duration
        }
    }

    /// Answer every `every`-th request with `status` (for example 503, 429, 400 or 500), an optional `Retry-After`
    /// header in whole seconds and a `google.rpc.Status` protobuf body with `message`.
    public struct Failure: Sendable, Hashable {
        public var every: Int
        public var status: Int
        public var retryAfterSeconds: Int?
        public var message: String
        public init(every: Int, status: Int, retryAfterSeconds: Int? = nil, message: String = "injected failure") {
            self.every = every
            self.status = status
            self.retryAfterSeconds = retryAfterSeconds
            self.message = message
        }
    }

    /// Close the connection of every `every`-th request without answering it.
    public struct Drop: Sendable, Hashable {
        public var every: Int
        public init(every: Int) { self.every = every }
    }

    /// What a ``Garbage`` answer carries.
    public enum GarbageKind: String, Sendable, Hashable, CaseIterable {
        /// `200 OK` with `Content-Type: text/html` and an HTML page, as a misconfigured proxy would answer.
        case html
        /// `200 OK` with `Content-Type: application/x-protobuf` and bytes that are not a valid protobuf message.
        case invalidProtobuf = "invalid-protobuf"
    }

    /// Answer every `every`-th request with a 200 whose body is not an OTLP export response.
    public struct Garbage: Sendable, Hashable {
        public var every: Int
        public var kind: GarbageKind
        public init(every: Int, kind: GarbageKind = .invalidProtobuf) {
            self.every = every
            self.kind = kind
        }
    }

    /// Answer every `every`-th request with a 200 carrying `partial_success { rejected_<items>: rejected, error_message: message }`.
    public struct PartialSuccess: Sendable, Hashable {
        public var every: Int
        public var rejected: Int64
        public var message: String
        public init(every: Int, rejected: Int64, message: String = "injected partial success") {
            self.every = every
            self.rejected = rejected
            self.message = message
        }
    }

    public var stall: Stall?
    public var failure: Failure?
    public var drop: Drop?
    public var garbage: Garbage?
    public var partialSuccess: PartialSuccess?

    public init(
        stall: Stall? = nil,
        failure: Failure? = nil,
        drop: Drop? = nil,
        garbage: Garbage? = nil,
        partialSuccess: PartialSuccess? = nil
    ) {
        self.stall = stall
        self.failure = failure
        self.drop = drop
        self.garbage = garbage
        self.partialSuccess = partialSuccess
    }

    /// No faults: every valid request is answered 200 at once.
    public static var none: ReceiverFaults { ReceiverFaults() }

    /// Whether no fault is configured.
    public var isEmpty: Bool { self == .none }

    /// The faults that hit the request with the given 1-based ordinal.
    func plan(forOrdinal ordinal: Int) -> FaultPlan {
        func hits(_ every: Int?) -> Bool {
            guard let every, every > 0 else { return false }
            return ordinal % every == 0
        }
        var plan = FaultPlan()
        if let stall, hits(stall.every) { plan.stall = stall.duration }
        if let drop, hits(drop.every) {
            plan.action = .drop
        } else if let failure, hits(failure.every) {
            plan.action = .failure(failure)
        } else if let garbage, hits(garbage.every) {
            plan.action = .garbage(garbage.kind)
        } else if let partialSuccess, hits(partialSuccess.every) {
            plan.action = .partialSuccess(partialSuccess)
        }
        return plan
    }
}

/// What the faults make of one request.
struct FaultPlan: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        case none
        case drop
        case failure(ReceiverFaults.Failure)
        case garbage(ReceiverFaults.GarbageKind)
        case partialSuccess(ReceiverFaults.PartialSuccess)
    }

    var stall: Duration?
    var action: Action = .none
}
