import DequeModule

/// The decisions of a batch export queue, as a value: what is queued, which batch leaves next, when a flush is
/// answered and how, what is dropped and counted.
///
/// Each mutating method takes one thing that happened (an item offered, the schedule timer fired, a flush
/// requested or its deadline reached, an export starting or settled, shutdown) and returns what the driver
/// (``BatchExportQueue``) must do now: wake its worker, resume a flush waiter with an outcome, arm the next
/// schedule tick. The machine has no clock, no lock and no task: the driver passes the time in and serialises the
/// calls, so every rule can be tested as a table in virtual time.
///
/// The rules it keeps:
/// - **Bounds.** An item is accepted only while the queue holds fewer than `maxQueueSize` items and the item's
///   bytes fit under `maxQueueBytes` with the bytes held (accepted and not yet settled: queued, prepared, in
///   flight or kept). Anything else is dropped and counted once, in the next ``report(exportedSince:outcome:)``.
/// - **Batches.** Items fill a batch that closes at `maxExportBatchSize` items or `maxExportBatchBytes` bytes (an
///   item that would take it past the bytes closes it and starts the next); closed batches leave oldest first.
/// - **At least once.** A batch whose export ends in `.retryLater` or `.collectorUnavailable` goes back to the
///   front, with the batch prepared meanwhile right behind it; it leaves with the next export. A `.rejected` batch
///   is settled and counted as dropped.
/// - **Flush barrier.** A flush waits for the items accepted before it, and no others: it is answered `.ok` once
///   they are settled, with the failure of an export started for it, or `.timedOut` at its deadline. Its items
///   stay queued whatever the answer.
/// - **Back-off.** After a failed export the worker waits for the next timer tick or a new flush.
struct BatchExportStateMachine<Item: Sendable>: Sendable {
    /// Identifies a flush waiter; the driver chooses it, unique among the waiters registered.
    typealias WaiterID = Int

    /// Items that leave in one export call, and their estimated export bytes.
    struct Batch: Sendable {
        var items: [Item]
        var bytes: Int
    }

    /// What the driver must do after an event.
    enum Action: Sendable, Equatable {
        /// Let the worker look for work again (``workerReady()``), if it waits.
        case wakeWorker
        /// Resume the flush waiter with this outcome; the machine has forgotten it.
        case resume(WaiterID, FlushOutcome)
        /// Call ``timerFired(now:)`` at this instant.
        case armTick(at: ContinuousClock.Instant)
        /// Cancel the pending schedule tick: the queue is stopping.
        case cancelTick
    }

    /// What ``offer(_:bytes:)`` did with an item.
    enum OfferDecision: Equatable {
        /// Dropped and counted: the queue is full (items or bytes) or closed.
        case dropped
        /// Queued.
        case queued
        /// Queued, and the worker has work now (a batch closed, or there is no schedule delay).
        case queuedWakingWorker
    }

    /// What the worker does next.
    enum WorkerStep: Sendable {
        /// Export this batch.
        case export(Batch)
        /// Nothing to do yet: wait to be woken (``Action/wakeWorker``).
        case wait
        /// The queue is stopping: end.
        case stop
    }

    private struct Waiter {
        /// Exports started before this waiter registered; a failed export only answers waiters it was started for.
        var registeredAfterExports: Int
        /// The waiter is answered once `settled` reaches this.
        var target: UInt64
        var deadline: ContinuousClock.Instant
        /// The failure of a refused export while it waited; reported instead of `.ok`.
        var rejection: String?
    }

    private let configuration: BatchConfiguration
    /// The processor's name, in the answer to a flush after shutdown.
    private let name: String

    /// Full batches, oldest first (a batch an export returned with `.retryLater` goes back in front).
    private var ready = Deque<Batch>()
    /// The batch being filled; it joins `ready` when it holds `maxExportBatchSize` items or `maxExportBatchBytes` bytes.
    private var filling: [Item] = []
    /// The estimated export bytes of `filling`.
    private var fillingBytes = 0
    /// An exported batch's emptied array, kept so that the next `filling` reuses its storage.
    private var spare: [Item] = []
    /// The estimated export bytes of the items accepted and not yet settled, counted against `maxQueueBytes`.
    private(set) var heldBytes = 0
    /// Items in `ready` and `filling`.
    private var queued = 0
    /// Items of the batch taken and prepared while the current export runs, not yet handed to the exporter.
    private var prepared = 0
    /// Items handed to the exporter and not yet settled.
    private var inFlight = 0
    /// Items ever accepted; item number `n` (1-based) is settled once `settled >= n`.
    private var accepted: UInt64 = 0
    /// Items exported or refused. The batch in flight, then the prepared one, then `ready` and `filling` hold
    /// exactly items `settled + 1 ... accepted`, in order.
    private var settled: UInt64 = 0
    /// Items exported since the queue began.
    private(set) var exportedTotal: UInt64 = 0
    private var droppedSinceReport = 0
    /// Exports since the last report whose failure began a collector outage.
    private var unavailablePeriodsSinceReport = 0
    private var timerDue = false
    /// Set after a `.retryLater` or `.collectorUnavailable`; cleared by the timer or a new flush.
    private var backingOff = false
    /// Shutdown began: no item is accepted any more.
    private var closed = false
    /// Shutdown's flush is over: the worker ends and no flush waits any more.
    private var stopRequested = false
    /// Incremented as each export starts; a waiter remembers the value it saw when it registered.
    private var exportsStarted = 0
    private var waiters: [WaiterID: Waiter] = [:]

