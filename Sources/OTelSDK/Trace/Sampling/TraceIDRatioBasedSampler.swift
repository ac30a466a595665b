import Tracing

/// Samples a deterministic fraction of traces, decided by the trace ID alone so that every
/// service using the same ratio makes the same decision for the same trace.
///
/// The decision compares the lower 8 bytes of the trace ID (big-endian, top bit cleared) with
/// `ratio · 2^63`, like the OpenTelemetry Go SDK.
public struct TraceIDRatioBasedSampler: Sampler {
    public let ratio: Double
    private let threshold: UInt64

    /// `ratio` is clamped to 0...1.
    public init(ratio: Double) {
        let clamped = ratio.isNaN ? 0 : Swift.min(Swift.max(ratio, 0), 1)
        self.ratio = clamped
        self.threshold = clamped >= 1 ? UInt64.max : UInt64(clamped * Double(UInt64(1) << 63))
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingDecision {
        if ratio >= 1 { return .recordAndSample }
        return (traceID.low >> 1) < threshold ? .recordAndSample : .drop
    }

    public var description: String { "TraceIDRatioBased{\(ratio)}" }
}
