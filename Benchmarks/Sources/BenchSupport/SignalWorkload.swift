// The metrics and logs workloads, shared by ours-bench and swiftotel-bench: both SDKs are driven only
// through swift-metrics and swift-log, as instrumented code uses them, after each bootstraps
// MetricsSystem / LoggingSystem with its own backend.

import Logging
import Metrics

/// swift-metrics calls, one per operation.
public enum MetricsWorkload {
    /// Two dimensions, as a per-route request counter has.
    public static let dimensions = [("http.route", "/api/v1/items"), ("http.request.method", "GET")]

    public enum Operation: String, Sendable {
        /// `increment()` on a `Counter` kept by the caller.
        case counter
        /// `record(_:)` on a kept `Recorder` (aggregating: a histogram), values spread over the buckets.
        case recorder
        /// `recordNanoseconds(_:)` on a kept `Timer` (a histogram in seconds).
        case timer
        /// `Counter(label:dimensions:).increment()`: the metric created (looked up) on every call.
        case createCounter = "create-counter"
    }

    /// A loop of `count` operations on the bootstrapped `MetricsSystem`; the kept metrics are created
    /// here, once, and shared by every task that runs the loop.
    public static func loop(_ operation: Operation) -> @Sendable (Int) -> Void {
        switch operation {
        case .counter:
            let counter = Metrics.Counter(label: "bench.counter", dimensions: dimensions)
            return { count in
                for _ in 0..<count { counter.increment() }
            }
        case .recorder:
            let recorder = Metrics.Recorder(label: "bench.recorder", dimensions: dimensions)
            return { count in
                // 0 … 1023: every bucket of the default bounds up to 1000 gets some.
                for index in 0..<count { recorder.record(Double(index & 1023)) }
            }
        case .timer:
            let timer = Metrics.Timer(label: "bench.timer", dimensions: dimensions)
            return { count in
                for index in 0..<count { timer.recordNanoseconds(Int64(index & 1023) * 1_000_000) }
            }
        case .createCounter:
            return { count in
                for _ in 0..<count { Metrics.Counter(label: "bench.requests", dimensions: dimensions).increment() }
            }
        }
    }
}

/// swift-log calls: `logger.info` with three metadata entries, the metadata built at the call as
/// application code builds it.
public enum LogsWorkload {
    public static let label = "bench"

    @inlinable
    public static func info(_ logger: Logger, _ count: Int) {
        for _ in 0..<count {
            logger.info("request handled", metadata: [
                "http.request.method": "GET", "url.path": "/api/v1/items", "user.id": "42",
            ])
        }
    }

    /// The options' warm-up: `warmup` calls on each task, before anything is measured.
    public static func warmUp(_ options: LogsWorkloadOptions) async {
        _ = await Workload.concurrently(tasks: options.tasks) { _ in info(Logger(label: label), options.warmup) }
    }

    /// `total` records from each of `tasks` tasks at `perSecond` records per second in all (in slices
    /// of 64, sleeping between slices when ahead): a load an exporter can keep up with. Returns the
    /// wall time in nanoseconds.
    public static func paced(tasks: Int, total: Int, perSecond: Int) async -> UInt64 {
        let start = nowNanos()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    let logger = Logger(label: label)
                    let slice = 64
                    let nanosPerSlice = UInt64(slice) * 1_000_000_000 * UInt64(tasks) / UInt64(max(perSecond, 1))
                    var produced = 0
                    var due = nowNanos()
                    while produced < total {
                        let count = min(slice, total - produced)
                        info(logger, count)
                        produced += count
                        due += nanosPerSlice
                        let now = nowNanos()
                        if due > now { try? await Task.sleep(for: .nanoseconds(Int64(due - now))) }
                    }
                }
            }
        }
        return nowNanos() - start
    }
}

// MARK: - Measuring

extension MetricsWorkload {
    /// `warmup` then `ops` operations on each of `tasks` tasks; records the per-task wall time per
    /// operation, the throughput and the CPU per operation (all threads) into `result`.
    public static func measure(_ operation: Operation, tasks: Int, ops: Int, warmup: Int, into result: inout Result) async {
        let loop = loop(operation)
        _ = await Workload.concurrently(tasks: tasks) { _ in loop(warmup) }
        let cpuStart = processCPUNanos()
        let wall = await Workload.concurrently(tasks: tasks) { _ in loop(ops) }
        let cpu = processCPUNanos() - cpuStart
        result["op"] = operation.rawValue
        result["tasks"] = tasks
        result["ops_per_task"] = ops
        result["ns_per_op"] = Double(wall) / Double(ops)  // per task: what each caller waits per call
        result["ops_per_sec"] = Double(ops * tasks) / (Double(wall) / 1e9)
        result["cpu_ns_per_op"] = Double(cpu) / Double(ops * tasks)
    }
}

extension LogsWorkload {
    /// `records` calls on each of `tasks` tasks, at `perSecond` in all (0: as fast as they go);
    /// records the per-task wall time per call, the throughput and the CPU of the loop into `result`.
    public static func measure(tasks: Int, records: Int, perSecond: Int, into result: inout Result) async {
        let cpuStart = processCPUNanos()
        let wall: UInt64
        if perSecond > 0 {
            wall = await paced(tasks: tasks, total: records, perSecond: perSecond)
        } else {
            wall = await Workload.concurrently(tasks: tasks) { _ in info(Logger(label: label), records) }
        }
        let cpuLoop = processCPUNanos() - cpuStart
        result["tasks"] = tasks
        result["rate"] = perSecond
        result["records_per_task"] = records
        result["produced"] = records * tasks
        result["ns_per_record"] = Double(wall) / Double(records)  // per task: what each caller waits per call
        result["records_per_sec"] = Double(records * tasks) / (Double(wall) / 1e9)
        result["cpu_ns_per_record_loop"] = Double(cpuLoop) / Double(records * tasks)
    }

    /// Records what the sink received against what was produced.
    public static func recordDelivery(_ received: SinkReport, into result: inout Result) {
        let produced = result["produced"] as? Int ?? 0
        result["delivered_logs"] = received.logRecords
        result["delivered_fraction"] = Double(received.logRecords) / Double(max(produced, 1))
    }
}
