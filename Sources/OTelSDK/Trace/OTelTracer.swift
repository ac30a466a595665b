import Instrumentation
import ServiceContextModule
import Tracing

/// A `Tracing.Tracer` backed by a ``TracerProvider``: install it with
/// `InstrumentationSystem.bootstrap(provider.tracer())` and use `withSpan` as usual.
///
/// Starting a span reads the parent from the given (or task-local) `ServiceContext`, asks the
/// provider's sampler, draws IDs lock-free, and allocates one span object. Thread-safe.
///
/// As an `Instrument`, it injects and extracts span contexts with the provider's propagators
/// (`OTEL_PROPAGATORS`; W3C Trace Context by default, AWS X-Ray on request). `xray-lambda` adds
/// Lambda's `_X_AMZN_TRACE_ID` as a fallback only when the context extracted into has no valid span.
public struct OTelTracer: Tracing.Tracer {
    public typealias Span = OTelSpan

    let provider: TracerProvider
    let scope: InstrumentationScope

    init(provider: TracerProvider, scope: InstrumentationScope) {
        self.provider = provider
        self.scope = scope
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> OTelSpan {
        let parentContext = context()
        let parent = parentContext.spanContext.flatMap { $0.isValid ? $0 : nil }
        let traceID = parent?.traceID ?? provider.idGenerator.newTraceID()
        let decision = provider.isShutDown ? .drop : provider.sampler.shouldSample(parent: parent, traceID: traceID, name: operationName, kind: kind)
        let spanContext = SpanContext(
            traceID: traceID,
            spanID: provider.idGenerator.newSpanID(),
            traceFlags: decision == .recordAndSample ? .sampled : [],
            traceState: parent?.traceState ?? ""
        )
        var spanServiceContext = parentContext
        spanServiceContext.spanContext = spanContext
        return OTelSpan(
            name: operationName,
            context: spanServiceContext,
            spanContext: spanContext,
            parent: parent,
            kind: kind,
            startTimeNanos: instant().nanosecondsSinceEpoch,
            isRecording: decision != .drop,
            tracer: self
        )
    }

    /// Deprecated by swift-distributed-tracing and synchronous: starts a flush in the background and
    /// returns at once. Code that must know its spans left (Lambda, CLIs) awaits
    /// ``TracerProvider/forceFlush(deadline:)`` or ``FlushCoordinator/forceFlush(deadline:)`` instead.
    public func forceFlush() {
        let provider = provider
        Task { _ = await provider.forceFlush(deadline: .now + .seconds(30)) }
    }

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract) where Extract.Carrier == Carrier {
        let hasSpan = context.spanContext?.isValid == true
        for propagator in provider.propagators {
            let getHeader = { (key: String) in extractor.extract(key: key, from: carrier) }
            // `xray-lambda` falls back on Lambda's context only for a caller without a span (semantic conventions).
            let extracted = if hasSpan, let lambda = propagator as? XRayLambdaPropagator {
                lambda.extract(getHeader: getHeader, lambdaTraceHeader: nil)
            } else {
                propagator.extract(getHeader: getHeader)
            }
            if let extracted {
                context.spanContext = extracted
                return
            }
        }
    }

    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject) where Inject.Carrier == Carrier {
        guard let spanContext = context.spanContext else { return }
        for propagator in provider.propagators {
            propagator.inject(spanContext) { injector.inject($1, forKey: $0, into: &carrier) }
        }
    }
}
