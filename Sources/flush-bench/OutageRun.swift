import EntityAPI
import LambdaSim
import OTLPReceiver

/// One strategy through one collector outage: a fresh `lambda-sim` with one sandbox (freezing on) running
/// `example-entity-api`, invoked one invocation at a time, `pause` apart, first while the collector is down, then
/// after it is back, and finally shut down like Lambda would.
struct OutageRun {
    var strategy: BenchStrategy
    var outage: CollectorOutage
    var settings: OutageSettings
    /// The function's `bootstrap`: `example-entity-api`, or `entity-api-naive` (``BenchStrategy/executable``).
    var bootstrap: String

    func run(progress: ProgressReporter) async throws -> OutageResult {
        let label = "\(strategy.rawValue), collector \(outage.rawValue)"
        progress.begin("\(label): starting")
        // The collector's port: a receiver's, stopped again when nothing is to listen on it.
        let first = try await OTLPReceiver.start(configuration: .init(port: 0, faults: outage == .hung ? CollectorOutage.hanging : .none))
        let port = first.port
        var receiver: OTLPReceiver? = first
        if outage == .refused {
            try await first.stop()
            receiver = nil
        }
        let simulator: LambdaSimulator
        do {
            simulator = try await LambdaSimulator.start(configuration: simulatorConfiguration(endpoint: "http://127.0.0.1:\(port)"))
        } catch {
            try? await receiver?.stop()
            throw error
        }

        var callers: [OpenLoopLoad.Sample] = []
        for index in 0..<settings.outageInvocations {
            progress.begin("\(label): outage, invocation \(index + 1) of \(settings.outageInvocations)")
            callers.append(await invokeAndSettle(simulator, id: index))
        }

        let recovered: OTLPReceiver
        do {
            if let receiver {
                receiver.setFaults(.none)
                recovered = receiver
            } else {
                recovered = try await OTLPReceiver.start(configuration: .init(port: port))
            }
        } catch {
            _ = await simulator.shutdown()
            throw error
        }
        var caughtUpAfter: Int?
        for index in 0..<settings.recoveryInvocations {
            progress.begin("\(label): collector back, invocation \(index + 1) of \(settings.recoveryInvocations)")
            callers.append(await invokeAndSettle(simulator, id: settings.outageInvocations + index))
            let created = await simulator.report().invocations.filter { $0.responsePostedMs != nil }.count * EntityHandler.spansPerRequest
            if caughtUpAfter == nil, recovered.summary.traces.distinctItems >= created { caughtUpAfter = index + 1 }
        }

        progress.begin("\(label): shutting the sandbox down")
        let report = await simulator.shutdown()
        let received = recovered.summary
        try? await recovered.stop()
        return OutageResult(
            strategy: strategy, outage: outage, settings: settings, callers: callers, report: report,
            received: received, caughtUpAfter: caughtUpAfter
        )
    }

    /// Invokes once, waits until the invoke phase has ended (the post-response flush included), then pauses.
    private func invokeAndSettle(_ simulator: LambdaSimulator, id: Int) async -> OpenLoopLoad.Sample {
        let clock = ContinuousClock()
        let start = clock.now
        let response = await simulator.invoke(payload: EntityRequest.payload(id: id))
        let sample = OpenLoopLoad.Sample(latency: start.duration(to: clock.now), status: response.status)
        await simulator.waitUntilIdle()
        try? await Task.sleep(for: settings.pause)
        return sample
    }

    private func simulatorConfiguration(endpoint: String) -> LambdaSimConfiguration {
        var environment = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_LAMBDA_LOG_FLUSH_EVENTS": "true",
            "OTEL_SERVICE_NAME": "entity-api",
            "EXAMPLE_WORK_MS": String(settings.workMilliseconds),
        ]
        environment["OTEL_LAMBDA_FLUSH_STRATEGY"] = strategy.flushStrategy
        if let cap = settings.flushCap {
            environment["OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT"] = String(Int(cap.milliseconds.rounded()))
        }
        return LambdaSimConfiguration(
            bootstrap: bootstrap,
            environment: environment,
            functionName: "entity-api",
            port: 0,
            functionTimeout: settings.functionTimeout,
            gatewayTimeout: settings.functionTimeout + .seconds(5),
            freeze: true,
            maxSandboxes: 1,
            sandboxLog: .discard
        )
    }
}
