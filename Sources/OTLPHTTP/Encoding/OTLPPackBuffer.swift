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

    /// Forgets the contents, keeping the memory for reuse.
    mutating func removeAll() {
        count = 0
    }

    /// Forgets the contents, and gives the memory back if there is more than `limit` bytes of it.
    mutating func removeAll(retainingAtMost limit: Int) {
        count = 0
        guard capacity > limit else { return }
        base.deallocate()
        capacity = max(limit, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// The contents.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
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

    /// Appends a length-delimited field whose payload `write` produces in place, without knowing
    /// its length beforehand: `write` gets room for `maximumLength` bytes and returns how many it
    /// wrote, and the length prefix is filled in afterwards (moving the payload only when its
    /// length needs a shorter varint than `maximumLength` would).
    ///
    /// - Precondition: `write` writes at most `maximumLength` bytes. This cannot be checked before
    ///   the bytes are written, so callers must guarantee it.
    @inline(__always)
    mutating func appendLengthDelimited(
        fieldNumber: UInt32, maximumLength: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int
    ) {
        let key = UInt64(fieldNumber) << 3 | 2
        let keySize = OTLPProtobufWire.varintSize(key)
        let reservedLengthSize = OTLPProtobufWire.varintSize(UInt64(maximumLength))
        reserve(keySize &+ reservedLengthSize &+ maximumLength)
        let start = (base + count).bindMemory(to: UInt8.self, capacity: keySize + reservedLengthSize + maximumLength)
        _ = OTLPProtobufWire.writeVarint(key, to: start)
        let reservedPayload = start + keySize + reservedLengthSize
        let length = write(reservedPayload)
        precondition(length >= 0 && length <= maximumLength, "wrote \(length) bytes into room for \(maximumLength)")
        let lengthSize = OTLPProtobufWire.varintSize(UInt64(length))
        if lengthSize != reservedLengthSize {
            (start + keySize + lengthSize).update(from: reservedPayload, count: length)  // memmove
        }
        _ = OTLPProtobufWire.writeVarint(UInt64(length), to: start + keySize)
        count &+= keySize &+ lengthSize &+ length
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
