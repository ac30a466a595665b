import BenchSupport
import Foundation
import EntityAPI
import LambdaSim

/// Lambda's Init phase of each build, as the emulator measures it: from the spawn of `bootstrap` to the moment the
/// runtime (and, for ours, its internal extension) has called `next` for the first time. Each cold start is a fresh
/// emulator serving one invocation; the builds alternate, and the one that goes first rotates, so that drift in
/// machine load falls on all of them.
struct ColdStartBench {
    var runs: Int
    var collector: Collector
    var builds: [FunctionBuild] = [.ours("extension-gated"), .swiftOTel, .none]

    /// What one build's cold starts measured.
    struct Sample {
        var initMs: [Double] = []
        var firstResponseMs: [Double] = []
        var failures = 0
    }

    func run() async throws {
        var samples = [String: Sample]()
        for run in 0..<runs {
            for offset in 0..<builds.count {
                let build = builds[(run + offset) % builds.count]
                try await coldStart(build, id: run, into: &samples[build.name, default: Sample()])
            }
        }
        let oursMedian = samples[builds[0].name].map { Distribution($0.initMs).median }
        for build in builds {
            let sample = samples[build.name, default: Sample()]
            let initMs = Distribution(sample.initMs)
            let firstResponse = Distribution(sample.firstResponseMs)
            var result = Result(bench: "lambda-coldstart", impl: build.impl)
            result["tag"] = "lambda/coldstart/\(build.name)"
            result["runs"] = initMs.count
            result["failures"] = sample.failures
            result["init_median_ms"] = initMs.median
            result["init_min_ms"] = initMs.min
            result["init_max_ms"] = initMs.max
            result["first_response_median_ms"] = firstResponse.median
            result.emit()
            let ratio = oursMedian.map { " (ours / this: \(String(format: "%.2f", $0 / initMs.median)))" } ?? ""
            log("cold start \(build.name): init median \(String(format: "%.2f", initMs.median)) ms, min–max \(String(format: "%.2f–%.2f", initMs.min, initMs.max)) ms over \(initMs.count), first response median \(String(format: "%.2f", firstResponse.median)) ms, \(sample.failures) failed\(ratio)")
        }
    }

    /// One cold start: a fresh emulator, one invocation, the sandbox shut down as Lambda does when it is idle.
    private func coldStart(_ build: FunctionBuild, id: Int, into sample: inout Sample) async throws {
        let simulator = try await build.startSimulator(collector: collector)
        let response = await simulator.invoke(payload: EntityRequest.payload(id: id))
        await simulator.waitUntilIdle()
        let report = await simulator.shutdown()
        guard response.status == 200, let initMs = report.sandboxes.first?.initDurationMs,
              let firstResponse = report.invocations.first?.callerLatencyMs
        else {
            sample.failures += 1
            log("cold start \(build.name): failed (status \(response.status): \(response.bodyText))")
            return
        }
        sample.initMs.append(initMs)
        sample.firstResponseMs.append(firstResponse)
    }
}
