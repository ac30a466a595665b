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
/// How it works: libprotobuf-c packs each `Resource`, `InstrumentationScope` and `Span` message
/// from C structs built in a bump-allocated arena (`OTLPEncodingArena`) that is rewound after
/// every message, so the working set stays small and cache-resident and nothing is malloc'd per
/// field. A span is packed straight into the output buffer without a `..._get_packed_size` pass:
/// the arena bytes its structs took bound its packed size (`maximumPackedSize`). The three
/// enclosing levels (`ExportTraceServiceRequest.resource_spans`, `ResourceSpans.resource` and
/// `scope_spans`, `ScopeSpans.scope` and `spans`) are plain length-delimited framing, written
/// here once the lengths are known, instead of packing one struct tree, which would measure the
/// whole tree once and then shift every large nested message into place behind its length
/// prefix. The output is byte-identical to packing the whole request struct tree (the tests
/// check this). All memory is owned by noncopyable values and freed on return.
enum OTLPTraceEncoder {
    // Field numbers of the framing written by hand (all length-delimited).
    private static let requestResourceSpansField: UInt32 = 1  // ExportTraceServiceRequest.resource_spans
    private static let resourceSpansResourceField: UInt32 = 1  // ResourceSpans.resource
    private static let resourceSpansScopeSpansField: UInt32 = 2  // ResourceSpans.scope_spans
    private static let scopeSpansScopeField: UInt32 = 1  // ScopeSpans.scope
    private static let scopeSpansSpansField: UInt32 = 2  // ScopeSpans.spans

    static func encode(_ spans: [SpanData]) -> [UInt8] {
        guard !spans.isEmpty else { return [] }
        let groups = group(spans)

        var builder = OTLPMessageBuilder(arena: OTLPEncodingArena())
        // A first guess; re-estimated from the actual size of the first spans.
        var body = OTLPPackBuffer(capacity: spans.count &* 320 &+ 1024)
        var spansPacked = 0
        var framedResources: [FramedResource] = []
        framedResources.reserveCapacity(groups.count)

        for resourceGroup in groups {
            builder.arena.reset()
            let resource = builder.resource(resourceGroup.resource)
            let resourceStart = body.count
            let resourceSize = opentelemetry__proto__resource__v1__resource__get_packed_size(resource)
            body.append(maximumCount: resourceSize) { opentelemetry__proto__resource__v1__resource__pack(resource, $0) }
            var framed = FramedResource(resource: resourceStart..<body.count, scopes: [])
            framed.scopes.reserveCapacity(resourceGroup.scopes.count)

            for scopeGroup in resourceGroup.scopes {
                builder.arena.reset()
                let scope = builder.scope(scopeGroup.scope)
                let scopeStart = body.count
                let scopeSize = opentelemetry__proto__common__v1__instrumentation_scope__get_packed_size(scope)
                body.append(maximumCount: scopeSize) {
                    opentelemetry__proto__common__v1__instrumentation_scope__pack(scope, $0)
                }
                let scopeRange = scopeStart..<body.count

                for index in scopeGroup.spanIndices {
                    builder.arena.reset()
                    let span = builder.span(spans[index])
                    let maximumSize = maximumPackedSize(arenaBytes: builder.arena.allocatedBytes)
                    assert(opentelemetry__proto__trace__v1__span__get_packed_size(span) <= maximumSize)
                    body.appendLengthDelimited(fieldNumber: scopeSpansSpansField, maximumLength: maximumSize) {
                        opentelemetry__proto__trace__v1__span__pack(span, $0)
                    }
                    spansPacked &+= 1
                    if spansPacked == 64, spans.count > 128 {
                        // Size the buffer for the rest from these spans, to grow (and copy) at most rarely.
                        body.reserve(body.count / 64 * (spans.count - 64) / 8 * 9)
                    }
                }
                framed.scopes.append(FramedScope(scope: scopeRange, spans: scopeRange.upperBound..<body.count))
            }
            framedResources.append(framed)
        }
        return assemble(framedResources, body: body)
    }

    /// An upper bound of the packed size of a message whose structs, strings and IDs took
    /// `arenaBytes` of a freshly reset arena, so that the message can be packed without first
    /// walking it with `..._get_packed_size`.
    ///
    /// Every byte libprotobuf-c writes comes from a struct member or pointed-to data that the
    /// builder placed in the arena, and no member is packed twice, so it suffices that each
    /// packed field takes at most twice the arena bytes behind it:
    /// - a submessage: key + length ≤ 2 + 5 bytes, against its 8-byte pointer plus its own 24-byte
    ///   `ProtobufCMessage` header;
    /// - a string: key + length + n ≤ 7 + n bytes, against an 8-byte pointer and n + 1 bytes of copy
    ///   (an empty string outside a oneof is the static empty string and is not packed; inside a
    ///   oneof it has its own arena byte);
    /// - bytes (IDs): key + length + n ≤ 7 + n, against a 16-byte `ProtobufCBinaryData` plus n bytes;
    /// - a scalar: at most key + 10 ≤ 12 bytes (int64 varint), against an 8-byte member; 4-byte
    ///   members (enums of at most 5, `uint32` counts and flags) pack to at most 1 + 5 = 6 bytes.
    /// Pointer arrays, padding and abandoned copies only add arena bytes. The bound is checked
    /// against `..._get_packed_size` by an assertion in debug builds (the tests).
    @inline(__always)
    static func maximumPackedSize(arenaBytes: Int) -> Int {
        arenaBytes &* 2 &+ 64
    }

