import OTLPReceiver

/// The resolved parameters of a bench run (``FlushBench`` turns its options into these, `--quick` scaling the
/// defaults), written to the JSON with the results.
struct BenchSettings: Sendable, Encodable {
    /// Arrival rates, invocations per second; each strategy runs once per rate.
    var rates: [Double]
    var strategies: [BenchStrategy]
    /// Length of each run's load phase.
    var duration: Duration
    /// Every `stallEvery`-th export request to the in-process collector stalls (0: none).
    var stallEvery: Int
    var stallDuration: Duration
    var gatewayTimeout: Duration
    /// `OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT`: the most one flush may last.
    var flushCap: Duration
    var functionTimeout: Duration
    var maxSandboxes: Int
    /// `EXAMPLE_WORK_MS`: the handler's own time per request.
    var workMilliseconds: Int
    /// An external collector's OTLP/HTTP endpoint; `nil` runs the in-process `OTLPReceiver` with the stalls.
    var collector: String?
    /// Whether `--quick` scaled the defaults.
    var quick: Bool

    /// Every how many export requests a stall is injected: `stallEvery`, or 0 when an external collector (which
    /// this bench does not control) receives the exports.
    var injectedStallEvery: Int { collector == nil ? stallEvery : 0 }

    /// The stalls the in-process collector injects during a run's load phase.
    var faults: ReceiverFaults {
        injectedStallEvery > 0 ? ReceiverFaults(stall: .init(every: injectedStallEvery, duration: stallDuration)) : .none
    }

    /// Export requests one invocation's flush sends: `example-entity-api` flushes traces, metrics and logs, one
    /// request each, so a stall on every `stallEvery`-th request holds up that many times more flushes.
    static let exportsPerFlush = 3

    /// Sandboxes started (cold) before a run's load phase, like provisioned concurrency, so that cold starts do not
    /// blur the latencies: the invocations in flight at `rate` (the handler's time plus some margin for the flush),
    /// plus those a stalled flush holds up to the flush cap, plus two.
    func warmSandboxes(rate: Double) -> Int {
        let busy = rate * (Double(workMilliseconds) + 20) / 1_000
        let stalledPerSecond = injectedStallEvery > 0 ? rate * Double(Self.exportsPerFlush) / Double(injectedStallEvery) : 0
        let stalled = stalledPerSecond * min(stallDuration, flushCap).seconds
        return min(maxSandboxes, Int((busy + stalled).rounded(.up)) + 2)
    }

    private enum CodingKeys: String, CodingKey {
        case rates = "rps", strategies, quick, collector
        case duration = "duration_s", stallEvery = "stall_every", stallDuration = "stall_s"
        case gatewayTimeout = "gateway_timeout_s", flushCap = "flush_cap_s", functionTimeout = "function_timeout_s"
        case maxSandboxes = "max_sandboxes", workMilliseconds = "work_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rates, forKey: .rates)
        try container.encode(strategies.map(\.rawValue), forKey: .strategies)
        try container.encode(quick, forKey: .quick)
        try container.encode(collector, forKey: .collector)
        try container.encode(duration.seconds, forKey: .duration)
        try container.encode(injectedStallEvery, forKey: .stallEvery)
        try container.encode(stallDuration.seconds, forKey: .stallDuration)
        try container.encode(gatewayTimeout.seconds, forKey: .gatewayTimeout)
        try container.encode(flushCap.seconds, forKey: .flushCap)
        try container.encode(functionTimeout.seconds, forKey: .functionTimeout)
        try container.encode(maxSandboxes, forKey: .maxSandboxes)
        try container.encode(workMilliseconds, forKey: .workMilliseconds)
    }
}
