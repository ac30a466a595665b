import EntityAPI
import LambdaSim
import OTLPReceiver

/// What one strategy did through one collector outage: a row of the `collector-down` table, an entry of its JSON.
///
/// *Post-response time* is what the invoke phase lasted after the response was posted (to the last `next` of the
/// phase, or its end by the function timeout): time Lambda bills and during which it cannot send the sandbox
/// another event.
struct OutageResult: Sendable, Encodable {
    var strategy: BenchStrategy
    var outage: CollectorOutage
    /// Post-response time of each invocation during the outage, in order, milliseconds.
    var outagePostResponseMs: [Double]
    /// Median, least and most post-response time from the third invocation of the outage on.
    var medianFromThirdMs: Double?
    var minFromThirdMs: Double?
    var maxFromThirdMs: Double?
    /// Post-response time of the whole outage, seconds, and the same in function timeouts.
    var outageTotalS: Double
    var outageTotalFunctionTimeouts: Double
    /// Post-response time of the invocations after the collector came back, median, milliseconds.
    var recoveryMedianMs: Double?
    /// What callers waited, all invocations: median and most, milliseconds.
    var callerP50Ms: Double
    var callerMaxMs: Double
    /// Callers not answered 200.
    var callersNotAnswered: Int
    var functionTimeouts: Int
    /// Spans the function recorded (5 per invocation whose handler finished), and distinct ones the collector got.
    var spansCreated: Int
    var spansDistinct: Int
    var lostSpans: Int
    /// After how many invocations since the collector came back it held every span created so far; nil: never.
    var caughtUpAfter: Int?

    init(
        strategy: BenchStrategy, outage: CollectorOutage, settings: OutageSettings, callers: [OpenLoopLoad.Sample],
        report: LambdaSimReport, received: ReceiverSummary, caughtUpAfter: Int?
    ) {
        let invocations = report.invocations.sorted { $0.receivedMs < $1.receivedMs }
        let postResponse = invocations.map(Self.postResponseMs)
        let outagePart = Array(postResponse.prefix(settings.outageInvocations))
        let fromThird = outagePart.dropFirst(2).compactMap { $0 }
        let callerLatencies = LatencyHistogram(milliseconds: callers.map(\.latency.milliseconds))
        let created = invocations.filter { $0.responsePostedMs != nil }.count * EntityHandler.spansPerRequest

        self.strategy = strategy
        self.outage = outage
        outagePostResponseMs = outagePart.map { $0 ?? 0 }
        medianFromThirdMs = Self.median(fromThird)
        minFromThirdMs = fromThird.min()
        maxFromThirdMs = fromThird.max()
        outageTotalS = outagePostResponseMs.reduce(0, +) / 1_000
        outageTotalFunctionTimeouts = outageTotalS / settings.functionTimeout.seconds
        recoveryMedianMs = Self.median(postResponse.dropFirst(settings.outageInvocations).compactMap { $0 })
        callerP50Ms = callerLatencies.percentile(50) ?? 0
        callerMaxMs = callerLatencies.max ?? 0
        callersNotAnswered = callers.filter { $0.status != 200 }.count
        functionTimeouts = report.summary.timeouts
        spansCreated = created
        spansDistinct = received.traces.distinctItems
        lostSpans = max(0, created - received.traces.distinctItems)
        self.caughtUpAfter = caughtUpAfter
    }

    /// From the response to the end of the invoke phase: the last `next`, or the freeze or kill that ended it.
    static func postResponseMs(_ invocation: InvocationTimeline) -> Double? {
        guard let response = invocation.responsePostedMs else { return nil }
        let end = [invocation.runtimeNextMs, invocation.lastExtensionNextMs].compactMap { $0 }.max() ?? invocation.frozenMs ?? invocation.killedMs
        return end.map { max(0, $0 - response) }
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private enum CodingKeys: String, CodingKey {
        case strategy, outage, outagePostResponseMs = "outage_post_response_ms", medianFromThirdMs = "median_from_third_ms"
        case minFromThirdMs = "min_from_third_ms", maxFromThirdMs = "max_from_third_ms", outageTotalS = "outage_total_s"
        case outageTotalFunctionTimeouts = "outage_total_function_timeouts", recoveryMedianMs = "recovery_median_ms"
        case callerP50Ms = "caller_p50_ms", callerMaxMs = "caller_max_ms", callersNotAnswered = "callers_not_answered"
        case functionTimeouts = "function_timeouts", spansCreated = "spans_created", spansDistinct = "spans_distinct"
        case lostSpans = "lost_spans", caughtUpAfter = "caught_up_after"
    }

    /// Every key, `null` for the values that are not known.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(strategy.rawValue, forKey: .strategy)
        try container.encode(outage.rawValue, forKey: .outage)
        try container.encode(outagePostResponseMs, forKey: .outagePostResponseMs)
        try container.encode(medianFromThirdMs, forKey: .medianFromThirdMs)
        try container.encode(minFromThirdMs, forKey: .minFromThirdMs)
        try container.encode(maxFromThirdMs, forKey: .maxFromThirdMs)
        try container.encode(outageTotalS, forKey: .outageTotalS)
        try container.encode(outageTotalFunctionTimeouts, forKey: .outageTotalFunctionTimeouts)
        try container.encode(recoveryMedianMs, forKey: .recoveryMedianMs)
        try container.encode(callerP50Ms, forKey: .callerP50Ms)
        try container.encode(callerMaxMs, forKey: .callerMaxMs)
        try container.encode(callersNotAnswered, forKey: .callersNotAnswered)
        try container.encode(functionTimeouts, forKey: .functionTimeouts)
        try container.encode(spansCreated, forKey: .spansCreated)
        try container.encode(spansDistinct, forKey: .spansDistinct)
        try container.encode(lostSpans, forKey: .lostSpans)
        try container.encode(caughtUpAfter, forKey: .caughtUpAfter)
    }
}
