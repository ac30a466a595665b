/// What one strategy did at one arrival rate: a row of the table, an entry of the JSON's `runs`, a line of the chart.
///
/// Latencies are those of the load phase's invocations as their callers saw them; counts of the simulator (timeouts,
/// violations, spans created) cover the whole run, warm-up included, because the collector's count does too.
struct RunResult: Sendable, Encodable {
    var strategy: BenchStrategy
    var rps: Double
    /// Invocations of the load phase.
    var invocations: Int
    var p50Ms: Double
    var p95Ms: Double
    var p99Ms: Double
    var maxMs: Double
    /// Callers answered 504 after the gateway timeout.
    var gatewayTimeouts: Int
    /// Invoke phases the function timeout ended.
    var functionTimeouts: Int
    /// Invocations answered with a function error or not taken.
    var errors: Int
    /// Cold starts during the load phase (sandboxes beyond the warm ones).
    var coldStarts: Int
    /// Spans the function recorded: 5 per invocation whose handler finished.
    var spansCreated: Int
    /// Spans the in-process collector accepted, after the sandboxes were shut down; `nil` with `--collector`.
    var spansReceived: Int?
    /// Distinct spans among them (by trace and span id); `nil` with `--collector`.
    var spansDistinct: Int?
    /// Spans created that never arrived: created − distinct received; `nil` with `--collector`.
    var lostSpans: Int?
    /// Arrivals of spans that had arrived before (received − distinct); `nil` with `--collector`.
    var duplicateSpans: Int?
    /// Export requests the collector stalled; `nil` with `--collector`.
    var stallsInjected: Int?
    /// Lifecycle violations the emulator recorded (freeze, INVOKE or kill while a flush ran).
    var violations: Int
    /// Mean of invoke start to the last `next` (runtime's or extension's) of the invoke phase.
    var billedMsMean: Double
    var flushP50Ms: Double?
    var flushP99Ms: Double?
    /// The latency CDF of the load phase.
    var cdf: [CDFPoint]

    private enum CodingKeys: String, CodingKey {
        case strategy, rps, invocations
        case p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms", maxMs = "max_ms"
        case gatewayTimeouts = "gateway_timeouts", functionTimeouts = "function_timeouts", errors, coldStarts = "cold_starts"
        case spansCreated = "spans_created", spansReceived = "spans_received", spansDistinct = "spans_distinct"
        case lostSpans = "lost_spans", duplicateSpans = "duplicate_spans", stallsInjected = "stalls_injected"
        case violations, billedMsMean = "billed_ms_mean", flushP50Ms = "flush_p50_ms", flushP99Ms = "flush_p99_ms"
        case cdf
    }

    /// Every key, `null` for the values that are not known (the synthesized encoding would leave them out).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(strategy.rawValue, forKey: .strategy)
        try container.encode(rps, forKey: .rps)
        try container.encode(invocations, forKey: .invocations)
        try container.encode(p50Ms, forKey: .p50Ms)
        try container.encode(p95Ms, forKey: .p95Ms)
        try container.encode(p99Ms, forKey: .p99Ms)
        try container.encode(maxMs, forKey: .maxMs)
        try container.encode(gatewayTimeouts, forKey: .gatewayTimeouts)
        try container.encode(functionTimeouts, forKey: .functionTimeouts)
        try container.encode(errors, forKey: .errors)
        try container.encode(coldStarts, forKey: .coldStarts)
        try container.encode(spansCreated, forKey: .spansCreated)
        try container.encode(spansReceived, forKey: .spansReceived)
        try container.encode(spansDistinct, forKey: .spansDistinct)
        try container.encode(lostSpans, forKey: .lostSpans)
        try container.encode(duplicateSpans, forKey: .duplicateSpans)
        try container.encode(stallsInjected, forKey: .stallsInjected)
        try container.encode(violations, forKey: .violations)
        try container.encode(billedMsMean, forKey: .billedMsMean)
        try container.encode(flushP50Ms, forKey: .flushP50Ms)
        try container.encode(flushP99Ms, forKey: .flushP99Ms)
        try container.encode(cdf.map { [$0.milliseconds, $0.fraction] }, forKey: .cdf)
    }
}
