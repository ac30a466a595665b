import ServiceLifecycle

extension FlushCoordinator: Service {
    /// Runs until the service group shuts down gracefully (or the task is cancelled), then shuts every provider down
    /// within ``serviceShutdownBudget``: each flushes what it holds, then stops.
    ///
    /// ```swift
    /// let telemetry = OTLPTelemetry.bootstrap()
    /// let group = ServiceGroup(services: [database, server, telemetry], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// try await group.run()
    /// ```
    ///
    /// Put it after the services that produce telemetry: a `ServiceGroup` shuts services down in reverse order, so
    /// the coordinator's final flush comes after theirs. Never throws.
    public func run() async throws {
        try? await gracefulShutdown()
        // In a task of its own: a cancelled caller (a group that cancels instead of shutting down gracefully) would
        // end the fan-out before it starts; the budget bounds the wait.
        let deadline = ContinuousClock.now + serviceShutdownBudget
        _ = await Task { await self.shutdown(deadline: deadline) }.value
    }
}
