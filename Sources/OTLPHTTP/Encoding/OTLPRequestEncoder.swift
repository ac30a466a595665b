import COTLP
import OTelSDK

/// An item of an OTLP export request: it carries the resource and scope it is grouped under.
protocol OTLPRequestItem {
    var resource: Resource { get }
    var scope: InstrumentationScope { get }
}

/// Encodes one `Export<Signal>ServiceRequest` (protobuf binary) from items that each become one
/// message of the innermost level (`Span`, `LogRecord`), grouping by resource, then scope, by object
/// identity.
///
/// Every signal's request has the same three enclosing levels with the same field numbers
/// (`request.resource_<x>` = 1; `Resource<X>.resource` = 1, `.scope_<x>` = 2; `Scope<X>.scope` = 1,
/// `.<items>` = 2), so one encoder writes them all; the signal supplies how one item becomes a
/// protobuf-c message. Output: one `Resource<X>` per distinct `Resource` instance and, inside it, one
/// `Scope<X>` per distinct `InstrumentationScope` instance, both in order of first appearance; items
/// keep their relative order. An empty batch encodes as the empty request (zero bytes). `schema_url`
/// fields are left empty.
///
/// How it works: libprotobuf-c packs each `Resource`, `InstrumentationScope` and item message
/// from C structs built in a bump-allocated arena (`ProtobufCArena`) that is rewound after
/// every message, so the working set stays small and cache-resident and nothing is malloc'd per
/// field; an exporter keeps that memory and the output buffers from one request to the next
/// (`OTLPEncodingWorkspace`). An item is packed straight into the output buffer without a
/// `..._get_packed_size` pass: the arena bytes its structs took bound its packed size
/// (`maximumPackedSize`). The three
/// enclosing levels are plain length-delimited framing, written here once the lengths are known,
/// instead of packing one struct tree, which would measure the whole tree once and then shift
/// every large nested message into place behind its length prefix. The output is byte-identical
/// to packing the whole request struct tree (the trace tests check this). All memory is owned by
/// noncopyable values.
enum OTLPRequestEncoder {
    // Field numbers of the framing written by hand (all length-delimited), the same in every signal.
    private static let requestResourceField: UInt32 = 1  // Export<X>ServiceRequest.resource_<x>
    private static let resourceResourceField: UInt32 = 1  // Resource<X>.resource
    private static let resourceScopeField: UInt32 = 2  // Resource<X>.scope_<x>
    private static let scopeScopeField: UInt32 = 1  // Scope<X>.scope
    private static let scopeItemsField: UInt32 = 2  // Scope<X>.<items>

    /// Encodes `items`; `message` builds item number `index` in the builder's freshly reset arena
    /// and returns the protobuf-c message (a struct whose first member is its `ProtobufCMessage`).
    /// `estimatedItemSize` sizes the output buffer before the first items measure it.
    static func encode<Item: OTLPRequestItem, Message>(
        _ items: [Item],
        estimatedItemSize: Int,
        message: (inout OTLPMessageBuilder, Int) -> UnsafeMutablePointer<Message>
    ) -> [UInt8] {
        var workspace = OTLPEncodingWorkspace()
        encode(items, estimatedItemSize: estimatedItemSize, into: &workspace, message: message)
        return Array(workspace.request.bytes)
    }

