/// A 64-bit digest of a sequence of strings, for ``HandlerKey``: 8 UTF-8 bytes per step, each step
/// a 64×64→128-bit multiply folded to 64 bits (the wyhash "mum" mix), seeded randomly per handler
/// table (passed in, rather than read from a lazy global, which costs a `swift_once` per key).
///
/// Not a cryptographic hash. Each string is closed by its length, so `("ab", "c")` and `("a", "bc")`
/// differ. The random seed keeps digests unpredictable from outside the process (labels
/// and dimension values may come from requests); a collision only costs a comparison of the keys,
/// which the dictionary hashes again with its own seeded hasher.
struct HandlerKeyDigest {
    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    private(set) var state: UInt64

    init(kind: UInt8, seed: UInt64) {
        state = Self.mix(seed, UInt64(kind))
    }

    mutating func absorb(_ string: String) {
        let absorbed: Void? = string.utf8.withContiguousStorageIfAvailable { absorb(UnsafeRawBufferPointer($0)) }
        if absorbed == nil {
            var contiguous = string
            contiguous.withUTF8 { absorb(UnsafeRawBufferPointer($0)) }
        }
    }

    @inline(__always)
    private mutating func absorb(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard let start = bytes.baseAddress else {
            state = Self.mix(state, 0)
            return
        }
        var offset = 0
        while offset &+ 8 <= count {
            state = Self.mix(state, start.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        // The last 0–7 bytes, little-endian in the low bytes, with the length in the top byte (free:
        // at most 7 bytes below it). Read without a loop: two overlapping 4-byte loads for 4–7 bytes,
        // the first, middle and last byte for 1–3 (overlapping bytes are the same, so OR keeps them).
        let rest = count &- offset
        let tail = start + offset
        var word: UInt64 = 0
        if rest >= 4 {
            word = UInt64(tail.loadUnaligned(as: UInt32.self))
                | UInt64(tail.loadUnaligned(fromByteOffset: rest &- 4, as: UInt32.self)) &<< UInt64(8 &* (rest &- 4))
        } else if rest > 0 {
            let middle = rest >> 1
            word = UInt64(tail.load(as: UInt8.self))
                | UInt64(tail.load(fromByteOffset: middle, as: UInt8.self)) &<< UInt64(8 &* middle)
                | UInt64(tail.load(fromByteOffset: rest &- 1, as: UInt8.self)) &<< UInt64(8 &* (rest &- 1))
        }
        state = Self.mix(state, word | UInt64(truncatingIfNeeded: count) &<< 56)
    }

    @inline(__always)
    private static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let product = (state ^ word).multipliedFullWidth(by: multiplier)
        return product.high ^ product.low
    }
}
