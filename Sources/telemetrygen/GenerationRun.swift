import ArgumentParser
import OTelSDK

/// One run of a signal's generator, the part every subcommand shares: `workers` tasks each
/// generate their share of `count` items, flushing after every `flushEvery` items (as a batch job
/// would between units of work, so that a burst larger than the queue is paced by the exporter
/// instead of overflowing it); then everything is shut down under `--flush-timeout`.
///
/// The exit rule: success only if the final flush completed and nothing was dropped (in any flush)
/// and nothing is left pending; otherwise `ExitCode.failure`.
struct GenerationRun {
    /// The subcommand, for the report line: `traces`, `logs`.
    let signal: String
    /// What one item is called in the report: `spans`, `log records`.
    let unit: String
    let options: GenerationOptions
    /// Items per worker between flushes; 1024 / workers by default.
    let flushEvery: Int?

    func run(
        providers: [any TelemetryProvider],
        environment: OTelEnvironment,
        generate: @escaping @Sendable (_ worker: Int, _ index: Int) -> Void
    ) async throws {
        let coordinator = FlushCoordinator(providers: providers, diagnostics: environment.diagnostics)
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
                        generate(worker, index)
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
        print("telemetrygen \(signal): \(options.count) \(unit) by \(options.workers) workers, generated in \(format(generated.seconds)) s, all flushed in \(format(seconds)) s (\(Int(rate)) \(unit)/s); final flush \(report)")
        guard report.isComplete, totalDropped == 0, pending == 0 else {
            print("telemetrygen \(signal): NOT all \(unit) were exported (dropped \(totalDropped), pending \(pending))")
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
