/// AWS X-Ray trace header (`X-Amzn-Trace-Id`), as API Gateway and Lambda send it:
/// `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`.
///
/// The X-Ray root `1-{8 hex epoch}-{24 hex}` maps onto a W3C trace ID by concatenating the two hex
/// parts. A header without `Parent` carries no span to parent on and yields nil. `Sampled=1` sets
/// the sampled flag; `Sampled=0` or `?` leaves it clear. Injection writes the same format.
public struct XRayPropagator: SpanContextPropagator {
    /// The HTTP header name, lower-cased.
    public static let headerName = "x-amzn-trace-id"
    /// The environment variable a Lambda runtime exports with the current invocation's header.
    public static let environmentVariable = "_X_AMZN_TRACE_ID"

    public init() {}

    public var fields: [String] { [Self.headerName] }

    public func extract(getHeader: (String) -> String?) -> SpanContext? {
        getHeader(Self.headerName).flatMap(Self.parse)
    }

    /// Extracts from `_X_AMZN_TRACE_ID` (the "xray-lambda" / xray-env propagation of the semantic conventions).
    public func extract(environment: OTelEnvironment) -> SpanContext? {
        environment.string(Self.environmentVariable).flatMap(Self.parse)
    }

    public func inject(_ context: SpanContext, setHeader: (String, String) -> Void) {
        guard context.isValid else { return }
        let hex = context.traceID.hex
        let root = "1-\(hex.prefix(8))-\(hex.dropFirst(8))"
        setHeader(Self.headerName, "Root=\(root);Parent=\(context.spanID.hex);Sampled=\(context.isSampled ? "1" : "0")")
    }

    /// Parses an X-Ray header value.
    public static func parse(_ header: String) -> SpanContext? {
        var traceID: TraceID?
        var spanID: SpanID?
        var sampled = false
        for field in header.split(separator: ";") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingWhitespace().lowercased()
            let value = pair[1].trimmingWhitespace()
            switch key {
            case "root":
                let parts = value.split(separator: "-")
                guard parts.count == 3, parts[0] == "1", parts[1].utf8.count == 8, parts[2].utf8.count == 24 else { return nil }
                traceID = TraceID(hex: parts[1] + parts[2])
                if traceID == nil { return nil }
            case "parent":
                spanID = SpanID(hex: value)
                if spanID == nil { return nil }
            case "sampled":
                sampled = value == "1"
            default:
                continue
            }
        }
        guard let traceID, traceID.isValid, let spanID, spanID.isValid else { return nil }
        return SpanContext(traceID: traceID, spanID: spanID, traceFlags: sampled ? .sampled : [], isRemote: true)
    }
}
