import Logging
import Synchronization

/// The trace signal's provider: owns the resource, sampler, limits, ID generator, propagators and
/// span processors, and hands out ``OTelTracer``s.
///
/// Thread-safe. Spans ended after ``shutdown(deadline:)`` began are not recorded.
/// `forceFlush(deadline:)` flushes every processor concurrently and combines their results.
public final class TracerProvider: TelemetryProvider {
    public let name = "traces"
    public let resource: Resource
    public let sampler: any Sampler
    public let limits: SpanLimits
    public let idGenerator: any IDGenerator
    public let propagators: [any SpanContextPropagator]
    let processors: [any SpanProcessor]
    private let shutDown = Atomic<Bool>(false)

    public init(
        resource: Resource,
        sampler: any Sampler = ParentBasedSampler(root: AlwaysOnSampler()),
        limits: SpanLimits = SpanLimits(),
        processors: [any SpanProcessor],
        idGenerator: any IDGenerator = RandomIDGenerator(),
        propagators: [any SpanContextPropagator] = [W3CTraceContextPropagator()]
    ) {
        self.resource = resource
        self.sampler = sampler
        self.limits = limits
        self.processors = processors
        self.idGenerator = idGenerator
        self.propagators = propagators
    }

    /// A provider configured from `OTEL_*` variables: resource (`OTEL_SERVICE_NAME`,
    /// `OTEL_RESOURCE_ATTRIBUTES`), sampler (`OTEL_TRACES_SAMPLER[_ARG]`), span limits and
    /// propagators (`OTEL_PROPAGATORS`). Malformed values are reported and replaced by defaults.
    public convenience init(environment: OTelEnvironment, processors: [any SpanProcessor], additionalResource: Resource = .empty) {
        self.init(
            resource: EnvironmentResourceDetector(environment: environment).detect().merging(additionalResource),
            sampler: SamplerConfiguration.sampler(from: environment),
            limits: SpanLimits(environment: environment),
            processors: processors,
            propagators: PropagatorConfiguration.propagators(from: environment)
        )
    }

    /// A tracer for the instrumentation scope `name` (the library or module doing the tracing).
    public func tracer(name: String = SDKInfo.name, version: String? = nil) -> OTelTracer {
        OTelTracer(provider: self, scope: InstrumentationScope(name: name, version: version))
    }

    var isShutDown: Bool { shutDown.load(ordering: .relaxed) }

    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await FlushResult.concurrently(processors) { await $0.forceFlush(deadline: deadline) }
    }

    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        shutDown.store(true, ordering: .relaxed)
        return await FlushResult.concurrently(processors) { await $0.shutdown(deadline: deadline) }
    }
}
