/// What one decoding of an `Export{Trace,Metrics,Logs}ServiceRequest` yields: its counts and, for traces, the
/// identity of each span.
///
/// Used by the test receiver to count distinct and duplicate spans without keeping request bodies.
public struct OTLPDecodedRequest: Sendable, Equatable {
    /// The counts, as ``OTLPRequestSummary/decode(_:protobuf:)`` gives them.
    public var summary: OTLPRequestSummary
    /// The identity of each span of a trace request, in request order (resource, scope, span), duplicates included,
    /// so its count is `summary.items`. Empty for metrics and logs.
    public var spans: [OTLPSpanIdentity]

    /// Creates a decoded request from its parts.
    public init(summary: OTLPRequestSummary, spans: [OTLPSpanIdentity]) {
        self.summary = summary
        self.spans = spans
    }

    /// Decodes an `Export{Trace,Metrics,Logs}ServiceRequest` with libprotobuf-c, counts it and, for traces, reads the
    /// `trace_id` and `span_id` of each span, in one pass over one unpacked message.
    ///
    /// The decoded message is freed before returning. An empty byte array is a valid, empty request.
    ///
    /// - Parameters:
    ///   - signal: Which request message `protobuf` holds.
    ///   - protobuf: The uncompressed protobuf request body.
    /// - Throws: `OTLPDecodingError` when the bytes are not a valid request of that signal.
    public static func decode(_ signal: OTLPSignal, protobuf: [UInt8]) throws -> OTLPDecodedRequest {
        var spans: [OTLPSpanIdentity]? = signal == .traces ? [] : nil
        let summary = try OTLPRequestSummary.decode(signal, protobuf: protobuf, spans: &spans)
        return OTLPDecodedRequest(summary: summary, spans: spans ?? [])
    }
}