    init(configuration: BatchConfiguration, name: String) {
        self.configuration = configuration
        self.name = name
    }

    /// Items the queue holds, counted against `maxQueueSize`.
    var held: Int { queued + prepared }

    /// Items accepted and not yet settled: held, or in flight.
    var pending: Int { held + inFlight }

    // MARK: Events

    /// The queue starts: arms the first schedule tick.
    func start(now: ContinuousClock.Instant) -> [Action] {
        configuration.scheduleDelay > .zero ? [.armTick(at: now + configuration.scheduleDelay)] : []
    }

    /// An item of `bytes` estimated export bytes is offered. It is taken out of `item` when accepted and left there
    /// when dropped (so that the caller releases it outside its lock).
    mutating func offer(_ item: inout Item?, bytes: Int) -> OfferDecision {
        guard !closed, held < configuration.maxQueueSize, bytes <= configuration.maxQueueBytes - heldBytes else {
            droppedSinceReport += 1
            return .dropped
        }
        var batchClosed = false
        if !filling.isEmpty, bytes > configuration.maxExportBatchBytes - fillingBytes {
            ready.append(takeFilling())
            batchClosed = true
        }
        filling.append(item.take()!)
        fillingBytes += bytes
        heldBytes += bytes
        queued += 1
        accepted += 1
        if filling.count >= configuration.maxExportBatchSize || fillingBytes >= configuration.maxExportBatchBytes {
            ready.append(takeFilling())
            batchClosed = true
        }
        return !backingOff && (batchClosed || configuration.scheduleDelay == .zero) ? .queuedWakingWorker : .queued
    }

    /// The schedule timer fired: a partial batch may leave, and a back-off ends.
    mutating func timerFired(now: ContinuousClock.Instant) -> [Action] {
        timerDue = true
        backingOff = false
        var actions: [Action] = queued == 0 ? [] : [.wakeWorker]
        if !stopRequested, configuration.scheduleDelay > .zero {
            actions.append(.armTick(at: now + configuration.scheduleDelay))
        }
        return actions
    }

