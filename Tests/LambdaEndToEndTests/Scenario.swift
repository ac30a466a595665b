import Foundation
import LambdaSim
import OTLPReceiver
import Testing

/// One end-to-end run: `example-entity-api` in `lambda-sim` sandboxes (frozen between invocations), exporting to an
/// in-process `otlp-receiver`, driven open-loop (fixed arrival rate: a slow answer never delays the next arrival).
struct Scenario {
    /// `OTEL_LAMBDA_FLUSH_STRATEGY`, or `naive`: the same function with the early-next bug (`entity-api-naive`).
    var strategy: String
    var invocations = 40
    var ratePerSecond = 20.0
    var faults = ReceiverFaults.none
    /// Longer than the callers' latency bound in the tests, so a flush on the response path cannot pass for a deferred one.
    var flushCapMilliseconds = 1500
    var functionTimeout: Duration = .seconds(3)
    var maxSandboxes = 12
    var workMilliseconds = "5-15"
    var collectorDown = false
    var extraEnvironment: [String: String] = [:]

    /// Spans each request of `example-entity-api` records (`EntityHandler.spansPerRequest`), one of them in a
    /// deferred action.
    static let spansPerRequest = 5

    struct Outcome {
        var report: LambdaSimReport
        var callerLatencies: [Double]
        var statuses: [Int]
        var receiver: ReceiverSummary

        var spansCreated: Int { statuses.filter { $0 == 200 }.count * Scenario.spansPerRequest }
        func latencyPercentile(_ p: Double) -> Double {
            let sorted = callerLatencies.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    func run() async throws -> Outcome {
        let receiver = try await OTLPReceiver.start(configuration: .init(port: 0, faults: faults))
        let endpoint = collectorDown ? try await Self.endpointNobodyListensOn() : receiver.endpoint
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(strategy)-\(UUID().uuidString).log").path
        let naive = strategy == "naive"
        var environment = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT": String(flushCapMilliseconds),
            "OTEL_LAMBDA_LOG_FLUSH_EVENTS": "true",
            "EXAMPLE_WORK_MS": workMilliseconds,
            "OTEL_SERVICE_NAME": "entity-api",
        ]
        if !naive {
            environment["OTEL_LAMBDA_FLUSH_STRATEGY"] = strategy
        }
        environment.merge(extraEnvironment) { $1 }
        let simulator = try await LambdaSimulator.start(configuration: LambdaSimConfiguration(
            bootstrap: try Binaries.path(naive ? "entity-api-naive" : "example-entity-api"),
            environment: environment,
            port: 0,
            functionTimeout: functionTimeout,
            maxSandboxes: maxSandboxes,
            sandboxLog: .file(log)
        ))
        let clock = ContinuousClock()
        let start = clock.now
        let interval = Duration.seconds(1 / ratePerSecond)
        let results = await withTaskGroup(of: (Double, Int).self) { group in
            for index in 0..<invocations {
                group.addTask {
                    try? await Task.sleep(until: start + interval * index, clock: clock)
                    let sent = clock.now
                    let response = await simulator.invoke(payload: Self.request(id: index))
                    let latency = sent.duration(to: clock.now)
                    return (Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15, response.status)
                }
            }
            var results: [(Double, Int)] = []
            for await result in group { results.append(result) }
            return results
        }
        // Lambda shuts an environment down only when it is idle (no invoke phase running).
        await simulator.waitUntilIdle()
        // The collector heals before the shutdown, as flush-bench's does: the final flush at SIGTERM has 300 ms, and a
        // stall then (or the exporter's circuit breaker, which a stall opens, still holding data) would measure the
        // scenario's own ending. What the stalls kept back must arrive with that final flush.
        receiver.setFaults(.none)
        let report = await simulator.shutdown()
        try? await receiver.stop()
        // Under `swift test --sanitize=thread` the sandboxes are instrumented too; their reports land in their output.
        let sandboxOutput = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(!sandboxOutput.contains("ThreadSanitizer"), "a sandbox reported a data race, see \(log)")
        return Outcome(report: report, callerLatencies: results.map(\.0), statuses: results.map(\.1), receiver: receiver.summary)
    }

    static func request(id: some CustomStringConvertible) -> [UInt8] {
        Array(#"{"version":"2.0","routeKey":"GET /entities/{id}","rawPath":"/entities/\#(id)","headers":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},"pathParameters":{"id":"\#(id)"},"requestContext":{"http":{"method":"GET","path":"/entities/\#(id)"}},"isBase64Encoded":false}"#.utf8)
    }

    /// An endpoint whose port nothing listens on: a receiver's, after it stopped.
    static func endpointNobodyListensOn() async throws -> String {
        let receiver = try await OTLPReceiver.start(configuration: .init(port: 0))
        try await receiver.stop()
        return receiver.endpoint
    }
}
