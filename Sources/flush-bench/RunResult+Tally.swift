import EntityAPI
import LambdaSim
import OTLPReceiver

extension RunResult {
    /// Tallies a run: caller latencies of the load phase from `samples`; timeouts, violations, billed durations,
    /// flushes and spans created from the simulator's final `report`; spans received from the collector's count taken
    /// after the shutdown (`nil` with an external collector).
    init(
        strategy: BenchStrategy,
        rps: Double,
        samples: [OpenLoopLoad.Sample],
        report: LambdaSimReport,
        warmSandboxes: Int,
        received: ReceiverSummary?,
        stalls: Int?
    ) {
        let latencies = LatencyHistogram(milliseconds: samples.map(\.latency.milliseconds))
        let flushes = LatencyHistogram(milliseconds: report.flushes.filter { $0.requestId != "shutdown" }.compactMap(\.durationMs))
        let billed = LatencyHistogram(milliseconds: report.invocations.compactMap(\.billedMs))
        let created = report.invocations.filter { $0.responsePostedMs != nil }.count * EntityHandler.spansPerRequest
        let summary = report.summary

        self.strategy = strategy
        self.rps = rps
        invocations = samples.count
        p50Ms = latencies.percentile(50) ?? 0
        p95Ms = latencies.percentile(95) ?? 0
        p99Ms = latencies.percentile(99) ?? 0
        maxMs = latencies.max ?? 0
        gatewayTimeouts = summary.gatewayTimeouts
        functionTimeouts = summary.timeouts
        errors = summary.errors
        coldStarts = max(0, summary.coldStarts - warmSandboxes)
        spansCreated = created
        spansReceived = received?.traces.items
        spansDistinct = received?.traces.distinctItems
        lostSpans = received.map { max(0, created - $0.traces.distinctItems) }
        duplicateSpans = received?.traces.duplicateItems
        stallsInjected = stalls
        violations = summary.violations
        billedMsMean = billed.mean ?? 0
        flushP50Ms = flushes.percentile(50)
        flushP99Ms = flushes.percentile(99)
        cdf = latencies.distribution
    }
}
