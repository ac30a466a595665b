import CZlib

/// A gzip (RFC 1952) compressor that keeps its zlib state from one body to the next.
///
/// Setting zlib up allocates about 270 KiB of window and hash tables and clears them; a deflater
/// does that once, and each ``compress(_:)`` only resets the state afterwards (`deflateReset`).
/// Each body is compressed in one pass straight into its output (a new array, or the caller's
/// buffer), sized by `deflateBound`. The output is a complete single-member gzip stream, the same
/// bytes a fresh zlib stream at the same level makes.
///
/// Noncopyable, so the zlib state has one owner and is released exactly once. Not for concurrent
/// use: one `compress` at a time (share it behind a lock).
public struct GzipDeflater: ~Copyable {
    /// zlib's stream; zlib keeps a pointer back to it, so it lives at a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>
    /// zlib counts in 32-bit `uInt`: input and output are handed over in pieces of at most this size.
    private static let pieceLimit = 1 << 30

    /// - Parameter level: zlib compression level, 0 (store) to 9 (smallest), or -1 for zlib's default.
    /// - Throws: `GzipError` with reason `.zlib` for an invalid level or if zlib cannot allocate its state.
    public init(level: Int32 = 6) throws {
        // Set up in a local: once `self.stream` is assigned, `self` is fully initialised and a throw
        // would run `deinit` too, releasing the state a second time.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, level, Z_DEFLATED, Gzip.windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError(.zlib(code: status, detail: "deflateInit2 failed (level \(level))"))
        }
        self.stream = stream
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The most bytes ``compress(_:into:)`` writes for `count` bytes of input (zlib's `deflateBound`).
    public func compressedSizeBound(inputCount count: Int) -> Int {
        Int(deflateBound(stream, uLong(count)))
    }

    /// Compresses `bytes` (may be empty) into a single-member gzip stream: header, deflate data,
    /// CRC-32 and length trailer.
    ///
    /// - Throws: `GzipError` with reason `.zlib` if zlib fails.
    public mutating func compress(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        let bound = compressedSizeBound(inputCount: bytes.count)
        return try [UInt8](unsafeUninitializedCapacity: bound) { output, initializedCount in
            initializedCount = try compress(bytes, into: UnsafeMutableRawBufferPointer(output))
        }
    }

    /// Compresses `bytes` (may be empty) into `output` as a single-member gzip stream, the same bytes
    /// as ``compress(_:)``, and returns how many bytes it wrote.
    ///
    /// - Precondition: `output` holds at least ``compressedSizeBound(inputCount:)`` bytes.
    /// - Throws: `GzipError` with reason `.zlib` if zlib fails.
    public mutating func compress(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        let stream = self.stream
        let bound = compressedSizeBound(inputCount: bytes.count)
        precondition(output.count >= bound, "room for \(output.count) compressed bytes, deflateBound is \(bound)")
        // Reset after each body rather than before the next: a finished gzip stream makes
        // `deflateBound` leave out the header and trailer, so the bound above needs a reset stream.
        // (A reset cannot fail on a stream deflateInit2 set up; if it did, the next deflate would.)
        defer { deflateReset(stream) }
        let out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        var consumed = 0
        var produced = 0
        while true {
            let inputCount = min(bytes.count - consumed, Self.pieceLimit)
            let outputCount = min(bound - produced, Self.pieceLimit)
            stream.pointee.next_in = inputCount > 0
                ? UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self) + consumed) : nil
            stream.pointee.avail_in = uInt(inputCount)
            stream.pointee.next_out = out + produced
            stream.pointee.avail_out = uInt(outputCount)
            let status = deflate(stream, consumed + inputCount == bytes.count ? Z_FINISH : Z_NO_FLUSH)
            consumed += inputCount - Int(stream.pointee.avail_in)
            produced += outputCount - Int(stream.pointee.avail_out)
            if status == Z_STREAM_END {
                return produced
            }
            // `bound` holds the whole stream, so deflate can always make progress until the end.
            guard status == Z_OK, produced < bound else {
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "deflate failed"
                throw GzipError(.zlib(code: status, detail: detail))
            }
        }
    }
}
