/// Receives every log record a logger emits and passes it on (to an exporter, usually).
///
/// `onEmit` is called on the thread that emitted the record (inside the application's `logger.info`):
/// it must not block or do I/O.
public protocol LogRecordProcessor: Sendable {
    /// Called once per emitted record; the processor takes the record over (it is not copied).
    func onEmit(_ record: consuming LogRecordData)
    /// Exports every record emitted before the call, or returns at `deadline`. See ``FlushResult``.
    func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult
    /// Flushes, then stops accepting records and releases the exporter.
    func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult
}
