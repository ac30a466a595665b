import NIOConcurrencyHelpers

/// Collects its provider's metrics every `interval` and on ``forceFlush(deadline:)``, and exports them.
///
/// - One export at a time: a flush that finds an export running waits for it (until its deadline;
///   then it returns `timedOut` without collecting, and the measurements stay in the instruments for
///   the next collection).
/// - The timer and the exports run on the SDK's export thread (`otel-export`), never
///   on the cooperative pool, and never on the recording thread: recording does no I/O.
/// - In AWS Lambda the process is frozen between invocations and the timer with it: the flush after
///   each invocation is what delivers the metrics.
/// - An export that fails transiently or is cut off by its deadline (`retryLater`), or that the
///   exporter did not send because the collector is unavailable (`collectorUnavailable`): the points
///   that no later collection repeats are kept and sent first, in the same request as the next
///   collection's: delta sums and histograms, gauges under a delta preference (reported only when set
///   since the previous collection), and the final points of destroyed series. Cumulative points of
///   live series are not kept, since the next collection carries their totals. At most
///   `maxKeptPoints` data points are kept; the oldest metrics beyond that
///   are dropped and counted. A batch the receiver refuses (`rejected`) is dropped and counted.
/// - Flush results count data points: `exported`, `pending` (kept for the next export), `dropped`.
public final class PeriodicExportingMetricReader: MetricReader {
    public let temporalityPreference: TemporalityPreference
    public let interval: Duration
    /// Cap on a periodic export; a flush uses its own deadline. Nil: no cap.
    public let timeout: Duration?
    public let maxKeptPoints: Int
    private let exporter: any MetricExporter
    private let executor = DedicatedExecutor.exports
    private let gate = ExportGate()

    private struct State {
        var producer: MetricProducer?
        /// Delta metrics whose export did not get through, sent first next time.
        var kept: [MetricData] = []
        var keptPoints = 0
        var timer: DedicatedExecutor.TimerID?
        var isShutDown = false
        /// Data points exported or dropped since the last flush returned.
        var exportedSinceFlush = 0
        var droppedSinceFlush = 0
        /// Exports since the last flush whose failure began a collector outage.
        var unavailablePeriodsSinceFlush = 0
    }

    private let state = NIOLockedValueBox(State())

    public init(
        exporter: any MetricExporter, interval: Duration = .milliseconds(60000), timeout: Duration? = .milliseconds(30000),
        temporalityPreference: TemporalityPreference = .cumulative, maxKeptPoints: Int = 20000
    ) {
        self.exporter = exporter
        self.interval = interval
        self.timeout = timeout
        self.temporalityPreference = temporalityPreference
        self.maxKeptPoints = maxKeptPoints
    }

    /// A reader configured from `OTEL_METRIC_EXPORT_INTERVAL` (default 60000 ms),
    /// `OTEL_METRIC_EXPORT_TIMEOUT` (default 30000 ms, `0` = no cap) and
    /// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` (default `cumulative`).
    public convenience init(exporter: any MetricExporter, environment: OTelEnvironment) {
        var interval = environment.milliseconds("OTEL_METRIC_EXPORT_INTERVAL", default: .milliseconds(60000))
        if interval == .zero {
            environment.warnMalformed("OTEL_METRIC_EXPORT_INTERVAL", "0", expected: "a positive number of milliseconds", defaultDescription: "60000 ms")
            interval = .milliseconds(60000)
        }
        self.init(
            exporter: exporter, interval: interval,
            timeout: environment.timeout("OTEL_METRIC_EXPORT_TIMEOUT", default: .milliseconds(30000)),
            temporalityPreference: TemporalityPreference(environment: environment))
    }