    /// Encodes `items` into `workspace.request`, reusing the workspace's memory (see the other
    /// `encode` for `message` and `estimatedItemSize`).
    static func encode<Item: OTLPRequestItem, Message>(
        _ items: [Item],
        estimatedItemSize: Int,
        into workspace: inout OTLPEncodingWorkspace,
        message: (inout OTLPMessageBuilder, Int) -> UnsafeMutablePointer<Message>
    ) {
        workspace.request.removeAll()
        guard !items.isEmpty else { return }
        let groups = group(items)

        workspace.messages.removeAll()
        // A first guess; re-estimated from the actual size of the first items.
        workspace.messages.reserve(items.count &* estimatedItemSize &+ 1024)
        var itemsPacked = 0
        var framedResources: [FramedResource] = []
        framedResources.reserveCapacity(groups.count)

        for resourceGroup in groups {
            workspace.builder.arena.reset()
            let resource = workspace.builder.resource(resourceGroup.resource)
            let resourceStart = workspace.messages.count
            let resourceSize = opentelemetry__proto__resource__v1__resource__get_packed_size(resource)
            workspace.messages.append(maximumCount: resourceSize) { opentelemetry__proto__resource__v1__resource__pack(resource, $0) }
            var framed = FramedResource(resource: resourceStart..<workspace.messages.count, scopes: [])
            framed.scopes.reserveCapacity(resourceGroup.scopes.count)

            for scopeGroup in resourceGroup.scopes {
                workspace.builder.arena.reset()
                let scope = workspace.builder.scope(scopeGroup.scope)
                let scopeStart = workspace.messages.count
                let scopeSize = opentelemetry__proto__common__v1__instrumentation_scope__get_packed_size(scope)
                workspace.messages.append(maximumCount: scopeSize) {
                    opentelemetry__proto__common__v1__instrumentation_scope__pack(scope, $0)
                }
                let scopeRange = scopeStart..<workspace.messages.count

                for index in scopeGroup.itemIndices {
                    workspace.builder.arena.reset()
                    let packable = UnsafeRawPointer(message(&workspace.builder, index)).assumingMemoryBound(to: ProtobufCMessage.self)
                    let maximumSize = maximumPackedSize(arenaBytes: workspace.builder.arena.allocatedBytes)
                    assert(protobuf_c_message_get_packed_size(packable) <= maximumSize)
                    workspace.messages.appendLengthDelimited(fieldNumber: scopeItemsField, maximumLength: maximumSize) {
                        protobuf_c_message_pack(packable, $0)
                    }
                    itemsPacked &+= 1
                    if itemsPacked == 64, items.count > 128 {
                        // Size the buffer for the rest from these items, to grow (and copy) at most rarely.
                        workspace.messages.reserve(workspace.messages.count / 64 * (items.count - 64) / 8 * 9)
                    }
                }
                framed.scopes.append(FramedScope(scope: scopeRange, items: scopeRange.upperBound..<workspace.messages.count))
            }
            framedResources.append(framed)
        }
        assemble(framedResources, messages: workspace.messages, into: &workspace.request)
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
    ///   members (enums, `uint32` counts and flags, `fixed32` flags) pack to at most 1 + 5 = 6 bytes.
    /// Pointer arrays, padding and abandoned copies only add arena bytes. The bound is checked
    /// against `..._get_packed_size` by an assertion in debug builds (the tests).
    @inline(__always)
    static func maximumPackedSize(arenaBytes: Int) -> Int {
        arenaBytes &* 2 &+ 64
    }

    // MARK: Framing

    /// Byte ranges in the body buffer of one `Scope<X>`' parts.
    private struct FramedScope {
        /// The packed `InstrumentationScope` message (without key and length).
        var scope: Range<Int>
        /// The items, each already framed as a `Scope<X>.<items>` field.
        var items: Range<Int>

        var messageSize: Int {
            OTLPProtobufWire.headerSize(length: scope.count) + scope.count + items.count
        }
    }

    /// Byte ranges in the body buffer of one `Resource<X>`' parts.
    private struct FramedResource {
        /// The packed `Resource` message (without key and length).
        var resource: Range<Int>
        var scopes: [FramedScope]
    }

    /// Writes the request into the empty `request`: the framing of each level around the packed
    /// messages from `messages`.
    private static func assemble(_ resources: [FramedResource], messages: borrowing OTLPPackBuffer, into request: inout OTLPPackBuffer) {
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

        let source = UnsafeRawPointer(messages.base)
        request.append(maximumCount: total) { out in
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
                header(requestResourceField, resourceSize)
                header(resourceResourceField, resource.resource.count)
                copy(resource.resource)
                for scope in resource.scopes {
                    header(resourceScopeField, scope.messageSize)
                    header(scopeScopeField, scope.scope.count)
                    copy(scope.scope)
                    copy(scope.items)
                }
            }
            precondition(position == total, "assembled \(position) bytes, expected \(total)")
            return total
        }
    }

    // MARK: Grouping

    struct ScopeGroup {
        let scope: InstrumentationScope
        var itemIndices: [Int]
    }

    struct ResourceGroup {
        let resource: Resource
        var scopes: [ScopeGroup]
    }

    /// Groups item indices by resource, then scope, by object identity, in order of first appearance.
    static func group<Item: OTLPRequestItem>(_ items: [Item]) -> [ResourceGroup] {
        var groups: [ResourceGroup] = []
        var resourceIndex: [ObjectIdentifier: Int] = [:]
        // (resource group, scope) → scope group index within the resource group
        var scopeIndex: [ObjectIdentifier: [ObjectIdentifier: Int]] = [:]
        // Most batches come from one provider and a few scopes: remember the last pair.
        var lastResource: ObjectIdentifier?
        var lastScope: ObjectIdentifier?
        var lastGroup = (resource: 0, scope: 0)

        items.withUnsafeBufferPointer { items in
            for index in items.indices {
                // Only the two references are read: copying the whole item would retain all its fields.
                let resourceID = ObjectIdentifier(items[index].resource)
                let scopeID = ObjectIdentifier(items[index].scope)
                if resourceID == lastResource, scopeID == lastScope {
                    groups[lastGroup.resource].scopes[lastGroup.scope].itemIndices.append(index)
                    continue
                }
                let resourcePosition: Int
                if let existing = resourceIndex[resourceID] {
                    resourcePosition = existing
                } else {
                    resourcePosition = groups.count
                    resourceIndex[resourceID] = resourcePosition
                    groups.append(ResourceGroup(resource: items[index].resource, scopes: []))
                }
                let scopePosition: Int
                if let existing = scopeIndex[resourceID, default: [:]][scopeID] {
                    scopePosition = existing
                } else {
                    scopePosition = groups[resourcePosition].scopes.count
                    scopeIndex[resourceID, default: [:]][scopeID] = scopePosition
                    groups[resourcePosition].scopes.append(ScopeGroup(scope: items[index].scope, itemIndices: []))
                }
                groups[resourcePosition].scopes[scopePosition].itemIndices.append(index)
                lastResource = resourceID
                lastScope = scopeID
                lastGroup = (resourcePosition, scopePosition)
            }
        }
        return groups
    }
}
