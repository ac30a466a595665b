// metrics --op counter|recorder|timer|create-counter --tasks T --ops N --warmup W
//
// swift-metrics calls on MetricsSystem bootstrapped with swift-otel's `OTel.makeMetricsBackend`
// (its service running), OTLP/HTTP exporter on the default 60 s interval, which does not fire
// during the run: the recording path alone, as in ours-bench.

import BenchSupport
import Logging
import Metrics
import OTel
import ServiceLifecycle

func metricsBenchmark() async throws {
    let operation = arguments.string("op", "counter")
    let tasks = arguments.int("tasks", 1)
    let ops = arguments.int("ops", 10_000_000)
    let warmup = arguments.int("warmup", 100_000)
    guard let kind = MetricsWorkload.Operation(rawValue: operation) else { fatalError("unknown --op \(operation)") }

    var config = configuration(exporter: "none", endpoint: nil)
    config.traces.enabled = false
    config.metrics.enabled = true
    config.metrics.exporter = .otlp
    config.metrics.otlpExporter.protocol = .httpProtobuf
    config.metrics.otlpExporter.endpoint = "http://127.0.0.1:4318/v1/metrics"
    let (factory, service) = try OTel.makeMetricsBackend(configuration: config)
    MetricsSystem.bootstrap(factory)
    let group = ServiceGroup(services: [service], logger: Logger(label: "group") { _ in SwiftLogNoOpLogHandler() })
    Task { try await group.run() }
    let loop = MetricsWorkload.loop(kind)

    _ = await Workload.concurrently(tasks: tasks) { _ in loop(warmup) }
    let cpuStart = processCPUNanos()
    let wall = await Workload.concurrently(tasks: tasks) { _ in loop(ops) }
    let cpu = processCPUNanos() - cpuStart

    var result = Result(bench: "metrics", impl: "swift-otel")
    result["op"] = operation
    result["tasks"] = tasks
    result["ops_per_task"] = ops
    result["ns_per_op"] = Double(wall) / Double(ops)
    result["ops_per_sec"] = Double(ops * tasks) / (Double(wall) / 1e9)
    result["cpu_ns_per_op"] = Double(cpu) / Double(ops * tasks)
    result.emit()
}
