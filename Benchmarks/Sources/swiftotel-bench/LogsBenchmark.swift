// logs --tasks T --records N --warmup W --exporter none|otlp [--rate R] [--sink external --receiver-bin P]
//
// The same calls as ours-bench's logs benchmark, on LoggingSystem bootstrapped with swift-otel's
// `OTel.makeLoggingBackend` (its service running; batch log record processor at its defaults,
// queue 2048, batch 512, 1 s). `--exporter none` is swift-otel's own "no exporter" selection.

import BenchSupport
import Logging
import OTel
import ServiceLifecycle
import Tracing

func logsBenchmark() async throws {
    let options = LogsWorkloadOptions(arguments)

    var sink: (any Sink)?
    if options.exporter == "otlp" { sink = try await makeSink(arguments, capture: false) }
    var config = configuration(exporter: "none", endpoint: nil)
    config.traces.enabled = false
    config.logs.enabled = true
    if let sink {
        config.logs.exporter = .otlp
        config.logs.otlpExporter.protocol = .httpProtobuf  // swift-otel has no gzip for OTLP/HTTP
        config.logs.otlpExporter.endpoint = sink.endpoint + "/v1/logs"
    } else {
        config.logs.exporter = .none
    }
    let (factory, service) = try OTel.makeLoggingBackend(configuration: config)
    LoggingSystem.bootstrap(factory)
    let group = ServiceGroup(services: [service], logger: Logger(label: "group") { _ in SwiftLogNoOpLogHandler() })
    let backend = Backend(tracer: NoOpTracer(), group: group, task: Task { try await group.run() })

    if sink == nil {
        await LogsWorkload.warmUp(options)
    }
    let droppedBefore = CountingLogHandler.droppedCount.load(ordering: .relaxed)
    var result = Result(bench: "logs", impl: "swift-otel")
    result["exporter"] = options.exporter
    await LogsWorkload.measure(tasks: options.tasks, records: options.records, perSecond: options.rate, into: &result)
    let shutdownStart = nowNanos()
    let finished = await backend.shutdown(timeout: .seconds(30))
    let shutdownNanos = nowNanos() - shutdownStart

    result["shutdown_ms"] = Double(shutdownNanos) / 1e6
    result["shutdown_finished"] = finished
    // swift-otel reports drops only in a warning on each export tick.
    result["dropped_logged"] = CountingLogHandler.droppedCount.load(ordering: .relaxed) - droppedBefore
    if let sink {
        LogsWorkload.recordDelivery(await sink.finish(), into: &result)
    }
    result.emit()
}
