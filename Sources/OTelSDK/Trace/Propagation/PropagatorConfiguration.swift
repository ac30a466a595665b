/// Reads `OTEL_PROPAGATORS` (default `tracecontext,baggage`).
///
/// Supported: `tracecontext`, `xray`, `xray-lambda` (``XRayLambdaPropagator``: the carrier's X-Ray
/// header, else Lambda's `_X_AMZN_TRACE_ID`) and `none`. `baggage` is accepted and currently
/// propagates nothing (this SDK has no baggage API yet); any other name is reported with the
/// variable's name and skipped. Extraction tries propagators in order and uses the first context
/// found, so an earlier name has priority over a later one.
public enum PropagatorConfiguration {
    public static func propagators(from environment: OTelEnvironment) -> [any SpanContextPropagator] {
        guard let raw = environment.string("OTEL_PROPAGATORS") else { return [W3CTraceContextPropagator()] }
        var result: [any SpanContextPropagator] = []
        for name in raw.split(separator: ",").map({ $0.trimmingWhitespace().lowercased() }) {
            switch name {
            case "tracecontext": result.append(W3CTraceContextPropagator())
            case "xray": result.append(XRayPropagator())
            case "xray-lambda": result.append(XRayLambdaPropagator())
            case "baggage": continue
            case "none": return []
            default:
                environment.warnMalformed("OTEL_PROPAGATORS", name, expected: "one of tracecontext, baggage, xray, xray-lambda, none", defaultDescription: "(skipping it)")
            }
        }
        return result
    }
}
