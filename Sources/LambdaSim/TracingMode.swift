extension LambdaSimConfiguration {
    /// The function's X-Ray tracing mode, which decides the trace header each invocation gets
    /// (`Lambda-Runtime-Trace-Id`, the INVOKE event's `tracing.value`).
    public enum TracingMode: String, Sendable, CaseIterable {
        /// Active tracing off, Lambda's default: the caller's `X-Amzn-Trace-Id` is forwarded unchanged; a caller
        /// without one gets a fresh header in ``LambdaSimConfiguration/traceHeaderForm``, which says `Sampled=0`
        /// when it says anything about sampling.
        case passThrough = "pass-through"
        /// Active tracing on: `Root=…;Parent=…;Sampled=1` with the caller's root (or a fresh one) and a fresh parent
        /// (Lambda's own segment); a caller's header that says `Sampled=0` is forwarded unchanged.
        case active
    }

    /// The form of the header ``TracingMode/passThrough`` makes for a caller that sent none.
    public enum TraceHeaderForm: String, Sendable, CaseIterable {
        /// `Root=1-…;Parent=…;Sampled=0;Lineage=…:0`, the form users report from pass-through functions.
        case full
        /// `Root=1-…` alone, the form Lambda's newer pass-through may send: it names no parent span.
        case rootOnly = "root-only"
    }
}
