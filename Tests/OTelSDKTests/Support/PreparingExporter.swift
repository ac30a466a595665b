import NIOConcurrencyHelpers
import OTelSDK
import OTelTesting

/// An in-memory exporter with a preparation step (``TelemetryExporter/prepare(_:)``), so that the
/// batch processors take and prepare the next batch while an export is in flight. It notes each
/// preparation (the batch's first item, and the export attempt in flight then, if any) and whether
/// an export was ever handed a batch other than the one it was prepared from; a test can wait for a
/// given preparation (``waitForPreparation(_:)``) instead of polling for it.
final class PreparingExporter<Item: Sendable>: TelemetryExporter {
    /// What `prepare` makes: the identity of the batch it was made from.
    struct PreparedBatch: Sendable {
        var preparation: Int
        var itemCount: Int
    }

    /// One call of `prepare`.
    struct Preparation: Equatable, Sendable {
        var firstItem: String
        /// The export attempt (1-based) running when the batch was prepared; `nil` when none was.
        var duringAttempt: Int?
    }

    private struct State {
        var preparations: [Preparation] = []
        var attemptInFlight: Int?
        var attemptsStarted = 0
        var mismatched = false
        var watchers: [(preparation: Preparation, continuation: CheckedContinuation<Void, Never>)] = []
    }

    let inner: InMemoryExporter<Item>
    private let describe: @Sendable (Item) -> String
    private let state = NIOLockedValueBox(State())

    init(inner: InMemoryExporter<Item>, describe: @escaping @Sendable (Item) -> String) {
        self.inner = inner
        self.describe = describe
    }

    var preparations: [Preparation] { state.withLockedValue { $0.preparations } }
    /// Whether an export was ever handed a prepared batch made from another batch.
    var mismatched: Bool { state.withLockedValue { $0.mismatched } }

    /// Returns once `preparation` has been made (signal-driven, no polling); at once if it already was.
    func waitForPreparation(_ preparation: Preparation) async {
        await withCheckedContinuation { continuation in
            let done = state.withLockedValue { state in
                if state.preparations.contains(preparation) { return true }
                state.watchers.append((preparation, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    func prepare(_ batch: [Item]) -> PreparedBatch {
        let (prepared, ready) = state.withLockedValue { state in
            let preparation = Preparation(firstItem: batch.first.map(describe) ?? "", duringAttempt: state.attemptInFlight)
            state.preparations.append(preparation)
            let ready = state.watchers.filter { $0.preparation == preparation }.map(\.continuation)
            state.watchers.removeAll { $0.preparation == preparation }
            return (PreparedBatch(preparation: state.preparations.count, itemCount: batch.count), ready)
        }
        for continuation in ready { continuation.resume() }
        return prepared
    }

    func export(_ batch: [Item], prepared: PreparedBatch, deadline: ContinuousClock.Instant) async -> ExportResult {
        state.withLockedValue { state in
            let made = state.preparations[prepared.preparation - 1]
            if made.firstItem != (batch.first.map(describe) ?? "") || prepared.itemCount != batch.count { state.mismatched = true }
            state.attemptsStarted += 1
            state.attemptInFlight = state.attemptsStarted
        }
        let result = await inner.export(batch, deadline: deadline)
        state.withLockedValue { $0.attemptInFlight = nil }
        return result
    }

    func export(_ batch: [Item], deadline: ContinuousClock.Instant) async -> ExportResult {
        await export(batch, prepared: prepare(batch), deadline: deadline)
    }

    func shutdown(deadline: ContinuousClock.Instant) async {
        await inner.shutdown(deadline: deadline)
    }
}

extension PreparingExporter: ExportStatistics {
    var batchSizes: [Int] { inner.batchSizes }
    var attempts: Int { inner.attempts }
    var overlapped: Bool { inner.overlapped }
    var shutdownCalled: Bool { inner.shutdownCalled }
    func waitForExported(_ count: Int) async { await inner.waitForExported(count) }
    func waitForAttempts(_ count: Int) async { await inner.waitForAttempts(count) }
}
