#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `xray-lambda` propagator of the OpenTelemetry semantic conventions ("Instrumenting AWS Lambda"): the X-Ray
/// header of the carrier (``XRayPropagator``) or, when the carrier has none, the X-Ray context Lambda gives the
/// current invocation (`Lambda-Runtime-Trace-Id`, exported as `_X_AMZN_TRACE_ID`).
///
/// Naming it in `OTEL_PROPAGATORS` (in place of `xray`) is how a user asks for Lambda's X-Ray context to become the
/// invocation span's parent, which is what they want when spans go to AWS X-Ray with Active tracing on. With Active
/// tracing off Lambda's header usually says `Sampled=0`, so under a parent-based sampler (the default) that parent
/// makes every invocation span, and its children, unsampled: the user's choice, not a fault.
///
/// As the conventions ask, Lambda's context is only a fallback for a caller that has no span yet: when the context
/// being extracted into already has a valid span, ``OTelTracer`` reads the carrier only. Injection writes the X-Ray
/// header, as ``XRayPropagator`` does. Thread-safe (a value type reading the environment at each extraction).
public struct XRayLambdaPropagator: SpanContextPropagator {
    public init() {}

    public var fields: [String] { [XRayPropagator.headerName] }

    /// The carrier's X-Ray context, else the one in `_X_AMZN_TRACE_ID` (read now from the process environment).
    public func extract(getHeader: (String) -> String?) -> SpanContext? {
        extract(getHeader: getHeader, lambdaTraceHeader: Self.environmentTraceHeader())
    }

    /// The carrier's X-Ray context, else the one `lambdaTraceHeader` carries (nil: carrier only).
    public func extract(getHeader: (String) -> String?, lambdaTraceHeader: String?) -> SpanContext? {
        XRayPropagator().extract(getHeader: getHeader) ?? lambdaTraceHeader.flatMap(XRayPropagator.parse)
    }

    public func inject(_ context: SpanContext, setHeader: (String, String) -> Void) {
        XRayPropagator().inject(context, setHeader: setHeader)
    }

    private static func environmentTraceHeader() -> String? {
        getenv(XRayPropagator.environmentVariable).map { String(cString: $0) }
    }
}
