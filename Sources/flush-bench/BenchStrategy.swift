/// What one run of the bench measures: a flush strategy of `example-entity-api` (for `naive`, the `entity-api-naive`
/// fixture) against the stalling collector, or the baseline that every deferred strategy is compared with.
enum BenchStrategy: String, CaseIterable, Sendable {
    /// `extension-gated` against a collector that never stalls: the handler's own latency.
    case baseline
    /// Flush before the response: the caller waits for the collector.
    case synchronous
    /// The early `next` bug: Lambda may freeze the sandbox in the middle of the flush.
    case naive
    /// Flush after the response, the internal extension's `next` held until it is done (the default).
    case extensionGated = "extension-gated"
    /// Flush after the response, before the runtime's `next`.
    case runtimeGated = "runtime-gated"

    /// The function's `bootstrap`, an executable next to flush-bench: the naive bug is no strategy a user can choose,
    /// so it has a fixture of its own.
    var executable: String {
        self == .naive ? "entity-api-naive" : "example-entity-api"
    }

    /// `OTEL_LAMBDA_FLUSH_STRATEGY` for the sandbox; nil for `naive`, whose executable flushes by its bug alone.
    var flushStrategy: String? {
        switch self {
        case .baseline: BenchStrategy.extensionGated.rawValue
        case .naive: nil
        default: rawValue
        }
    }

    /// Whether the collector injects its stalls during this run.
    var collectorStalls: Bool { self != .baseline }

    /// The order of a full run: the baseline first, then the seed's story.
    static let defaultOrder: [BenchStrategy] = [.baseline, .synchronous, .naive, .extensionGated, .runtimeGated]
}
