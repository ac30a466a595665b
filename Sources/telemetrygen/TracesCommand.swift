import ArgumentParser
import Instrumentation
import OTelSDK
import OTLPHTTP
import Tracing

/// `telemetrygen traces`: starts and ends spans with `withSpan` on the globally bootstrapped tracer.
///
/// Each worker flushes after every chunk of spans (as a batch job would between units of work), so
/// that a burst larger than the span queue (`OTEL_BSP_MAX_QUEUE_SIZE`) is paced by the exporter
/// instead of overflowing it. The final flush must leave nothing pending and nothing dropped.
struct TracesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "traces", abstract: "Generate spans.")

    @OptionGroup var options: GenerationOptions

    @Option(help: "Spans per worker between flushes (default: 1024 / workers).")
    var flushEvery: Int?

    func run() async throws {
        let environment = OTelEnvironment.process()
        let provider = TracerProvider.otlp(environment: environment)
        let coordinator = FlushCoordinator(providers: [provider], diagnostics: environment.diagnostics)
        InstrumentationSystem.bootstrap(provider.tracer(name: "telemetrygen", version: SDKInfo.version))

        let attributeNames = (0..<options.attributes).map { "attribute.\($0)" }
        let chunk = max(1, flushEvery ?? 1024 / options.workers)
        let flushTimeout = Duration.milliseconds(Int64(options.flushTimeout * 1000))
        let clock = ContinuousClock()
        let start = clock.now

        let dropped = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<options.workers {
                let share = options.share(of: worker)
                group.addTask {
                    var dropped = 0
                    for index in 0..<share {
                        withSpan("telemetrygen.span", ofKind: .internal) { span in
                            for name in attributeNames {
                                span.attributes[name] = "value-\(worker)-\(index)"
                            }
                        }
                        if (index + 1) % chunk == 0 {
                            dropped += await coordinator.forceFlush(deadline: .now + flushTimeout).entries.map(\.result.dropped).reduce(0, +)
                        }
                    }
                    return dropped
                }
            }
            return await group.reduce(0, +)
        }
        let generated = clock.now - start
        let report = await coordinator.shutdown(deadline: .now + flushTimeout)
        let elapsed = clock.now - start
        let totalDropped = dropped + report.entries.map(\.result.dropped).reduce(0, +)
        let pending = report.entries.map(\.result.pending).reduce(0, +)

        let seconds = elapsed.seconds
        let rate = seconds > 0 ? Double(options.count) / seconds : 0
        print("telemetrygen traces: \(options.count) spans by \(options.workers) workers, generated in \(format(generated.seconds)) s, all flushed in \(format(seconds)) s (\(Int(rate)) spans/s); final flush \(report)")
        guard report.isComplete, totalDropped == 0, pending == 0 else {
            print("telemetrygen traces: NOT all spans were exported (dropped \(totalDropped), pending \(pending))")
            throw ExitCode.failure
        }
    }

    /// Seconds with three decimals.
    private func format(_ seconds: Double) -> String {
        String((seconds * 1000).rounded() / 1000)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
