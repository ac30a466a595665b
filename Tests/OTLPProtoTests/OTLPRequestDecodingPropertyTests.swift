import OTLPProto
import PropertyBased
import Testing

/// The receiver's request decoding at its boundary: whatever bytes a client sends, decoding returns a request or
/// throws `OTLPDecodingError`, and never traps.
@Suite("OTLP request decoding, properties", .timeLimit(.minutes(2)))
struct OTLPRequestDecodingPropertyTests {
    /// A valid trace request of 3 spans in 2 resources.
    static let valid: [UInt8] = OTLPDecodedRequestTests.traceRequest(CMessageArena(), resources: [
        [(OTLPDecodedRequestTests.traceA, Array(0x01...0x08)), (OTLPDecodedRequestTests.traceA, Array(0x11...0x18))],
        [(OTLPDecodedRequestTests.traceB, Array(0x21...0x28))],
    ])

    /// Bytes of every kind: random, and the valid request cut short, with bytes overwritten, or both.
    static let bodies = Gen<[UInt8]>.oneOf(
        Gen.uint8().array(of: 0...256).eraseToAny(),
        Gen.int(in: 0...valid.count).map { Array(valid.prefix($0)) }.eraseToAny(),
        zip(Gen.int(in: 0..<valid.count), Gen.uint8(), Gen.int(in: 0...valid.count)).map { position, byte, length in
            var mutated = valid
            mutated[position] = byte
            return Array(mutated.prefix(length))
        }.eraseToAny()
    )

    @Test("any bytes decode to a request or throw OTLPDecodingError, for every signal")
    func neverTraps() async {
        await propertyCheck(count: 3000, input: Self.bodies, Gen<OTLPSignal?>.element(of: Array(OTLPSignal.allCases))) { body, signal in
            let signal = signal ?? .traces
            do {
                let decoded = try OTLPDecodedRequest.decode(signal, protobuf: body)
                if signal == .traces { #expect(decoded.spans.count == decoded.summary.items) }
            } catch {
                #expect(error is OTLPDecodingError)
            }
        }
    }

    @Test("the valid request decodes to its spans")
    func validRoundTrip() throws {
        let decoded = try OTLPDecodedRequest.decode(.traces, protobuf: Self.valid)
        #expect(decoded.summary.resources == 2 && decoded.summary.items == 3)
        #expect(decoded.spans.count == 3)
    }
}