    /// A flush asks to be answered once every item accepted so far is settled, or at `deadline` (the driver then
    /// calls ``deadlineReached(_:)``).
    mutating func flushRequested(_ id: WaiterID, deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> [Action] {
        let target = accepted
        if target <= settled { return [.resume(id, .ok)] }
        if stopRequested { return [.resume(id, .failed("\(name) processor is shut down"))] }
        if now >= deadline { return [.resume(id, .timedOut)] }
        waiters[id] = Waiter(registeredAfterExports: exportsStarted, target: target, deadline: deadline)
        backingOff = false
        return [.wakeWorker]
    }

    /// A flush's deadline passed: it is answered `.timedOut` if it still waits. Its items stay queued.
    mutating func deadlineReached(_ id: WaiterID) -> [Action] {
        waiters.removeValue(forKey: id) == nil ? [] : [.resume(id, .timedOut)]
    }

    /// A flush's task was cancelled: it is answered `.failed` if it still waits. Its items stay queued.
    mutating func flushCancelled(_ id: WaiterID) -> [Action] {
        waiters.removeValue(forKey: id) == nil ? [] : [.resume(id, .failed("flush cancelled"))]
    }

    /// The result of a flush that ended with `outcome`, counting exports since `exportedBefore` (``exportedTotal``
    /// when it began). Drops and outages are reported once: the counts start again from zero.
    mutating func report(exportedSince exportedBefore: UInt64, outcome: FlushOutcome) -> FlushResult {
        defer {
            droppedSinceReport = 0
            unavailablePeriodsSinceReport = 0
        }
        return FlushResult(
            outcome: outcome,
            exported: Int(exportedTotal - exportedBefore),
            pending: pending,
            dropped: droppedSinceReport,
            unavailablePeriods: unavailablePeriodsSinceReport
        )
    }

    /// Shutdown begins: later items are dropped, and what is queued leaves for flushes only.
    mutating func close() {
        closed = true
    }

    /// Shutdown's flush is over: the worker ends, the schedule tick is cancelled, later flushes fail at once.
    mutating func stop() -> [Action] {
        stopRequested = true
        return [.wakeWorker, .cancelTick]
    }

    // MARK: Worker

    /// The worker is free: it exports the next batch, waits for work, or ends.
    mutating func workerReady() -> WorkerStep {
        if stopRequested { return .stop }
        return takeBatch().map(WorkerStep.export) ?? .wait
    }

    /// Takes the oldest batch (a full one, else the one being filled) if there is work for it now; the worker
    /// prepares it, while the current export runs or before its own.
    mutating func takeBatch() -> Batch? {
        guard !stopRequested, hasWork else { return nil }
        let batch = ready.popFirst() ?? takeFilling()
        queued -= batch.items.count
        prepared += batch.items.count
        timerDue = false
        return batch
    }

    /// The prepared batch of `count` items goes to the exporter; returns the export's deadline (the export timeout,
    /// or the latest flush deadline if sooner), or `nil` once the queue is stopping.
    mutating func exportStarting(_ count: Int, now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard !stopRequested else { return nil }
        prepared -= count
        inFlight = count
        exportsStarted += 1
        let cap = configuration.exportTimeout.map { now + $0 }
        let flushDeadline = waiters.values.map(\.deadline).max()
        return [cap, flushDeadline].compactMap { $0 }.min() ?? now + .seconds(86_400 * 365)
    }

    /// The export of `batch` ended with `result`; waiters are resumed in the order of their IDs. A batch that did not get through is kept at the front, with
    /// `preparedBehind` (taken and prepared meanwhile, unsent) right behind it; the flushes this export was
    /// started for learn that it failed (or timed out, once past their deadline).
    mutating func exportSettled(_ batch: Batch, _ result: ExportResult, returning preparedBehind: Batch?, now: ContinuousClock.Instant) -> [Action] {
        let count = batch.items.count
        var actions: [Action] = []
        inFlight = 0
        switch result {
        case .success:
            settled += UInt64(count)
            exportedTotal += UInt64(count)
            heldBytes -= batch.bytes
        case .rejected(let failure):
            settled += UInt64(count)
            droppedSinceReport += count
            heldBytes -= batch.bytes
            for id in waiters.keys { waiters[id]?.rejection = failure.description }
        case .retryLater(let failure):
            keep(batch, preparedBehind, failing: .failed(failure.description), now: now, &actions)
        case .collectorUnavailable(let unavailable):
            if unavailable.beganOpenPeriod { unavailablePeriodsSinceReport += 1 }
            keep(batch, preparedBehind, failing: .collectorUnavailable(unavailable.description), now: now, &actions)
        }
        for id in waiters.keys.sorted() {
            guard let waiter = waiters[id], waiter.target <= settled else { continue }
            waiters.removeValue(forKey: id)
            actions.append(.resume(id, waiter.rejection.map(FlushOutcome.failed) ?? .ok))
        }
        return actions
    }

    /// An exported batch's emptied array: its storage is kept for the next batch to fill.
    mutating func recycle(_ emptied: consuming [Item]) {
        if spare.capacity < emptied.capacity { spare = emptied }
    }

    // MARK: Rules

    /// Whether the worker should take a batch now (or end): a worker that waits without it is woken by an action.
    var hasWork: Bool {
        if stopRequested { return true }
        guard queued > 0 else { return false }
        if closed { return !waiters.isEmpty }
        if backingOff { return false }
        let taken = settled + UInt64(inFlight + prepared)
        return !ready.isEmpty
            || timerDue
            || configuration.scheduleDelay == .zero
            || waiters.values.contains { $0.target > taken }
    }

    /// Takes the batch being filled, leaving the spare array's storage to fill next.
    private mutating func takeFilling() -> Batch {
        defer {
            filling = spare
            spare = []
            fillingBytes = 0
        }
        return Batch(items: filling, bytes: fillingBytes)
    }

    /// Puts a batch whose export did not get through back at the front, with `preparedBehind` right behind it, and
    /// answers the waiters the export was started for. A flush that arrived while it ran gets an attempt of its own;
    /// without one, the worker backs off until the timer.
    private mutating func keep(
        _ batch: Batch, _ preparedBehind: Batch?, failing outcome: FlushOutcome, now: ContinuousClock.Instant, _ actions: inout [Action]
    ) {
        if let preparedBehind {
            ready.prepend(preparedBehind)
            prepared -= preparedBehind.items.count
            queued += preparedBehind.items.count
        }
        ready.prepend(batch)
        queued += batch.items.count
        for id in waiters.keys.sorted() {
            guard let waiter = waiters[id], waiter.registeredAfterExports < exportsStarted else { continue }
            waiters.removeValue(forKey: id)
            actions.append(.resume(id, now >= waiter.deadline ? .timedOut : outcome))
        }
        backingOff = waiters.isEmpty
    }
}
