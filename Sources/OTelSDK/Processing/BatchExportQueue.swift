import DequeModule
import Logging
import NIOConcurrencyHelpers

/// The engine behind every batching processor: a bounded queue, one background worker that
/// exports one batch at a time, and flush barriers with deadlines.
///
/// Guarantees:
/// - `enqueue` never blocks on I/O and never waits for the worker: it takes one short,
///   per-processor lock. When the queue holds `maxQueueSize` items, or the item's estimated size
///   (``ExportSizeEstimating``, made once, before taking the lock) would take the bytes held past
///   `maxQueueBytes`, the new item is dropped and counted. The bytes held are those of every item
///   accepted and not yet settled: queued, prepared, in flight, or kept after a failed export.
/// - The queue is kept as batches: items are appended to the batch being filled, which joins the
///   ready batches when it holds `maxExportBatchSize` items or `maxExportBatchBytes` bytes (an item
///   that would take it past the bytes closes it and starts the next), and the worker takes a whole batch at
///   once. Neither side moves items one by one under the lock, and the worker is woken once per
///   full batch (or by the timer, a flush or shutdown), never per item.
/// - At most one export runs at a time. With an exporter that prepares batches
///   (``TelemetryExporter/prepare(_:)``: encoding, compression), the next batch is taken and
///   prepared while the current one's export is in flight, so that this work overlaps the wait on
///   the network and the receiver. A prepared batch counts against `maxQueueSize` like a queued one.
/// - `flush(deadline:)` returns `.ok` once every item enqueued before the call has been exported
///   (or refused by the receiver), or `.timedOut` at the deadline, whichever comes first.
/// - Nothing that can be kept is lost: a batch whose export ends in `.retryLater` (deadline
///   reached, collector unreachable or throttling) or `.collectorUnavailable` (the exporter's circuit
///   breaker is open; the flushes it was started for return at once) goes back to the front of the queue, in order,
///   and leaves with the next export; a batch prepared meanwhile goes back right behind it. Delivery
///   is therefore at-least-once: a batch the collector stored but whose answer the deadline cut off
///   is sent again.
///   Re-queued items may briefly exceed `maxQueueSize` by at most one batch.
/// - After a `.retryLater` or `.collectorUnavailable`, the worker waits for the next timer tick or flush before trying
///   again, so an unreachable collector is not hammered.
///
/// The worker is a task owned by the queue, and the schedule timer and flush deadlines are timers;
/// all run on ``DedicatedExecutor/exports``, not on the cooperative pool, so that application tasks
/// that never suspend cannot starve the export or delay a flush past its deadline. `shutdown` ends them.
///
/// Generic over the item only, with the exporter held as an existential (one dynamic call per
/// batch): a processor's queue of `SpanData` or `LogRecordData` is then a type known in this
/// module, and `enqueue`, on the path of every span end and log call, runs code specialized for
/// it, not generic code instantiated at run time for an exporter type of another module.
final class BatchExportQueue<Item: ExportSizeEstimating>: Sendable {
    private let exporter: any TelemetryExporter<Item>
    private let configuration: BatchConfiguration
    private let name: String
    private let diagnostics: Logger
    private let executor = DedicatedExecutor.exports
    private let state: NIOLockedValueBox<State>
    private let worker = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// Items that leave in one export call, and their estimated export bytes.
    private struct Batch {
        var items: [Item]
        var bytes: Int
    }

    private struct State {
        mutating func takeWorker() -> CheckedContinuation<Void, Never>? {
            defer { workerWaiting = nil }
            return workerWaiting
        }

        /// Takes the batch being filled, leaving the spare array's storage to fill next.
        mutating func takeFilling() -> Batch {
            defer {
                filling = spare
                spare = []
                fillingBytes = 0
            }
            return Batch(items: filling, bytes: fillingBytes)
        }

