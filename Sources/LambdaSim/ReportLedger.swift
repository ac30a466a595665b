/// What the report keeps besides the invocations and the live sandboxes — the violations, the records and flushes of
/// the retired sandboxes, how many sandboxes started — and the assembly of the report. Lives on the simulator's loop.
///
/// ## Memory
/// Violations, retired sandbox records and retired flushes each keep the most recent
/// ``LambdaSimConfiguration/retainedDetail``; what they drop is counted, so the report's summary stays exact and its
/// `omitted` says how much detail is missing.
struct ReportLedger {
    private let retainedDetail: Int
    private var violations: RecentWindow<LambdaSimReport.Violation>
    /// The records of the sandboxes whose bootstrap was reaped.
    private var retiredSandboxes: RecentWindow<LambdaSimReport.SandboxRecord>
    /// The flushes of those sandboxes, with the count their outputs had dropped already.
    private var retiredFlushes: RecentWindow<LambdaSimReport.Flush>
    private var retiredFlushesDropped = 0
    private var sandboxesStarted = 0

    init(retainedDetail: Int) {
        self.retainedDetail = retainedDetail
        self.violations = RecentWindow(limit: retainedDetail)
        self.retiredSandboxes = RecentWindow(limit: retainedDetail)
        self.retiredFlushes = RecentWindow(limit: retainedDetail)
    }

    mutating func record(_ violation: LambdaSimReport.Violation) {
        violations.append(violation)
    }

    /// Counts a sandbox whose bootstrap was spawned.
    mutating func countStartedSandbox() {
        sandboxesStarted += 1
    }

    /// Keeps the record and the flushes of a sandbox whose bootstrap was reaped (`flushes` as its output gives them).
    mutating func retire(_ record: LambdaSimReport.SandboxRecord, flushes: (recent: [LambdaSimReport.Flush], dropped: Int)?) {
        retiredSandboxes.append(record)
        if let flushes {
            for flush in flushes.recent { retiredFlushes.append(flush) }
            retiredFlushesDropped += flushes.dropped
        }
    }

    /// The report: the exact counts, and the most recent detail of the invocations, violations, sandboxes (retired
    /// and `running`) and flushes.
    func report(invocations: InvocationQueue, running: [Sandbox]) -> LambdaSimReport {
        let timelines = invocations.timelines
        var summary = invocations.retiredTally
        for timeline in timelines { summary.count(timeline) }
        summary.violations = violations.total
        summary.sandboxesStarted = sandboxesStarted

        var omitted = LambdaSimReport.Omitted()
        omitted.invocations = invocations.retiredTally.invocations
        omitted.violations = violations.dropped
        var records = Array(retiredSandboxes.elements) + running.map(\.record)
        records.sort { $0.id < $1.id }
        omitted.sandboxes = retiredSandboxes.dropped

        var flushes = Array(retiredFlushes.elements)
        omitted.flushes = retiredFlushesDropped + retiredFlushes.dropped
        for sandbox in running {
            guard let own = sandbox.output?.flushes else { continue }
            flushes += own.recent
            omitted.flushes += own.dropped
        }
        flushes.sort { $0.start < $1.start }
        if flushes.count > retainedDetail {
            omitted.flushes += flushes.count - retainedDetail
            flushes.removeFirst(flushes.count - retainedDetail)
        }
        return LambdaSimReport(
            invocations: timelines, violations: Array(violations.elements), summary: summary, flushes: flushes,
            sandboxes: records, omitted: omitted
        )
    }
}
