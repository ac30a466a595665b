import Testing

@testable import OTLPHTTP

@Suite("OTLPEncodingArena and framing helpers")
struct OTLPEncodingSupportTests {
    @Test("allocations are aligned, disjoint and writable across chunks")
    func alignedAndDisjoint() {
        var arena = OTLPEncodingArena(initialCapacity: 128, minimumChunkSize: 256)
        var regions: [(start: Int, end: Int)] = []
        for round in 0..<200 {
            let alignment = [1, 2, 4, 8, 16][round % 5]
            let size = (round * 37) % 300
            let pointer = arena.allocate(byteCount: size, alignment: alignment)
            #expect(Int(bitPattern: pointer) % alignment == 0)
            pointer.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: round), count: size)
            regions.append((Int(bitPattern: pointer), Int(bitPattern: pointer) + size))
        }
        let sorted = regions.filter { $0.start < $0.end }.sorted { $0.start < $1.start }
        for (first, second) in zip(sorted, sorted.dropFirst()) {
            #expect(first.end <= second.start)
        }
        #expect(arena.chunkCount > 1)
    }

    @Test("reset reuses the chunks instead of allocating more")
    func resetReuses() {
        var arena = OTLPEncodingArena(initialCapacity: 1024, minimumChunkSize: 1024)
        let first = arena.allocate(byteCount: 16, alignment: 8)
        for _ in 0..<10 {
            _ = arena.allocate(byteCount: 700, alignment: 8)
        }
        let chunks = arena.chunkCount
        let capacity = arena.capacity
        for _ in 0..<100 {
            arena.reset()
            #expect(arena.allocate(byteCount: 16, alignment: 8) == first)
            for _ in 0..<10 {
                _ = arena.allocate(byteCount: 700, alignment: 8)
            }
        }
        #expect(arena.chunkCount == chunks)
        #expect(arena.capacity == capacity)
    }

    @Test("an allocation larger than any chunk gets its own chunk")
    func oversized() {
        var arena = OTLPEncodingArena(initialCapacity: 64, minimumChunkSize: 64)
        let pointer = arena.allocate(byteCount: 1 << 20, alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 1 << 20)
        #expect(arena.capacity >= 1 << 20)
        let small = arena.allocate(UInt64.self, count: 4)
        small.initialize(repeating: 7, count: 4)
        #expect(small[3] == 7)
    }

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

    @Test("the arena counts requested bytes until reset")
    func allocatedBytes() {
        var arena = OTLPEncodingArena(initialCapacity: 64, minimumChunkSize: 64)
        _ = arena.allocate(byteCount: 3, alignment: 1)
        _ = arena.allocate(UInt64.self, count: 2)
        _ = arena.allocate(byteCount: 1_000, alignment: 8)
        #expect(arena.allocatedBytes == 1_019)
        arena.reset()
        #expect(arena.allocatedBytes == 0)
    }
}
