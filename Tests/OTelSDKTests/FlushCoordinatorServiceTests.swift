import Logging
import NIOConcurrencyHelpers
import OTelSDK
import ServiceLifecycle
import Testing

/// A provider that records which of its calls came, and the deadline each was given.
private final class RecordingProvider: TelemetryProvider, Sendable {
    let name = "traces"
    let calls = NIOLockedValueBox<[(call: String, deadline: ContinuousClock.Instant)]>([])

    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        calls.withLockedValue { $0.append(("flush", deadline)) }
        return FlushResult(outcome: .ok)
    }

    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        calls.withLockedValue { $0.append(("shutdown", deadline)) }
        return FlushResult(outcome: .ok, exported: 3)
    }
}

@Suite("FlushCoordinator as a swift-service-lifecycle Service", .timeLimit(.minutes(1)))
struct FlushCoordinatorServiceTests {
    private static func group(_ coordinator: FlushCoordinator) -> ServiceGroup {
        ServiceGroup(configuration: .init(services: [coordinator], logger: Logger(label: "tests", factory: { _ in SwiftLogNoOpLogHandler() })))
    }

    @Test("a graceful shutdown of the group shuts the providers down once, within the coordinator's budget")
    func gracefulShutdown() async throws {
        let provider = RecordingProvider()
        let coordinator = FlushCoordinator(
            providers: [provider], selfTelemetry: false, diagnostics: DiagnosticLogger.disabled, serviceShutdownBudget: .milliseconds(300))
        let group = Self.group(coordinator)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(provider.calls.withLockedValue { $0.isEmpty }, "nothing happens before the shutdown")
            let triggered = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            let calls = provider.calls.withLockedValue { $0 }
            #expect(calls.map(\.call) == ["shutdown"])
            let deadline = try #require(calls.first?.deadline)
            // The provider's deadline: the shutdown's start + 300 ms, less the fan-out's margin (30 ms here); the
            // default budget (5 s) would put it seconds away.
            #expect(deadline - triggered >= .milliseconds(250))
            #expect(deadline - triggered <= .milliseconds(300) + .seconds(1), "the shutdown runs at once, within its budget")
        }
    }

    @Test("run() cancelled instead of shut down gracefully still shuts the providers down, and does not throw")
    func cancellation() async throws {
        let provider = RecordingProvider()
        let coordinator = FlushCoordinator(providers: [provider], selfTelemetry: false, diagnostics: DiagnosticLogger.disabled)
        let running = Task { try await coordinator.run() }
        running.cancel()
        try await running.value
        #expect(provider.calls.withLockedValue { $0.map(\.call) } == ["shutdown"])
    }
}
