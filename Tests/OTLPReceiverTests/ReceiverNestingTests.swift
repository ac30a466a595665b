@testable import OTLPProto
import Testing

@testable import OTLPReceiver

/// Requests that nest messages without end: libprotobuf-c would recurse once per level and overflow the stack.
@Suite("Deeply nested requests", .timeLimit(.minutes(2)))
struct ReceiverNestingTests {
    /// A trace request whose one resource attribute is an `AnyValue` array nested `levels` deep: its innermost
    /// `AnyValue` is a message at depth `4 + 2 × levels`.
    static func nestedAttribute(levels: Int) -> [UInt8] {
        var leaf = ProtoWriter()
        leaf.string(1, "leaf")  // AnyValue.string_value
        // A single chain, so written outside in: AnyValue.array_value (5) > ArrayValue.values (1) > AnyValue ...
        // with every length known up front (building it inside out would copy the growing tail at each level).
        var lengths = [leaf.bytes.count]
        for _ in 0..<(2 * levels) {
            lengths.append(1 + varintSize(lengths.last!) + lengths.last!)
        }
        var value = ProtoWriter()
        for level in stride(from: 2 * levels, to: 0, by: -1) {
            value.varint(level % 2 == 0 ? 5 << 3 | 2 : 1 << 3 | 2)
            value.varint(UInt64(lengths[level - 1]))
        }
        value.string(1, "leaf")
        var keyValue = ProtoWriter()
        keyValue.string(1, "deep")
        keyValue.bytes(2, value.bytes)
        var resource = ProtoWriter()
        resource.bytes(1, keyValue.bytes)  // Resource.attributes
        var resourceSpans = ProtoWriter()
        resourceSpans.bytes(1, resource.bytes)  // ResourceSpans.resource
        var request = ProtoWriter()
        request.bytes(1, resourceSpans.bytes)  // ExportTraceServiceRequest.resource_spans
        return request.bytes
    }

    static func varintSize(_ value: Int) -> Int {
        var size = 1
        var rest = value >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    @Test("nesting up to the limit decodes; one level more is refused before unpacking, with a reason")
    func limit() throws {
        #expect(ProtobufNesting.maxDepth == 64)
        _ = try OTLPDecodedRequest.decode(.traces, protobuf: Self.nestedAttribute(levels: 30))  // depth 64
        #expect {
            try OTLPDecodedRequest.decode(.traces, protobuf: Self.nestedAttribute(levels: 31))
        } throws: { error in
            (error as? OTLPDecodingError)?.reason == "messages nested deeper than 64 levels"
        }
    }

    @Test("the receiver answers 400 to 200,000 levels of nested arrays and stays up")
    func receiverRefusesDeepRequests() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let deep = try await connection.export(.traces, Self.nestedAttribute(levels: 200_000)).get()
                #expect(deep.status == 400)
                let valid = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 1)).get()
                #expect(valid.status == 200)
            }
        }
    }
}
