@testable import OTelSDK
import Testing

/// The batch export queue's rules, as tables of (event, what the machine decided), in virtual time: instants are
/// milliseconds after `t0`, passed in as values, so a deadline an hour away costs nothing to reach.
@Suite("Batch export state machine", .timeLimit(.minutes(2)))
struct BatchExportStateMachineTests {
    typealias Machine = BatchExportStateMachine<Int>
    typealias Action = Machine.Action

    static let t0 = ContinuousClock.now

    static func at(_ milliseconds: Int) -> ContinuousClock.Instant {
        t0 + .milliseconds(milliseconds)
    }

    static func configuration(
        queue: Int = 100, batch: Int = 3, delay: Duration = .seconds(3600), timeout: Duration? = .seconds(30),
        queueBytes: Int = 1_000_000, batchBytes: Int = 1_000_000
    ) -> BatchConfiguration {
        BatchConfiguration(
            maxQueueSize: queue, maxExportBatchSize: batch, scheduleDelay: delay, exportTimeout: timeout,
            maxQueueBytes: queueBytes, maxExportBatchBytes: batchBytes)
    }

    enum Step {
        /// Offer items (each of `bytes`), recording one decision per item.
        case offer(Range<Int>, bytes: Int = 10)
        case tick(at: Int)
        case flush(Int, deadline: Int, at: Int)
        case deadline(Int)
        case cancel(Int)
        /// The worker asks for its next batch.
        case worker
        /// The worker takes and prepares the following batch while the current export runs.
        case prepareNext
        case start(at: Int)
        case settle(ExportResult, at: Int)
        case report
        case close
        case stop
    }

    enum Observed: Equatable {
        case offered([Machine.OfferDecision])
        case actions([Action])
        case export([Int])
        case waits
        case stops
        case prepared([Int]?)
        /// The export's deadline in milliseconds after `t0`, or nil when the queue is stopping.
        case exportDeadline(Int?)
        case report(FlushResult)
        case none
    }

    /// Runs the steps on a fresh machine, as the driver would, and returns the machine and what each step gave.
    static func run(_ configuration: BatchConfiguration, _ steps: [Step]) -> (machine: Machine, observed: [Observed]) {
        var machine = Machine(configuration: configuration, name: "Test")
        var current: Machine.Batch?
        var preparedNext: Machine.Batch?
        var exportedAtFirstReport: UInt64 = 0
        var observed: [Observed] = []
        for step in steps {
            switch step {
            case .offer(let range, let bytes):
                observed.append(.offered(range.map { n in
                    var item = Optional(n)
                    return machine.offer(&item, bytes: bytes)
                }))
            case .tick(let ms):
                observed.append(.actions(machine.timerFired(now: at(ms))))
            case .flush(let id, let deadline, let ms):
                observed.append(.actions(machine.flushRequested(id, deadline: at(deadline), now: at(ms))))
            case .deadline(let id):
                observed.append(.actions(machine.deadlineReached(id)))
            case .cancel(let id):
                observed.append(.actions(machine.flushCancelled(id)))
            case .worker:
                switch machine.workerReady() {
                case .export(let batch):
                    current = batch
                    observed.append(.export(batch.items))
                case .wait: observed.append(.waits)
                case .stop: observed.append(.stops)
                }
            case .prepareNext:
                preparedNext = machine.takeBatch()
                observed.append(.prepared(preparedNext?.items))
            case .start(let ms):
                let deadline = machine.exportStarting(current?.items.count ?? 0, now: at(ms))
                observed.append(.exportDeadline(deadline.map { Int((($0 - t0) / .milliseconds(1)).rounded()) }))
            case .settle(let result, let ms):
                guard let exported = current else {
                    observed.append(.none)
                    continue
                }
                observed.append(.actions(machine.exportSettled(exported, result, returning: preparedNext, now: at(ms))))
                switch result {
                case .success, .rejected: current = preparedNext
                case .retryLater, .collectorUnavailable: current = nil
                }
                preparedNext = nil
            case .report:
                observed.append(.report(machine.report(exportedSince: exportedAtFirstReport, outcome: .ok)))
                exportedAtFirstReport = machine.exportedTotal
            case .close:
                machine.close()
                observed.append(.none)
            case .stop:
                observed.append(.actions(machine.stop()))
            }
        }
        return (machine, observed)
    }

