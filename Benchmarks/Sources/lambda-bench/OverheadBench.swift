import BenchSupport
import Foundation
import EntityAPI
import LambdaSim

/// What each flush strategy adds to an invocation, against the same function without telemetry: one warm sandbox
/// per build, all alive at once, invoked in turn (each invocation's phase ends, flush included, before the next
/// build is invoked), so that every build sees the same machine load. The collector never stalls; the handler does
/// no simulated work.
///
/// Per invocation, from the emulator's timeline: caller latency (request received to answer) and billed duration
/// (INVOKE delivered to the last `next` of the phase, what Lambda bills).
struct OverheadBench {
    var invocations: Int
    var collector: Collector
    var builds: [FunctionBuild] = [
        .none, .ours("synchronous"), .ours("extension-gated"), .ours("runtime-gated"), .ours("periodic"),
    ]

    func run() async throws {
        var simulators: [LambdaSimulator] = []
        for build in builds {
            let simulator = try await build.startSimulator(collector: collector)
            simulators.append(simulator)
            _ = await simulator.invoke(payload: EntityRequest.payload(id: -1))  // the cold start, not measured
            await simulator.waitUntilIdle()
        }
        for index in 0..<invocations {
            for offset in 0..<simulators.count {
                let simulator = simulators[(index + offset) % simulators.count]
                _ = await simulator.invoke(payload: EntityRequest.payload(id: index))
                await simulator.waitUntilIdle()
            }
        }
        var reports: [LambdaSimReport] = []
        for simulator in simulators { reports.append(await simulator.shutdown()) }

        let baseline = Measured(reports[0])
        for (build, report) in zip(builds, reports) {
            let measured = Measured(report)
            var result = Result(bench: "lambda-overhead", impl: build.impl)
            result["tag"] = "lambda/invoke/\(build.name)"
            result["invocations"] = measured.latency.count
            result["not_ok"] = measured.notOK
            result["violations"] = report.summary.violations
            result["latency_p50_ms"] = measured.latency.median
            result["latency_p99_ms"] = measured.latency.percentile(99)
            result["latency_max_ms"] = measured.latency.max
            result["billed_p50_ms"] = measured.billed.median
            result["billed_p99_ms"] = measured.billed.percentile(99)
            result["added_latency_p50_ms"] = measured.latency.median - baseline.latency.median
            result["added_latency_p99_ms"] = measured.latency.percentile(99) - baseline.latency.percentile(99)
            result["added_billed_p50_ms"] = measured.billed.median - baseline.billed.median
            result.emit()
            log("invoke \(build.name): caller p50 \(format(measured.latency.median)) / p99 \(format(measured.latency.percentile(99))) ms (added \(format(measured.latency.median - baseline.latency.median)) / \(format(measured.latency.percentile(99) - baseline.latency.percentile(99)))), billed p50 \(format(measured.billed.median)) / p99 \(format(measured.billed.percentile(99))) ms, \(measured.notOK) not ok, \(report.summary.violations) violations")
        }
    }

    /// The warm invocations of one report.
    private struct Measured {
        var latency: Distribution
        var billed: Distribution
        var notOK: Int

        init(_ report: LambdaSimReport) {
            let warm = report.invocations.filter { !$0.coldStart }
            latency = Distribution(warm.compactMap(\.callerLatencyMs))
            billed = Distribution(warm.compactMap(\.billedMs))
            notOK = warm.filter { $0.status != .ok }.count
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
