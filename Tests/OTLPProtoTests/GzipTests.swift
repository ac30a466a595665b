import OTLPProto
import Testing

@Suite("Gzip", .timeLimit(.minutes(2)))
struct GzipTests {
    /// Deterministic, not very compressible bytes.
    static func pseudoRandomBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test("round trip", arguments: [0, 1, 100, 65_535, 65_536, 300_000])
    func roundTrip(count: Int) throws {
        let original = Self.pseudoRandomBytes(count: count)
        let compressed = try Gzip.compress(original)
        #expect(compressed.count >= 18)  // 10-byte header + 8-byte trailer at least
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])  // gzip magic, deflate
        let restored = try Gzip.decompress(compressed, maxOutputBytes: count)
        #expect(restored == original)
    }

    @Test("round trip at every compression level", arguments: [Int32(0), 1, 6, 9, -1])
    func levels(level: Int32) throws {
        let original = Array(repeating: Array("OTLP gzip level test ".utf8), count: 500).flatMap { $0 }
        let compressed = try Gzip.compress(original, level: level)
        if level != 0 { #expect(compressed.count < original.count / 5) }
        #expect(try Gzip.decompress(compressed, maxOutputBytes: original.count) == original)
    }

    @Test("a reused deflater compresses into a caller's buffer the same bytes as a fresh stream", arguments: [Int32(1), 6])
    func compressIntoBuffer(level: Int32) throws {
        var deflater = try GzipDeflater(level: level)
        for count in [300_000, 0, 100, 65_536] {
            let original = Self.pseudoRandomBytes(count: count, seed: UInt64(count))
            let bound = deflater.compressedSizeBound(inputCount: count)
            let output = UnsafeMutableRawBufferPointer.allocate(byteCount: bound, alignment: 1)
            defer { output.deallocate() }
            let written = try original.withUnsafeBytes { try deflater.compress($0, into: output) }
            #expect(Array(output.prefix(written)) == (try Gzip.compress(original, level: level)))
        }
    }

    @Test("an invalid compression level throws")
    func invalidLevel() {
        #expect(throws: GzipError.self) { try Gzip.compress([1, 2, 3], level: 42) }
    }

    @Test("concatenated gzip members decompress to the concatenation")
    func multipleMembers() throws {
        let first = Array("first member, ".utf8)
        let second = Array("second member".utf8)
        let stream = try Gzip.compress(first) + Gzip.compress(second)
        #expect(try Gzip.decompress(stream, maxOutputBytes: 1_000) == first + second)
    }

    @Test("corrupt input throws")
    func corrupt() throws {
        // Not gzip at all.
        #expect(throws: GzipError.self) { try Gzip.decompress(Array("plain text, not gzip".utf8), maxOutputBytes: 1_000) }

        // A damaged deflate body or CRC: flip one byte in the middle of a valid stream.
        let original = Self.pseudoRandomBytes(count: 10_000)
        var damaged = try Gzip.compress(original)
        damaged[damaged.count / 2] ^= 0xFF
        let error = #expect(throws: GzipError.self) { try Gzip.decompress(damaged, maxOutputBytes: 100_000) }
        if case .corrupt = error?.reason {} else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
        }

        // A wrong CRC-32 in the trailer.
        var badChecksum = try Gzip.compress(original)
        badChecksum[badChecksum.count - 8] ^= 0x01
        #expect(throws: GzipError(.corrupt(detail: "incorrect data check"))) {
            try Gzip.decompress(badChecksum, maxOutputBytes: 100_000)
        }
    }

    @Test("truncated and empty input throw .truncated")
    func truncated() throws {
        let compressed = try Gzip.compress(Self.pseudoRandomBytes(count: 5_000))
        #expect(throws: GzipError(.truncated)) {
            try Gzip.decompress(Array(compressed.dropLast(4)), maxOutputBytes: 100_000)
        }
        #expect(throws: GzipError(.truncated)) { try Gzip.decompress([], maxOutputBytes: 100_000) }
    }

    @Test("zip-bomb guard: output larger than maxOutputBytes throws")
    func zipBomb() throws {
        // 16 MiB of zeros compress to about 16 KiB.
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 16 << 20), level: 9)
        #expect(bomb.count < 64 * 1024)
        #expect(throws: GzipError(.outputLimitExceeded(limit: 1 << 20))) {
            try Gzip.decompress(bomb, maxOutputBytes: 1 << 20)
        }
        // The limit is inclusive: exactly maxOutputBytes is accepted, one less is not.
        let small = try Gzip.compress([UInt8](repeating: 7, count: 1_000))
        #expect(try Gzip.decompress(small, maxOutputBytes: 1_000).count == 1_000)
        #expect(throws: GzipError(.outputLimitExceeded(limit: 999))) {
            try Gzip.decompress(small, maxOutputBytes: 999)
        }
    }

    @Test("errors describe themselves")
    func descriptions() {
        #expect(GzipError(.truncated).description.contains("truncated"))
        #expect(GzipError(.outputLimitExceeded(limit: 5)).description.contains("5 byte"))
    }
}
