import Tracing

/// Follows the parent's sampling decision and uses `root` for spans without a parent.
///
/// Defaults follow the specification: remote or local sampled parent → sample;
/// remote or local unsampled parent → drop.
public struct ParentBasedSampler: Sampler {
    public var root: any Sampler
    public var remoteParentSampled: any Sampler
    public var remoteParentNotSampled: any Sampler
    public var localParentSampled: any Sampler
    public var localParentNotSampled: any Sampler

    public init(
        root: any Sampler,
        remoteParentSampled: any Sampler = AlwaysOnSampler(),
        remoteParentNotSampled: any Sampler = AlwaysOffSampler(),
        localParentSampled: any Sampler = AlwaysOnSampler(),
        localParentNotSampled: any Sampler = AlwaysOffSampler()
    ) {
        self.root = root
        self.remoteParentSampled = remoteParentSampled
        self.remoteParentNotSampled = remoteParentNotSampled
        self.localParentSampled = localParentSampled
        self.localParentNotSampled = localParentNotSampled
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingDecision {
        let delegate: any Sampler
        if let parent, parent.isValid {
            switch (parent.isRemote, parent.isSampled) {
            case (true, true): delegate = remoteParentSampled
            case (true, false): delegate = remoteParentNotSampled
            case (false, true): delegate = localParentSampled
            case (false, false): delegate = localParentNotSampled
            }
        } else {
            delegate = root
        }
        return delegate.shouldSample(parent: parent, traceID: traceID, name: name, kind: kind)
    }

    public var description: String { "ParentBased{root:\(root)}" }
}
