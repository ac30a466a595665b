// logs --tasks T --records N --warmup W --exporter none|otlp [--rate R] [--sink external --receiver-bin P]
//
// `logger.info` with three metadata entries on LoggingSystem bootstrapped with OTelLogHandler, the
// batch log record processor at its defaults (queue 2048, batch 512, 1 s).
//   --exporter none: a processor whose exporter discards every batch: the cost of the call.
//   --exporter otlp: N records per task (no warm-up), at --rate records/s in all (0: as fast as the
//     tasks go), then shutdown; records delivered to the sink against produced and dropped-counted.

import BenchSupport
import Logging
import OTelSDK
import OTLPHTTP

/// Discards every batch: the handler's and processor's cost without any I/O.
struct DiscardingLogExporter: LogRecordExporter {
    func export(_ batch: [LogRecordData], deadline: ContinuousClock.Instant) async -> ExportResult { .success }
    func shutdown(deadline: ContinuousClock.Instant) async {}
}

func logsBenchmark() async throws {
    let options = LogsWorkloadOptions(arguments)

    var sink: (any Sink)?
    let provider: LoggerProvider
    if options.exporter == "otlp" {
        let opened = try await makeSink(arguments, capture: false)
        sink = opened
        provider = LoggerProvider.otlp(environment: environment(endpoint: opened.endpoint))
    } else {
        provider = LoggerProvider(
            environment: environment(endpoint: nil), processors: [BatchLogRecordProcessor(exporter: DiscardingLogExporter())])
    }
    let coordinator = FlushCoordinator(providers: [provider])
    LoggingSystem.bootstrap { OTelLogHandler(label: $0, provider: provider) }

    if sink == nil {
        _ = await Workload.concurrently(tasks: options.tasks) { _ in LogsWorkload.info(Logger(label: LogsWorkload.label), options.warmup) }
        _ = await coordinator.forceFlush(deadline: .now + .seconds(30))
    }
    var result = Result(bench: "logs", impl: "ours")
    result["exporter"] = options.exporter
    await LogsWorkload.measure(tasks: options.tasks, records: options.records, perSecond: options.rate, into: &result)
    let shutdownStart = nowNanos()
    let report = await coordinator.shutdown(deadline: .now + .seconds(30))
    let shutdownNanos = nowNanos() - shutdownStart

    result["shutdown_ms"] = Double(shutdownNanos) / 1e6
    result["dropped"] = sum(report, \.dropped)
    result["pending_at_shutdown"] = sum(report, \.pending)
    if let sink {
        LogsWorkload.recordDelivery(await sink.finish(), into: &result)
    }
    result.emit()
}
