// ours-bench: one measurement of this repository's SDK per process, printed as one RESULT line.
// swiftotel-bench has the same subcommands and options, configured as equivalently as its API
// allows; run.sh runs the two alternately. See docs/benchmarks.md.
//
//   span      --api global|direct --tasks T --spans N --warmup W --exporter none|otlp [--sink ...]
//   export    --spans N --batch B --compression gzip|none           (exporter alone, in-process sink)
//   encode    --spans N --batch B --compression gzip|none [--distinct D]  (exporter's encode + gzip alone, no HTTP)
//   flush     --spans N --queue Q [--compression gzip|none]         (N queued spans, then forceFlush)
//   overload  --seconds S --tasks T --sink external --receiver-bin P  (peak RSS, drops)

import BenchSupport
import Instrumentation
import Logging
import OTelSDK
import OTLPHTTP
import Synchronization
import Tracing

#if canImport(Glibc)
import Glibc
#endif

let arguments = Arguments()

/// Discards every batch: the processor's and tracer's cost without any I/O.
struct DiscardingExporter: SpanExporter {
    func export(_ batch: [SpanData], deadline: ContinuousClock.Instant) async -> ExportResult { .success }
    func shutdown(deadline: ContinuousClock.Instant) async {}
}

/// Keeps every ended span, to feed the exporter-only benchmark.
final class CollectingProcessor: SpanProcessor {
    let spans = Mutex<[SpanData]>([])
    func onEnd(_ span: SpanData) { spans.withLock { $0.append(span) } }
    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult { FlushResult(outcome: .ok) }
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult { FlushResult(outcome: .ok) }
}

