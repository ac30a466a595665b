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
///   (or refused by the receiver), or `.timedOut` at the deadline, whichever comes first; a flush
///   whose task is cancelled (before or while it waits) returns `.failed("flush cancelled")` at once.
///   Whatever it returns, the items stay queued.
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
/// The decisions (what is accepted, which batch leaves when, how a flush is answered) are those of a
/// ``BatchExportStateMachine``; this class is its driver: it holds the machine under one lock, runs the
/// worker task, arms the timers and resumes the waiters the machine names.
///
/// The worker is the one task owned by the queue; the schedule tick and flush deadlines are timers, not
/// tasks. All run on ``DedicatedExecutor/exports``, not on the cooperative pool, so that application
/// tasks that never suspend cannot starve the export or delay a flush past its deadline. `shutdown`
/// ends them.
///
/// Generic over the item only, with the exporter held as an existential (one dynamic call per
/// batch): a processor's queue of `SpanData` or `LogRecordData` is then a type known in this
/// module, and `enqueue`, on the path of every span end and log call, runs code specialized for
/// it, not generic code instantiated at run time for an exporter type of another module.
final class BatchExportQueue<Item: ExportSizeEstimating>: Sendable {
    private typealias Machine = BatchExportStateMachine<Item>
    private typealias Batch = Machine.Batch

    /// The machine, and the continuations of the waits it decides about.
    private struct State {
        var machine: Machine
        /// The worker, while it waits for work.
        var worker: CheckedContinuation<Void, Never>?
        /// Flushes waiting for the machine's answer.
        var flushes: [Machine.WaiterID: CheckedContinuation<FlushOutcome, Never>] = [:]
        var nextWaiterID = 0
        /// The pending schedule tick, cancelled by `shutdown`.
        var tick: DedicatedExecutor.TimerID?
    }

    /// Continuations to resume once the lock is released.
    private struct Resumptions {
        var worker: CheckedContinuation<Void, Never>?
        var flushes: [(CheckedContinuation<FlushOutcome, Never>, FlushOutcome)] = []
        var cancelTick: DedicatedExecutor.TimerID?
    }

    private let exporter: any TelemetryExporter<Item>
    private let name: String
    private let diagnostics: Logger
    private let executor = DedicatedExecutor.exports
    private let state: NIOLockedValueBox<State>
    private let workerTask = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(exporter: some TelemetryExporter<Item>, configuration: BatchConfiguration, name: String, diagnostics: Logger) {
        self.exporter = exporter
        self.name = name
        self.diagnostics = diagnostics
        let machine = Machine(configuration: configuration, name: name)
        self.state = NIOLockedValueBox(State(machine: machine))
        let started = Task(executorPreference: executor) { await self.runWorker() }
        workerTask.withLockedValue { $0 = started }
        perform { $0.machine.start(now: .now) }
    }

    // MARK: Producer side

