import Testing

@testable import OTLPProto

@Suite("ProtobufCArena", .timeLimit(.minutes(2)))
struct ProtobufCArenaTests {
    @Test("allocations are aligned, disjoint and writable across chunks")
    func alignedAndDisjoint() {
        var arena = ProtobufCArena(initialCapacity: 128, minimumChunkSize: 256)
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
        var arena = ProtobufCArena(initialCapacity: 1024, minimumChunkSize: 1024)
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
        var arena = ProtobufCArena(initialCapacity: 64, minimumChunkSize: 64)
        let pointer = arena.allocate(byteCount: 1 << 20, alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 1 << 20)
        #expect(arena.capacity >= 1 << 20)
        let small = arena.allocate(UInt64.self, count: 4)
        small.initialize(repeating: 7, count: 4)
        #expect(small[3] == 7)
    }

    @Test("the arena counts requested bytes until reset")
    func allocatedBytes() {
        var arena = ProtobufCArena(initialCapacity: 64, minimumChunkSize: 64)
        _ = arena.allocate(byteCount: 3, alignment: 1)
        _ = arena.allocate(UInt64.self, count: 2)
        _ = arena.allocate(byteCount: 1_000, alignment: 8)
        #expect(arena.allocatedBytes == 1_019)
        arena.reset()
        #expect(arena.allocatedBytes == 0)
    }
}

@Suite("ProtobufCArena decode capacity", .timeLimit(.minutes(2)))
struct ProtobufCArenaDecodeCapacityTests {
    @Test("a decode arena reserves five times a small body, and at most 1 MiB for a large one")
    func decodeCapacityIsCapped() {
        #expect(ProtobufCArena.decodeCapacity(encodedBytes: 1_000) == 5_256)
        #expect(ProtobufCArena.decodeCapacity(encodedBytes: 64 << 20) == 1 << 20)
    }
}
