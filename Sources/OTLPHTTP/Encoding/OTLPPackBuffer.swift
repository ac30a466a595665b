/// A growable byte buffer for protobuf output, in malloc'd memory it frees when it goes away.
///
/// Noncopyable so that its memory has one owner and is released exactly once.
struct OTLPPackBuffer: ~Copyable {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
    }

    /// Makes room for `additional` more bytes.
    @inline(__always)
    mutating func reserve(_ additional: Int) {
        if count &+ additional > capacity {
            grow(to: count + additional)
        }
    }

    private mutating func grow(to minimum: Int) {
        let newCapacity = max(minimum, capacity + capacity / 2)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends bytes written by `write` into at most `maximumCount` reserved bytes; `write`
    /// returns how many it wrote.
    @inline(__always)
    mutating func append(maximumCount: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maximumCount)
        let written = write((base + count).bindMemory(to: UInt8.self, capacity: maximumCount))
        precondition(written >= 0 && written <= maximumCount, "wrote \(written) bytes into room for \(maximumCount)")
        count += written
    }

    /// Appends a field key (tag) and length prefix of a length-delimited field, in at most 15 bytes.
    @inline(__always)
    mutating func appendLengthDelimitedHeader(fieldNumber: UInt32, length: Int) {
        append(maximumCount: 15) { out in
            let written = OTLPProtobufWire.writeVarint(UInt64(fieldNumber) << 3 | 2, to: out)
            return written + OTLPProtobufWire.writeVarint(UInt64(length), to: out + written)
        }
    }
}

/// The few bits of the protobuf wire format that the trace encoder writes itself: the
/// framing of length-delimited (wire type 2) fields.
enum OTLPProtobufWire {
    /// Bytes of the base-128 varint encoding of `value` (1...10).
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 7 payload bits per byte; a zero still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Writes `value` as a base-128 varint; returns the number of bytes written.
    @inline(__always)
    static func writeVarint(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var value = value
        var index = 0
        while value >= 0x80 {
            out[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        out[index] = UInt8(truncatingIfNeeded: value)
        return index + 1
    }

    /// Size of a length-delimited field's key and length prefix for a field number below 16.
    @inline(__always)
    static func headerSize(length: Int) -> Int {
        1 + varintSize(UInt64(length))
    }
}