    /// Queues `item` for export; drops and counts it when the queue is full (by count or by bytes) or after shutdown began.
    func enqueue(_ item: consuming Item) {
        let bytes = item.estimatedExportBytes
        // Moved into the queue through an optional rather than captured by the closure, which would copy it
        // (a retain and a release of each of the item's references, on the caller's thread).
        var pending = Optional(item)
        let wake = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard state.machine.offer(&pending, bytes: bytes) == .queuedWakingWorker else { return nil }
            defer { state.worker = nil }
            return state.worker
        }
        wake?.resume()
    }

    // MARK: Flush and shutdown

    /// Waits until every item enqueued before this call is settled, or until `deadline`.
    func flush(deadline: ContinuousClock.Instant) async -> FlushResult {
        let (id, exportedBefore) = state.withLockedValue { state in
            defer { state.nextWaiterID += 1 }
            return (state.nextWaiterID, state.machine.exportedTotal)
        }
        let outcome = await executor.wait(until: deadline) { continuation in
            perform { state in
                state.flushes[id] = continuation
                return state.machine.flushRequested(id, deadline: deadline, now: .now)
            }
        } expire: {
            self.perform { $0.machine.deadlineReached(id) }
        } cancel: {
            self.perform { $0.machine.flushCancelled(id) }
        }
        return state.withLockedValue { $0.machine.report(exportedSince: exportedBefore, outcome: outcome) }
    }

    /// Stops intake, exports what is queued until `deadline`, stops the background tasks and shuts
    /// the exporter down. Items still queued at the deadline are reported as pending and dropped.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        state.withLockedValue { $0.machine.close() }
        exporter.beginShutdown()
        let result = await flush(deadline: deadline)
        perform { $0.machine.stop() }
        let running = workerTask.withLockedValue { worker in
            defer { worker = nil }
            return worker
        }
        running?.cancel()
        await exporter.shutdown(deadline: deadline)
        return result
    }

    // MARK: Actions

    /// Runs one event of the machine under the lock, then performs the actions it returns.
    private func perform(_ event: (inout State) -> [Machine.Action]) {
        let resumptions = state.withLockedValue { state -> Resumptions in
            var resumptions = Resumptions()
            for action in event(&state) {
                switch action {
                case .wakeWorker:
                    resumptions.worker = state.worker.take() ?? resumptions.worker
                case .resume(let id, let outcome):
                    if let continuation = state.flushes.removeValue(forKey: id) { resumptions.flushes.append((continuation, outcome)) }
                case .armTick(at: let instant):
                    // Armed under the queue's lock (the executor's lock nests inside it, never the reverse), so that
                    // `shutdown` always sees, and cancels, the latest tick.
                    state.tick = executor.schedule(at: instant) { self.perform { $0.machine.timerFired(now: .now) } }
                case .cancelTick:
                    resumptions.cancelTick = state.tick.take()
                }
            }
            return resumptions
        }
        if let tick = resumptions.cancelTick { executor.cancel(tick) }
        resumptions.worker?.resume()
        for (continuation, outcome) in resumptions.flushes {
            continuation.resume(returning: outcome)
        }
    }

    // MARK: Worker

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
            guard let deadline = state.withLockedValue({ $0.machine.exportStarting(current.batch.items.count, now: .now) }) else { return }
            let result: ExportResult
            if pipelined {
                // The child task runs on this executor once the export below suspends (waits on the network).
                async let following = takeAndPrepare(exporter)
                result = await exporter.export(current.batch.items, prepared: current.prepared, deadline: deadline)
                next = await following
            } else {
                result = await exporter.export(current.batch.items, prepared: current.prepared, deadline: deadline)
            }
            // Logged before the flushes waiting on this export are resumed, so that they find it in the log.
            log(result, items: current.batch.items.count)
            let returning = next?.batch
            perform { $0.machine.exportSettled(current.batch, result, returning: returning, now: .now) }
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
        guard let batch = state.withLockedValue({ $0.machine.takeBatch() }) else { return nil }
        return (batch, exporter.prepare(batch.items))
    }

    /// Waits until there is a batch to export and takes it; `nil` once the queue is stopping.
    private func nextBatch() async -> Batch? {
        while true {
            let step = state.withLockedValue { $0.machine.workerReady() }
            switch step {
            case .export(let batch): return batch
            case .stop: return nil
            case .wait: break
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked again under the lock that stores the continuation, so that no wake-up falls in between.
                let ready = state.withLockedValue { state in
                    if state.machine.hasWork { return true }
                    state.worker = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Empties an exported batch here, outside the lock, and keeps its storage for the next batch to fill.
    private func recycle(_ batch: consuming [Item]) {
        var emptied = batch
        emptied.removeAll(keepingCapacity: true)
        state.withLockedValue { $0.machine.recycle(emptied) }
    }

    private func log(_ result: ExportResult, items count: Int) {
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
    }
}
