/// Moves a span context in and out of a carrier's text headers (HTTP headers, message attributes).
///
/// Header names passed to `getHeader` are lower-case; carriers should look them up case-insensitively.
public protocol SpanContextPropagator: Sendable {
    /// The header names this propagator reads and writes.
    var fields: [String] { get }
    /// The span context found in the carrier, marked remote; nil when absent or malformed.
    func extract(getHeader: (String) -> String?) -> SpanContext?
    /// Writes `context` into the carrier. Propagators that only extract write nothing.
    func inject(_ context: SpanContext, setHeader: (String, String) -> Void)
}
