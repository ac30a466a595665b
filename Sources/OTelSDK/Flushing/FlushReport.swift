/// What one ``FlushCoordinator/forceFlush(deadline:)`` or ``FlushCoordinator/shutdown(deadline:)``
/// achieved, provider by provider.
public struct FlushReport: Sendable, CustomStringConvertible {
    /// One provider's part of the flush.
    public struct Entry: Sendable, Equatable {
        /// The provider's name (`traces`, `metrics`, `logs`).
        public var provider: String
        public var result: FlushResult
        /// How long this provider's flush took (up to the deadline at most, for one that timed out).
        public var duration: Duration

        public var outcome: FlushOutcome { result.outcome }
    }

    public var entries: [Entry]
    /// The whole call, from start to return.
    public var duration: Duration

    /// True when every provider flushed completely.
    public var isComplete: Bool {
        entries.allSatisfy { $0.outcome == .ok }
    }

    /// The entry for `provider`, if it took part.
    public subscript(provider: String) -> Entry? {
        entries.first { $0.provider == provider }
    }

    public var description: String {
        entries.map { entry in
            "\(entry.provider): \(entry.outcome) in \(entry.duration.formattedMilliseconds) (exported \(entry.result.exported), pending \(entry.result.pending), dropped \(entry.result.dropped))"
        }.joined(separator: "; ")
    }
}

extension Duration {
    /// Milliseconds with two decimals, e.g. `12.34 ms`.
    var formattedMilliseconds: String {
        let hundredths = (components.seconds * 100_000 + components.attoseconds / 10_000_000_000_000)
        let whole = hundredths / 100
        let fraction = abs(hundredths % 100)
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction) ms"
    }
}