        /// Full batches, oldest first (a batch an export returned with `.retryLater` goes back in front).
        var ready = Deque<Batch>()
        /// The batch being filled; it joins `ready` when it holds `maxExportBatchSize` items or `maxExportBatchBytes` bytes.
        var filling: [Item] = []
        /// The estimated export bytes of `filling`.
        var fillingBytes = 0
        /// The estimated export bytes of the items accepted and not yet settled, counted against `maxQueueBytes`.
        var heldBytes = 0
        /// An exported batch's emptied array, kept so that the next `filling` reuses its storage.
        var spare: [Item] = []
        /// Items in `ready` and `filling`.
        var queued = 0
        /// Items of the batch taken and prepared while the current export runs, not yet handed to the exporter.
        var prepared = 0
        /// Items handed to the exporter and not yet settled.
        var inFlight = 0
        /// Items the queue holds, counted against `maxQueueSize`.
        var held: Int { queued + prepared }
        /// Items ever accepted; item number `n` (1-based) is settled once `settled >= n`.
        var accepted: UInt64 = 0
        /// Items exported or refused. The batch in flight, then the prepared one, then `ready` and `filling` hold
        /// exactly items `settled + 1 ... accepted`, in order.
        var settled: UInt64 = 0
        var exportedTotal: UInt64 = 0
        var droppedSinceReport = 0
        /// Exports since the last report whose failure began a collector outage.
        var unavailablePeriodsSinceReport = 0
        var timerDue = false
        /// Set after a `.retryLater` or `.collectorUnavailable`; cleared by the timer or a new flush.
        var backingOff = false
        var closed = false
        var stopRequested = false
        /// The pending schedule tick, cancelled by `shutdown`.
        var tick: DedicatedExecutor.TimerID?
        var workerWaiting: CheckedContinuation<Void, Never>?
        /// Incremented as each export starts; a waiter remembers the value it saw when it registered.
        var exportsStarted = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiterID = 0
    }

    private struct Waiter {
        /// Exports started before this waiter registered; a failed export only answers waiters it was started for.
        var registeredAfterExports: Int
        var target: UInt64
        var deadline: ContinuousClock.Instant
        var rejection: String?
        var continuation: CheckedContinuation<FlushOutcome, Never>
    }

    init(exporter: some TelemetryExporter<Item>, configuration: BatchConfiguration, name: String, diagnostics: Logger) {
        self.exporter = exporter
        self.configuration = configuration
        self.name = name
        self.diagnostics = diagnostics
        self.state = NIOLockedValueBox(State())
        let started = Task(executorPreference: executor) { await self.runWorker() }
        worker.withLockedValue { $0 = started }
        scheduleTick()
    }

    // MARK: Producer side

