import BenchSupport
import EntityAPI
import Foundation
import LambdaSim

/// Whether the function's memory stays flat: one sandbox of example-entity-api (extension-gated, the default)
/// serves `invocations` invocations one after another; its process's VmRSS and VmHWM are read from /proc after
/// `sampleAt` invocations and at the end, each time with the sandbox idle (frozen). The target: peak RSS at the end
/// within 5 % of the RSS after `sampleAt`.
struct MemoryBench {
    var invocations: Int
    var sampleAt: Int
    var collector: Collector
    var build = FunctionBuild.ours("extension-gated")

    /// A sandbox's resident memory, read from `/proc/<pid>/status`.
    struct Memory {
        var rssBytes: Int
        var peakBytes: Int

        init(pid: Int32) {
            rssBytes = procStatusBytes("VmRSS", pid: "\(pid)")
            peakBytes = procStatusBytes("VmHWM", pid: "\(pid)")
        }
    }

    func run() async throws {
        let simulator = try await build.startSimulator(collector: collector)
        let clock = ContinuousClock()
        let start = clock.now
        var early: Memory?
        var notOK = 0
        for index in 0..<invocations {
            if await simulator.invoke(payload: EntityRequest.payload(id: index)).status != 200 { notOK += 1 }
            if index + 1 == sampleAt {
                early = await sample(simulator)
                log("memory: \(sampleAt) invocations in \(String(format: "%.1f", seconds(since: start, clock))) s, RSS \(mebibytes(early?.rssBytes))")
            }
        }
        let late = await sample(simulator)
        let elapsed = seconds(since: start, clock)
        let report = await simulator.shutdown()
        let growth = early.flatMap { early in late.map { Double($0.peakBytes) / Double(early.rssBytes) - 1 } }

        var result = Result(bench: "lambda-memory", impl: build.impl)
        result["tag"] = "lambda/memory/\(build.name)"
        result["invocations"] = invocations
        result["sample_at"] = sampleAt
        result["not_ok"] = notOK
        result["sandboxes_started"] = report.summary.sandboxesStarted
        result["rss_early_bytes"] = early?.rssBytes ?? -1
        result["peak_early_bytes"] = early?.peakBytes ?? -1
        result["rss_late_bytes"] = late?.rssBytes ?? -1
        result["peak_late_bytes"] = late?.peakBytes ?? -1
        result["peak_growth_fraction"] = growth ?? -1
        result["seconds"] = elapsed
        result.emit()
        log("memory \(build.name): RSS after \(sampleAt) \(mebibytes(early?.rssBytes)), after \(invocations): RSS \(mebibytes(late?.rssBytes)), peak \(mebibytes(late?.peakBytes)) (\(String(format: "%+.1f", (growth ?? .nan) * 100)) %), \(notOK) not ok, \(report.summary.sandboxesStarted) sandbox(es), \(String(format: "%.1f", elapsed)) s")
    }

    /// The memory of the one sandbox, once its invoke phase has ended; nil when it is gone or was replaced.
    private func sample(_ simulator: LambdaSimulator) async -> Memory? {
        await simulator.waitUntilIdle()
        let sandboxes = await simulator.report().sandboxes
        guard sandboxes.count == 1, let pid = sandboxes[0].pid, sandboxes[0].exitedMs == nil else { return nil }
        return Memory(pid: pid)
    }

    private func mebibytes(_ bytes: Int?) -> String {
        bytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "unknown"
    }

    private func seconds(since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> Double {
        (clock.now - start) / .seconds(1)
    }
}
