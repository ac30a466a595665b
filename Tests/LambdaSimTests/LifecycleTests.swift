import Foundation
import LambdaSim
import Testing

/// Invoke phases, freezing, timeouts, shutdown signals and scaling, observed from outside the sandbox.
@Suite("Sandbox lifecycle", .timeLimit(.minutes(5)))
struct LifecycleTests {
    private static func lineCount(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// The state letters of every thread of process `pid`, from /proc/PID/task/TID/stat (`T` when stopped).
    private static func threadStates(_ pid: Int32) throws -> Set<String> {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        return Set(try tasks.map { tid in
            let stat = try String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8)
            let close = try #require(stat.lastIndex(of: ")"))
            return try #require(stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init))
        })
    }

    @Test("the caller gets the response when the runtime posts it, while the extension still flushes; no violation")
    func responseBeforeExtensionWork() async throws {
        // A 3 s extension flush: far longer than any scheduling delay of a loaded machine or the thread sanitizer.
        let configuration = try SimTestSupport.configuration(["FAKE_EXTENSIONS": "1", "FAKE_FLUSH_MS": "3000"])
        let report = try await SimTestSupport.withSimulator(configuration) { simulator in
            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))  // cold start
            await simulator.waitUntilIdle()
            let started = ContinuousClock.now
            let response = await simulator.invoke(payload: SimTestSupport.payload(#"{"warm":true}"#))
            let latency = ContinuousClock.now - started
            #expect(response.bodyText == #"{"warm":true}"#)
            #expect(latency < .milliseconds(2000), "the caller waited for the extension's flush: \(latency)")
            await simulator.waitUntilIdle()
        }
        #expect(report.summary.ok == 2)
        #expect(report.summary.violations == 0)
        let warm = try #require(report.invocations.last)
        let responded = try #require(warm.responsePostedMs)
        let extensionDone = try #require(warm.lastExtensionNextMs)
        #expect(extensionDone - responded >= 2950, "the invoke phase lasts until the extension's next")
        #expect(try #require(warm.callerLatencyMs) < extensionDone - warm.receivedMs - 1000)
        #expect(try #require(warm.frozenMs) >= extensionDone)
        #expect(report.flushes.count == 2)
        #expect(report.flushes.allSatisfy { $0.end != nil && $0.outcome == "ok" })
    }

    @Test("a sandbox's init duration runs from the spawn of bootstrap to the last first next, extensions included")
    func initDuration() async throws {
        let configuration = try SimTestSupport.configuration(["FAKE_EXTENSIONS": "1", "FAKE_INIT_MS": "300"])
        let report = try await SimTestSupport.withSimulator(configuration) { simulator in
            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            await simulator.waitUntilIdle()
        }
        let sandbox = try #require(report.sandboxes.first)
        let spawned = try #require(sandbox.spawnedMs)
        let initDone = try #require(sandbox.initDoneMs)
        let initDuration = try #require(sandbox.initDurationMs)
        #expect(spawned >= sandbox.startedMs)
        #expect(initDuration == initDone - spawned)
        #expect(initDuration >= 300, "the bootstrap slept 300 ms before its first next")
        let delivered = try #require(report.invocations.first?.invokeDeliveredMs)
        #expect(delivered >= initDone)
    }

    @Test("a frozen sandbox is stopped: its background thread writes nothing until the next invoke")
    func freezeStopsTheProcessGroup() async throws {
        let directory = try SimTestSupport.temporaryDirectory()
        let ticks = directory.appendingPathComponent("ticks").path
        try await SimTestSupport.withSimulator(try SimTestSupport.configuration(["FAKE_TICK_FILE": ticks])) { simulator in
            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            await simulator.waitUntilIdle()
            let pid = try #require(await simulator.report().sandboxes.first?.pid)
            // The freeze is complete when the simulator counts the sandbox frozen: the main thread and the ticker.
            #expect(try Self.threadStates(pid) == ["T"])
            let before = Self.lineCount(ticks)
            try await Task.sleep(for: .milliseconds(300))  // the measured interval, not a synchronisation
            #expect(Self.lineCount(ticks) == before, "ticks were written while frozen")
            let report = await simulator.report()
            #expect(report.invocations.first?.frozenMs != nil)

            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            await simulator.waitUntilIdle()
            let thawed = await simulator.report()
            #expect(thawed.invocations.first?.thawedMs != nil)
        }

        let free = directory.appendingPathComponent("free-ticks").path
        let noFreeze = try SimTestSupport.configuration(["FAKE_TICK_FILE": free]) { $0.freeze = false }
        try await SimTestSupport.withSimulator(noFreeze) { simulator in
            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            await simulator.waitUntilIdle()
            let before = Self.lineCount(free)
            // Polled, not a fixed window: a loaded machine may not schedule the sandbox's thread for a while.
            var after = before
            for _ in 0..<100 where after == before {
                try await Task.sleep(for: .milliseconds(50))
                after = Self.lineCount(free)
            }
            #expect(after > before, "without freezing the sandbox keeps running")
            #expect(await simulator.report().invocations.first?.frozenMs == nil)
        }
    }

