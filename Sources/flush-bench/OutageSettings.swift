/// The parameters of a `collector-down` run, written to the JSON with the results.
struct OutageSettings: Sendable, Encodable {
    var strategies: [BenchStrategy]
    var outages: [CollectorOutage]
    /// Invocations while the collector is down.
    var outageInvocations: Int
    /// Invocations after it is back, in which every span must arrive.
    var recoveryInvocations: Int
    /// The pause between the end of one invoke phase and the next invocation.
    var pause: Duration
    var functionTimeout: Duration
    /// `OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT`; nil leaves the runtime's default cap (10 s).
    var flushCap: Duration?
    /// `EXAMPLE_WORK_MS`: the handler's own time per request.
    var workMilliseconds: Int

    private enum CodingKeys: String, CodingKey {
        case strategies, outages, outageInvocations = "outage_invocations", recoveryInvocations = "recovery_invocations"
        case pause = "pause_s", functionTimeout = "function_timeout_s", flushCap = "flush_cap_s", workMilliseconds = "work_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(strategies.map(\.rawValue), forKey: .strategies)
        try container.encode(outages.map(\.rawValue), forKey: .outages)
        try container.encode(outageInvocations, forKey: .outageInvocations)
        try container.encode(recoveryInvocations, forKey: .recoveryInvocations)
        try container.encode(pause.seconds, forKey: .pause)
        try container.encode(functionTimeout.seconds, forKey: .functionTimeout)
        try container.encode(flushCap?.seconds, forKey: .flushCap)
        try container.encode(workMilliseconds, forKey: .workMilliseconds)
    }
}
