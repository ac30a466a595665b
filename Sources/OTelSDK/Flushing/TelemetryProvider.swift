/// A signal's provider as the flush fan-out sees it: something with a name that can flush and
/// shut down under a deadline. ``TracerProvider`` conforms; the metrics and logs providers do too.
///
/// The Lambda lifecycle depends on providers only through this protocol (via ``FlushCoordinator``).
public protocol TelemetryProvider: Sendable {
    /// The name used in reports and log lines: `traces`, `metrics`, `logs`.
    var name: String { get }
    /// Exports everything recorded before the call, returning by `deadline`.
    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult
    /// Flushes, then stops recording and releases exporters. Called once.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult
}
