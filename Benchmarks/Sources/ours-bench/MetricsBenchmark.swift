// metrics --op counter|recorder|timer|create-counter --tasks T --ops N --warmup W [--factory otel|noop]
//
// swift-metrics calls on MetricsSystem bootstrapped with OTelMetricsFactory. The provider has an OTLP
// reader on its default 60 s interval, which does not fire during the run: the recording path alone.
// `--factory noop` (calibration): swift-metrics' own NOOPMetricsHandler, the API's cost without any SDK.

import BenchSupport
import Metrics
import OTelSDK
import OTLPHTTP

func metricsBenchmark() async {
    let operation = arguments.string("op", "counter")
    let tasks = arguments.int("tasks", 1)
    let ops = arguments.int("ops", 10_000_000)
    let warmup = arguments.int("warmup", 100_000)
    guard let kind = MetricsWorkload.Operation(rawValue: operation) else { fatalError("unknown --op \(operation)") }

    let provider = MeterProvider.otlp(environment: environment(endpoint: "http://127.0.0.1:4318"))
    if arguments.string("factory", "otel") == "noop" {
        MetricsSystem.bootstrap(NOOPMetricsHandler.instance)
    } else {
        MetricsSystem.bootstrap(OTelMetricsFactory(meter: provider.meter(name: "bench")))
    }
    var result = Result(bench: "metrics", impl: "ours")
    result["factory"] = arguments.string("factory", "otel")
    await MetricsWorkload.measure(kind, tasks: tasks, ops: ops, warmup: warmup, into: &result)
    result.emit()
}
