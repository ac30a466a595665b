import OTelSDK
import Synchronization

/// Counts exported spans with one atomic add, cheap enough to poll from a producer's hot loop.
final class CountingExporter: SpanExporter {
    private let exported = Atomic<Int>(0)

    var count: Int { exported.load(ordering: .relaxed) }

    func export(_ batch: [SpanData], deadline: ContinuousClock.Instant) async -> ExportResult {
        exported.add(batch.count, ordering: .relaxed)
        return .success
    }

    func shutdown(deadline: ContinuousClock.Instant) async {}
}
