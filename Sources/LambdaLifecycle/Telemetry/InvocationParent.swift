import OTelSDK

/// The invocation span's parent and links, by the OpenTelemetry semantic conventions for AWS Lambda.
///
/// Lambda sends an X-Ray header (`Lambda-Runtime-Trace-Id`) with every invocation, but with Active tracing off (the
/// default) it usually says `Sampled=0`: taken as the parent, it would make a parent-based sampler drop every span.
/// So Lambda's context is the parent only when the user names the `xray-lambda` propagator in `OTEL_PROPAGATORS`:
///
/// - parent: the first context the configured propagators find, in `OTEL_PROPAGATORS` order, in the event's carrier
///   (``LambdaTraceCarrier``; an event that is not a carrier has none); `xray-lambda` falls back on Lambda's header;
///   nil when none is found, and the invocation span starts a trace (the sampler's root decision applies);
/// - link: Lambda's X-Ray context when it is valid (it has a `Root` and a `Parent`) and is not the parent, whatever
///   its `Sampled` flag. A `Root=…` header without `Parent` names no span, so it gives neither parent nor link.
struct InvocationParent: Equatable {
    /// The context the invocation span is parented on; nil: the span starts a trace.
    var parent: SpanContext?
    /// Lambda's X-Ray context, when valid and not the parent: recorded as a span link on the invocation span.
    var lambdaLink: SpanContext?

    static func select(
        propagators: [any SpanContextPropagator],
        lambdaTraceHeader: String?,
        carrier: (any LambdaTraceCarrier)?
    ) -> InvocationParent {
        let getHeader = { (name: String) in carrier?.traceHeader(name) }
        var parent: SpanContext?
        for propagator in propagators {
            parent = if let lambda = propagator as? XRayLambdaPropagator {
                lambda.extract(getHeader: getHeader, lambdaTraceHeader: lambdaTraceHeader)
            } else {
                propagator.extract(getHeader: getHeader)
            }
            if parent != nil { break }
        }
        let lambda = lambdaTraceHeader.flatMap(XRayPropagator.parse)
        return InvocationParent(parent: parent, lambdaLink: lambda == parent ? nil : lambda)
    }
}