func environment(endpoint: String?, compression: String? = nil, extra: [String: String] = [:]) -> OTelEnvironment {
    var values = ["OTEL_SERVICE_NAME": "bench"]
    if let endpoint { values["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint }
    if let compression { values["OTEL_EXPORTER_OTLP_COMPRESSION"] = compression }
    values.merge(extra) { $1 }
    return OTelEnvironment(values)
}

func sum(_ report: FlushReport, _ field: KeyPath<FlushResult, Int>) -> Int {
    report.entries.map { $0.result[keyPath: field] }.reduce(0, +)
}

// MARK: span

func spanBenchmark() async throws {
    let options = SpanWorkloadOptions(arguments)
    let tasks = options.tasks
    let spans = options.spans

    var sink: (any Sink)?
    let provider: TracerProvider
    switch options.exporter {
    case "otlp":
        let opened = try await makeSink(arguments, capture: false)
        sink = opened
        provider = TracerProvider.otlp(environment: environment(endpoint: opened.endpoint))
    default:
        provider = TracerProvider(
            environment: environment(endpoint: nil),
            processors: [BatchSpanProcessor(exporter: DiscardingExporter())]
        )
    }
    let coordinator = FlushCoordinator(providers: [provider])
    let tracer = provider.tracer(name: "bench")
    if options.exporter == "noop-tracer" {
        // Calibration: swift-distributed-tracing's own cost (withSpan on its NoOpTracer), no SDK at all.
        InstrumentationSystem.bootstrap(NoOpTracer())
    } else {
        InstrumentationSystem.bootstrap(tracer)
    }

    let run = options.loop(tracer)

    _ = await Workload.concurrently(tasks: tasks) { _ in run(options.warmup) }
    _ = await coordinator.forceFlush(deadline: .now + .seconds(60))

    let cpuStart = processCPUNanos()
    let wall = await Workload.concurrently(tasks: tasks) { _ in run(spans) }
    let cpuLoop = processCPUNanos() - cpuStart
    let drainStart = nowNanos()
    let report = await coordinator.shutdown(deadline: .now + .seconds(60))
    let drain = nowNanos() - drainStart
    let cpuTotal = processCPUNanos() - cpuStart

    var result = Result(bench: "span", impl: "ours")
    options.record(into: &result)
    result["ns_per_span"] = Double(wall) / Double(spans)  // per task: what each caller waits per span
    result["spans_per_sec"] = Double(spans * tasks) / (Double(wall) / 1e9)
    result["cpu_ns_per_span_loop"] = Double(cpuLoop) / Double(spans * tasks)
    result["cpu_ns_per_span_total"] = Double(cpuTotal) / Double(spans * tasks)
    result["drain_ms"] = Double(drain) / 1e6
    // Warm-up spans are flushed (and their drops reported) before the measurement starts.
    result["dropped"] = sum(report, \.dropped)
    result["flush_complete"] = report.isComplete
    if let sink { (await sink.finish()).record(into: &result) }
    result.emit()
}

// MARK: export (exporter alone)

func exportBenchmark() async throws {
    let total = arguments.int("spans", 200_000)
    let batchSize = arguments.int("batch", 512)
    let compression = arguments.string("compression", "gzip")

    // Real spans from the SDK, with the same five attributes, collected and then exported by hand.
    let collector = CollectingProcessor()
    let provider = TracerProvider(environment: environment(endpoint: nil), processors: [collector])
    Workload.directSpans(provider.tracer(name: "bench"), batchSize)
    let template = collector.spans.withLock { $0 }

    // `--sink external`: the receiver in its own process, so that this process's CPU time is the exporter's alone.
    let sink = try await makeSink(arguments, capture: true)
    let exporter = OTLPSpanExporter(environment: environment(endpoint: sink.endpoint, compression: compression))
    // Each batch gets fresh span IDs so that the sink can count distinct spans.
    let ids = RandomIDGenerator()
    func batch() -> [SpanData] {
        template.map { span in
            var span = span
            span.context.spanID = ids.newSpanID()
            return span
        }
    }
    // Warm-up: connection, buffers.
    _ = await exporter.export(batch(), deadline: .now + .seconds(30))
    let batches = (0..<(total / batchSize)).map { _ in batch() }
    let warmupSpans = batchSize

    let cpuStart = processCPUNanos()
    let start = nowNanos()
    var failures = 0
    for batch in batches {
        if case .success = await exporter.export(batch, deadline: .now + .seconds(30)) {} else { failures += 1 }
    }
    let wall = nowNanos() - start
    let cpu = processCPUNanos() - cpuStart
    await exporter.shutdown(deadline: .now + .seconds(5))
    let exported = batches.count * batchSize

    var result = Result(bench: "export", impl: "ours")
    result["compression"] = compression
    result["batch"] = batchSize
    result["spans"] = exported
    result["spans_per_sec"] = Double(exported) / (Double(wall) / 1e9)
    result["cpu_ns_per_span"] = Double(cpu) / Double(exported)
    result["failed_exports"] = failures
    let report = await sink.finish()
    report.record(into: &result)
    result["delivered"] = report.spans - warmupSpans
    if let distinct = report.distinctSpans { result["delivered_distinct"] = distinct - warmupSpans }
    result["bytes_per_span_wire"] = Double(report.bytesReceived) / Double(report.spans)
    result.emit()
}

// MARK: flush (N queued spans)

func flushBenchmark() async throws {
    let total = arguments.int("spans", 100_000)
    let queue = arguments.int("queue", 131_072)
    let compression = arguments.string("compression", "gzip")

    // --feed spans (default): end the spans with withSpan, as an application does; the processor
    //   exports full batches in the background meanwhile, so little is left for the flush itself.
    // --feed queued: the same spans, made beforehand, handed to the processor's onEnd in a tight loop,
    //   so that (nearly) all of them are still queued when forceFlush starts: the flush does all the work.
    let feed = arguments.string("feed", "spans")
    var prepared: [SpanData] = []
    if feed == "queued" {
        let collector = CollectingProcessor()
        let maker = TracerProvider(environment: environment(endpoint: nil), processors: [collector])
        Workload.directSpans(maker.tracer(name: "bench"), total)
        prepared = collector.spans.withLock { $0 }
    }

    let sink = try await InProcessSink(captureBodies: true)
    let exporter = OTLPSpanExporter(environment: environment(endpoint: sink.endpoint, compression: compression))
    let processor = BatchSpanProcessor(exporter: exporter, configuration: BatchConfiguration(maxQueueSize: queue))
    let provider = TracerProvider(environment: environment(endpoint: nil), processors: [processor])
    let coordinator = FlushCoordinator(providers: [provider])
    InstrumentationSystem.bootstrap(provider.tracer(name: "bench"))

    let start = nowNanos()
    if feed == "queued" {
        for span in prepared { processor.onEnd(span) }
    } else {
        Workload.globalSpans(total)
    }
    let ended = nowNanos()
    let atFlush = sink.spansSoFar
    let report = await coordinator.forceFlush(deadline: .now + .seconds(120))
    let flushed = nowNanos()
    let afterFlush = sink.spansSoFar
    let afterFlushDistinct = sink.distinctSpans()
    let shutdown = await coordinator.shutdown(deadline: .now + .seconds(30))

    var result = Result(bench: "flush", impl: "ours")
    result["feed"] = feed
    result["flush_spans_per_sec"] = Double(total - atFlush) / (Double(flushed - ended) / 1e9)
    result["compression"] = compression
    result["spans"] = total
    result["queue"] = queue
    result["end_spans_ms"] = Double(ended - start) / 1e6
    result["delivered_before_flush"] = atFlush
    result["flush_ms"] = Double(flushed - ended) / 1e6
    result["total_ms"] = Double(flushed - start) / 1e6
    result["spans_per_sec"] = Double(total) / (Double(flushed - start) / 1e9)
    result["flush_outcome"] = report.isComplete ? "ok" : "\(report)"
    result["delivered_after_flush"] = afterFlush
    result["delivered_distinct_after_flush"] = afterFlushDistinct
    result["dropped"] = sum(report, \.dropped) + sum(shutdown, \.dropped)
    result["pending"] = sum(report, \.pending)
    (await sink.finish()).record(into: &result)
    result.emit()
}

// MARK: overload

func overloadBenchmark() async throws {
    let seconds = arguments.double("seconds", 10)
    let tasks = arguments.int("tasks", 2)
    let limit = arguments.int("rss-limit-mb", 4096) << 20

    let sink = try await makeSink(arguments, capture: false)
    let provider = TracerProvider.otlp(environment: environment(endpoint: sink.endpoint))
    let coordinator = FlushCoordinator(providers: [provider])
    InstrumentationSystem.bootstrap(provider.tracer(name: "bench"))

    let watchdog = RSSWatchdog(limitBytes: limit)
    let produced = await produceUntil(seconds: seconds, tasks: tasks, stop: { watchdog.exceeded }) { count in
        Workload.globalSpans(count)
    }
    let rssAtEnd = peakRSSBytes()
    let shutdownStart = nowNanos()
    let report = await coordinator.shutdown(deadline: .now + .seconds(30))
    let shutdownNanos = nowNanos() - shutdownStart
    watchdog.stop()

    var result = Result(bench: "overload", impl: "ours")
    result["seconds"] = Double(produced.nanos) / 1e9
    result["tasks"] = tasks
    result["produced"] = produced.spans
    result["produced_per_sec"] = Double(produced.spans) / (Double(produced.nanos) / 1e9)
    result["rss_limit_hit"] = watchdog.exceeded
    result["rss_peak_at_end_of_production"] = rssAtEnd
    result["shutdown_ms"] = Double(shutdownNanos) / 1e6
    result["dropped"] = sum(report, \.dropped)
    result["pending_at_shutdown"] = sum(report, \.pending)
    result["flush_outcome"] = report.isComplete ? "ok" : "\(report)"
    let delivered = await sink.finish()
    delivered.record(into: &result)
    result["delivered_fraction"] = Double(delivered.spans) / Double(max(1, produced.spans))
    result.emit()
}

switch arguments.command {
case "span": try await spanBenchmark()
case "export": try await exportBenchmark()
case "flush": try await flushBenchmark()
case "overload": try await overloadBenchmark()
case "metrics": await metricsBenchmark()
case "logs": try await logsBenchmark()
case "encode": encodeBenchmark()
default:
    print("usage: ours-bench span|export|encode|flush|overload|metrics|logs [--options]")
    exit(2)
}
