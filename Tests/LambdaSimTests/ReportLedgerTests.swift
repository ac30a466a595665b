import Testing

@testable import LambdaSim

/// The report's assembly from the ledger on its own, without sandboxes or processes.
@Suite("lambda-sim report ledger", .timeLimit(.minutes(2)))
struct ReportLedgerTests {
    private static func flush(sandbox: Int, start: Double) -> LambdaSimReport.Flush {
        LambdaSimReport.Flush(requestId: nil, sandbox: sandbox, start: start, end: start + 1)
    }

    @Test("retired sandboxes and their flushes keep the most recent retainedDetail, and omitted counts the rest")
    func retiredDetailIsBoundedAndCounted() {
        var ledger = ReportLedger(retainedDetail: 2)
        for id in 1...3 {
            ledger.countStartedSandbox()
            // Each output had dropped one ended flush already and hands over two, interleaved in time.
            let flushes = [Self.flush(sandbox: id, start: Double(id)), Self.flush(sandbox: id, start: Double(id) + 10)]
            ledger.retire(.init(id: id, startedMs: Double(id), extensions: []), flushes: (flushes, 1))
        }
        ledger.record(.init(kind: .freezeWhileFlushing, sandbox: 3, atMs: 1, flushStartMs: 0))
        let report = ledger.report(invocations: InvocationQueue(retainedDetail: 2), running: [])

        #expect(report.summary.sandboxesStarted == 3)
        #expect(report.summary.violations == 1)
        #expect(report.sandboxes.map(\.id) == [2, 3])
        #expect(report.omitted.sandboxes == 1)
        #expect(report.flushes.map(\.start) == [3, 13], "the last two retired, in start order")
        #expect(report.omitted.flushes == 3 + 4, "3 dropped by the outputs, 4 by the window")
        #expect(report.flushes.count + report.omitted.flushes == 9)
    }
}
