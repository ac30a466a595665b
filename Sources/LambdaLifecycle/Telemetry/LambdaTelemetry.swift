import OTelSDK

/// What the lifecycle needs from the telemetry SDK, and nothing more: flush everything recorded so far, and shut
/// down, each by a deadline. `FlushCoordinator` (all signal providers, flushed concurrently and independently)
/// conforms; tests use doubles.
public protocol LambdaTelemetry: Sendable {
    /// Exports everything recorded before the call; returns by `deadline` with what happened per provider.
    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushReport
    /// Flushes once more and stops; returns by `deadline`.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushReport
}

extension FlushCoordinator: LambdaTelemetry {}
