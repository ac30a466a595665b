import Logging
import NIOConcurrencyHelpers
import NIOCore
import OTelSDK
import OTelTesting
import ServiceLifecycle
import Testing

@testable import LambdaLifecycle

/// The driver (``LambdaRuntime``) against an in-process Runtime and Extensions API: what it calls, in which order, and
/// by when.
@Suite("LambdaRuntime against the Lambda APIs", .timeLimit(.minutes(2)))
struct LambdaRuntimeTests {
    /// How long a step that should happen at once may take on a loaded machine (sanitizers, parallel builds).
    static let patience = Duration.seconds(30)
    /// How late a deadline may be met on a loaded machine; far below the cap the wrong deadline would give.
    static let lateness = Duration.milliseconds(750)

    /// Runs `runtime` against `api` while `body` drives it; then fails the runtime's `next`, so that `run()` returns.
    private static func serve(_ runtime: LambdaRuntime, _ api: FakeLambdaAPI, _ body: () async throws -> Void) async throws {
        let running = Task { await runtime.run() }
        defer { running.cancel() }
        // Both loops are up (the extension registered before the runtime's first next).
        try #require(await api.timeline.wait(for: "runtime next", timeout: patience) != nil, "the runtime never called next: \(api.timeline.names)")
        do {
            try await body()
        } catch {
            api.stop()
            await running.value
            await api.close()
            throw error
        }
        api.stop()
        await running.value
        await api.close()
    }

    private static func runtime(
        _ configuration: LambdaLifecycleConfiguration, _ provider: TimelineProvider, _ api: FakeLambdaAPI,
        handler: some LambdaByteHandler = LambdaByteClosureHandler { _, _ in ByteBuffer(string: "{}") },
        diagnostics: Logger = DiagnosticLogger.disabled
    ) async throws -> LambdaRuntime {
        let endpoint = try await api.start()
        return LambdaRuntime(
            configuration: configuration,
            telemetry: FlushCoordinator(providers: [provider], selfTelemetry: false, diagnostics: DiagnosticLogger.disabled),
            handler: InvocationHandler(handler, tracing: InvocationTracing(functionName: "fake", propagators: [])),
            environment: ["AWS_LAMBDA_RUNTIME_API": endpoint, "AWS_LAMBDA_FUNCTION_NAME": "fake"],
            diagnostics: diagnostics,
            exitProcess: { provider.timeline.record("exit \($0)") },
            installTerminationHandler: { _ in
                provider.timeline.record("SIGTERM handler installed")
                return nil
            }
        )
    }