    /// Queues `item` for export; drops and counts it when the queue is full (by count or by bytes) or after shutdown began.
    func enqueue(_ item: consuming Item) {
        let bytes = item.estimatedExportBytes
        // Moved into the queue through an optional rather than captured by the closure, which would copy it
        // (a retain and a release of each of the item's references, on the caller's thread).
        var pending = Optional(item)
        let wake = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.closed, state.held < configuration.maxQueueSize, bytes <= configuration.maxQueueBytes - state.heldBytes else {
                state.droppedSinceReport += 1
                return nil
            }
            var batchClosed = false
            if !state.filling.isEmpty, bytes > configuration.maxExportBatchBytes - state.fillingBytes {
                state.ready.append(state.takeFilling())
                batchClosed = true
            }
            state.filling.append(pending.take()!)
            state.fillingBytes += bytes
            state.heldBytes += bytes
            state.queued += 1
            state.accepted += 1
            if state.filling.count >= configuration.maxExportBatchSize || state.fillingBytes >= configuration.maxExportBatchBytes {
                state.ready.append(state.takeFilling())
                batchClosed = true
            }
            guard batchClosed else {
                return configuration.scheduleDelay == .zero && !state.backingOff ? state.takeWorker() : nil
            }
            return state.backingOff ? nil : state.takeWorker()
        }
        wake?.resume()
    }

    // MARK: Flush and shutdown

    /// Waits until every item enqueued before this call is settled, or until `deadline`.
    func flush(deadline: ContinuousClock.Instant) async -> FlushResult {
        let exportedBefore = state.withLockedValue { $0.exportedTotal }
        let outcome = await waitUntilSettled(deadline: deadline)
        return state.withLockedValue { state in
            defer {
                state.droppedSinceReport = 0
                state.unavailablePeriodsSinceReport = 0
            }
            return FlushResult(
                outcome: outcome,
                exported: Int(state.exportedTotal - exportedBefore),
                pending: state.held + state.inFlight,
                dropped: state.droppedSinceReport,
                unavailablePeriods: state.unavailablePeriodsSinceReport
            )
        }
    }

    /// Stops intake, exports what is queued until `deadline`, stops the background tasks and shuts
    /// the exporter down. Items still queued at the deadline are reported as pending and dropped.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        state.withLockedValue { $0.closed = true }
        exporter.beginShutdown()
        let result = await flush(deadline: deadline)
        let (wake, tick) = state.withLockedValue { state -> (CheckedContinuation<Void, Never>?, DedicatedExecutor.TimerID?) in
            state.stopRequested = true
            defer { state.tick = nil }
            return (state.takeWorker(), state.tick)
        }
        wake?.resume()
        if let tick { executor.cancel(tick) }
        let running = worker.withLockedValue { worker in
            defer { worker = nil }
            return worker
        }
        running?.cancel()
        await exporter.shutdown(deadline: deadline)
        return result
    }

    private func waitUntilSettled(deadline: ContinuousClock.Instant) async -> FlushOutcome {
        let id = state.withLockedValue { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let timer = executor.schedule(at: deadline) { self.resolveWaiter(id, .timedOut) }
        defer { executor.cancel(timer) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<FlushOutcome, Never>) in
                let (immediate, wake) = state.withLockedValue { state -> (FlushOutcome?, CheckedContinuation<Void, Never>?) in
                    let target = state.accepted
                    if target <= state.settled { return (.ok, nil) }
                    if state.stopRequested { return (.failed("\(name) processor is shut down"), nil) }
                    if ContinuousClock.now >= deadline { return (.timedOut, nil) }
                    state.waiters[id] = Waiter(registeredAfterExports: state.exportsStarted, target: target, deadline: deadline, continuation: continuation)
                    state.backingOff = false
                    return (nil, state.takeWorker())
                }
                if let immediate { continuation.resume(returning: immediate) }
                wake?.resume()
            }
        } onCancel: {
            self.resolveWaiter(id, .failed("flush cancelled"))
        }
    }

    private func resolveWaiter(_ id: Int, _ outcome: FlushOutcome) {
        let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: outcome)
    }

    // MARK: Worker

    /// Arms the next schedule tick, unless there is no schedule delay or the queue is shutting down.
    private func scheduleTick() {
        guard configuration.scheduleDelay > .zero else { return }
        state.withLockedValue { state in
            guard !state.stopRequested else { return }
            // Armed under the queue's lock (the executor's lock nests inside it, never the reverse), so that
            // `shutdown` always sees, and cancels, the latest tick.
            state.tick = executor.schedule(at: .now + configuration.scheduleDelay) { self.tick() }
        }
    }

    private func tick() {
        let wake = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            state.timerDue = true
            state.backingOff = false
            return state.queued == 0 ? nil : state.takeWorker()
        }
        wake?.resume()
        scheduleTick()
    }

    private func runWorker() async {
        await runWorker(exporter)
    }

    /// The export loop, with the exporter's type opened so that a prepared batch can be kept.
    private func runWorker<Exporter: TelemetryExporter<Item>>(_ exporter: Exporter) async {
        // Without a preparation step, taking the next batch early would gain nothing.
        let pipelined = Exporter.PreparedBatch.self != Void.self
        var next: (batch: Batch, prepared: Exporter.PreparedBatch)?
        while true {
            let current: (batch: Batch, prepared: Exporter.PreparedBatch)
            if let taken = next.take() {
                current = taken
            } else {
                guard let batch = await nextBatch() else { return }
                current = (batch, exporter.prepare(batch.items))
            }
            guard let deadline = state.withLockedValue({ startExport(current.batch.items.count, &$0) }) else { return }
            let result: ExportResult
            if pipelined {
                // The child task runs on this executor once the export below suspends (waits on the network).
                async let following = takeAndPrepare(exporter)
                result = await exporter.export(current.batch.items, prepared: current.prepared, deadline: deadline)
                next = await following
            } else {
                result = await exporter.export(current.batch.items, prepared: current.prepared, deadline: deadline)
            }
            settle(current.batch, result, returning: next?.batch)
            switch result {
            case .retryLater, .collectorUnavailable:
                next = nil
            case .success, .rejected:
                recycle(current.batch.items)
            }
        }
    }

    /// Takes the next batch if there is work for it now, and prepares it.
    private func takeAndPrepare<Exporter: TelemetryExporter<Item>>(_ exporter: Exporter) -> (batch: Batch, prepared: Exporter.PreparedBatch)? {
        guard let batch = state.withLockedValue({ takeBatch(&$0) }) else { return nil }
        return (batch, exporter.prepare(batch.items))
    }

    /// Waits until there is a batch to export and takes it; `nil` once the queue is stopping.
    private func nextBatch() async -> Batch? {
        while true {
            let taken = state.withLockedValue { state -> Batch?? in
                if state.stopRequested { return .some(nil) }
                return takeBatch(&state).map { .some($0) }
            }
            if let taken { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLockedValue { state in
                    if hasWork(state) { return true }
                    state.workerWaiting = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    private func hasWork(_ state: State) -> Bool {
        if state.stopRequested { return true }
        guard state.queued > 0 else { return false }
        if state.closed { return !state.waiters.isEmpty }
        if state.backingOff { return false }
        let taken = state.settled + UInt64(state.inFlight + state.prepared)
        return !state.ready.isEmpty
            || state.timerDue
            || configuration.scheduleDelay == .zero
            || state.waiters.values.contains { $0.target > taken }
    }

    /// Takes the oldest batch (a full one, else the one being filled) if there is work for it; it is then prepared.
    private func takeBatch(_ state: inout State) -> Batch? {
        guard !state.stopRequested, hasWork(state) else { return nil }
        let batch: Batch
        if let full = state.ready.popFirst() {
            batch = full
        } else {
            batch = state.takeFilling()
        }
        state.queued -= batch.items.count
        state.prepared += batch.items.count
        state.timerDue = false
        return batch
    }

    /// Hands the prepared batch of `count` items to the exporter; returns its deadline, or `nil` once the queue is stopping.
    private func startExport(_ count: Int, _ state: inout State) -> ContinuousClock.Instant? {
        guard !state.stopRequested else { return nil }
        state.prepared -= count
        state.inFlight = count
        state.exportsStarted += 1
        let now = ContinuousClock.now
        let cap = configuration.exportTimeout.map { now + $0 }
        let flushDeadline = state.waiters.values.map(\.deadline).max()
        return [cap, flushDeadline].compactMap { $0 }.min() ?? now + .seconds(86_400 * 365)
    }

    /// Empties an exported batch here, outside the lock, and keeps its storage for the next batch to fill.
    private func recycle(_ batch: consuming [Item]) {
        var emptied = batch
        emptied.removeAll(keepingCapacity: true)
        state.withLockedValue { state in
            if state.spare.capacity < emptied.capacity { state.spare = emptied }
        }
    }

    /// Puts a batch whose export did not get through back at the front of the queue, with `prepared` (the batch
    /// taken and prepared meanwhile, unsent) right behind it. Flushes this export was started for learn that it
    /// failed (`outcome`, or timed out once past their deadline). A flush that arrived while it ran gets an
    /// attempt of its own; without one, the worker waits for the timer before trying again.
    private func keep(
        _ batch: Batch, _ prepared: Batch?, failing outcome: FlushOutcome, _ state: inout State,
        _ resumptions: inout [(CheckedContinuation<FlushOutcome, Never>, FlushOutcome)]
    ) {
        if let prepared {
            state.ready.prepend(prepared)
            state.prepared -= prepared.items.count
            state.queued += prepared.items.count
        }
        state.ready.prepend(batch)
        state.queued += batch.items.count
        for (id, waiter) in state.waiters where waiter.registeredAfterExports < state.exportsStarted {
            state.waiters.removeValue(forKey: id)
            resumptions.append((waiter.continuation, ContinuousClock.now >= waiter.deadline ? .timedOut : outcome))
        }
        state.backingOff = state.waiters.isEmpty
    }

    /// Settles an exported batch, releasing its bytes; one whose export did not get through is kept (``keep(_:_:failing:_:_:)``).
    private func settle(_ batch: Batch, _ result: ExportResult, returning prepared: Batch?) {
        let count = batch.items.count
        var resumptions: [(CheckedContinuation<FlushOutcome, Never>, FlushOutcome)] = []
        state.withLockedValue { state in
            state.inFlight = 0
            switch result {
            case .success:
                state.settled += UInt64(count)
                state.exportedTotal += UInt64(count)
                state.heldBytes -= batch.bytes
            case .rejected(let failure):
                state.settled += UInt64(count)
                state.droppedSinceReport += count
                state.heldBytes -= batch.bytes
                for id in state.waiters.keys { state.waiters[id]?.rejection = failure.description }
            case .retryLater(let failure):
                keep(batch, prepared, failing: .failed(failure.description), &state, &resumptions)
            case .collectorUnavailable(let unavailable):
                if unavailable.beganOpenPeriod { state.unavailablePeriodsSinceReport += 1 }
                keep(batch, prepared, failing: .collectorUnavailable(unavailable.description), &state, &resumptions)
            }
            for (id, waiter) in state.waiters where waiter.target <= state.settled {
                state.waiters.removeValue(forKey: id)
                resumptions.append((waiter.continuation, waiter.rejection.map(FlushOutcome.failed) ?? .ok))
            }
        }
        switch result {
        case .success:
            break
        case .rejected(let failure):
            diagnostics.error("export refused by the receiver; items dropped", metadata: ["processor": "\(name)", "items": "\(count)", "error": "\(failure)"])
        case .retryLater(let failure):
            diagnostics.warning("export did not get through; items kept for the next export", metadata: ["processor": "\(name)", "items": "\(count)", "error": "\(failure)"])
        case .collectorUnavailable(let unavailable):
            diagnostics.debug("collector unavailable; items kept for the next export", metadata: ["processor": "\(name)", "items": "\(count)", "reason": "\(unavailable)"])
        }
        for (continuation, outcome) in resumptions {
            continuation.resume(returning: outcome)
        }
    }
}
