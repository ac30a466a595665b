import Tracing

/// Decides, when a span starts, whether it is recorded and whether it is sampled (exported).
///
/// Called on every span start: implementations must be thread-safe and cheap.
public protocol Sampler: Sendable, CustomStringConvertible {
    func shouldSample(
        parent: SpanContext?,
        traceID: TraceID,
        name: String,
        kind: SpanKind
    ) -> SamplingDecision
}

/// The outcome of a sampling decision.
public enum SamplingDecision: Sendable, Equatable {
    /// Not recorded; the span is a cheap no-op that still propagates its context.
    case drop
    /// Recorded and handed to processors, but not flagged as sampled (not exported by the batch processor).
    case recordOnly
    /// Recorded, flagged as sampled and exported.
    case recordAndSample
}

/// Samples every span.
public struct AlwaysOnSampler: Sampler {
    public init() {}
    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingDecision {
        .recordAndSample
    }
    public var description: String { "AlwaysOnSampler" }
}

/// Samples no span.
public struct AlwaysOffSampler: Sampler {
    public init() {}
    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingDecision {
        .drop
    }
    public var description: String { "AlwaysOffSampler" }
}
