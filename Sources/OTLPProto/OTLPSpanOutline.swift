import COTLP
import CProtobufC

/// The parts of a received span that tests check: IDs, parent, name, kind, links, scalar attributes and status.
///
/// Used by end-to-end tests to read what a function exported (parentage, links, semantic-convention attributes)
/// from the request bodies an `OTLPReceiver` captured. IDs are lower-case hexadecimal, as in W3C `traceparent`.
public struct OTLPSpanOutline: Sendable, Equatable {
    /// A link's target.
    public struct Link: Sendable, Equatable {
        public var traceID: String
        public var spanID: String
        /// The linked context's W3C trace flags (`flags & 0xff`); bit 0 is "sampled".
        public var traceFlags: UInt8

        public init(traceID: String, spanID: String, traceFlags: UInt8) {
            self.traceID = traceID
            self.spanID = spanID
            self.traceFlags = traceFlags
        }
    }

    public var traceID: String
    public var spanID: String
    /// Empty for a root span.
    public var parentSpanID: String
    public var name: String
    /// The OTLP `SpanKind` number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
    public var kind: UInt32
    public var links: [Link]
    /// String, integer, boolean and double attributes, each value in its textual form (`42`, `true`, `0.5`);
    /// attributes of other types are left out.
    public var attributes: [String: String]
    /// The OTLP `Status.code`: 0 unset, 1 ok, 2 error.
    public var statusCode: UInt32

    /// The spans of an uncompressed `ExportTraceServiceRequest`, in request order.
    ///
    /// - Throws: `OTLPDecodingError` when the bytes are not a valid request.
    public static func decode(protobuf: [UInt8]) throws -> [OTLPSpanOutline] {
        try withUnpackedProtobufC(
            protobuf,
            messageType: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
            unpack: opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack
        ) { request in
            var outlines: [OTLPSpanOutline] = []
            for resourceSpans in elements(request.pointee.resource_spans, request.pointee.n_resource_spans) {
                for scopeSpans in elements(resourceSpans.pointee.scope_spans, resourceSpans.pointee.n_scope_spans) {
                    for span in elements(scopeSpans.pointee.spans, scopeSpans.pointee.n_spans) {
                        outlines.append(outline(span.pointee))
                    }
                }
            }
            return outlines
        }
    }

    private static func outline(_ span: Opentelemetry__Proto__Trace__V1__Span) -> OTLPSpanOutline {
        var attributes: [String: String] = [:]
        for keyValue in elements(span.attributes, span.n_attributes) {
            if let value = keyValue.pointee.value.flatMap({ text($0.pointee) }) {
                attributes[swiftString(keyValue.pointee.key)] = value
            }
        }
        return OTLPSpanOutline(
            traceID: hex(span.trace_id),
            spanID: hex(span.span_id),
            parentSpanID: hex(span.parent_span_id),
            name: swiftString(span.name),
            kind: span.kind.rawValue,
            links: elements(span.links, span.n_links).map { link in
                Link(traceID: hex(link.pointee.trace_id), spanID: hex(link.pointee.span_id), traceFlags: UInt8(truncatingIfNeeded: link.pointee.flags))
            },
            attributes: attributes,
            statusCode: span.status.map { $0.pointee.code.rawValue } ?? 0
        )
    }

    private static func text(_ value: Opentelemetry__Proto__Common__V1__AnyValue) -> String? {
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE: swiftString(value.string_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE: value.bool_value != 0 ? "true" : "false"
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE: String(value.int_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE: String(value.double_value)
        default: nil
        }
    }

    private static func hex(_ field: ProtobufCBinaryData) -> String {
        guard let data = field.data else { return "" }
        return UnsafeBufferPointer(start: data, count: field.len).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
