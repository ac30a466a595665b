/// How a flush (or shutdown) of one processor or provider ended.
public enum FlushOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Every item ended before the call was exported (or refused by the receiver, see `dropped`).
    case ok
    /// The deadline came first. Items not yet exported stay queued and leave with the next flush.
    case timedOut
    /// An export failed and was not retried further, with the reason; kept items stay queued.
    case failed(String)
    /// The exporter's circuit breaker counts the collector as unavailable (it refused connections or
    /// left requests unanswered), so the flush did not wait on it; the reason says when the next
    /// probe is due. Items stay queued and leave once a probe finds the collector back.
    case collectorUnavailable(String)

    public var description: String {
        switch self {
        case .ok: return "ok"
        case .timedOut: return "timed out"
        case .failed(let reason): return "failed: \(reason)"
        case .collectorUnavailable(let reason): return "collector unavailable: \(reason)"
        }
    }
}

/// The result of flushing one processor or provider.
public struct FlushResult: Sendable, Equatable {
    public var outcome: FlushOutcome
    /// Items exported while the flush ran (including background exports that completed meanwhile).
    public var exported: Int
    /// Items still queued or in flight when the flush returned; they leave with a later export.
    public var pending: Int
    /// Items lost since the previous flush: queue overflow, or refused by the receiver.
    public var dropped: Int
    /// Collector outages that began since the previous flush: exports whose failure opened the
    /// exporter's circuit breaker (``CollectorUnavailable/beganOpenPeriod``).
    public var unavailablePeriods: Int

    public init(outcome: FlushOutcome, exported: Int = 0, pending: Int = 0, dropped: Int = 0, unavailablePeriods: Int = 0) {
        self.outcome = outcome
        self.exported = exported
        self.pending = pending
        self.dropped = dropped
        self.unavailablePeriods = unavailablePeriods
    }

    /// Whether the collector counted as unavailable for this flush.
    public var isCollectorUnavailable: Bool {
        if case .collectorUnavailable = outcome { return true }
        return false
    }

    /// Combines the results of parts (processors of one provider) into one: counts add up, and the
    /// worst outcome wins (failed over collector unavailable over timed out over ok).
    public static func combining(_ results: [FlushResult]) -> FlushResult {
        var combined = FlushResult(outcome: .ok)
        for result in results {
            combined.exported += result.exported
            combined.pending += result.pending
            combined.dropped += result.dropped
            combined.unavailablePeriods += result.unavailablePeriods
            switch (combined.outcome, result.outcome) {
            case (.failed, _): break
            case (_, .failed): combined.outcome = result.outcome
            case (.collectorUnavailable, _): break
            case (_, .collectorUnavailable): combined.outcome = result.outcome
            case (_, .timedOut): combined.outcome = .timedOut
            default: break
            }
        }
        return combined
    }
}
