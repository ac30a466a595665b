// swiftotel-bench: the same measurements as ours-bench, through swift-otel 1.6.0's public API
// (`OTel.makeTracingBackend`, run as a ServiceLifecycle service; flushed by `Tracer.forceFlush()`
// or graceful shutdown, the only two ways it offers). One measurement per process, one RESULT line.
//
// swift-otel reads OTEL_* variables from the process environment on top of the configuration below:
// run.sh runs it with none set.

import BenchSupport
import Instrumentation
import Logging
import OTel
import ServiceLifecycle
import Tracing

#if canImport(Glibc)
import Glibc
#endif

let arguments = Arguments()

/// The tracing backend running in the background, as an application would run it.
struct Backend<T: Tracer>: Sendable {
    let tracer: T
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Graceful shutdown (swift-otel's flush-on-exit path); waits up to `timeout`. Returns whether it finished.
    func shutdown(timeout: Duration) async -> Bool {
        await group.triggerGracefulShutdown()
        let task = self.task
        return await withTaskGroup(of: Bool.self) { race in
            race.addTask { _ = try? await task.value; return true }
            race.addTask { try? await Task.sleep(for: timeout); return false }
            let first = await race.next()!
            race.cancelAll()
            return first
        }
    }
}

func configuration(exporter: String, endpoint: String?, maxQueueSize: Int? = nil) -> OTel.Configuration {
    var config = OTel.Configuration.default
    config.serviceName = "bench"
    config.diagnosticLogger = .custom(Logger(label: "swift-otel") { CountingLogHandler(label: $0) })
    config.diagnosticLogLevel = .warning
    config.metrics.enabled = false
    config.logs.enabled = false
    config.traces.sampler = .parentBasedAlwaysOn  // ours' default too
    switch exporter {
    case "otlp":
        config.traces.exporter = .otlp
        config.traces.otlpExporter.protocol = .httpProtobuf  // swift-otel has no gzip for OTLP/HTTP
        config.traces.otlpExporter.endpoint = endpoint! + "/v1/traces"
    default:
        config.traces.exporter = .none
    }
    if let maxQueueSize { config.traces.batchSpanProcessor.maxQueueSize = maxQueueSize }
    return config
}

func start(_ config: OTel.Configuration) throws -> Backend<some Tracer> {
    let (tracer, service) = try OTel.makeTracingBackend(configuration: config)
    let group = ServiceGroup(services: [service], logger: Logger(label: "group") { _ in SwiftLogNoOpLogHandler() })
    let task = Task { try await group.run() }
    return Backend(tracer: tracer, group: group, task: task)
}

// MARK: span

func spanBenchmark() async throws {
    let options = SpanWorkloadOptions(arguments)
    let tasks = options.tasks
    let spans = options.spans

    var sink: (any Sink)?
    if options.exporter == "otlp" { sink = try await makeSink(arguments, capture: false) }
    let backend = try start(configuration(exporter: options.exporter, endpoint: sink?.endpoint))
    let tracer = backend.tracer
    InstrumentationSystem.bootstrap(tracer)

    let run = options.loop(tracer)

    _ = await Workload.concurrently(tasks: tasks) { _ in run(options.warmup) }
    // swift-otel's forceFlush is fire-and-forget; give the background pipeline a moment to catch up.
    tracer.forceFlush()
    try await Task.sleep(for: .milliseconds(500))

    let warningsBefore = CountingLogHandler.droppedCount.load(ordering: .relaxed)
    let cpuStart = processCPUNanos()
    let wall = await Workload.concurrently(tasks: tasks) { _ in run(spans) }
    let cpuLoop = processCPUNanos() - cpuStart
    let drainStart = nowNanos()
    let finished = await backend.shutdown(timeout: .seconds(120))
    let drain = nowNanos() - drainStart
    let cpuTotal = processCPUNanos() - cpuStart

    var result = Result(bench: "span", impl: "swift-otel")
    options.record(into: &result)
    result["ns_per_span"] = Double(wall) / Double(spans)
    result["spans_per_sec"] = Double(spans * tasks) / (Double(wall) / 1e9)
    result["cpu_ns_per_span_loop"] = Double(cpuLoop) / Double(spans * tasks)
    result["cpu_ns_per_span_total"] = Double(cpuTotal) / Double(spans * tasks)
    result["drain_ms"] = Double(drain) / 1e6
    result["shutdown_finished"] = finished
    // swift-otel only logs drops on a timer tick (every 5 s): drops after the last tick are not reported.
    result["dropped_logged"] = CountingLogHandler.droppedCount.load(ordering: .relaxed) - warningsBefore
    if let sink { (await sink.finish()).record(into: &result) }
    result.emit()
}

// MARK: flush (N queued spans)

func flushBenchmark() async throws {
    let total = arguments.int("spans", 100_000)
    let queue = arguments.int("queue", 131_072)
    let waitSeconds = arguments.int("wait", 60)

    let sink = try await InProcessSink(captureBodies: true)
    let backend = try start(configuration(exporter: "otlp", endpoint: sink.endpoint, maxQueueSize: queue))
    InstrumentationSystem.bootstrap(backend.tracer)

    let start = nowNanos()
    Workload.globalSpans(total)
    let ended = nowNanos()
    let atFlush = sink.spansSoFar
    backend.tracer.forceFlush()
    let reached = await sink.waitForSpans(total, timeout: .seconds(Int64(waitSeconds)))
    let flushed = nowNanos()
    let afterFlush = sink.spansSoFar
    let afterFlushDistinct = sink.distinctSpans()
    let rssAfterFlush = peakRSSBytes()
    let shutdownStart = nowNanos()
    let finished = await backend.shutdown(timeout: .seconds(120))
    let shutdownNanos = nowNanos() - shutdownStart

    var result = Result(bench: "flush", impl: "swift-otel")
    result["compression"] = "none"
    result["spans"] = total
    result["queue"] = queue
    result["end_spans_ms"] = Double(ended - start) / 1e6
    result["delivered_before_flush"] = atFlush
    result["flush_reached_all"] = reached
    result["flush_ms"] = Double(flushed - ended) / 1e6
    result["total_ms"] = Double(flushed - start) / 1e6
    if reached {  // otherwise flush_ms is the wait's timeout, not a flush time
        result["spans_per_sec"] = Double(total) / (Double(flushed - start) / 1e9)
        result["flush_spans_per_sec"] = Double(total - atFlush) / (Double(flushed - ended) / 1e9)
    }
    result["delivered_after_flush"] = afterFlush
    result["delivered_distinct_after_flush"] = afterFlushDistinct
    result["rss_peak_after_flush"] = rssAfterFlush
    result["shutdown_ms"] = Double(shutdownNanos) / 1e6
    result["shutdown_finished"] = finished
    result["dropped_logged"] = CountingLogHandler.droppedCount.load(ordering: .relaxed)
    (await sink.finish()).record(into: &result)
    result.emit()
}

// MARK: overload

func overloadBenchmark() async throws {
    let seconds = arguments.double("seconds", 10)
    let tasks = arguments.int("tasks", 2)
    let limit = arguments.int("rss-limit-mb", 4096) << 20

    let sink = try await makeSink(arguments, capture: false)
    let backend = try start(configuration(exporter: "otlp", endpoint: sink.endpoint))
    InstrumentationSystem.bootstrap(backend.tracer)

    let watchdog = RSSWatchdog(limitBytes: limit)
    let produced = await produceUntil(seconds: seconds, tasks: tasks, stop: { watchdog.exceeded }) { count in
        Workload.globalSpans(count)
    }
    let rssAtEnd = peakRSSBytes()
    let shutdownStart = nowNanos()
    let finished = await backend.shutdown(timeout: .seconds(60))
    let shutdownNanos = nowNanos() - shutdownStart
    watchdog.stop()

    var result = Result(bench: "overload", impl: "swift-otel")
    result["seconds"] = Double(produced.nanos) / 1e9
    result["tasks"] = tasks
    result["produced"] = produced.spans
    result["produced_per_sec"] = Double(produced.spans) / (Double(produced.nanos) / 1e9)
    result["rss_limit_hit"] = watchdog.exceeded
    result["rss_peak_at_end_of_production"] = rssAtEnd
    result["shutdown_ms"] = Double(shutdownNanos) / 1e6
    result["shutdown_finished"] = finished
    result["dropped_logged"] = CountingLogHandler.droppedCount.load(ordering: .relaxed)
    let delivered = await sink.finish()
    delivered.record(into: &result)
    result["delivered_fraction"] = Double(delivered.spans) / Double(max(1, produced.spans))
    result.emit()
    // A shutdown that did not finish leaves swift-otel's tasks running: do not wait for them.
    exit(0)
}

switch arguments.command {
case "span": try await spanBenchmark()
case "flush": try await flushBenchmark()
case "overload": try await overloadBenchmark()
case "metrics": try await metricsBenchmark()
case "logs": try await logsBenchmark()
default:
    print("usage: swiftotel-bench span|flush|overload|metrics|logs [--options]")
    exit(2)
}
exit(0)
