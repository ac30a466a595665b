import Testing

@testable import OTLPHTTP

@Suite("protobuf framing: varints and the pack buffer", .timeLimit(.minutes(2)))
struct OTLPFramingTests {
    @Test("varints match the protobuf encoding")
    func varints() {
        let cases: [(UInt64, [UInt8])] = [
            (0, [0]), (1, [1]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
            (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
            (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            (.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ]
        for (value, expected) in cases {
            var out = [UInt8](repeating: 0, count: 10)
            let count = out.withUnsafeMutableBufferPointer { OTLPProtobufWire.writeVarint(value, to: $0.baseAddress!) }
            #expect(Array(out.prefix(count)) == expected, "\(value)")
            #expect(OTLPProtobufWire.varintSize(value) == expected.count, "\(value)")
        }
    }

    @Test("the pack buffer grows, keeps its bytes and fills in length prefixes")
    func packBufferGrows() {
        var buffer = OTLPPackBuffer(capacity: 1)
        var expected: [UInt8] = []
        for index in 0..<1_000 {
            let length = index * 7 % 300
            // Room for more than is written, sometimes enough to need a longer varint (moving the payload).
            let maximumLength = length + (index % 3 == 0 ? 200 : 0)
            buffer.appendLengthDelimited(fieldNumber: 2, maximumLength: maximumLength) { out in
                for offset in 0..<length {
                    out[offset] = UInt8(truncatingIfNeeded: index &+ offset)
                }
                return length
            }
            expected.append(0x12)
            var value = length
            while value >= 0x80 {
                expected.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            expected.append(UInt8(value))
            expected += (0..<length).map { UInt8(truncatingIfNeeded: index &+ $0) }
        }
        let bytes = Array(UnsafeRawBufferPointer(start: buffer.base, count: buffer.count))
        #expect(bytes == expected)
    }
}