    public func register(_ producer: MetricProducer) {
        state.withLockedValue { $0.producer = producer }
        scheduleTick()
    }

    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await withTaskExecutorPreference(executor) {
            await collectAndExport(deadline: deadline, settling: true)
        }
    }

    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        let timer = state.withLockedValue { state -> DedicatedExecutor.TimerID? in
            state.isShutDown = true
            defer { state.timer = nil }
            return state.timer
        }
        if let timer { executor.cancel(timer) }
        exporter.beginShutdown()
        let result = await withTaskExecutorPreference(executor) {
            await collectAndExport(deadline: deadline, settling: true)
        }
        await exporter.shutdown(deadline: deadline)
        return result
    }

    // MARK: Schedule

    private func scheduleTick() {
        state.withLockedValue { state in
            guard !state.isShutDown else { return }
            state.timer = executor.schedule(at: .now + interval) { self.tick() }
        }
    }

    private func tick() {
        let now = ContinuousClock.now
        let deadline = now + (timeout ?? .seconds(365 * 86400))
        Task(executorPreference: executor) {
            _ = await self.collectAndExport(deadline: deadline, settling: false)
            self.scheduleTick()
        }
    }

    // MARK: Export

    /// Collects and exports what the collection returned plus what earlier exports kept.
    /// `settling`: a flush, whose result reports what happened since the previous flush.
    private func collectAndExport(deadline: ContinuousClock.Instant, settling: Bool) async -> FlushResult {
        guard await gate.acquire(deadline: deadline) else {
            return state.withLockedValue { state in
                settle(&state, FlushResult(outcome: .timedOut, pending: state.keptPoints), settling)
            }
        }
        defer { gate.release() }
        guard let producer = state.withLockedValue({ $0.producer }) else {
            return FlushResult(outcome: .ok)
        }
        let fresh = producer.collect()
        let batch = state.withLockedValue { state in
            defer {
                state.kept = []
                state.keptPoints = 0
            }
            return state.kept + fresh
        }
        let points = batch.reduce(0) { $0 + $1.pointCount }
        guard points > 0 else {
            return state.withLockedValue { settle(&$0, FlushResult(outcome: .ok), settling) }
        }
        let result = await exporter.export(batch, deadline: deadline)
        return state.withLockedValue { state in
            switch result {
            case .success:
                state.exportedSinceFlush += points
                return settle(&state, FlushResult(outcome: .ok), settling)
            case .rejected(let failure):
                state.droppedSinceFlush += points
                return settle(&state, FlushResult(outcome: .failed(failure.description)), settling)
            case .retryLater(let failure):
                keep(batch.compactMap(\.unrepeated), in: &state)
                let outcome: FlushOutcome = ContinuousClock.now >= deadline ? .timedOut : .failed(failure.description)
                return settle(&state, FlushResult(outcome: outcome, pending: state.keptPoints), settling)
            case .collectorUnavailable(let unavailable):
                keep(batch.compactMap(\.unrepeated), in: &state)
                if unavailable.beganOpenPeriod { state.unavailablePeriodsSinceFlush += 1 }
                let outcome: FlushOutcome = ContinuousClock.now >= deadline ? .timedOut : .collectorUnavailable(unavailable.description)
                return settle(&state, FlushResult(outcome: outcome, pending: state.keptPoints), settling)
            }
        }
    }

    /// Keeps `metrics` for the next export, dropping the oldest beyond `maxKeptPoints`.
    private func keep(_ metrics: [MetricData], in state: inout State) {
        state.kept = metrics
        state.keptPoints = metrics.reduce(0) { $0 + $1.pointCount }
        while state.keptPoints > maxKeptPoints, !state.kept.isEmpty {
            let dropped = state.kept.removeFirst().pointCount
            state.keptPoints -= dropped
            state.droppedSinceFlush += dropped
        }
    }

    /// A flush's result with the counts since the previous flush (which it resets); an export of the
    /// timer returns its own outcome only.
    private func settle(_ state: inout State, _ result: FlushResult, _ settling: Bool) -> FlushResult {
        guard settling else { return result }
        var settled = result
        settled.exported = state.exportedSinceFlush
        settled.dropped = state.droppedSinceFlush
        settled.unavailablePeriods = state.unavailablePeriodsSinceFlush
        state.exportedSinceFlush = 0
        state.droppedSinceFlush = 0
        state.unavailablePeriodsSinceFlush = 0
        return settled
    }
}
