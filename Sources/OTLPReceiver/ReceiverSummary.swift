import OTLPProto

/// A snapshot of what an ``OTLPReceiver`` has received and answered since it started.
///
/// A plain value: taking it (``OTLPReceiver/summary``) copies the counters under the receiver's lock, so all of its
/// fields belong to the same instant. `Codable` with stable keys (the property names), for the `--summary` JSON file of
/// `otlp-receiver`; a missing signal counter decodes as 0, so files written before a counter existed still decode.
public struct ReceiverSummary: Sendable, Hashable, Codable {
    /// Counters of one signal (`/v1/traces`, `/v1/metrics` or `/v1/logs`).
    public struct SignalCounts: Sendable, Hashable, Codable {
        /// `POST` requests to the signal's path, whatever became of them.
        public var requests: Int = 0
        /// Requests answered 200 whose items were counted (including partial successes and garbage answers).
        public var acceptedRequests: Int = 0
        /// Accepted items: spans, metric data points or log records as counted by `OTLPRequestSummary`,
        /// minus the items rejected by injected partial successes.
        public var items: Int = 0
        /// Items that injected partial successes reported as rejected (at most the request's items).
        public var rejectedItems: Int = 0
        /// Resources (`ResourceSpans`, `ResourceMetrics`, `ResourceLogs`) of the accepted requests.
        public var resources: Int = 0
        /// Metrics (as opposed to their data points) of the accepted requests; 0 for traces and logs.
        public var metrics: Int = 0
        /// Request body bytes as received on the wire (compressed when gzip), of every request to the path.
        public var bytesReceived: Int = 0
        /// Request body bytes after decompression, of the requests that were decompressed.
        public var bytesDecoded: Int = 0
        /// Requests with `Content-Encoding: gzip`.
        public var gzipRequests: Int = 0
        /// Requests answered 400 because the body could not be decompressed or decoded.
        public var malformedRequests: Int = 0
        /// Requests answered 413 (body too large) or 415 (content type or encoding not supported).
        public var rejectedRequests: Int = 0
        /// Requests that an injected `failure` or `drop` hit (their items are not counted).
        public var failedRequests: Int = 0
        /// Traces: distinct spans among the accepted items, a span being identified by its `trace_id` and `span_id`
        /// (`OTLPSpanIdentity`), whatever its other fields. A span counts once however often it arrives.
        /// Always 0 for metrics and logs, which are not told apart.
        ///
        /// The accepted items are those of ``items``: a span of a failed, dropped, abandoned, malformed or rejected
        /// request is not counted; an injected partial success rejecting `n` items rejects the request's last `n`
        /// spans. For traces, `items == distinctItems + duplicateItems` always holds, so "every span arrived exactly
        /// once" reads `distinctItems == sent && duplicateItems == 0`.
        public var distinctItems: Int = 0
        /// Traces: accepted spans whose identity had been accepted before (in an earlier request or earlier in the same
        /// one); a span accepted three times counts 1 in ``distinctItems`` and 2 here. Always 0 for metrics and logs.
        public var duplicateItems: Int = 0
        /// Traces: span identities forgotten because more than ``OTLPReceiver/Configuration/maxTrackedSpans`` were
        /// accepted since the start or the last reset. While it is 0, ``distinctItems`` and ``duplicateItems`` are
        /// exact; after, a span repeated after its identity was forgotten counts as distinct. Always 0 for metrics
        /// and logs.
        public var forgottenIdentities: Int = 0

        public init() {}
    }

    /// How often each fault was injected.
    public struct FaultCounts: Sendable, Hashable, Codable {
        public var stalled: Int = 0
        public var failed: Int = 0
        public var dropped: Int = 0
        public var garbage: Int = 0
        public var partialSuccess: Int = 0

        public init() {}

        /// All injected faults; a stalled request that another fault also hit counts twice.
        public var total: Int { stalled + failed + dropped + garbage + partialSuccess }
    }

    public var traces = SignalCounts()
    public var metrics = SignalCounts()
    public var logs = SignalCounts()
    public var faults = FaultCounts()
    /// Requests answered 404 (unknown path) or 405 (method other than `POST` on an OTLP path).
    public var unroutedRequests: Int = 0
    /// Stalled requests whose connection closed before the delayed answer; their items are not counted.
    public var abandonedRequests: Int = 0
    /// Connections closed as soon as they were accepted because ``OTLPReceiver/Configuration/maxConnections`` were
    /// open.
    public var refusedConnections: Int = 0
    /// Connections closed after ``OTLPReceiver/Configuration/idleTimeout`` of silence.
    public var idleClosedConnections: Int = 0

    public init() {}

    /// The counters of `signal`.
    public subscript(signal: OTLPSignal) -> SignalCounts {
        get {
            switch signal {
            case .traces: traces
            case .metrics: metrics
            case .logs: logs
            }
        }
        set {
            switch signal {
            case .traces: traces = newValue
            case .metrics: metrics = newValue
            case .logs: logs = newValue
            }
        }
    }

    /// All requests the receiver has read, routed or not.
    public var totalRequests: Int { traces.requests + metrics.requests + logs.requests + unroutedRequests }

    /// Accepted items across the three signals.
    public var totalItems: Int { traces.items + metrics.items + logs.items }
}

extension ReceiverSummary.SignalCounts {
    /// Decodes the counters, reading a missing key as 0 (JSON written before that counter existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        self.init()
        requests = try count(.requests)
        acceptedRequests = try count(.acceptedRequests)
        items = try count(.items)
        rejectedItems = try count(.rejectedItems)
        resources = try count(.resources)
        metrics = try count(.metrics)
        bytesReceived = try count(.bytesReceived)
        bytesDecoded = try count(.bytesDecoded)
        gzipRequests = try count(.gzipRequests)
        malformedRequests = try count(.malformedRequests)
        rejectedRequests = try count(.rejectedRequests)
        failedRequests = try count(.failedRequests)
        distinctItems = try count(.distinctItems)
        duplicateItems = try count(.duplicateItems)
        forgottenIdentities = try count(.forgottenIdentities)
    }
}

extension ReceiverSummary {
    /// Decodes the summary, reading a missing top-level counter as 0 (JSON written before that counter existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        self.init()
        traces = try container.decodeIfPresent(SignalCounts.self, forKey: .traces) ?? SignalCounts()
        metrics = try container.decodeIfPresent(SignalCounts.self, forKey: .metrics) ?? SignalCounts()
        logs = try container.decodeIfPresent(SignalCounts.self, forKey: .logs) ?? SignalCounts()
        faults = try container.decodeIfPresent(FaultCounts.self, forKey: .faults) ?? FaultCounts()
        unroutedRequests = try count(.unroutedRequests)
        abandonedRequests = try count(.abandonedRequests)
        refusedConnections = try count(.refusedConnections)
        idleClosedConnections = try count(.idleClosedConnections)
    }
}