    /// Expects `steps` (name and occurrence) in this order on the timeline, each of them recorded.
    private static func expectOrder(_ steps: [(String, Int)], _ timeline: Timeline, sourceLocation: SourceLocation = #_sourceLocation) {
        let positions = steps.map { timeline.index(of: $0.0, occurrence: $0.1) }
        let described = zip(steps, positions).map { "\($0.0.0) #\($0.0.1) at \($0.1.map(String.init) ?? "never")" }
        let found = positions.compactMap { $0 }
        #expect(
            found.count == steps.count && found == found.sorted(),
            "expected \(described.joined(separator: " < ")); timeline: \(timeline.names)",
            sourceLocation: sourceLocation
        )
    }

    @Test(
        "after the response is posted: the deferred actions, then the flush, and only then the gated next",
        arguments: [FlushStrategy.extensionGated, .runtimeGated]
    )
    func drainRunsBetweenResponseAndGatedNext(strategy: FlushStrategy) async throws {
        let timeline = Timeline()
        let api = FakeLambdaAPI(timeline: timeline)
        // The flush and the deferred action each take a while, so that a driver that does not wait for them calls
        // next first.
        let provider = TimelineProvider(timeline: timeline, stall: .milliseconds(100))
        let handler = LambdaByteClosureHandler { _, context in
            context.defer {
                timeline.record("deferred started")
                try await Task.sleep(for: .milliseconds(100))
                timeline.record("deferred finished")
            }
            return ByteBuffer(string: "{}")
        }
        let runtime = try await Self.runtime(LambdaLifecycleConfiguration(strategy: strategy), provider, api, handler: handler)
        let gatedNext = strategy == .extensionGated ? "extension next" : "runtime next"
        try await Self.serve(runtime, api) {
            api.invoke("r1", in: .seconds(60))
            let next = await timeline.wait(for: gatedNext, occurrence: 2, timeout: Self.patience)
            try #require(next != nil, "no \(gatedNext) after the invocation: \(timeline.names)")
        }
        Self.expectOrder([
            ("response r1", 1), ("deferred started", 1), ("deferred finished", 1), ("flush", 1), ("flushed", 1), (gatedNext, 2),
        ], timeline)
    }

    @Test("an invocation deadline before the cap bounds the flush: a stalled collector is given up at the deadline minus the margin")
    func invocationDeadlineBoundsTheFlush() async throws {
        let timeline = Timeline()
        let api = FakeLambdaAPI(timeline: timeline)
        // Stalls far past the invocation's deadline, and past the cap, whatever deadline it is given.
        let provider = TimelineProvider(timeline: timeline, stall: .seconds(20))
        let margin = Duration.milliseconds(200)
        let configuration = LambdaLifecycleConfiguration(
            strategy: .extensionGated, flushDeadline: FlushDeadline(cap: .seconds(10), safetyMargin: margin)
        )
        let runtime = try await Self.runtime(configuration, provider, api)
        var invocationDeadline = ContinuousClock.now
        try await Self.serve(runtime, api) {
            invocationDeadline = LambdaClock.instant(epochMilliseconds: api.invoke("r1", in: .milliseconds(1500)))
            let next = await timeline.wait(for: "extension next", occurrence: 2, timeout: Self.patience)
            try #require(next != nil, "the extension never called next after the flush: \(timeline.names)")
        }
        let flushDeadline = invocationDeadline - margin
        let given = try #require(provider.receivedDeadlines.first)
        #expect(given <= flushDeadline, "the flush was given \(given - flushDeadline) past the invocation deadline minus the margin")
        let flushStarted = try #require(timeline.instant(of: "flush"))
        let next = try #require(timeline.instant(of: "extension next", occurrence: 2))
        #expect(next <= flushDeadline + Self.lateness, "the flush ended \(next - flushDeadline) after the invocation deadline minus the margin")
        // The premise: the flush did stall until it was given up, rather than end on its own.
        #expect(next >= flushDeadline - .milliseconds(100), "the flush ended \(flushDeadline - next) before its deadline")
        #expect(flushStarted < flushDeadline)
    }

    // The signal's delivery is the end-to-end suite's (a signal to this process would reach every test in it).
    @Test("SIGTERM: one final flush (the providers' shutdown) within the shutdown budget, then exit 0")
    func sigtermFlushesOnceWithinTheBudgetThenExits() async throws {
        let timeline = Timeline()
        let api = FakeLambdaAPI(timeline: timeline)
        // A collector that does not answer: the shutdown must still end within the budget.
        let provider = TimelineProvider(timeline: timeline, stall: .seconds(20))
        let budget = Duration.milliseconds(300)
        let runtime = try await Self.runtime(LambdaLifecycleConfiguration(strategy: .extensionGated, shutdownBudget: budget), provider, api)
        try await Self.serve(runtime, api) {
            // A short deadline, so that the invocation's flush (stalled too) is given up soon.
            api.invoke("r1", in: .milliseconds(500))
            try #require(await timeline.wait(for: "extension next", occurrence: 2, timeout: Self.patience) != nil, "\(timeline.names)")
            timeline.record("SIGTERM")
            runtime.terminationRequested()
            try #require(await timeline.wait(for: "exit 0", timeout: Self.patience) != nil, "no exit after SIGTERM: \(timeline.names)")
        }
        Self.expectOrder([("SIGTERM handler installed", 1), ("SIGTERM", 1), ("shutdown", 1), ("exit 0", 1)], timeline)
        #expect(timeline.names.filter { $0 == "shutdown" }.count == 1, "one final flush: \(timeline.names)")
        let signalled = try #require(timeline.instant(of: "SIGTERM"))
        let exited = try #require(timeline.instant(of: "exit 0"))
        let given = try #require(provider.receivedDeadlines.last)
        #expect(given <= signalled + budget + Self.lateness, "the final flush was given \(given - signalled) after SIGTERM")
        #expect(exited - signalled <= budget + Self.lateness, "exit came \(exited - signalled) after SIGTERM")
    }

    @Test("in a ServiceGroup: a graceful shutdown flushes once within the shutdown budget, then run() returns, without exit or SIGTERM handler")
    func gracefulShutdownInAServiceGroup() async throws {
        let timeline = Timeline()
        let api = FakeLambdaAPI(timeline: timeline)
        // A collector that does not answer: the final flush must still end within the budget.
        let provider = TimelineProvider(timeline: timeline, stall: .seconds(20))
        let budget = Duration.milliseconds(300)
        let diagnostics = LogCapture()
        let configuration = LambdaLifecycleConfiguration(strategy: .extensionGated, shutdownBudget: budget, terminationSignal: .serviceGroup)
        let runtime = try await Self.runtime(configuration, provider, api, diagnostics: diagnostics.logger)
        // The group shuts services down in reverse order: the runtime, then the pool.
        let pool = TimelineService(name: "pool", timeline: timeline)
        let group = ServiceGroup(services: [pool, runtime], logger: Logger(label: "group") { _ in SwiftLogNoOpLogHandler() })
        let running = Task {
            try await group.run()
            timeline.record("group returned")
        }
        defer { running.cancel() }
        try #require(await timeline.wait(for: "runtime next", timeout: Self.patience) != nil, "the runtime never called next: \(timeline.names)")
        // A short deadline, so that the invocation's flush (stalled too) is given up soon.
        api.invoke("r1", in: .milliseconds(500))
        try #require(await timeline.wait(for: "extension next", occurrence: 2, timeout: Self.patience) != nil, "\(timeline.names)")
        timeline.record("graceful shutdown")
        await group.triggerGracefulShutdown()
        try #require(await timeline.wait(for: "group returned", timeout: Self.patience) != nil, "the group never returned: \(timeline.names)")
        try await running.value
        await api.close()

        Self.expectOrder([("graceful shutdown", 1), ("shutdown", 1), ("pool shut down gracefully", 1), ("group returned", 1)], timeline)
        #expect(timeline.names.filter { $0 == "shutdown" }.count == 1, "one final flush: \(timeline.names)")
        #expect(!timeline.names.contains { $0.hasPrefix("exit") }, "the runtime must not exit the process: \(timeline.names)")
        #expect(!timeline.names.contains("SIGTERM handler installed"), "SIGTERM is the group's: \(timeline.names)")
        let shutdownRequested = try #require(timeline.instant(of: "graceful shutdown"))
        let flushStarted = try #require(timeline.instant(of: "shutdown"))
        let given = try #require(provider.receivedDeadlines.last)
        // The budget from the moment the flush began, which lies between the request and the provider's call, less the
        // coordinator's margin for its fan-out (a tenth of the budget, at most 50 ms).
        #expect(
            given >= shutdownRequested + budget - .milliseconds(50) && given <= flushStarted + budget,
            "the final flush was given \(given - shutdownRequested) after the graceful shutdown began, \(given - flushStarted) after it reached the provider"
        )
        let returned = try #require(timeline.instant(of: "group returned"))
        #expect(returned - shutdownRequested <= budget + Self.lateness, "the group returned \(returned - shutdownRequested) after the graceful shutdown began")
        // The calls the stop fails are not reported as failures.
        let errors = diagnostics.all.filter { $0.level >= .error }.map(\.rendered)
        #expect(errors.isEmpty, "\(errors)")
    }
}

/// A service that runs until its group shuts down gracefully, and marks that on a ``Timeline`` (`<name> shut down
/// gracefully`).
private struct TimelineService: Service {
    let name: String
    let timeline: Timeline

    func run() async throws {
        try await gracefulShutdown()
        timeline.record("\(name) shut down gracefully")
    }
}
