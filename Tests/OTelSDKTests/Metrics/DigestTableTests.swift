import Testing

@testable import OTelSDK

/// The per-CPU handler caches' table: it must agree with a `Dictionary` through inserts, replacements and removals,
/// also when many digests share their low bits (long probe runs that wrap around the end of the slots).
@Suite("DigestTable", .timeLimit(.minutes(2)))
struct DigestTableTests {
    /// A deterministic generator, so a failure replays.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(
        "random inserts, replacements and removals agree with a Dictionary",
        arguments: [
            ("random digests", UInt64.max),
            // Every digest's home is one of 4 slots near the end: runs collide, wrap around and shift back.
            ("digests sharing their low bits", 0xFFFF_0000_0000_0003 as UInt64),
        ]
    )
    func agreesWithDictionary(_ name: String, _ digestMask: UInt64) {
        var generator = SplitMix64(state: 42)
        var table = DigestTable<Int>(capacity: 4)
        var model: [UInt64: Int] = [:]
        var pool: [UInt64] = []
        for step in 0..<10_000 {
            let digest: UInt64
            if pool.count < 300, pool.isEmpty || generator.next() % 3 == 0 {
                digest = (generator.next() & digestMask) | (digestMask == .max ? 0 : 0x1C)
                pool.append(digest)
            } else {
                digest = pool[Int(generator.next() % UInt64(pool.count))]
            }
            let value: Int? = generator.next() % 5 < 2 ? nil : step
            table[digest] = value
            model[digest] = value
            #expect(table[digest] == value)
            if step % 1_000 == 999 {
                #expect(table.count == model.count)
                #expect(pool.allSatisfy { table[$0] == model[$0] }, "step \(step)")
            }
        }
        #expect(pool.allSatisfy { table[$0] == model[$0] })
        #expect(table.count == model.count)
        #expect(model.count > 100, "the table grew past its initial slots")
    }
}
