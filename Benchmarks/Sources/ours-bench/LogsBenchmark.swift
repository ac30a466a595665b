// logs --tasks T --records N --warmup W --exporter none|otlp [--rate R] [--sink external --receiver-bin P]
//      [--handler otel|discard|discard-reading-source]
//
// `logger.info` with three metadata entries on LoggingSystem bootstrapped with OTelLogHandler, the
// batch log record processor at its defaults (queue 2048, batch 512, 1 s).
//   --exporter none: a processor whose exporter discards every batch: the cost of the call.
//   --exporter otlp: N records per task (no warm-up), at --rate records/s in all (0: as fast as the
//     tasks go), then shutdown; records delivered to the sink against produced and dropped-counted.
//   --handler discard (calibration): no SDK; a LogHandler that takes every level and does nothing,
//     so the loop costs what swift-log and the call site (the metadata dictionary) cost by
//     themselves. `discard-reading-source` also reads `event.source`, which swift-log derives from
//     #fileID on each read, as any handler that reports the source does.

import BenchSupport
import Logging
import OTelSDK
import OTLPHTTP

/// Discards every batch: the handler's and processor's cost without any I/O.
struct DiscardingLogExporter: LogRecordExporter {
    func export(_ batch: [LogRecordData], deadline: ContinuousClock.Instant) async -> ExportResult { .success }
    func shutdown(deadline: ContinuousClock.Instant) async {}
}

/// Takes every level and drops every record: swift-log with no backend work behind it.
struct DiscardingLogHandler: LogHandler {
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    let readsSource: Bool

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if readsSource { blackHole(event.source) }
    }
}

/// Keeps the optimizer from dropping the computation of `value`.
@inline(never)
func blackHole<T>(_ value: T) {}

func logsBenchmark() async throws {
    let options = LogsWorkloadOptions(arguments)
    let handler = arguments.string("handler", "otel")
    guard ["otel", "discard", "discard-reading-source"].contains(handler) else { fatalError("unknown --handler \(handler)") }
    if handler != "otel" {
        LoggingSystem.bootstrap { _ in DiscardingLogHandler(readsSource: handler == "discard-reading-source") }
        var result = Result(bench: "logs", impl: "ours")
        result["handler"] = handler
        await LogsWorkload.warmUp(options)
        await LogsWorkload.measure(tasks: options.tasks, records: options.records, perSecond: 0, into: &result)
        result.emit()
        return
    }

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
        await LogsWorkload.warmUp(options)
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
