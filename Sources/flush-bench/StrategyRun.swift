import EntityAPI
import LambdaSim
import OTLPReceiver

/// One strategy at one arrival rate: a fresh collector (unless `--collector`) and a fresh `lambda-sim` running
/// `example-entity-api`, warm sandboxes, the open-loop load phase, and the teardown Lambda would do.
struct StrategyRun {
    var strategy: BenchStrategy
    var rate: Double
    var settings: BenchSettings
    /// The function's `bootstrap`: `example-entity-api`, or `entity-api-naive` (``BenchStrategy/executable``).
    var bootstrap: String

    /// Runs it and tallies what happened.
    ///
    /// 1. warm-up: ``BenchSettings/warmSandboxes(rate:)`` concurrent invocations, collector healthy;
    /// 2. load: the collector stalls (except for the baseline), arrivals at `rate` for the duration;
    /// 3. teardown: wait until every invoke phase has ended (Lambda only shuts idle environments down), heal the
    ///    collector so that the final flushes at SIGTERM measure the strategy rather than the bench's own ending, shut
    ///    the simulator down (SIGTERM: final flushes), and only then count what the collector received.
    func run(progress: ProgressReporter) async throws -> RunResult {
        let label = "\(strategy.rawValue) @ \(FixedPoint.string(rate, rate < 10 ? 1 : 0)) rps"
        progress.begin("\(label): starting")
        let receiver = settings.collector == nil ? try await OTLPReceiver.start(configuration: .init(port: 0)) : nil
        let simulator: LambdaSimulator
        do {
            simulator = try await LambdaSimulator.start(configuration: simulatorConfiguration(endpoint: settings.collector ?? receiver!.endpoint))
        } catch {
            try? await receiver?.stop()
            throw error
        }

        let warm = settings.warmSandboxes(rate: rate)
        progress.begin("\(label): warming \(warm) sandboxes")
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<warm {
                group.addTask { _ = await simulator.invoke(payload: EntityRequest.payload(id: -1 - index)) }
            }
        }
        await simulator.waitUntilIdle()

        if strategy.collectorStalls { receiver?.setFaults(settings.faults) }
        let load = OpenLoopLoad(rate: rate, duration: settings.duration)
        progress.begin("\(label): load, \(load.arrivals) invocations over \(FixedPoint.string(settings.duration.seconds, 1)) s")
        let samples = await load.run(against: simulator, progress: progress)
        let stalls = receiver?.summary.faults.stalled

        progress.begin("\(label): waiting for the last invoke phases")
        await simulator.waitUntilIdle()
        receiver?.setFaults(.none)
        progress.begin("\(label): shutting the sandboxes down")
        let report = await simulator.shutdown()
        let received = receiver?.summary
        try? await receiver?.stop()
        return RunResult(
            strategy: strategy, rps: rate, samples: samples, report: report, warmSandboxes: warm,
            received: received, stalls: stalls
        )
    }

    private func simulatorConfiguration(endpoint: String) -> LambdaSimConfiguration {
        var environment = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT": String(Int(settings.flushCap.milliseconds.rounded())),
            "OTEL_LAMBDA_LOG_FLUSH_EVENTS": "true",
            "OTEL_SERVICE_NAME": "entity-api",
            "EXAMPLE_WORK_MS": String(settings.workMilliseconds),
        ]
        environment["OTEL_LAMBDA_FLUSH_STRATEGY"] = strategy.flushStrategy
        return LambdaSimConfiguration(
            bootstrap: bootstrap,
            environment: environment,
            functionName: "entity-api",
            port: 0,
            functionTimeout: settings.functionTimeout,
            gatewayTimeout: settings.gatewayTimeout,
            maxSandboxes: settings.maxSandboxes,
            sandboxLog: .discard,
            // The tally reads every invocation and flush of the run from the report: keep them all (the run's
            // arrivals, its warm-up, and room for retries).
            retainedDetail: max(10_000, 2 * Int((rate * settings.duration.seconds).rounded(.up)) + settings.warmSandboxes(rate: rate))
        )
    }
}