    @Test("an extension that calls next early is caught flushing at the freeze and at the next INVOKE; a gated one is not")
    func violations() async throws {
        let early = try SimTestSupport.configuration(["FAKE_EXTENSIONS": "1", "FAKE_FLUSH_MS": "300", "FAKE_EXT_MODE": "early"])
        let naive = try await SimTestSupport.withSimulator(early) { simulator in
            for _ in 0..<3 {
                _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
                await simulator.waitUntilIdle()
            }
        }
        #expect(naive.summary.violations >= 3)
        #expect(naive.violations.contains { $0.kind == .freezeWhileFlushing })
        #expect(naive.violations.contains { $0.kind == .invokeWhileFlushing })
        let ids = Set(naive.invocations.map(\.requestId))
        #expect(naive.violations.allSatisfy { $0.requestId.map(ids.contains) == true })

        let gated = try SimTestSupport.configuration(["FAKE_EXTENSIONS": "1", "FAKE_FLUSH_MS": "100"])
        let good = try await SimTestSupport.withSimulator(gated) { simulator in
            for _ in 0..<3 {
                _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
                await simulator.waitUntilIdle()
            }
        }
        #expect(good.summary.violations == 0)
        #expect(good.flushes.count == 3)
    }

    @Test("a caller that waits past the gateway timeout gets 504 and the invocation keeps running")
    func gatewayTimeout() async throws {
        let configuration = try SimTestSupport.configuration { $0.gatewayTimeout = .milliseconds(300) }
        let report = try await SimTestSupport.withSimulator(configuration) { simulator in
            let response = await simulator.invoke(payload: SimTestSupport.payload(#"{"fake":"sleep","ms":1000}"#))
            #expect(response.status == 504)
            await simulator.waitUntilIdle()
        }
        let timeline = try #require(report.invocations.first)
        #expect(timeline.status == .gatewayTimeout)
        #expect(timeline.responsePostedMs != nil, "the runtime still responded")
        #expect(report.summary.gatewayTimeouts == 1)
    }

    @Test("the function timeout kills the sandbox and the next invocation starts cold")
    func functionTimeout() async throws {
        let configuration = try SimTestSupport.configuration { $0.functionTimeout = .milliseconds(500) }
        let report = try await SimTestSupport.withSimulator(configuration) { simulator in
            let timedOut = await simulator.invoke(payload: SimTestSupport.payload(#"{"fake":"hang"}"#))
            #expect(timedOut.status == 200)
            #expect(timedOut.header("X-Amz-Function-Error") == "Unhandled")
            let body = try SimTestSupport.json(timedOut)
            #expect(body["errorType"] as? String == "Sandbox.Timedout")
            #expect(body["errorMessage"] as? String == "Task timed out after 0.50 seconds")
            let next = await simulator.invoke(payload: SimTestSupport.payload(#"{"again":1}"#))
            #expect(next.bodyText == #"{"again":1}"#)
        }
        #expect(report.summary.timeouts == 1)
        #expect(report.summary.coldStarts == 2)
        #expect(report.summary.sandboxesStarted == 2)
        #expect(report.invocations[0].killedMs != nil)
        #expect(report.invocations[1].coldStart)
        #expect(report.invocations[1].sandbox == 2)
        #expect(report.sandboxes[0].endReason == "timeout")
        #expect(report.sandboxes[0].sigkillMs != nil)
        #expect(report.sandboxes[0].exitStatus == "signal 9")
    }

    @Test("shutdown sends SIGTERM when an extension is registered and SIGKILL directly when none is")
    func shutdownSignals() async throws {
        let directory = try SimTestSupport.temporaryDirectory()
        let withExtension = directory.appendingPathComponent("with").path
        let graceful = try await SimTestSupport.withSimulator(
            try SimTestSupport.configuration(["FAKE_EXTENSIONS": "1", "FAKE_SIGTERM_FILE": withExtension])
        ) { simulator in
            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            await simulator.waitUntilIdle()
        }
        #expect((try? String(contentsOfFile: withExtension, encoding: .utf8)) == "sigterm\n")
        let sandbox = try #require(graceful.sandboxes.first)
        #expect(sandbox.sigtermMs != nil)
        #expect(sandbox.sigkillMs == nil)
        #expect(sandbox.exitStatus == "exit 0")
        #expect(graceful.flushes.contains { $0.requestId == "shutdown" && $0.end != nil })
        #expect(graceful.summary.violations == 0)

        let withoutExtension = directory.appendingPathComponent("without").path
        let killed = try await SimTestSupport.withSimulator(try SimTestSupport.configuration(["FAKE_SIGTERM_FILE": withoutExtension])) { simulator in
            _ = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            await simulator.waitUntilIdle()
        }
        #expect(!FileManager.default.fileExists(atPath: withoutExtension))
        #expect(killed.sandboxes.first?.sigtermMs == nil)
        #expect(killed.sandboxes.first?.exitStatus == "signal 9")
    }

    @Test("overlapping invocations get two sandboxes with maxSandboxes 2, and queue on one with maxSandboxes 1")
    func scaling() async throws {
        let sleep = SimTestSupport.payload(#"{"fake":"sleep","ms":400}"#)
        let two = try await SimTestSupport.withSimulator(try SimTestSupport.configuration { $0.maxSandboxes = 2 }) { simulator in
            async let first = simulator.invoke(payload: sleep)
            async let second = simulator.invoke(payload: sleep)
            let answers = await [first, second]
            #expect(answers.allSatisfy { $0.status == 200 })
        }
        #expect(Set(two.invocations.compactMap(\.sandbox)) == [1, 2])
        #expect(two.summary.coldStarts == 2)
        #expect(two.summary.sandboxesStarted == 2)

        let one = try await SimTestSupport.withSimulator(try SimTestSupport.configuration()) { simulator in
            async let first = simulator.invoke(payload: sleep)
            async let second = simulator.invoke(payload: sleep)
            let answers = await [first, second]
            #expect(answers.allSatisfy { $0.status == 200 })
        }
        #expect(Set(one.invocations.compactMap(\.sandbox)) == [1])
        #expect(one.summary.coldStarts == 1)
        let ordered = one.invocations.sorted { ($0.invokeDeliveredMs ?? 0) < ($1.invokeDeliveredMs ?? 0) }
        #expect(try #require(ordered[1].invokeDeliveredMs) >= (try #require(ordered[0].runtimeNextMs)), "one invocation at a time")
    }

    @Test("a bootstrap that exits mid-invocation fails that invocation; a missing bootstrap fails cleanly")
    func crashes() async throws {
        let report = try await SimTestSupport.withSimulator(try SimTestSupport.configuration()) { simulator in
            let crashed = await simulator.invoke(payload: SimTestSupport.payload(#"{"fake":"exit"}"#))
            #expect(crashed.header("X-Amz-Function-Error") == "Unhandled")
            #expect(SimTestSupport.errorType(crashed) == "Runtime.ExitError")
            let next = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            #expect(next.bodyText == "{}")
        }
        #expect(report.sandboxes.first?.exitStatus == "exit 3")
        #expect(report.summary.errors == 1)

        let missing = try SimTestSupport.configuration { $0.bootstrap = "/nonexistent/bootstrap" }
        try await SimTestSupport.withSimulator(missing) { simulator in
            let response = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            #expect(SimTestSupport.errorType(response) == "Runtime.InvalidEntrypoint")
        }
    }
}