    static let queued = Machine.OfferDecision.queued
    static let wakes = Machine.OfferDecision.queuedWakingWorker
    static let dropped = Machine.OfferDecision.dropped
    static let refused = ExportResult.retryLater(ExportFailure("connection refused"))

    // MARK: At least once

    @Test("a batch whose export did not get through is kept and leaves first, ahead of the items queued behind it")
    func failedBatchIsResentFirst() {
        let (machine, observed) = Self.run(Self.configuration(), [
            .offer(0..<3), .worker, .start(at: 0),
            .offer(3..<5),
            .settle(Self.refused, at: 10),
            .worker,                              // backing off: no flush, no tick yet
            .tick(at: 1000), .worker, .start(at: 1000), .settle(.success, at: 1010),
            .tick(at: 2000), .worker, .start(at: 2000), .settle(.success, at: 2010),
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued, Self.wakes]), .export([0, 1, 2]), .exportDeadline(30_000),
            .offered([Self.queued, Self.queued]),
            .actions([]),
            .waits,
            .actions([.wakeWorker, .armTick(at: Self.at(1000) + .seconds(3600))]), .export([0, 1, 2]), .exportDeadline(31_000), .actions([]),
            .actions([.wakeWorker, .armTick(at: Self.at(2000) + .seconds(3600))]), .export([3, 4]), .exportDeadline(32_000), .actions([]),
        ])
        #expect(machine.pending == 0)
        #expect(machine.exportedTotal == 5)
    }

    @Test("a batch prepared during a failed export goes back right behind the failed one, both ahead of later items")
    func preparedBatchGoesBackBehindTheFailedOne() {
        let (_, observed) = Self.run(Self.configuration(), [
            .offer(0..<7), .worker, .start(at: 0), .prepareNext,
            .settle(.collectorUnavailable(CollectorUnavailable("breaker open", beganOpenPeriod: true)), at: 5),
            .flush(1, deadline: 100, at: 6),
            .worker, .start(at: 6), .prepareNext, .settle(.success, at: 7),
            .start(at: 7), .prepareNext, .settle(.success, at: 8),
            .start(at: 8), .settle(.success, at: 9),
            .report,
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued, Self.wakes, Self.queued, Self.queued, Self.wakes, Self.queued]),
            .export([0, 1, 2]), .exportDeadline(30_000), .prepared([3, 4, 5]),
            .actions([]),                         // both back in order; backing off until a tick or flush
            .actions([.wakeWorker]),
            .export([0, 1, 2]), .exportDeadline(100), .prepared([3, 4, 5]), .actions([]),
            .exportDeadline(100), .prepared([6]), .actions([]),
            .exportDeadline(100), .actions([.resume(1, .ok)]),
            .report(FlushResult(outcome: .ok, exported: 7, pending: 0, dropped: 0, unavailablePeriods: 1)),
        ])
    }

    @Test("an export the flush deadline cut off answers its flush timedOut, and its batch leaves again with the next flush")
    func timedOutExportIsKept() {
        let (machine, observed) = Self.run(Self.configuration(), [
            .offer(0..<2), .flush(1, deadline: 100, at: 0),
            .worker, .start(at: 0),
            .settle(.retryLater(ExportFailure("deadline reached")), at: 100),
            .deadline(1),                         // the timer fires late: nothing left to answer
            .flush(2, deadline: 5000, at: 200), .worker, .start(at: 200), .settle(.success, at: 210),
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued]), .actions([.wakeWorker]),
            .export([0, 1]), .exportDeadline(100),
            .actions([.resume(1, .timedOut)]),
            .actions([]),
            .actions([.wakeWorker]), .export([0, 1]), .exportDeadline(5000), .actions([.resume(2, .ok)]),
        ])
        #expect(machine.exportedTotal == 2)
    }

    // MARK: Flush barrier

    @Test("a flush waits only for the items offered before it")
    func flushWaitsOnlyForEarlierItems() {
        let (machine, observed) = Self.run(Self.configuration(batch: 10), [
            .flush(1, deadline: 100, at: 0),      // nothing offered: answered at once
            .offer(0..<2), .flush(2, deadline: 100, at: 0),
            .worker, .start(at: 0),
            .offer(2..<4), .flush(3, deadline: 100, at: 1),
            .settle(.success, at: 5),
            .worker, .start(at: 5), .settle(.success, at: 6),
        ])
        #expect(observed == [
            .actions([.resume(1, .ok)]),
            .offered([Self.queued, Self.queued]), .actions([.wakeWorker]),
            .export([0, 1]), .exportDeadline(100),
            .offered([Self.queued, Self.queued]), .actions([.wakeWorker]),
            .actions([.resume(2, .ok)]),          // items 2 and 3 are still queued: flush 3 waits for them
            .export([2, 3]), .exportDeadline(100), .actions([.resume(3, .ok)]),
        ])
        #expect(machine.pending == 0)
    }

    @Test("a failed export answers only the flushes it was started for; a later flush gets an attempt of its own")
    func failedExportAnswersOnlyItsFlushes() {
        let (_, observed) = Self.run(Self.configuration(batch: 10), [
            .offer(0..<2), .flush(1, deadline: 1000, at: 0), .worker, .start(at: 0),
            .flush(2, deadline: 1000, at: 1),
            .settle(Self.refused, at: 2),
            .worker, .start(at: 2), .settle(.success, at: 3),
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued]), .actions([.wakeWorker]), .export([0, 1]), .exportDeadline(1000),
            .actions([.wakeWorker]),
            .actions([.resume(1, .failed("connection refused"))]),
            .export([0, 1]), .exportDeadline(1000), .actions([.resume(2, .ok)]),
        ])
    }

    // MARK: Deadlines

    @Test("a flush resumes timedOut at its deadline and its items stay queued for the next export")
    func deadlineAnswersTimedOutAndKeepsItems() {
        let (machine, observed) = Self.run(Self.configuration(batch: 10), [
            .offer(0..<2), .flush(1, deadline: 100, at: 0),
            .deadline(1), .cancel(1),
            .flush(2, deadline: 100, at: 100),    // already past: answered at once
            .flush(3, deadline: 200, at: 150), .cancel(3),
            .report,
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued]), .actions([.wakeWorker]),
            .actions([.resume(1, .timedOut)]), .actions([]),
            .actions([.resume(2, .timedOut)]),
            .actions([.wakeWorker]), .actions([.resume(3, .failed("flush cancelled"))]),
            .report(FlushResult(outcome: .ok, exported: 0, pending: 2, dropped: 0)),
        ])
        #expect(machine.held == 2)
    }

    @Test("an export's deadline is the export timeout, or the latest flush deadline if that comes sooner")
    func exportDeadlines() {
        let capped = Self.run(Self.configuration(timeout: .milliseconds(500)), [
            .offer(0..<3), .flush(1, deadline: 300, at: 0), .flush(2, deadline: 400, at: 0), .worker, .start(at: 10),
        ])
        #expect(capped.observed.last == .exportDeadline(400))
        let byTimeout = Self.run(Self.configuration(timeout: .milliseconds(500)), [
            .offer(0..<3), .flush(1, deadline: 9000, at: 0), .worker, .start(at: 10),
        ])
        #expect(byTimeout.observed.last == .exportDeadline(510))
    }

    // MARK: Drops

    @Test("items past the count bound or the byte bound are dropped and counted; a refused batch is dropped and counted")
    func dropsAreCounted() {
        // The batch size is clamped to the queue's: the fourth item closes the batch.
        let (machine, observed) = Self.run(Self.configuration(queue: 4, batch: 10, queueBytes: 100), [
            .offer(0..<4, bytes: 10), .offer(4..<5, bytes: 10),    // fifth: past the count bound
            .flush(1, deadline: 1000, at: 0), .worker, .start(at: 0),
            .offer(5..<6, bytes: 61),                              // 40 + 61 bytes held: past the byte bound
            .offer(6..<7, bytes: 60),                              // 40 + 60 fits
            .settle(.rejected(ExportFailure("HTTP 400")), at: 1),
            .report,
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued, Self.queued, Self.wakes]), .offered([Self.dropped]),
            .actions([.wakeWorker]), .export([0, 1, 2, 3]), .exportDeadline(1000),
            .offered([Self.dropped]),
            .offered([Self.queued]),
            .actions([.resume(1, .failed("HTTP 400"))]),
            .report(FlushResult(outcome: .ok, exported: 0, pending: 1, dropped: 6)),
        ])
        #expect(machine.heldBytes == 60)
    }

    @Test("drops are reported once, and a settle after the flush's report is counted in the next report")
    func dropsAreReportedOnceAndNeverLost() {
        let (_, observed) = Self.run(Self.configuration(queue: 2, batch: 2), [
            .offer(0..<3), .flush(1, deadline: 100, at: 0), .worker, .start(at: 0),
            .deadline(1), .report,                                 // the overflow, reported by the timed-out flush
            .settle(.rejected(ExportFailure("HTTP 413")), at: 150),
            .report, .report,
        ])
        #expect(observed == [
            .offered([Self.queued, Self.wakes, Self.dropped]), .actions([.wakeWorker]), .export([0, 1]), .exportDeadline(100),
            .actions([.resume(1, .timedOut)]), .report(FlushResult(outcome: .ok, exported: 0, pending: 2, dropped: 1)),
            .actions([]),
            .report(FlushResult(outcome: .ok, exported: 0, pending: 0, dropped: 2)),
            .report(FlushResult(outcome: .ok, exported: 0, pending: 0, dropped: 0)),
        ])
    }

    @Test("a kept batch holds its bytes; an item that would close the batch by bytes starts the next one")
    func bytesAreHeldUntilSettledAndSplitBatches() {
        let (machine, observed) = Self.run(Self.configuration(batch: 10, queueBytes: 100, batchBytes: 50), [
            .offer(0..<2, bytes: 20), .offer(2..<3, bytes: 20),    // 60 would pass 50: item 2 starts a new batch
            .worker, .start(at: 0), .settle(Self.refused, at: 1),
            .offer(3..<4, bytes: 50),                              // 60 held: 110 would pass 100
            .offer(4..<5, bytes: 40),
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued]), .offered([Self.wakes]),
            .export([0, 1]), .exportDeadline(30_000), .actions([]),
            .offered([Self.dropped]),
            .offered([Self.queued]),                              // backing off: no wake-up
        ])
        #expect(machine.heldBytes == 100)
    }

    // MARK: Timer and shutdown

    @Test("the timer exports a partial batch and re-arms; a closed queue exports for flushes only; stop ends everything")
    func timerAndShutdown() {
        let (machine, observed) = Self.run(Self.configuration(batch: 10, delay: .milliseconds(50)), [
            .offer(0..<2), .tick(at: 50), .worker, .start(at: 50), .settle(.success, at: 51),
            .close, .offer(2..<3),
            .tick(at: 100), .worker,
            .stop, .worker, .flush(1, deadline: 500, at: 200), .tick(at: 250), .start(at: 250),
        ])
        #expect(observed == [
            .offered([Self.queued, Self.queued]), .actions([.wakeWorker, .armTick(at: Self.at(100))]),
            .export([0, 1]), .exportDeadline(30_050), .actions([]),
            .none, .offered([Self.dropped]),
            .actions([.armTick(at: Self.at(150))]), .waits,
            .actions([.wakeWorker, .cancelTick]), .stops, .actions([.resume(1, .ok)]), .actions([]), .exportDeadline(nil),
        ])
        #expect(machine.start(now: Self.at(0)) == [.armTick(at: Self.at(50))])
    }

    @Test("a closed queue takes its last items only for a flush, and a flush after stop fails at once")
    func closedQueueDrainsForFlushesOnly() {
        let closed = Self.run(Self.configuration(batch: 10), [
            .offer(0..<2), .close, .worker, .offer(2..<3),
            .flush(1, deadline: 100, at: 0), .worker, .start(at: 0), .settle(.success, at: 1),
        ])
        #expect(closed.observed == [
            .offered([Self.queued, Self.queued]), .none, .waits, .offered([Self.dropped]),
            .actions([.wakeWorker]), .export([0, 1]), .exportDeadline(100), .actions([.resume(1, .ok)]),
        ])
        let stopped = Self.run(Self.configuration(batch: 10), [
            .offer(0..<2), .close, .stop, .worker, .flush(1, deadline: 100, at: 0),
        ])
        #expect(stopped.observed == [
            .offered([Self.queued, Self.queued]), .none, .actions([.wakeWorker, .cancelTick]), .stops,
            .actions([.resume(1, .failed("Test processor is shut down"))]),
        ])
    }
}
