/// Receives every span the tracer ends and passes it on (to an exporter, usually).
///
/// `onEnd` is called on the thread that ended the span: it must not block or do I/O.
public protocol SpanProcessor: Sendable {
    /// Called once per recorded span, when it ends.
    func onEnd(_ span: SpanData)
    /// Exports every span ended before the call, or returns at `deadline`. See ``FlushResult``.
    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult
    /// Flushes, then stops accepting spans and releases the exporter.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult
}
