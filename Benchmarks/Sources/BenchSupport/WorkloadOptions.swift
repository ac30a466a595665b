// The command-line options of the benchmarks ours-bench and swiftotel-bench both run, read in one
// place: the two binaries take the same options with the same defaults, and run the same loop.

import Tracing

/// `span --api global|direct --tasks T --spans N --warmup W --exporter E [--attrs subscript|update]`.
public struct SpanWorkloadOptions: Sendable {
    /// `global` (default): spans through the bootstrapped tracer (`withSpan`); `direct`: through the tracer itself.
    public let api: String
    public let tasks: Int
    /// Spans per task in the measured loop.
    public let spans: Int
    /// Spans per task before the measurement.
    public let warmup: Int
    /// The exporter selection; what it means is each binary's own.
    public let exporter: String
    /// `--attrs update`: the five attributes in one `updateAttributes` call instead of five subscript sets.
    public let updateAttributes: Bool

    public init(_ arguments: Arguments) {
        api = arguments.string("api", "global")
        tasks = arguments.int("tasks", 1)
        spans = arguments.int("spans", 200_000)
        warmup = arguments.int("warmup", 20_000)
        exporter = arguments.string("exporter", "none")
        updateAttributes = arguments.string("attrs", "subscript") == "update"
    }

    /// The loop each task runs, `count` spans per call: through `tracer` with `--api direct`, else
    /// through the bootstrapped tracer. Inlinable, so that each binary specialises it for its tracer.
    @inlinable
    public func loop<T: Tracer>(_ tracer: T) -> @Sendable (Int) -> Void {
        let update = updateAttributes
        if api == "direct" {
            return { count in Workload.directSpans(tracer, count, update: update) }
        } else {
            return { count in Workload.globalSpans(count, update: update) }
        }
    }

    /// Records the options that identify the run (api, tasks, exporter, attrs, spans per task) into `result`.
    public func record(into result: inout Result) {
        result["api"] = api
        result["tasks"] = tasks
        result["exporter"] = exporter
        result["attrs"] = updateAttributes ? "update" : "subscript"
        result["spans_per_task"] = spans
    }
}

/// `logs --tasks T --records N --warmup W --exporter none|otlp [--rate R]`.
public struct LogsWorkloadOptions: Sendable {
    public let tasks: Int
    /// Records per task in the measured loop.
    public let records: Int
    /// Records per task before the measurement (with `--exporter none` only).
    public let warmup: Int
    /// Records per second in all; 0: as fast as the tasks go.
    public let rate: Int
    /// `otlp`: to the sink; anything else: no export, each binary's own way.
    public let exporter: String

    public init(_ arguments: Arguments) {
        tasks = arguments.int("tasks", 1)
        records = arguments.int("records", 1_000_000)
        warmup = arguments.int("warmup", 20_000)
        rate = arguments.int("rate", 0)
        exporter = arguments.string("exporter", "none")
    }
}
