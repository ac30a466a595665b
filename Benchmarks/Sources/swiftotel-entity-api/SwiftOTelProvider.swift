import OTelSDK
import ServiceLifecycle

/// swift-otel's pipelines seen as one provider by the Lambda lifecycle.
///
/// swift-otel 1.6.0 offers no flush that can be awaited through `OTel.bootstrap`: ``forceFlush(deadline:)`` returns at
/// once (its batch processors export on their own schedule), and only ``shutdown(deadline:)`` (graceful shutdown of
/// the service group, which flushes) waits, up to the deadline. Thread-safe.
struct SwiftOTelProvider: TelemetryProvider {
    let services: ServiceGroup
    let running: Task<Void, any Error>

    var name: String { "swift-otel" }

    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        FlushResult(outcome: .ok)
    }

    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        await services.triggerGracefulShutdown()
        let running = self.running
        return await withTaskGroup(of: FlushResult.self) { race in
            race.addTask { _ = try? await running.value; return FlushResult(outcome: .ok) }
            race.addTask { try? await Task.sleep(until: deadline); return FlushResult(outcome: .timedOut) }
            let first = await race.next()!
            race.cancelAll()
            return first
        }
    }
}
