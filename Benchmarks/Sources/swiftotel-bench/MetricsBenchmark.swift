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
    var result = Result(bench: "metrics", impl: "swift-otel")
    await MetricsWorkload.measure(kind, tasks: tasks, ops: ops, warmup: warmup, into: &result)
    result.emit()
}