    // MARK: Framing

    /// Byte ranges in the body buffer of one `ScopeSpans`' parts.
    private struct FramedScope {
        /// The packed `InstrumentationScope` message (without key and length).
        var scope: Range<Int>
        /// The spans, each already framed as a `ScopeSpans.spans` field.
        var spans: Range<Int>

        var messageSize: Int {
            OTLPProtobufWire.headerSize(length: scope.count) + scope.count + spans.count
        }
    }

    /// Byte ranges in the body buffer of one `ResourceSpans`' parts.
    private struct FramedResource {
        /// The packed `Resource` message (without key and length).
        var resource: Range<Int>
        var scopes: [FramedScope]
    }

    /// Writes the request: the framing of each level around the packed messages from `body`.
    private static func assemble(_ resources: [FramedResource], body: borrowing OTLPPackBuffer) -> [UInt8] {
        // Sizes, innermost first.
        var resourceSizes: [Int] = []
        resourceSizes.reserveCapacity(resources.count)
        var total = 0
        for resource in resources {
            var size = OTLPProtobufWire.headerSize(length: resource.resource.count) + resource.resource.count
            for scope in resource.scopes {
                let scopeSize = scope.messageSize
                size += OTLPProtobufWire.headerSize(length: scopeSize) + scopeSize
            }
            resourceSizes.append(size)
            total += OTLPProtobufWire.headerSize(length: size) + size
        }

        let source = UnsafeRawPointer(body.base)
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initializedCount in
            let out = buffer.baseAddress!
            var position = 0
            func header(_ fieldNumber: UInt32, _ length: Int) {
                position += OTLPProtobufWire.writeVarint(UInt64(fieldNumber) << 3 | 2, to: out + position)
                position += OTLPProtobufWire.writeVarint(UInt64(length), to: out + position)
            }
            func copy(_ range: Range<Int>) {
                UnsafeMutableRawPointer(out + position).copyMemory(from: source + range.lowerBound, byteCount: range.count)
                position += range.count
            }
            for (resource, resourceSize) in zip(resources, resourceSizes) {
                header(requestResourceSpansField, resourceSize)
                header(resourceSpansResourceField, resource.resource.count)
                copy(resource.resource)
                for scope in resource.scopes {
                    header(resourceSpansScopeSpansField, scope.messageSize)
                    header(scopeSpansScopeField, scope.scope.count)
                    copy(scope.scope)
                    copy(scope.spans)
                }
            }
            precondition(position == total, "assembled \(position) bytes, expected \(total)")
            initializedCount = total
        }
    }

    // MARK: Grouping

    struct ScopeGroup {
        let scope: InstrumentationScope
        var spanIndices: [Int]
    }

    struct ResourceGroup {
        let resource: Resource
        var scopes: [ScopeGroup]
    }

    /// Groups span indices by resource, then scope, by object identity, in order of first appearance.
    static func group(_ spans: [SpanData]) -> [ResourceGroup] {
        var groups: [ResourceGroup] = []
        var resourceIndex: [ObjectIdentifier: Int] = [:]
        // (resource group, scope) → scope group index within the resource group
        var scopeIndex: [ObjectIdentifier: [ObjectIdentifier: Int]] = [:]
        // Most batches come from one provider and a few scopes: remember the last pair.
        var lastResource: ObjectIdentifier?
        var lastScope: ObjectIdentifier?
        var lastGroup = (resource: 0, scope: 0)

        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices {
                // Only the two references are read: copying the whole SpanData would retain all its fields.
                let resourceID = ObjectIdentifier(spans[index].resource)
                let scopeID = ObjectIdentifier(spans[index].scope)
                if resourceID == lastResource, scopeID == lastScope {
                    groups[lastGroup.resource].scopes[lastGroup.scope].spanIndices.append(index)
                    continue
                }
                let resourcePosition: Int
                if let existing = resourceIndex[resourceID] {
                    resourcePosition = existing
                } else {
                    resourcePosition = groups.count
                    resourceIndex[resourceID] = resourcePosition
                    groups.append(ResourceGroup(resource: spans[index].resource, scopes: []))
                }
                let scopePosition: Int
                if let existing = scopeIndex[resourceID, default: [:]][scopeID] {
                    scopePosition = existing
                } else {
                    scopePosition = groups[resourcePosition].scopes.count
                    scopeIndex[resourceID, default: [:]][scopeID] = scopePosition
                    groups[resourcePosition].scopes.append(ScopeGroup(scope: spans[index].scope, spanIndices: []))
                }
                groups[resourcePosition].scopes[scopePosition].spanIndices.append(index)
                lastResource = resourceID
                lastScope = scopeID
                lastGroup = (resourcePosition, scopePosition)
            }
        }
        return groups
    }
}
