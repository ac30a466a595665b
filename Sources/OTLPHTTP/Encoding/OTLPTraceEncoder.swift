import COTLP
import OTelSDK

/// Encodes spans as one ExportTraceServiceRequest (protobuf binary), grouping by resource, then scope, by object identity.
///
/// Output: one `ResourceSpans` per distinct `Resource` instance and, inside it, one `ScopeSpans`
/// per distinct `InstrumentationScope` instance, both in order of first appearance; spans keep
/// their relative order. An empty batch encodes as the empty request (zero bytes). `schema_url`
/// fields are left empty.
///
/// Field mapping:
/// - `Span.flags`: the W3C trace flags in bits 0-7, plus `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`
///   (0x100) on every span, plus `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK` (0x200) when the span has a
///   parent and `parentIsRemote` is true. A root span has an empty `parent_span_id`.
/// - `Link.flags`: the same scheme, with "is remote" taken from the link's span context.
/// - `kind`: internal, server, client, producer, consumer → `SPAN_KIND_INTERNAL` (1) ... `SPAN_KIND_CONSUMER` (5).
/// - `status`: `.unset` → no `Status` message (code UNSET); `.ok` → code OK; `.error(message)` →
///   code ERROR with the message.
/// - Attribute values → `AnyValue`; arrays → `ArrayValue` of `AnyValue` (an empty array is an
///   `ArrayValue` with no values). Dropped counts above `UInt32.max` are clamped.
///
/// **NUL bytes in strings:** libprotobuf-c stores strings as NUL-terminated `char *` and measures
/// them with `strlen`, so a NUL inside a string would silently truncate it. Therefore every NUL
/// byte (U+0000) in every string this encoder writes — span and event names, attribute keys and
/// string values (also inside arrays), trace states, the status message, resource and scope
/// strings — is replaced by U+FFFD REPLACEMENT CHARACTER before encoding. Swift strings are always
/// valid UTF-8, so no other repair is needed.
///
/// The request's framing, grouping and packing are `OTLPRequestEncoder`'s, shared with the other
/// signals; this type maps spans to `Span` messages (`OTLPMessageBuilder.span`).
enum OTLPTraceEncoder {
    static func encode(_ spans: [SpanData]) -> [UInt8] {
        OTLPRequestEncoder.encode(spans, estimatedItemSize: 320) { builder, index in builder.span(spans[index]) }
    }

    /// Encodes into `workspace.request`, reusing the workspace's memory.
    static func encode(_ spans: [SpanData], into workspace: inout OTLPEncodingWorkspace) {
        OTLPRequestEncoder.encode(spans, estimatedItemSize: 320, into: &workspace) { builder, index in builder.span(spans[index]) }
    }
}

extension SpanData: OTLPRequestItem {}
